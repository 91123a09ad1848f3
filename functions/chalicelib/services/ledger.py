"""Reading the books: account balances from the chart of accounts, and recent journal entries."""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.ledger import LedgerStore
from ..domain.ledger import ACCOUNTS


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    normal: str  # "debit" or "credit"
    debit: int
    credit: int


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
