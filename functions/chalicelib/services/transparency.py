"""Public transparency of media spending: per fiscal year, what each partner was contracted, ordered, billed and
paid, and what each budget line holds — only facts that are public.

Everything comes from the books and the records they were written with: agreements of the year (one index
query), each partner's orders and invoices (one query each, through the by-owner index), the budget lines (one
query) and the payments as the cash account records them (one query). The ledger is never rewritten: an SP2D the
bank returned stays in the record as a payment, and its reversal appears as a *change* with its own date, so a
correction of a closed year is visible, not silent. Personal data never leaves here: no contact, no account, no
tax number — only the company's public names, and amounts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..adapters.agreements import AgreementStore, BudgetStore
from ..adapters.companies import CompanyStore
from ..adapters.invoices import InvoiceStore
from ..adapters.ledger import LedgerStore
from ..adapters.orders import OrderStore
from ..adapters.table import parse_iso
from ..domain.clock import Clock, today_wib, utc_now
from ..domain.invoices import INVOICE_SOURCE, InvoiceStatus
from ..domain.ledger import CASH
from ..domain.orders import RESERVING, AgreementStatus, OrderStatus
from ..errors import FieldError, not_found, validation_failed


@dataclass(frozen=True)
class Payment:
    """One SP2D as the cash account records it, or (``amount`` negative) its return by the bank."""

    entry_id: str
    on: date
    company_id: str
    invoice_id: str
    amount: int  # gross: what the expense was settled with (net to the partner plus the taxes withheld)
    net: int  # what left the cash account for the partner
    description: str

    @property
    def is_correction(self) -> bool:
        return self.amount < 0


@dataclass(frozen=True)
class ProductFigures:
    name: str
    orders: int
    slots: int
    value: int


@dataclass(frozen=True)
class PartnerSpending:
    company_id: str
    media_name: str
    legal_name: str
    media_type: str
    agreement: dict  # id, number, starts_on, ends_on, ceiling, status
    budget_lines: tuple[str, ...]  # the codes its orders were charged to
    orders: int  # orders that hold money (issued, accepted, completed)
    ordered: int
    completed_orders: int
    completed: int
    products: tuple[ProductFigures, ...]
    invoiced: int  # invoices not cancelled
    paid: int  # gross settled by SP2D (returns subtracted)
    paid_net: int
    ppn_withheld: int
    pph23_withheld: int
    payments: tuple[Payment, ...] = field(default=())


@dataclass(frozen=True)
class BudgetFigures:
    code: str
    name: str
    ceiling: int
    committed: int
    payable: int
    realised: int
    remaining: int


@dataclass(frozen=True)
class YearSpending:
    year: int
    as_of: datetime
    closed: bool  # the fiscal year is over: its figures change only by dated corrections
    partners: tuple[PartnerSpending, ...]
    budget_lines: tuple[BudgetFigures, ...]
    # Gross paid per month "YYYY-MM": the fiscal year's twelve, and any other month a payment of it fell in (a late
    # SP2D after the year closed); a return counts in the month it happened.
    monthly: tuple[tuple[str, int], ...]

    @property
    def changes(self) -> tuple[Payment, ...]:
        return tuple(sorted((p for partner in self.partners for p in partner.payments if p.is_correction),
                            key=lambda p: (p.on, p.entry_id)))

    def total(self, figure: str) -> int:
        return sum(getattr(p, figure) for p in self.partners)

    def partner(self, company_id: str) -> PartnerSpending:
        found = next((p for p in self.partners if p.company_id == company_id), None)
        if found is None:
            raise not_found(f"Tidak ada kerja sama media dengan mitra ini pada tahun anggaran {self.year}.")
        return found


class TransparencyService:
    def __init__(self, agreements: AgreementStore, budgets: BudgetStore, orders: OrderStore, invoices: InvoiceStore,
                 companies: CompanyStore, ledger: LedgerStore, first_year: int, clock: Clock = utc_now):
        self.agreements = agreements
        self.budgets = budgets
        self.orders = orders
        self.invoices = invoices
        self.companies = companies
        self.ledger = ledger
        self.first_year = first_year
        self.clock = clock

    def years(self) -> list[int]:
        """The fiscal years offered, newest first: from the first one Seklik holds to the current one, and next
        year as soon as it has an agreement (agreements for a year are signed in the last months of the one
        before)."""
        current = self.current_year()
        upcoming = [current + 1] if self._signed(current + 1) else []
        return upcoming + list(range(current, self.first_year - 1, -1))

    def current_year(self) -> int:
        return max(today_wib(self.clock()).year, self.first_year)

    def check_year(self, year: int) -> None:
        if not self.first_year <= year <= self.current_year() + 1:
            raise validation_failed([FieldError(
                "year", "year_not_published",
                f"Data belanja media tersedia untuk tahun anggaran {self.first_year} sampai "
                f"{self.current_year() + 1}.")])

    def spending(self, year: int) -> YearSpending:
        self.check_year(year)
        now = self.clock()
        payments = self._payments(year)
        partners = tuple(sorted((self._partner(a, payments.get(a.company_id, [])) for a in self._signed(year)),
                                key=lambda p: p.media_name.casefold()))
        monthly = {f"{year}-{month:02d}": 0 for month in range(1, 13)}
        for partner in partners:
            for payment in partner.payments:
                key = f"{payment.on.year}-{payment.on.month:02d}"
                monthly[key] = monthly.get(key, 0) + payment.amount
        lines = tuple(BudgetFigures(b.code, b.name, b.ceiling, b.committed, b.payable, b.realised, b.remaining)
                      for b in sorted(self.budgets.lines(year), key=lambda b: b.code))
        return YearSpending(year, now, today_wib(now) > date(year, 12, 31), partners, lines, tuple(sorted(monthly.items())))

    # -- internals -----------------------------------------------------------------------------------

    def _signed(self, year: int) -> list:
        """The year's agreements that took effect: a draft is not yet a public commitment; a closed one stays."""
        return [a for a in self.agreements.of_year(year) if a.status != AgreementStatus.DRAFT]

    def _payments(self, year: int) -> dict[str, list[Payment]]:
        """SP2D payments and returns of the year's invoices, from the cash account (one query), per company.

        A fiscal year's SP2D are dated in it or, for a late payment (tunda bayar), after it; the query starts a year
        early because an SP2D's date is not yet held to its fiscal year (an early one must not vanish from here)."""
        since = (datetime(year - 1, 1, 1) - timedelta(days=1)).isoformat()
        by_company: dict[str, list[Payment]] = defaultdict(list)
        grosses: dict[str, int] = {}
        for line in self.ledger.account_lines(CASH, since=since):
            dims = line.get("dimensions") or {}
            if not str(line.get("source", "")).startswith(INVOICE_SOURCE) or int(dims.get("year", 0)) != year:
                continue  # tax deposits and other years
            invoice_id = dims["invoice_id"]
            if invoice_id not in grosses:
                grosses[invoice_id] = self.invoices.get(invoice_id).gross
            sign = 1 if int(line["credit"]) else -1  # money out of cash is a payment; back in is its return
            net = int(line["credit"]) or int(line["debit"])
            by_company[dims["company_id"]].append(Payment(
                line["entry_id"], today_wib(parse_iso(line["posted_at"])), dims["company_id"], invoice_id,
                sign * grosses[invoice_id], sign * net, line.get("description", "")))
        return by_company

    def _partner(self, agreement, payments: list[Payment]) -> PartnerSpending:
        company = self.companies.get(agreement.company_id)
        orders = [o for o in self.orders.of_company(agreement.company_id)
                  if o.year == agreement.year and o.status in RESERVING]
        completed = [o for o in orders if o.status == OrderStatus.COMPLETED]
        invoices = [i for i in self.invoices.of_company(agreement.company_id)
                    if i.year == agreement.year and i.status != InvoiceStatus.CANCELLED]
        paid_invoices = [i for i in invoices if i.status == InvoiceStatus.PAID]
        products: dict[str, list] = {}
        for order in orders:
            figures = products.setdefault(order.product_name, [0, 0, 0])
            figures[0] += 1
            figures[1] += order.quantity
            figures[2] += order.total
        return PartnerSpending(
            company_id=company.id, media_name=company.profile["media_name"],
            legal_name=company.profile["legal_name"], media_type=company.profile["media_type"],
            agreement={"id": agreement.id, "number": agreement.number, "starts_on": agreement.starts_on.isoformat(),
                       "ends_on": agreement.ends_on.isoformat(), "ceiling": agreement.ceiling,
                       "status": agreement.status.value},
            budget_lines=tuple(sorted({o.budget_line for o in orders})),
            orders=len(orders), ordered=sum(o.total for o in orders),
            completed_orders=len(completed), completed=sum(o.total for o in completed),
            products=tuple(ProductFigures(name, *figures) for name, figures in sorted(products.items())),
            invoiced=sum(i.gross for i in invoices),
            paid=sum(p.amount for p in payments), paid_net=sum(p.net for p in payments),
            ppn_withheld=sum(i.payment.ppn_withheld for i in paid_invoices),
            pph23_withheld=sum(i.payment.pph23 for i in paid_invoices),
            payments=tuple(sorted(payments, key=lambda p: (p.on, p.entry_id))),
        )
