"""The press-company profile: every field validated and normalised, with Indonesian messages."""

from datetime import date

import pytest
from pydantic import ValidationError

from chalicelib.domain.press_company import CompanyProfile

TODAY = date(2026, 11, 26)


def good(**changes):
    data = {
        "legal_name": "PT Media Ogan Jaya",
        "legal_form": "PT",
        "media_name": "OganNews",
        "media_type": "siber",
        "website": "ogannews.example.co.id",
        "kbli": "63122",
        "nib": "9120001234567",
        "npwp": "01.234.567.8-901.234",
        "pkp": True,
        "deed_number": "12",
        "deed_date": "2015-03-02",
        "sk_kemenkumham": "AHU-0012345.AH.01.01.2015",
        "address": {"province": "Sumatera Selatan", "regency": "Ogan Komering Ilir", "district": "Kayuagung",
                    "street": "Jl. Letnan Muchtar Saleh No. 1", "postal_code": "30611",
                    "latitude": -3.39, "longitude": 104.83},
        "phone": "0712-321456",
        "email": "Redaksi@OganNews.example.co.id",
        "editor_in_chief": {"name": "Siti Aminah", "ukw_level": "Utama", "ukw_certificate": "UKW-12345"},
        "dewan_pers_status": "administratif",
        "dewan_pers_certificate": "DP-1234/2020",
        "dewan_pers_date": "2020-06-01",
        "established": "2015-03-02",
        "reach": 150000,
        "bank_account": {"bank": "Bank Sumsel Babel", "number": "123-456-7890", "holder": "PT MEDIA OGAN JAYA"},
        "contact_person": {"name": "Andi Saputra", "phone": "+62 812 3456 7890", "email": "andi@ogannews.example.co.id"},
    }
    data.update(changes)
    return data


def validate(data, **context):
    return CompanyProfile.model_validate(data, context={"today": TODAY, **context})


def errors(data, **context) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        validate(data, **context)
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in caught.value.errors()]


def test_a_good_profile_is_normalised():
    profile = validate(good())
    assert profile.npwp == "0012345678901234"
    assert profile.phone == "+62712321456"
    assert profile.email == "redaksi@ogannews.example.co.id"
    assert profile.website == "https://ogannews.example.co.id"
    assert profile.bank_account.number == "1234567890"
    assert profile.contact_person.phone == "+6281234567890"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"npwp": "1234"}, "npwp", "NPWP harus 15 atau 16 digit"),
        ({"nib": "123"}, "nib", "NIB harus 13 digit"),
        ({"phone": "812345"}, "phone", "awalan 0 atau +62"),
        ({"website": "ftp://x.id"}, "website", "https://"),
        ({"email": "redaksi@"}, "email", "Alamat email tidak valid"),
        ({"kbli": "6312"}, "kbli", "KBLI harus 5 angka"),
        ({"legal_form": "Yayasan"}, "legal_form", "harus salah satu dari: PT"),
        ({"deed_date": "2027-01-01"}, "deed_date", "tanggal akta tidak boleh di masa depan"),
        ({"established": "2030-01-01"}, "established", "tanggal berdiri tidak boleh di masa depan"),
        ({"media_type": "majalah"}, "media_type", "Input should be"),
        ({"reach": -5}, "reach", "greater than or equal to 0"),
    ],
)
def test_each_bad_field_is_named(changes, field, message):
    found = errors(good(**changes))
    assert any(loc == field and message in msg for loc, msg in found), found


def test_other_legal_forms_can_be_allowed_by_configuration():
    assert validate(good(legal_form="yayasan", legal_name="Yayasan Media Ogan Jaya",
                         bank_account={"bank": "BRI", "number": "1234567", "holder": "YAYASAN MEDIA OGAN JAYA"}),
                    legal_forms=["PT", "Yayasan"]).legal_form == "Yayasan"


def test_nested_fields_are_checked_too():
    found = errors(good(address={**good()["address"], "postal_code": "306", "latitude": 3.39, "longitude": -104.83}))
    assert any(loc == "address.postal_code" and "kode pos" in msg for loc, msg in found)
    found = errors(good(address={**good()["address"], "latitude": 3.39, "longitude": -104.83}))
    assert any(loc == "address" and "di luar Indonesia" in msg for loc, msg in found)


@pytest.mark.parametrize(
    "changes, where, message",
    [
        ({"bank_account": {"bank": "BRI", "number": "1234567", "holder": "BUDI SANTOSO"}}, "bank_account.holder",
         "Nama pemilik rekening harus sama dengan nama badan hukum"),
        ({"dewan_pers_certificate": None}, "dewan_pers_certificate", "Wajib diisi untuk perusahaan yang terverifikasi"),
        ({"media_type": "radio"}, "reach_area", "Wajib diisi untuk televisi dan radio"),
    ],
)
def test_rules_across_fields_are_reported_at_the_field_to_correct(changes, where, message):
    """Not on the whole profile: the form shows each beside its box."""
    assert [loc for loc, msg in errors(good(**changes)) if message in msg] == [where]


def test_a_rule_across_fields_waits_for_the_fields_it_reads_to_be_valid():
    from chalicelib.domain.press_company import across_fields

    wrong = {"dewan_pers_status": "NGAWUR", "media_type": "televisi", "legal_name": "PT Sinar",
             "bank_account": {"holder": "Orang Lain"}}
    assert {loc for loc, *_ in across_fields(wrong)} == {
        ("bank_account", "holder"), ("dewan_pers_certificate",), ("dewan_pers_date",), ("reach_area",)}
    assert across_fields(wrong, frozenset({"dewan_pers_status", "media_type", "legal_name"})) == []
