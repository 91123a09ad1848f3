"""Reports for finance and auditors, read from the books: budget realisation, the cash book (BKU), the tax book
(buku pembantu pajak), and a partner's statement.

Each reads what it needs and no more: the budget lines' buckets (realisation),
one account's journal lines up to the end of the period through the by-account
index (the books), a company's orders and invoices through the by-owner index
(the statement) — never a scan of the journal. Dates are in WIB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..adapters.agreements import AgreementStore, BudgetStore
from ..adapters.invoices import InvoiceStore
from ..adapters.ledger import LedgerStore
from ..adapters.orders import OrderStore
from ..adapters.table import parse_iso
from ..domain.accounts import User
from ..domain.clock import today_wib
from ..domain.invoices import InvoiceStatus
from ..domain.ledger import CASH, PPH23_PAYABLE, PPN_PAYABLE
from ..domain.orders import RESERVING, OrderStatus
from ..errors import FieldError, validation_failed
from .access import Access


@dataclass(frozen=True)
class RealisationRow:
    code: str
    name: str
    ceiling: int  # pagu
    committed: int
    payable: int
    realised: int
    remaining: int

    @property
    def percent(self) -> float:
        """Realised as a share of the pagu, to two decimals (for display only; money stays integer)."""
        return round(100 * self.realised / self.ceiling, 2) if self.ceiling else 0.0


@dataclass(frozen=True)
class BookLine:
    number: int  # running per book and period
    on: date
    description: str
    source: str
    budget_line: str
    partner: str
    increase: int  # receipts (cash book) / collected or withheld (tax book)
    decrease: int  # expenditure (cash book) / deposited (tax book)
    balance: int


@dataclass(frozen=True)
class Book:
    title: str
    first: date
    last: date
    opening: int
    lines: tuple[BookLine, ...]

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening

    @property
    def increases(self) -> int:
        return sum(line.increase for line in self.lines)

    @property
    def decreases(self) -> int:
        return sum(line.decrease for line in self.lines)


@dataclass(frozen=True)
class PartnerStatement:
    company_id: str
    name: str
    year: int
    agreements: tuple[dict, ...]  # number, ceiling, status
    ordered: int  # orders that hold money (not declined or cancelled)
    orders: int
    invoiced: int  # invoices not cancelled
    paid_gross: int
    paid_net: int
    ppn_withheld: int
    pph23_withheld: int


@dataclass(frozen=True)
class YearEnd:
    """What will lapse or carry over when a fiscal year closes."""

    year: int
    open_orders: tuple  # issued or accepted, not completed: their commitment lapses
    unbilled_orders: tuple  # completed, never invoiced
    unpaid_invoices: tuple  # approved, not yet paid by SP2D (tunda bayar)


TAX_ACCOUNTS = {"PPN": (PPN_PAYABLE, "Buku pembantu PPN dipungut"),
                "PPH23": (PPH23_PAYABLE, "Buku pembantu PPh 23 dipotong")}


def check_period(first: date, last: date) -> None:
    if first > last:
        raise validation_failed([FieldError("from", "invalid_period", "Tanggal awal harus sebelum tanggal akhir.")])
    if (last - first).days > 3 * 366:
        raise validation_failed([FieldError("to", "period_too_long", "Periode laporan paling panjang tiga tahun.")])


class ReportService:
    def __init__(self, ledger: LedgerStore, budgets: BudgetStore, agreements: AgreementStore, orders: OrderStore,
                 invoices: InvoiceStore, access: Access, clock=None):
        self.ledger = ledger
        self.budgets = budgets
        self.agreements = agreements
        self.orders = orders
        self.invoices = invoices
        self.access = access
        self.clock = clock
        self._names: dict[str, str] = {}  # company id → media name (names change rarely; one read each per process)

    def realisation(self, year: int) -> list[RealisationRow]:
        """Per kode rekening: pagu = remaining + committed + payable + realised (SP2D, the LRA basis)."""
        return [RealisationRow(line.code, line.name, line.ceiling, line.committed, line.payable, line.realised,
                               line.remaining)
                for line in sorted(self.budgets.lines(year), key=lambda line: line.code)]

    def cash_book(self, first: date, last: date) -> Book:
        """Buku kas umum: every movement of 1101 in the period, with the running balance."""
        return self._book(CASH, "Buku kas umum", first, last, increase="debit")

    def tax_book(self, kind: str, first: date, last: date) -> Book:
        """What was collected or withheld (credits of 2102/2103) and deposited (debits), with what is still owed."""
        if kind not in TAX_ACCOUNTS:
            raise validation_failed([FieldError("kind", "invalid_choice", "Jenis pajak harus PPN atau PPH23.")])
        account, title = TAX_ACCOUNTS[kind]
        return self._book(account, title, first, last, increase="credit")

    def partner_statement(self, actor: User, company_id: str, year: int) -> PartnerStatement:
        company = self.access.company_for(actor, company_id)
        orders = [o for o in self.orders.of_company(company.id) if o.year == year]
        invoices = [i for i in self.invoices.of_company(company.id)
                    if i.year == year and i.status != InvoiceStatus.CANCELLED]
        paid = [i for i in invoices if i.status == InvoiceStatus.PAID]
        return PartnerStatement(
            company_id=company.id, name=f"{company.profile['media_name']} ({company.profile['legal_name']})", year=year,
            agreements=tuple({"number": a.number, "ceiling": a.ceiling, "reserved": a.reserved,
                              "status": a.status.value} for a in self.agreements.of_company(company.id)
                             if a.year == year),
            ordered=sum(o.total for o in orders if o.status in RESERVING),
            orders=sum(1 for o in orders if o.status in RESERVING),
            invoiced=sum(i.gross for i in invoices), paid_gross=sum(i.gross for i in paid),
            paid_net=sum(i.payment.net for i in paid), ppn_withheld=sum(i.payment.ppn_withheld for i in paid),
            pph23_withheld=sum(i.payment.pph23 for i in paid),
        )

    def year_end(self, year: int) -> YearEnd:
        """Orders and invoices of a fiscal year that are not through the cycle (read through the status indexes)."""
        def of_year(status):
            return [o for o in self.orders.by_status(status) if o.year == year]

        live = [i for s in InvoiceStatus if s != InvoiceStatus.CANCELLED for i in self.invoices.by_status(s)
                if i.year == year]
        billed = {o.order_id for i in live for o in i.orders}
        return YearEnd(
            year=year,
            open_orders=tuple(of_year(OrderStatus.ISSUED) + of_year(OrderStatus.ACCEPTED)),
            unbilled_orders=tuple(o for o in of_year(OrderStatus.COMPLETED) if o.id not in billed),
            unpaid_invoices=tuple(i for i in live if i.status in (InvoiceStatus.APPROVED, InvoiceStatus.SPP_FILED,
                                                                   InvoiceStatus.SPM_ISSUED)),
        )

    def _book(self, account: str, title: str, first: date, last: date, increase: str) -> Book:
        check_period(first, last)
        decrease = "credit" if increase == "debit" else "debit"
        # Lines up to the end of the period (in UTC, with a day's margin), then placed by their WIB date.
        until = datetime(last.year, last.month, last.day, 23, 59, 59).isoformat()
        opening, lines, balance = 0, [], 0
        for raw in self.ledger.account_lines(account, until=until):
            on = today_wib(parse_iso(raw["posted_at"]))
            change = int(raw[increase]) - int(raw[decrease])
            if on < first:
                opening += change
                balance = opening
                continue
            if on > last:
                continue
            balance += change
            dims = raw.get("dimensions") or {}
            lines.append(BookLine(len(lines) + 1, on, raw.get("description", ""), raw.get("source", ""),
                                  dims.get("budget_line", ""), self._partner(dims.get("company_id")),
                                  int(raw[increase]), int(raw[decrease]), balance))
        return Book(title, first, last, opening, tuple(lines))

    def _partner(self, company_id: str | None) -> str:
        if not company_id:
            return ""
        if company_id not in self._names:
            company = self.access.company(company_id)
            self._names[company_id] = company.profile["media_name"] if company else company_id
        return self._names[company_id]
