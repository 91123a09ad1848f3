"""Reading the books: account balances from the chart of accounts, recent journal entries, and the journal of a
period (numbered, filtered by kode rekening, exportable)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import sleep

from ..adapters.ledger import LedgerStore
from ..adapters.table import ConditionFailed, iso, parse_iso
from ..domain.clock import WIB, today_wib
from ..domain.ledger import ACCOUNTS
from ..errors import FieldError, validation_failed
from .reports import check_period

# A transaction holds at most 100 items: the year's counter and 99 entries.
NUMBERS_PER_TRANSACTION = 99


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    normal: str  # "debit" or "credit"
    debit: int
    credit: int


@dataclass(frozen=True)
class JournalEntryView:
    number: str  # JU/<year>/<n>: given once, in the order entries are recorded within the year they are posted in
    id: str
    posted_at: str
    on: date  # WIB
    description: str
    source: str
    budget_lines: tuple[str, ...]
    lines: tuple[dict, ...]  # account, name, debit, credit


@dataclass(frozen=True)
class Journal:
    first: date
    last: date
    budget_line: str | None
    entries: tuple[JournalEntryView, ...]

    @property
    def total(self) -> int:
        return sum(line["debit"] for e in self.entries for line in e.lines)


def _start_of(day: date) -> str:
    """The UTC ISO time at which ``day`` begins in WIB."""
    return iso(datetime.combine(day, time(0), WIB))


def journal_period(first: date, last: date) -> None:
    check_period(first, last)
    if first.year != last.year:
        raise validation_failed([FieldError("to", "across_years",
                                            "Jurnal dibaca per tahun: pilih tanggal awal dan akhir dalam satu tahun.")])


class LedgerService:
    def __init__(self, store: LedgerStore):
        self.store = store

    def balances(self) -> list[AccountBalance]:
        """Every account of the chart, in its order, with its total debits and credits (0 if unused)."""
        totals = self.store.balances()
        return [AccountBalance(code, name, normal, *totals.get(code, (0, 0)))
                for code, (name, normal) in ACCOUNTS.items()]

    def recent_entries(self, limit: int = 200) -> list[dict]:
        """Newest first: id, posted_at, description, source and lines (account, debit, credit)."""
        return [
            {"id": e["id"], "posted_at": e["posted_at"], "description": e["description"], "source": e["source"],
             "lines": [{"account": line["account"], "debit": int(line["debit"]), "credit": int(line["credit"])}
                       for line in e["lines"]]}
            for e in self.store.journal_entries(limit)
        ]

    def number_entries(self, also: tuple[dict, ...] = ()) -> int:
        """Give each journal entry still without a number the next one of the year it is posted in (WIB), in the
        order the entries were recorded, once: a number never changes afterwards, so a journal printed or exported
        stays true when an SP2D or a deposit dated earlier is recorded later (it takes the next number, dated as
        it is). ``also``: heads written before entries waited for their number. Readers of the journal run this
        first; the year's counter moves n-1 → n+k with the k entries numbered in one transaction, so two readers at
        once give each number once. An entry that cannot be numbered now (readers racing too long) stays waiting
        for the next reader. Returns how many were numbered."""
        waiting = self.store.unnumbered()
        ids = {head["id"] for head in waiting}
        waiting += sorted((h for h in also if "number" not in h and h["id"] not in ids), key=lambda h: h["GSI1SK"])
        by_year: dict[int, list[str]] = {}
        for head in waiting:
            by_year.setdefault(today_wib(parse_iso(head["posted_at"])).year, []).append(head["id"])
        numbered = 0
        for year, entry_ids in by_year.items():
            for start in range(0, len(entry_ids), NUMBERS_PER_TRANSACTION):
                numbered += self._number(year, entry_ids[start:start + NUMBERS_PER_TRANSACTION])
        return numbered

    def _number(self, year: int, entry_ids: list[str]) -> int:
        for attempt in range(8):
            if not entry_ids:
                return 0
            try:
                self.store.assign_numbers(year, self.store.numbers_given(year) + 1, entry_ids)
                return len(entry_ids)
            except ConditionFailed as lost:
                # Those another reader numbered meanwhile leave the batch; a lost counter is read again.
                entry_ids = [i for i in entry_ids if not lost.refused_by(f"entry:{i}")]
                sleep(random.uniform(0, 0.02 * 2 ** attempt))
        return 0

    def journal(self, first: date, last: date, budget_line: str | None = None) -> Journal:
        """Every entry posted in the period (WIB days), in date order, each with its number within its year; only
        those with a line on ``budget_line`` if given."""
        journal_period(first, last)
        since, until = _start_of(first), _start_of(last + timedelta(days=1))
        self.number_entries()
        heads = [e for e in self.store.journal_between(since, until) if e["GSI1SK"] < until]
        if any("number" not in head for head in heads):
            self.number_entries(also=tuple(heads))
            heads = [e for e in self.store.journal_between(since, until) if e["GSI1SK"] < until]
        entries = []
        for raw in heads:
            lines_on = raw["budget_lines"] if "budget_lines" in raw else self.store.entry_budget_lines(raw["id"])
            if budget_line and budget_line not in lines_on:
                continue
            # A head the index showed before its number was visible (real DynamoDB's indexes lag a moment).
            number = f"JU/{int(raw['journal_year'])}/{int(raw['number']):05d}" if "number" in raw else "—"
            entries.append(JournalEntryView(
                number, raw["id"], raw["posted_at"], today_wib(parse_iso(raw["posted_at"])),
                raw["description"], raw["source"], tuple(lines_on),
                tuple({"account": line["account"], "name": ACCOUNTS.get(line["account"], ("", ""))[0],
                       "debit": int(line["debit"]), "credit": int(line["credit"])} for line in raw["lines"])))
        return Journal(first, last, budget_line, tuple(entries))
