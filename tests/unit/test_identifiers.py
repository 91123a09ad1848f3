"""Indonesian identifiers and contact details: good inputs normalised, bad ones explained."""

from datetime import date

import pytest

from chalicelib.domain import identifiers as ids


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("01.234.567.8-901.234", "0012345678901234"),
        ("012345678901234", "0012345678901234"),
        ("3201234567890001", "3201234567890001"),
        (" 3201 2345 6789 0001 ", "3201234567890001"),
    ],
)
def test_npwp_is_stored_as_16_digits(raw, stored):
    assert ids.parse_npwp(raw) == stored


@pytest.mark.parametrize(
    "raw, message",
    [
        ("01.234.567.8-901.23", "15 atau 16 digit; yang diisi 14"),
        ("012.34.567.8-901.234", "format NPWP 15 digit harus 99.999.999.9-999.999"),
        ("32012345678900012", "yang diisi 17"),
        ("NPWP0123456789012", "hanya berisi angka"),
        ("", "yang diisi 0"),
    ],
)
def test_bad_npwp_is_explained(raw, message):
    with pytest.raises(ValueError) as caught:
        ids.parse_npwp(raw)
    assert message in str(caught.value)


def test_npwp_from_15_digits_is_shown_in_its_old_dotted_form():
    assert ids.format_npwp("0012345678901234") == "01.234.567.8-901.234"
    assert ids.format_npwp("3201234567890001") == "3201234567890001"


@pytest.mark.parametrize("raw, stored", [("9120001234567", "9120001234567"), (" 912 000 123 4567 ", "9120001234567")])
def test_nib_is_13_digits(raw, stored):
    assert ids.parse_nib(raw) == stored


@pytest.mark.parametrize("raw, message", [("912000123456", "yang diisi 12"), ("91200012345678", "yang diisi 14"),
                                          ("9120-00123456", "hanya berisi angka")])
def test_bad_nib_is_explained(raw, message):
    with pytest.raises(ValueError) as caught:
        ids.parse_nib(raw)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0712) 321456", "+62712321456"),
    ],
)
def test_phones_are_stored_as_plus_62(raw, stored):
    assert ids.parse_phone(raw) == stored


@pytest.mark.parametrize(
    "raw, message",
    [
        ("812345678", "awalan 0 atau +62"),
        ("+65 8123 4567", "nomor Indonesia"),
        ("+62 0812 3456 7890", "jangan menulis angka 0 lagi"),
        ("0812", "terlalu pendek"),
        ("0812-3456-7890 ext 5", "hanya berisi angka"),
    ],
)
def test_bad_phones_are_explained(raw, message):
    with pytest.raises(ValueError) as caught:
        ids.parse_phone(raw)
    assert message in str(caught.value)


@pytest.mark.parametrize("raw, stored", [("https://media.example.co.id", "https://media.example.co.id"),
                                         ("media.example.co.id/berita", "https://media.example.co.id/berita"),
                                         ("http://radio.example.id:8000/live", "http://radio.example.id:8000/live")])
def test_urls(raw, stored):
    assert ids.parse_url(raw) == stored


@pytest.mark.parametrize("raw, message", [("ftp://media.example.id", "https://"), ("https://localhost", "domain publik"),
                                          ("https://10.0.0.1/", "domain publik"), ("media", "tidak valid"),
                                          ("https://media example.id", "tidak valid")])
def test_bad_urls_are_explained(raw, message):
    with pytest.raises(ValueError) as caught:
        ids.parse_url(raw)
    assert message in str(caught.value)


def test_postal_code_and_kbli():
    assert ids.parse_postal_code(" 30611 ") == "30611"
    assert ids.parse_kbli("63122") == "63122"
    for bad in ("3061", "306110", "3O611"):
        with pytest.raises(ValueError, match="kode pos harus 5 angka"):
            ids.parse_postal_code(bad)
    with pytest.raises(ValueError, match="KBLI harus 5 angka"):
        ids.parse_kbli("6312")


def test_gps_must_be_inside_indonesia():
    assert ids.check_gps(-3.4, 104.8) == (-3.4, 104.8)  # Kayuagung
    with pytest.raises(ValueError, match="di luar Indonesia"):
        ids.check_gps(3.4, -104.8)  # a lost minus sign


def test_dates_in_the_future_are_refused():
    today = date(2026, 11, 26)
    assert ids.check_not_in_future(date(2010, 5, 1), today, "tanggal akta") == date(2010, 5, 1)
    with pytest.raises(ValueError, match="tanggal akta tidak boleh di masa depan"):
        ids.check_not_in_future(date(2027, 1, 1), today, "tanggal akta")


@pytest.mark.parametrize(
    "holder, legal, same",
    [
        ("PT MEDIA OGAN JAYA", "PT Media Ogan Jaya", True),
        ("MEDIA OGAN JAYA PT", "PT. Media Ogan Jaya", True),
        ("Media Ogan Jaya, PT", "PT Media Ogan Jaya", True),
        ("BUDI SANTOSO", "PT Media Ogan Jaya", False),
        ("PT MEDIA OGAN", "PT Media Ogan Jaya", False),
        ("PT", "PT", False),
    ],
)
def test_the_bank_account_holder_must_be_the_company(holder, legal, same):
    assert ids.same_legal_name(holder, legal) is same
