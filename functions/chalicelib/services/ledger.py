"""Reading the books: account balances from the chart of accounts, recent journal entries, and the journal of a
period (numbered, filtered by kode rekening, exportable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..adapters.ledger import LedgerStore
from ..adapters.table import iso, parse_iso
from ..domain.clock import WIB, today_wib
from ..domain.ledger import ACCOUNTS
from ..errors import FieldError, validation_failed


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    normal: str  # "debit" or "credit"
    debit: int
    credit: int


@dataclass(frozen=True)
class JournalEntryView:
    number: str  # JU/<year>/<n>: the entry's place among the year's entries, in the order they were posted
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
    if first > last:
        raise validation_failed([FieldError("from", "invalid_period", "Tanggal awal harus sebelum tanggal akhir.")])
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

    def journal(self, first: date, last: date, budget_line: str | None = None) -> Journal:
        """Every entry posted in the period (WIB days), oldest first, numbered within its year; only those with a
        line on ``budget_line`` if given (their numbers stay those of the whole journal)."""
        journal_period(first, last)
        since, until = _start_of(first), _start_of(last + timedelta(days=1))
        before = self.store.count_journal_between(_start_of(date(first.year, 1, 1)), since)
        entries = []
        for n, raw in enumerate((e for e in self.store.journal_between(since, until) if e["GSI1SK"] < until),
                                start=before + 1):
            lines_on = raw["budget_lines"] if "budget_lines" in raw else self.store.entry_budget_lines(raw["id"])
            if budget_line and budget_line not in lines_on:
                continue
            entries.append(JournalEntryView(
                f"JU/{first.year}/{n:05d}", raw["id"], raw["posted_at"], today_wib(parse_iso(raw["posted_at"])),
                raw["description"], raw["source"], tuple(lines_on),
                tuple({"account": line["account"], "name": ACCOUNTS.get(line["account"], ("", ""))[0],
                       "debit": int(line["debit"]), "credit": int(line["credit"])} for line in raw["lines"])))
        return Journal(first, last, budget_line, tuple(entries))
