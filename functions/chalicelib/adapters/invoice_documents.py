"""The documents Seklik makes for an invoice, as PDFs on the office's letterhead: the kuitansi to be signed by
the partner, the BAST (berita acara serah terima) signed by the PPTK, and the SPP-LS summary sheet.

Like the order letter (``letters.py``, whose page and text helpers they share), each renders only what its
dataclass carries: amounts and taxes are computed by the caller; the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from fpdf import FontFace

from ..domain.clock import WIB, tanggal
from ..domain.money import rupiah, terbilang
from .letters import FONT, _LetterPdf, _labelled, _letterhead, _paragraph, _right_column

_BODY = 10.5


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    id: str  # as printed under the name, e.g. "NIP. 19800101 200501 1 001"


@dataclass(frozen=True)
class InvoicePapers:
    """What the three documents print, already formatted where it is text."""

    letterhead: tuple[str, ...]
    city: str
    office: str  # who pays: "Bendahara Pengeluaran Dinas Komunikasi dan Informatika …"
    on: date
    partner_legal_name: str
    partner_media_name: str
    partner_npwp: str
    partner_signer: str  # who signs for the partner; left as a dotted line to fill in by hand when unknown
    bank: str  # "Bank Sumsel Babel 123456789 a.n. PT …"
    invoice_number: str
    agreement_number: str
    budget_line: str
    orders: tuple[tuple[str, str, str, int], ...]  # (order number, material, slots and proofs, total)
    gross: int
    base: int
    ppn: int
    ppn_collected: bool
    pph23: int
    net: int
    needs_meterai: bool
    pptk: Signatory
    treasurer: Signatory

    def __post_init__(self) -> None:
        if sum(total for *_, total in self.orders) != self.gross:
            raise ValueError("the orders do not add up to the gross")
        if self.gross - (self.ppn if self.ppn_collected else 0) - self.pph23 != self.net:
            raise ValueError("the net does not follow from the gross and the taxes")


def _signer(papers: "InvoicePapers") -> str:
    return papers.partner_signer or "(............................................)"


def _start(title: str, papers: InvoicePapers) -> _LetterPdf:
    pdf = _LetterPdf(footer_text=f"{title} · tagihan {papers.invoice_number}")
    pdf.set_margins(25, 15, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(f"{title} {papers.invoice_number}")
    pdf.set_author(papers.letterhead[1] if len(papers.letterhead) > 1 else papers.letterhead[0])
    pdf.set_creator("Seklik")
    pdf.set_lang("id")
    pdf.set_creation_date(datetime.combine(papers.on, time(0), tzinfo=WIB))
    pdf.add_page()
    return pdf


def _words(amount: int) -> str:
    words = terbilang(amount)
    return f"{words[0].upper()}{words[1:]}"


def render_kuitansi(papers: InvoicePapers) -> bytes:
    """The receipt for the gross, to be signed (with a meterai above the threshold) by the partner."""
    pdf = _start("Kuitansi", papers)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, "KUITANSI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _labelled(pdf, "Terima dari", papers.office)
    _labelled(pdf, "Sejumlah", f"{_words(papers.gross)}", style="I")
    _labelled(pdf, "Untuk", f"Pembayaran jasa publikasi media sesuai PKS {papers.agreement_number}, pesanan "
                            f"{', '.join(o[0] for o in papers.orders)} (tagihan {papers.invoice_number}).")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(70, 10, rupiah(papers.gross), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 4.5, f"Dibayarkan ke {papers.bank}. Dipotong oleh bendahara saat pembayaran: "
                           f"PPN {rupiah(papers.ppn if papers.ppn_collected else 0)}, PPh 23 {rupiah(papers.pph23)}; "
                           f"diterima bersih {rupiah(papers.net)}.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    with pdf.unbreakable() as block:
        _right_column(block, f"{papers.city}, {tanggal(papers.on)}")
        _right_column(block, "Yang menerima,")
        _right_column(block, papers.partner_legal_name, style="B")
        if papers.needs_meterai:
            block.ln(2)
            block.set_x(120)
            block.set_font(FONT, "", 8)
            block.cell(28, 16, "Meterai", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            block.ln(18)
        _right_column(block, _signer(papers), style="BU")
        _right_column(block, "Nama dan jabatan yang berwenang")
    return bytes(pdf.output())


def render_bast(papers: InvoicePapers) -> bytes:
    """The handover: each order, its slots with their accepted proofs, signed by the PPTK and the partner."""
    pdf = _start("BAST", papers)
    _letterhead(pdf, papers.letterhead)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, "BERITA ACARA SERAH TERIMA PEKERJAAN PUBLIKASI MEDIA", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", _BODY)
    pdf.cell(0, 6, "Nomor: ........................................", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _paragraph(pdf, f"Pada hari ini, {tanggal(papers.on)}, kami yang bertanda tangan di bawah ini: "
                    f"{papers.pptk.name}, {papers.pptk.title}, sebagai PIHAK PERTAMA, dan wakil "
                    f"{papers.partner_legal_name} ({papers.partner_media_name}), sebagai PIHAK KEDUA, "
                    f"menyatakan bahwa PIHAK KEDUA telah menyerahkan dan PIHAK PERTAMA telah menerima pekerjaan "
                    f"publikasi berikut sesuai PKS {papers.agreement_number}, dengan bukti tayang yang telah diperiksa:")
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(40, 55, 45, 25), text_align=("LEFT", "LEFT", "LEFT", "RIGHT"), align="LEFT",
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)), line_height=4.5,
                   padding=(0.8, 1.2)) as table:
        table.row(("Nomor pesanan", "Materi", "Tayang dan bukti", "Nilai"))
        for number, material, proof, total in papers.orders:
            table.row((number, material, proof, rupiah(total)))
        last = table.row(style=FontFace(emphasis="BOLD"))
        last.cell("Jumlah", colspan=3, align="RIGHT")
        last.cell(rupiah(papers.gross))
    pdf.ln(2)
    _paragraph(pdf, f"Terbilang: {_words(papers.gross)}.", style="I")
    _paragraph(pdf, "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.")
    top = pdf.get_y()
    _paragraph(pdf, "PIHAK KEDUA,", gap=0)
    _paragraph(pdf, papers.partner_legal_name, gap=18)
    _paragraph(pdf, _signer(papers), style="BU", gap=0)
    _paragraph(pdf, "Nama dan jabatan yang berwenang", gap=0)
    pdf.set_y(top)
    _right_column(pdf, "PIHAK PERTAMA,")
    _right_column(pdf, f"{papers.pptk.title},")
    pdf.ln(18)
    _right_column(pdf, papers.pptk.name, style="BU")
    _right_column(pdf, papers.pptk.id)
    return bytes(pdf.output())


def render_spp_sheet(papers: InvoicePapers) -> bytes:
    """The summary the treasurer files with the SPP-LS: to whom, how much, for what, and the deductions."""
    pdf = _start("Ringkasan SPP-LS", papers)
    _letterhead(pdf, papers.letterhead)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, "RINGKASAN PERMINTAAN PEMBAYARAN LANGSUNG (SPP-LS) BARANG DAN JASA", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _labelled(pdf, "Penerima", f"{papers.partner_legal_name} ({papers.partner_media_name})")
    _labelled(pdf, "NPWP", papers.partner_npwp)
    _labelled(pdf, "Rekening", papers.bank)
    _labelled(pdf, "Dasar", f"PKS {papers.agreement_number}; tagihan {papers.invoice_number}")
    _labelled(pdf, "Kode rek.", papers.budget_line)
    pdf.ln(3)
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(col_widths=(110, 55), text_align=("LEFT", "RIGHT"), align="LEFT",
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)), line_height=5,
                   padding=(0.8, 1.2)) as table:
        table.row(("Uraian", "Jumlah"))
        table.row(("Nilai tagihan (bruto, termasuk PPN)", rupiah(papers.gross)))
        table.row(("Dasar pengenaan pajak (harga jual)", rupiah(papers.base)))
        table.row((f"PPN {'dipungut bendahara' if papers.ppn_collected else '(disetor sendiri oleh mitra)'}",
                   rupiah(papers.ppn if papers.ppn_collected else 0)))
        table.row(("PPh 23 dipotong (kode objek 24-104-34)", rupiah(papers.pph23)))
        net = table.row(style=FontFace(emphasis="BOLD"))
        net.cell("Dibayarkan kepada penerima")
        net.cell(rupiah(papers.net))
    pdf.ln(2)
    _paragraph(pdf, f"Terbilang: {_words(papers.net)}.", style="I", gap=6)
    top = pdf.get_y()
    _paragraph(pdf, f"{papers.pptk.title},", gap=18)
    _paragraph(pdf, papers.pptk.name, style="BU", gap=0)
    _paragraph(pdf, papers.pptk.id, gap=0)
    pdf.set_y(top)
    _right_column(pdf, f"{papers.city}, {tanggal(papers.on)}")
    _right_column(pdf, f"{papers.treasurer.title},")
    pdf.ln(18)
    _right_column(pdf, papers.treasurer.name, style="BU")
    _right_column(pdf, papers.treasurer.id)
    return bytes(pdf.output())


RENDERERS = {"kuitansi": render_kuitansi, "bast": render_bast, "spp_sheet": render_spp_sheet}
