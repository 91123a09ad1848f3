"""The media-order letter: rendered to PDF and read back as text with pypdf."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from chalicelib.adapters.letters import OrderLetter, indonesian_date, printable, render_order_letter
from chalicelib.domain.money import tax_preview
from tests import samples


def make_letter(**changes) -> OrderLetter:
    letter = OrderLetter(
        letterhead=(
            "PEMERINTAH KABUPATEN OGAN KOMERING ILIR",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
            "Jalan Letnan Mukhtar Saleh No. 1, Kayuagung 30611",
        ),
        city="Kayuagung",
        number="500.12/034/SP-MEDIA/2026",
        issued_on=date(2026, 11, 26),
        partner_legal_name="PT Kabar Sriwijaya Mandiri",
        partner_media_name="Kabar Sriwijaya Online",
        partner_address="Jalan Jenderal Sudirman No. 45, Palembang",
        subject="Pesanan Publikasi Media",
        material_title="Bupati Resmikan Jembatan Sungai Komering",
        material_reference="https://example.go.id/rilis/bupati-resmikan-jembatan",
        product_name="Advertorial daring",
        unit="tayang",
        slots=("3 Desember 2026", "10 Desember 2026", "17 Desember 2026"),
        quantity=3,
        unit_price=500_000,
        total=1_500_000,
        budget_line="5.1.02.02.01.0063 Belanja Jasa Iklan/Reklame",
        taxes=tax_preview(1_500_000, pkp=True),
        signatory_name="Drs. Ahmad Fauzi, M.Si.",
        signatory_title="Kepala Dinas Komunikasi dan Informatika",
        signatory_id="NIP. 19700101 199503 1 001",
        notes=("Bukti tayang diunggah paling lambat 3 hari kerja setelah tayang.",),
    )
    return dataclasses.replace(letter, **changes)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)  # line breaks fall where the layout puts them


def test_letter_shows_number_partner_amounts_taxes_and_signatory():
    pdf = render_order_letter(make_letter())
    assert pdf.startswith(b"%PDF-")
    reader, text = read(pdf)

    assert len(reader.pages) == 1
    assert samples.embedded_fonts(reader) == {"LiberationSans", "LiberationSansBold", "LiberationSansItalic"}
    for expected in [
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "500.12/034/SP-MEDIA/2026",
        "26 November 2026",
        "Kepada Yth.",
        "Pimpinan Kabar Sriwijaya Online",
        "PT Kabar Sriwijaya Mandiri",
        "Bupati Resmikan Jembatan Sungai Komering",
        "3 tayang",
        "Rp500.000",
        "Rp1.500.000",
        "Terbilang: Satu juta lima ratus ribu rupiah.",
        "1. 3 Desember 2026",
        "3. 17 Desember 2026",
        "Rp1.351.351",  # DPP
        "Rp148.649",  # PPN
        "Rp27.027",  # PPh 23
        "Rp1.324.324",  # received by the partner
        "PPN dipungut (11%)",
        "5.1.02.02.01.0063 Belanja Jasa Iklan/Reklame",
        "Bukti tayang diunggah",
        "Kayuagung, 26 November 2026",
        "Kepala Dinas Komunikasi dan Informatika,",
        "Drs. Ahmad Fauzi, M.Si.",
        "NIP. 19700101 199503 1 001",
    ]:
        assert expected in text, expected


def test_metadata_names_the_letter_and_the_office():
    reader, _ = read(render_order_letter(make_letter()))
    assert reader.metadata.title == "500.12/034/SP-MEDIA/2026"
    assert reader.metadata.author == "DINAS KOMUNIKASI DAN INFORMATIKA"
    assert reader.metadata.subject == "Pesanan Publikasi Media"


def test_non_pkp_partner_letter_shows_no_ppn():
    letter = make_letter(taxes=tax_preview(1_500_000, pkp=False))
    _, text = read(render_order_letter(letter))
    assert "mitra bukan PKP" in text
    assert "Rp0" in text and "Rp30.000" in text and "Rp1.470.000" in text


def test_same_letter_gives_the_same_bytes():
    assert render_order_letter(make_letter()) == render_order_letter(make_letter())


def test_the_letter_carries_the_lines_of_a_surat_dinas_and_is_dated_once_at_the_top():
    _, text = read(render_order_letter(make_letter()))
    for line in ("Nomor : 500.12/034/SP-MEDIA/2026", "Sifat : Biasa", "Lampiran : -", "Perihal : "):
        assert line in text, line
    assert text.index("Kayuagung, 26 November 2026") < text.index("Nomor :")
    assert text.count("26 November 2026") == 1


def test_typographic_characters_print_and_others_are_replaced_without_crashing():
    title = "Bupati: “Jembatan” – siap ‘dipakai’… ≥ 2 km, Ş, ﬁ, 中, 😀"
    pdf = render_order_letter(make_letter(material_title=title, partner_legal_name="PT Media − Bangsa"))
    assert pdf.startswith(b"%PDF-")
    _, text = read(pdf)
    # The embedded font has the typographic quotes, dashes, signs and Latin letters; not Han or emoji.
    assert "Bupati: “Jembatan” – siap ‘dipakai’… ≥ 2 km, Ş, ﬁ, ?, ?" in text
    assert "PT Media − Bangsa" in text


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("Rp1.500.000 – “lunas”", "Rp1.500.000 – “lunas”"),
        ("Café", "Café"),
        ("Cafe\u0301", "Café"),  # decomposed accent is composed first
        ("Ｓｅｋｌｉｋ", "Seklik"),
        ("a\u200bb", "ab"),
        ("x → y", "x → y"),
        ("Łódź", "Łódź"),
        ("Ñgurah Ω Ж", "Ñgurah Ω Ж"),
        ("\u2603", "?"),  # a snowman: not in the font, nothing to fold to
        ("中文", "??"),
    ],
)
def test_printable_keeps_what_the_font_has_and_folds_the_rest(raw, shown):
    assert printable(raw) == shown


@pytest.mark.parametrize("notes", range(0, 8))
def test_closing_and_signature_stay_on_one_page(notes):
    letter = make_letter(notes=("Catatan yang cukup panjang untuk mengisi satu baris penuh di surat ini. " * 2,) * notes)
    reader, _ = read(render_order_letter(letter))
    for page in reader.pages:
        page_text = re.sub(r"\s+", " ", page.extract_text())  # a justified line reads with wider spaces
        assert ("Demikian surat pesanan" in page_text) == ("NIP. 19700101 199503 1 001" in page_text)


def test_long_schedule_flows_onto_the_next_page():
    slots = tuple(f"{day} Desember 2026, pukul 09.00 WIB" for day in range(1, 31))
    letter = make_letter(slots=slots, quantity=30, total=15_000_000, taxes=tax_preview(15_000_000, pkp=True))
    reader, text = read(render_order_letter(letter))
    assert len(reader.pages) == 2
    assert "30. 30 Desember 2026" in text and "halaman 2 dari 2" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"total": 1_400_000},  # not quantity × unit price
        {"taxes": tax_preview(1_400_000, pkp=True)},  # taxes of another amount
        {"quantity": 0, "total": 0, "taxes": tax_preview(0, pkp=True)},
        {"letterhead": ()},
    ],
)
def test_a_letter_whose_figures_do_not_add_up_is_refused(changes):
    with pytest.raises(ValueError):
        make_letter(**changes)


@pytest.mark.parametrize("month", range(1, 13))
def test_indonesian_date_matches_babel(month):
    day = date(2026, month, 3)
    assert indonesian_date(day) == format_date(day, "d MMMM y", locale="id")


def test_a_letter_no_longer_in_force_is_marked_across_every_page():
    many = ("Catatan yang cukup panjang untuk mengisi satu baris penuh di surat ini. " * 2,) * 12
    void = dataclasses.replace(make_letter(notes=many), void_mark="DIBATALKAN")
    reader, _ = read(render_order_letter(void))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert "DIBATALKAN" in page.extract_text()
    reader, _ = read(render_order_letter(make_letter(notes=many)))
    assert not any("DIBATALKAN" in page.extract_text() for page in reader.pages)
