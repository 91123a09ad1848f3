"""/api/v1/ledger, /api/v1/reports and /api/v1/exports: the books, realisation, the cash book, the tax books, a
partner's statement, the journal."""

from __future__ import annotations

import re

from ..domain.accounts import Role
from ..errors import FieldError, validation_failed
from ..services.exports import book_table, journal_table, realisation_table
from ..wiring import get_services
from .http import Call, Routes, json_response, period_params, year_param

routes = Routes(__name__)
READERS = frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
STATEMENT_READERS = frozenset({Role.MEDIA, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
# The books (balances and the journal, read or downloaded): the readers of the reports, and order staff, whose
# orders reserve and release budget in them.
BOOKS = READERS | {Role.ORDERS}
EXPORTS = ("realisation", "cash-book", "tax-book-ppn", "tax-book-pph23", "books")  # and the journal, below
MAX_BUDGET_LINE = 40


def book_view(book) -> dict:
    return {"title": book.title, "from": book.first.isoformat(), "to": book.last.isoformat(), "opening": book.opening,
            "increases": book.increases, "decreases": book.decreases, "closing": book.closing,
            "lines": [{"number": line.number, "date": line.on.isoformat(), "description": line.description,
                       "source": line.source, "budget_line": line.budget_line, "partner": line.partner,
                       "increase": line.increase, "decrease": line.decrease, "balance": line.balance}
                      for line in book.lines]}


@routes.route("/api/v1/reports/realisation/{year}", "GET", READERS)
def realisation(call: Call, year: str):
    rows = get_services().reports.realisation(year_param(year))
    return json_response({"year": int(year), "lines": [
        {"code": r.code, "name": r.name, "ceiling": r.ceiling, "committed": r.committed, "payable": r.payable,
         "realised": r.realised, "remaining": r.remaining, "percent": r.percent} for r in rows],
        "totals": {key: sum(getattr(r, key) for r in rows)
                   for key in ("ceiling", "committed", "payable", "realised", "remaining")}})


@routes.route("/api/v1/reports/cash-book", "GET", READERS)
def cash_book(call: Call):
    return json_response(book_view(get_services().reports.cash_book(*period_params(call))))


@routes.route("/api/v1/reports/tax-book/{kind}", "GET", READERS)
def tax_book(call: Call, kind: str):
    return json_response(book_view(get_services().reports.tax_book(kind.upper(), *period_params(call))))


@routes.route("/api/v1/reports/partners/{company_id}/{year}", "GET", STATEMENT_READERS)
def partner_statement(call: Call, company_id: str, year: str):
    s = get_services().reports.partner_statement(call.user, company_id, year_param(year))
    return json_response({"statement": {
        "company_id": s.company_id, "name": s.name, "year": s.year, "agreements": list(s.agreements),
        "orders": s.orders, "ordered": s.ordered, "invoiced": s.invoiced, "paid_gross": s.paid_gross,
        "paid_net": s.paid_net, "ppn_withheld": s.ppn_withheld, "pph23_withheld": s.pph23_withheld}})


@routes.route("/api/v1/reports/year-end/{year}", "GET", READERS)
def year_end(call: Call, year: str):
    report = get_services().reports.year_end(year_param(year))
    order = lambda o: {"id": o.id, "number": o.number, "partner_name": o.partner_name, "status": o.status.value,  # noqa: E731
                       "status_label": o.status.label, "total": o.total, "budget_line": o.budget_line}
    return json_response({
        "year": report.year,
        "open_orders": [order(o) for o in report.open_orders],
        "unbilled_orders": [order(o) for o in report.unbilled_orders],
        "unpaid_invoices": [{"id": i.id, "partner_invoice_number": i.partner_invoice_number,
                             "partner_name": i.partner_name, "status": i.status.value,
                             "status_label": i.status.label, "gross": i.gross} for i in report.unpaid_invoices],
        "totals": {"open_orders": sum(o.total for o in report.open_orders),
                   "unbilled_orders": sum(o.total for o in report.unbilled_orders),
                   "unpaid_invoices": sum(i.gross for i in report.unpaid_invoices)},
    })


@routes.route("/api/v1/exports/{report}", "GET", READERS)
def export(call: Call, report: str):
    params = call.request.query_params or {}
    fmt = params.get("format", "xlsx")
    if report not in EXPORTS or fmt not in ("xlsx", "csv") or (report == "books" and fmt == "csv"):
        raise validation_failed([FieldError("report", "unknown_export",
                                            f"Laporan: {', '.join(EXPORTS)}, journal; format xlsx atau csv (books: xlsx).")])
    services = get_services()
    first, last = period_params(call)
    year = year_param(params.get("year") or str(last.year))
    tables = {
        "realisation": lambda: [realisation_table(year, services.reports.realisation(year))],
        "cash-book": lambda: [book_table(services.reports.cash_book(first, last), "BKU")],
        "tax-book-ppn": lambda: [book_table(services.reports.tax_book("PPN", first, last), "PPN")],
        "tax-book-pph23": lambda: [book_table(services.reports.tax_book("PPH23", first, last), "PPh 23")],
        "books": lambda: [realisation_table(year, services.reports.realisation(year)),
                          book_table(services.reports.cash_book(first, last), "BKU"),
                          book_table(services.reports.tax_book("PPN", first, last), "PPN"),
                          book_table(services.reports.tax_book("PPH23", first, last), "PPh 23")],
    }[report]()
    name = f"{report}-{first.isoformat()}-{last.isoformat()}" if report != "realisation" else f"realisasi-{year}"
    return json_response({"url": services.exports.link(name, tables, fmt), "expires_in_seconds": 300})


def _budget_line(call: Call) -> str | None:
    code = (call.request.query_params or {}).get("budget_line") or None
    if code is not None and len(code) > MAX_BUDGET_LINE:
        raise validation_failed([FieldError("budget_line", "too_long",
                                            f"Kode rekening paling panjang {MAX_BUDGET_LINE} karakter.")])
    return code


@routes.route("/api/v1/ledger/journal", "GET", BOOKS)
def journal(call: Call):
    first, last = period_params(call)
    journal = get_services().ledger.journal(first, last, _budget_line(call))
    return json_response({
        "from": journal.first.isoformat(), "to": journal.last.isoformat(), "budget_line": journal.budget_line,
        "total": journal.total,
        "entries": [{"number": e.number, "id": e.id, "posted_at": e.posted_at, "date": e.on.isoformat(),
                     "description": e.description, "source": e.source, "budget_lines": list(e.budget_lines),
                     "lines": list(e.lines)} for e in journal.entries],
    })


@routes.route("/api/v1/ledger", "GET", BOOKS)
def ledger(call: Call):
    books = get_services().ledger
    accounts = [vars(a) for a in books.balances()]
    return json_response({
        "accounts": accounts,
        "total_debit": sum(a["debit"] for a in accounts),
        "total_credit": sum(a["credit"] for a in accounts),
        "entries": books.recent_entries(),
    })


@routes.route("/api/v1/exports/journal", "GET", BOOKS)
def export_journal(call: Call):
    params = call.request.query_params or {}
    fmt = params.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise validation_failed([FieldError("format", "unknown_export", "Format xlsx atau csv.")])
    first, last = period_params(call)
    code = _budget_line(call)
    services = get_services()
    name = f"jurnal-{first.isoformat()}-{last.isoformat()}" + (f"-{re.sub(r'[^0-9A-Za-z.]', '_', code)}" if code else "")
    return json_response({"url": services.exports.link(name, [journal_table(services.ledger.journal(first, last, code))],
                                                       fmt), "expires_in_seconds": 300})
