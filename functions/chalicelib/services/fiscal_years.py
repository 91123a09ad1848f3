"""Which fiscal year the order, budget and rate pages open on.

In December an office already plans next year, and early in a year it may
not have entered the new one yet: a page that opens on the calendar year
then shows "no budget lines" while the work is in the other year. The pages
open on the calendar year (WIB) if anything is planned in it, else on the
nearest year that has something (next before last), and the person can
always switch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.agreements import AgreementStore, BudgetStore
from ..adapters.catalogue import CatalogueStore
from ..domain.accounts import User
from ..domain.clock import Clock, today_wib, utc_now
from .access import is_partner


@dataclass(frozen=True)
class FiscalYear:
    """What is planned in one year: the catalogue's products with an SSH for it; for staff, the office's budget
    lines and agreements; for a partner, its own agreements and whether it has a rate card (the office's budget
    lines are not the partner's to see, so None)."""

    year: int
    priced_products: int
    agreements: int
    budget_lines: int | None = None
    rate_card: bool | None = None

    @property
    def planned(self) -> bool:
        return bool(self.priced_products or self.agreements or self.budget_lines or self.rate_card)


@dataclass(frozen=True)
class FiscalYears:
    current: int
    default: int
    years: tuple[FiscalYear, ...]


def working_year(current: int, years: tuple[FiscalYear, ...]) -> int:
    """The calendar year if something is planned in it, else the nearest planned year (the next one first)."""
    planned = {y.year for y in years if y.planned}
    for year in (current, current + 1, current - 1):
        if year in planned:
            return year
    return current


class FiscalYearService:
    def __init__(self, budgets: BudgetStore, agreements: AgreementStore, catalogue: CatalogueStore,
                 clock: Clock = utc_now):
        self.budgets = budgets
        self.agreements = agreements
        self.catalogue = catalogue
        self.clock = clock

    def overview(self, actor: User) -> FiscalYears:
        """Last, this and next year, each with what is planned in it, and the year pages open on."""
        current = today_wib(self.clock()).year
        candidates = (current - 1, current, current + 1)
        products = self.catalogue.products()  # one partition of a few dozen products
        priced = {y: sum(1 for p in products if p.ceiling(y) is not None) for y in candidates}
        if is_partner(actor):
            own: dict[int, int] = {}
            for agreement in self.agreements.of_company(actor.company_id):
                own[agreement.year] = own.get(agreement.year, 0) + 1
            years = tuple(FiscalYear(y, priced[y], own.get(y, 0),
                                     rate_card=self.catalogue.rate_card(actor.company_id, y)[0] is not None)
                          for y in candidates)
        else:  # counts from the keys, nothing read but the count
            years = tuple(FiscalYear(y, priced[y], self.agreements.count_of_year(y), self.budgets.count_lines(y))
                          for y in candidates)
        return FiscalYears(current, working_year(current, years), years)
