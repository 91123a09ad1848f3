"""Reports as files: XLSX (openpyxl: one sheet per report, frozen header, rupiah cells) and CSV (UTF-8).

A file is made once per request, kept in the documents bucket under
``exports/`` and handed out through a short-lived link, like order letters:
the API never streams files.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass


from ..adapters.documents import DocumentStore
from ..domain.clock import Clock, new_id, utc_now

RUPIAH_FORMAT = '"Rp"#,##0'
LINK_SECONDS = 300
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


@dataclass(frozen=True)
class Column:
    header: str
    money: bool = False
    width: int = 16


@dataclass(frozen=True)
class Table:
    """One report as rows under headed columns (money columns are integer rupiah)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    notes: tuple[str, ...] = ()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """A cell as data, never a formula: text a partner typed ("=HYPERLINK(…)") is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx(tables: list[Table]) -> bytes:
    # Imported here: openpyxl is loaded by the requests that export, not by every cold start.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])  # Excel's limit on sheet names
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([as_text(v) for v in row])
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = column.width
            if column.money:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = RUPIAH_FORMAT
        sheet.freeze_panes = "A2"
        for note in table.notes:
            sheet.append([])
            sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Excel in an Indonesian locale opens as columns
    writer.writerow([c.header for c in table.columns])
    writer.writerows([as_text(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


class ExportService:
    def __init__(self, files: DocumentStore, clock: Clock = utc_now):
        self.files = files
        self.clock = clock

    def link(self, name: str, tables: list[Table], fmt: str) -> str:
        """Make the file, keep it, and return a five-minute download link."""
        body = xlsx(tables) if fmt == "xlsx" else csv_text(tables[0])
        key = f"exports/{new_id()}/{name}.{fmt}"
        self.files.put(key, body, CONTENT_TYPES[fmt])
        return self.files.presigned_get(key, f"{name}.{fmt}", CONTENT_TYPES[fmt], LINK_SECONDS)

    def shared_link(self, name: str, tables: list[Table]) -> str:
        """A workbook for anonymous readers: kept once per content (its notes, which carry the time, aside), so
        asking again reuses the file instead of writing a new one on every request."""
        content = repr([(t.title, t.columns, t.rows) for t in tables]).encode("utf-8")
        key = f"exports/public/{hashlib.sha256(content).hexdigest()[:32]}/{name}.xlsx"
        if not self.files.exists(key):
            self.files.put(key, xlsx(tables), CONTENT_TYPES["xlsx"])
        return self.files.presigned_get(key, f"{name}.xlsx", CONTENT_TYPES["xlsx"], LINK_SECONDS)


def realisation_table(year: int, rows) -> Table:
    return Table(
        f"Realisasi {year}",
        (Column("Kode rekening", width=22), Column("Uraian", width=40), Column("Pagu", True), Column("Komitmen", True),
         Column("Utang (disetujui)", True), Column("Realisasi (SP2D)", True), Column("Sisa pagu", True),
         Column("% realisasi", width=12)),
        tuple((r.code, r.name, r.ceiling, r.committed, r.payable, r.realised, r.remaining, r.percent) for r in rows),
        ("Pagu = sisa + komitmen + utang + realisasi. Realisasi dihitung dari SP2D (basis kas).",),
    )


def book_table(book, sheet: str) -> Table:
    return Table(
        sheet,
        (Column("No", width=6), Column("Tanggal", width=12), Column("Uraian", width=50), Column("Kode rekening", width=22),
         Column("Mitra", width=24), Column("Penerimaan / dipungut", True), Column("Pengeluaran / disetor", True),
         Column("Saldo", True)),
        tuple((line.number, line.on.isoformat(), line.description, line.budget_line, line.partner, line.increase,
               line.decrease, line.balance) for line in book.lines),
        (f"{book.title} {book.first.isoformat()} s.d. {book.last.isoformat()}: saldo awal {book.opening}, "
         f"saldo akhir {book.closing} (rupiah).",),
    )


def journal_table(journal) -> Table:
    """The journal, one row per line under its entry's number, as the office's buku jurnal reads."""
    rows = []
    for entry in journal.entries:
        for n, line in enumerate(entry.lines):
            first = n == 0
            rows.append((entry.number if first else "", entry.on.isoformat() if first else "",
                         entry.description if first else "", entry.source if first else "",
                         ", ".join(entry.budget_lines) if first else "", f"{line['account']} {line['name']}",
                         line["debit"], line["credit"]))
    scope = f", kode rekening {journal.budget_line}" if journal.budget_line else ""
    return Table(
        "Jurnal",
        (Column("Nomor", width=16), Column("Tanggal", width=12), Column("Uraian", width=50), Column("Bukti", width=30),
         Column("Kode rekening", width=22), Column("Akun", width=36), Column("Debit", True), Column("Kredit", True)),
        tuple(rows),
        (f"Jurnal {journal.first.isoformat()} s.d. {journal.last.isoformat()}{scope}: {len(journal.entries)} jurnal, "
         f"debit = kredit = {journal.total} (rupiah).",),
    )
