"""The media-order letter (*surat pesanan media*) as a PDF.

``render_order_letter(OrderLetter(...))`` returns the bytes of an A4 letter:
letterhead, number and subject, addressee, the ordered material, a price
table with the total in words, the schedule, a tax preview, the budget line
and the signatory. Everything it prints comes from ``OrderLetter``; it reads
no storage and decides no rules (amounts and taxes are computed by the
caller, see ``chalicelib.domain.money``).

The PDF embeds Liberation Sans (SIL OFL 1.1, shipped in ``chalicelib/fonts``;
metrically the same as Arial and Helvetica), subset to the glyphs a letter
uses: a PDF that relies on a reader's own fonts prints differently from office
to office, and PDF/A archives refuse one. Names in any Latin, Greek or
Cyrillic script print as written; a character the font lacks is replaced by a
close equivalent instead of failing (see ``printable``). The same letter always
gives the same bytes: the creation date is the issue date.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF, FontFace

from ..domain.clock import WIB, tanggal
from ..domain.money import TaxPreview, rupiah, terbilang

# The letter's dates read as people write them: 26 November 2026.
indonesian_date = tanggal


@dataclass(frozen=True)
class OrderLetter:
    """Everything printed on one order letter, already formatted where it is text.

    ``letterhead`` lines go on top, centred; the second line (the office, e.g.
    "DINAS KOMUNIKASI DAN INFORMATIKA") is also the PDF's author, or the first
    line when there is only one. ``slots`` are human lines ("3 Desember 2026").
    ``total`` must equal ``quantity × unit_price`` and ``taxes.gross``, so a
    letter never shows figures that do not add up.
    """

    letterhead: tuple[str, ...]
    city: str
    number: str
    issued_on: date
    partner_legal_name: str
    partner_media_name: str
    partner_address: str
    subject: str
    material_title: str
    material_reference: str | None
    product_name: str
    unit: str
    slots: tuple[str, ...]
    quantity: int
    unit_price: int
    total: int
    budget_line: str
    taxes: TaxPreview
    signatory_name: str
    signatory_title: str
    signatory_id: str
    notes: tuple[str, ...] = ()
    nature: str = "Biasa"  # *sifat*: Biasa, Segera, Penting …
    attachments: str = "-"  # *lampiran*: none; the material is named in the letter
    void_mark: str | None = None  # "DIBATALKAN": printed across every page of a letter no longer in force

    def __post_init__(self) -> None:
        if not self.letterhead:
            raise ValueError("kop surat kosong")
        if self.quantity <= 0:
            raise ValueError(f"jumlah pesanan harus positif: {self.quantity}")
        if self.total != self.quantity * self.unit_price:
            raise ValueError(f"total {self.total} ≠ {self.quantity} × {self.unit_price}")
        if self.taxes.gross != self.total:
            raise ValueError(f"pajak dihitung dari {self.taxes.gross}, bukan dari total {self.total}")

    @property
    def issuer(self) -> str:
        return self.letterhead[1] if len(self.letterhead) > 1 else self.letterhead[0]


FONT = "LiberationSans"
_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
_FONT_FILES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """The code points the font draws (the same in its four styles)."""
    from fontTools.ttLib import TTFont  # fpdf2's own dependency; read once per process

    with TTFont(_FONT_DIR / f"{FONT}-Regular.ttf", lazy=True) as font:
        return frozenset(font.getBestCmap())


# Never printed: zero-width and byte-order marks; line and paragraph separators break the line.
_INVISIBLE = {"\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u2028": "\n", "\u2029": "\n"}

# Characters the font may lack that NFKD does not reduce to something useful.
_CLOSE = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u2043": "-",
    "\u2015": "\u2014",
    "\u2032": "'", "\u2033": '"', "\u201b": "'", "\u201f": '"',
    "\u2190": "<-", "\u2192": "->", "\u2194": "<->",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~",
    "\u2116": "No.",
}


def _fits(char: str) -> bool:
    return ord(char) in _glyphs()


def printable(text: str) -> str:
    """``text`` with every character the font cannot draw replaced.

    Kept: what Liberation Sans draws (Latin with its accents, Greek, Cyrillic,
    “ ” ‘ ’ – — … • €). Otherwise a close equivalent from ``_CLOSE``, else the
    compatibility decomposition ("ﬁ" → "fi", full-width "Ａ" → "A"), else "?".
    Zero-width marks are dropped.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char in _INVISIBLE:
            out.append(_INVISIBLE[char])
        elif _fits(char):
            out.append(char)
        elif char in _CLOSE:
            out.append(_CLOSE[char])
        else:
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", char) if _fits(c) and not unicodedata.combining(c)
            )
            out.append(folded or "?")
    return "".join(out)


# Layout, in millimetres. Margins follow the usual Indonesian official letter.
_LEFT, _TOP, _RIGHT, _BOTTOM = 25, 15, 20, 20
_BODY = 10.5  # font size, pt
_LINE = 5  # body line height
_LABEL = 20  # width of "Nomor", "Lampiran" ...
_RIGHT_COLUMN = 120  # addressee and signatory, as in the usual surat dinas
_TAX_BLOCK = 32  # height of the tax preview with its heading and note


class _LetterPdf(FPDF):
    def __init__(self, footer_text: str, void_mark: str | None = None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        for style, name in _FONT_FILES.items():
            self.add_font(FONT, style, _FONT_DIR / f"{FONT}-{name}.ttf")
        self._footer_text = footer_text
        self._void_mark = void_mark

    def header(self) -> None:
        # Drawn first on each page, so the letter's text stays readable over it; a copy printed or forwarded
        # cannot be taken for one in force.
        if not self._void_mark:
            return
        with self.local_context(text_color=(220, 80, 80), fill_opacity=0.35, stroke_opacity=0.35):
            self.set_font(FONT, "B", 64)
            width = self.get_string_width(self._void_mark)
            centre_x, centre_y = self.w / 2, self.h / 2
            with self.rotation(45, centre_x, centre_y):
                self.text(centre_x - width / 2, centre_y + 8, self._void_mark)

    def normalize_text(self, text: str) -> str:
        # Every text path of fpdf2 (cells, tables, widths) goes through here.
        return super().normalize_text(printable(text))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 4, f"{self._footer_text} · halaman {self.page_no()} dari {{nb}}", align="C")
        self.set_text_color(0)


def render_order_letter(letter: OrderLetter) -> bytes:
    """The letter as PDF bytes (A4 portrait); identical input, identical bytes."""
    pdf = _LetterPdf(footer_text=f"Surat pesanan {letter.number}", void_mark=letter.void_mark)
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, margin=_BOTTOM)
    pdf.set_title(letter.number)
    pdf.set_author(letter.issuer)
    pdf.set_subject(letter.subject)
    pdf.set_creator("Seklik")
    pdf.set_lang("id")
    pdf.set_creation_date(datetime.combine(letter.issued_on, time(0), tzinfo=WIB))
    pdf.add_page()

    _letterhead(pdf, letter.letterhead)
    _heading_and_addressee(pdf, letter)
    _order(pdf, letter)
    _schedule(pdf, letter.slots)
    _taxes(pdf, letter.taxes)
    _budget_and_notes(pdf, letter)
    _closing_and_signature(pdf, letter)
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, lines: tuple[str, ...]) -> None:
    # Government line, office line in bold and larger; the rest (address,
    # contact) small. A single line is treated as the office.
    for index, line in enumerate(lines):
        if len(lines) > 1 and index == 0:
            pdf.set_font(FONT, "B", 13)
        elif index <= 1:
            pdf.set_font(FONT, "B", 15)
        else:
            pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, pdf.font_size * 1.35, line, align="C", new_x="LMARGIN", new_y="NEXT")
    # The customary double rule: thick over thin.
    y = pdf.get_y() + 2
    right = pdf.w - pdf.r_margin
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, right, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.2, right, y + 1.2)
    pdf.set_y(y + 6)


def _labelled(pdf: FPDF, label: str, value: str, style: str = "", width: float = 0) -> None:
    """``label : value``, the value wrapping under itself; ``width`` 0 = to the margin."""
    pdf.set_font(FONT, "", _BODY)
    pdf.cell(_LABEL, _LINE, label)
    pdf.cell(4, _LINE, ":")
    pdf.set_font(FONT, style, _BODY)
    pdf.multi_cell(width, _LINE, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _right_column(pdf: FPDF, text: str, style: str = "") -> None:
    pdf.set_x(_RIGHT_COLUMN)
    pdf.set_font(FONT, style, _BODY)
    pdf.multi_cell(0, _LINE, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf: FPDF, text: str, style: str = "", gap: float = 2) -> None:
    pdf.set_font(FONT, style, _BODY)
    pdf.multi_cell(0, _LINE, text, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _heading_and_addressee(pdf: FPDF, letter: OrderLetter) -> None:
    # As a *surat dinas*: place and date on the right; number, nature, attachments and subject on the left,
    # the addressee beside them.
    _right_column(pdf, f"{letter.city}, {indonesian_date(letter.issued_on)}")
    pdf.ln(2)
    top = pdf.get_y()
    value_width = _RIGHT_COLUMN - pdf.l_margin - _LABEL - 4 - 2
    _labelled(pdf, "Nomor", letter.number, width=value_width)
    _labelled(pdf, "Sifat", letter.nature, width=value_width)
    _labelled(pdf, "Lampiran", letter.attachments, width=value_width)
    _labelled(pdf, "Perihal", letter.subject, style="B", width=value_width)
    left_bottom = pdf.get_y()

    pdf.set_y(top)
    _right_column(pdf, "Kepada Yth.")
    _right_column(pdf, f"Pimpinan {letter.partner_media_name}", style="B")
    _right_column(pdf, letter.partner_legal_name)
    _right_column(pdf, letter.partner_address)
    _right_column(pdf, "di Tempat")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 5)


def _order(pdf: FPDF, letter: OrderLetter) -> None:
    _paragraph(pdf, "Dengan hormat,", gap=1)
    _paragraph(
        pdf,
        "Dalam rangka penyebarluasan informasi publik, dengan ini kami memesan publikasi pada "
        f"{letter.partner_media_name} atas materi berikut:",
    )
    _labelled(pdf, "Judul", letter.material_title, style="B")
    if letter.material_reference:
        _labelled(pdf, "Rujukan", letter.material_reference)
    pdf.ln(3)

    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(70, 26, 34, 35),
        text_align=("LEFT", "CENTER", "RIGHT", "RIGHT"),
        align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        line_height=4.5,
        padding=(0.8, 1.2),
    ) as table:
        table.row(("Uraian", "Jumlah", "Harga satuan", "Total"))
        table.row((letter.product_name, f"{letter.quantity} {letter.unit}",
                   rupiah(letter.unit_price), rupiah(letter.total)))
        total = table.row(style=FontFace(emphasis="BOLD"))
        total.cell("Jumlah", colspan=3, align="RIGHT")
        total.cell(rupiah(letter.total))
    pdf.ln(2)
    words = terbilang(letter.total)
    _paragraph(pdf, f"Terbilang: {words[0].upper()}{words[1:]}.", style="I", gap=3)


def _schedule(pdf: FPDF, slots: tuple[str, ...]) -> None:
    if not slots:
        return
    _paragraph(pdf, "Jadwal tayang:", gap=0)
    pdf.set_font(FONT, "", _BODY)
    for number, slot in enumerate(slots, start=1):
        pdf.cell(8, _LINE, f"{number}.", align="R")
        pdf.cell(2, _LINE)
        pdf.multi_cell(0, _LINE, slot, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _taxes(pdf: FPDF, taxes: TaxPreview) -> None:
    # One row across the page: it reads left to right as the payment does.
    # Kept on one page by hand: fpdf2's unbreakable() does not record tables.
    if pdf.will_page_break(_TAX_BLOCK):
        pdf.add_page()
    partner = "mitra PKP" if taxes.pkp else "mitra bukan PKP"
    _paragraph(pdf, f"Perkiraan pajak atas pembayaran ({partner}):", gap=1)
    ppn = f"PPN dipungut ({taxes.ppn_percent}%)" if taxes.pkp else "PPN dipungut (bukan PKP)"
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        align="LEFT",
        text_align="RIGHT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        line_height=4.5,
        padding=(0.8, 1.2),
    ) as table:
        table.row(("Nilai pesanan", "DPP", ppn, f"PPh 23 dipotong ({taxes.pph23_percent}% DPP)", "Diterima mitra"))
        figures = table.row()
        for amount in (taxes.gross, taxes.dpp, taxes.ppn, taxes.pph23):
            figures.cell(rupiah(amount))
        figures.cell(rupiah(taxes.net), style=FontFace(emphasis="BOLD"))
    pdf.ln(1)
    pdf.set_font(FONT, "I", 9)
    pdf.multi_cell(0, 4.5, "Jumlah pajak yang pasti ditetapkan oleh bendahara pada saat pembayaran.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _budget_and_notes(pdf: FPDF, letter: OrderLetter) -> None:
    _labelled(pdf, "Anggaran", letter.budget_line)
    if letter.notes:
        pdf.ln(2)
        _paragraph(pdf, "Catatan:", gap=0)
        pdf.set_font(FONT, "", _BODY)
        for note in letter.notes:
            pdf.cell(8, _LINE, "-", align="R")
            pdf.cell(2, _LINE)
            pdf.multi_cell(0, _LINE, note, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _closing_and_signature(pdf: FPDF, letter: OrderLetter) -> None:
    # The closing and the signature move to the next page together if need be.
    with pdf.unbreakable() as block:
        _paragraph(
            block,
            "Demikian surat pesanan ini kami sampaikan. Atas perhatian dan kerja sama Saudara, "
            "kami ucapkan terima kasih.",
            gap=4,
        )
        _right_column(block, f"{letter.signatory_title},")  # dated at the top, as the letter's place and date
        block.ln(20)  # room for the signature and the stamp
        _right_column(block, letter.signatory_name, style="BU")
        _right_column(block, letter.signatory_id)  # as configured, "NIP. …" included (as on the invoice papers)
