"""Storage of the books: journal entries, their lines, and account balances (no rules here).

An entry is written by the transaction of the change that caused it: the
head (with a copy of its lines, so listing entries is one query), one item
per line (indexed by account over time), and an ADD to each account's
balance item. Its journal number is given afterwards, once (see
``LedgerService.number_entries``): the head waits in a sparse index until then.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.clock import utc_now
from ..domain.ledger import JournalEntry
from . import schema
from .table import Table, iso


def journal_items(entry: JournalEntry, recorded_at: datetime) -> list[dict]:
    posted, recorded = iso(entry.posted_at), iso(recorded_at)
    head = {
        **schema.journal_entry_keys(entry.id, posted, recorded), "type": "JOURNAL_ENTRY",
        "id": entry.id, "posted_at": posted, "recorded_at": recorded, "description": entry.description,
        "source": entry.source, "total": entry.total_debit,
        "lines": [{"account": line.account, "debit": line.debit, "credit": line.credit} for line in entry.lines],
        # The kode rekening its lines are analysed by, so the journal filters by one without reading the lines.
        "budget_lines": sorted({line.dimensions["budget_line"] for line in entry.lines
                                if line.dimensions.get("budget_line")}),
    }
    lines = [
        {
            **schema.journal_line_keys(entry.id, n, line.account, posted), "type": "JOURNAL_LINE",
            "entry_id": entry.id, "account": line.account, "debit": line.debit, "credit": line.credit,
            "dimensions": line.dimensions, "posted_at": posted,
            # The entry's words on each line, so a book of one account reads one index and nothing else.
            "description": entry.description, "source": entry.source,
        }
        for n, line in enumerate(entry.lines, start=1)
    ]
    return [head, *lines]


class LedgerStore:
    def __init__(self, table: Table):
        self.table = table

    def entry_elements(self, entry: JournalEntry) -> list[dict]:
        """The entry, its lines and the balance updates, for the caller's transaction."""
        elements = [self.table.put_new(item) for item in journal_items(entry, utc_now())]
        totals: dict[str, tuple[int, int]] = {}
        for line in entry.lines:
            debit, credit = totals.get(line.account, (0, 0))
            totals[line.account] = (debit + line.debit, credit + line.credit)
        for account, (debit, credit) in sorted(totals.items()):
            elements.append(self.table.update(
                schema.account_balance_key(account),
                "ADD debit :d, credit :c SET #t = :type, account = :a",
                {":d": debit, ":c": credit, ":type": "ACCOUNT_BALANCE", ":a": account},
                names={"#t": "type"},
            ))
        return elements

    def journal_entry(self, entry_id: str) -> tuple[dict, list[dict]]:
        items = self.table.query(KeyConditionExpression="PK = :pk", values={":pk": schema.journal_partition(entry_id)})
        head = next(i for i in items if i["SK"] == "ENTRY")
        return head, [i for i in items if i["SK"].startswith(schema.JOURNAL_LINE_PREFIX)]

    def journal_entries(self, limit: int = 200) -> list[dict]:
        """Entries newest first, each with its lines (one query)."""
        items, _ = self.table.query_page(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                         values={":pk": schema.JOURNAL_TIMELINE}, ScanIndexForward=False, Limit=limit)
        return items

    def journal_between(self, since: str, until: str) -> list[dict]:
        """Entries posted from ``since`` up to ``until`` (UTC ISO times), oldest first, each with its lines."""
        return self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b",
                                values={":pk": schema.JOURNAL_TIMELINE, ":a": since, ":b": f"{until}~"})

    def unnumbered(self) -> list[dict]:
        """The heads still waiting for their journal number, oldest recorded first."""
        return self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                values={":pk": schema.JOURNAL_UNNUMBERED})

    def numbers_given(self, year: int) -> int:
        item = self.table.get(schema.journal_counter_key(year))
        return int(item["seq"]) if item else 0

    def assign_numbers(self, year: int, first: int, entry_ids: list[str]) -> None:
        """Numbers ``first``, ``first + 1``… of ``year`` to the entries, in that order, if the year has given exactly
        first - 1 and none of them has a number. A refusal names ``"counter"`` (another reader took them) or
        ``"entry:<id>"`` (that one was numbered meanwhile)."""
        key = schema.journal_counter_key(year)
        last = first + len(entry_ids) - 1
        counter = (self.table.put_new({**key, "type": "COUNTER", "seq": last}) if first == 1 else
                   self.table.update(key, "SET seq = :n", {":n": last, ":previous": first - 1},
                                     condition="seq = :previous"))
        self.table.transact([("counter", counter), *[
            (f"entry:{entry_id}", self.table.update(
                {"PK": schema.journal_partition(entry_id), "SK": "ENTRY"},
                "SET #number = :n, journal_year = :year REMOVE GSI3PK, GSI3SK", {":n": n, ":year": year},
                condition="attribute_exists(PK) AND attribute_not_exists(#number)", names={"#number": "number"}))
            for n, entry_id in enumerate(entry_ids, start=first)]])

    def entry_budget_lines(self, entry_id: str) -> list[str]:
        """The kode rekening of an entry written before its head carried them (read from its lines)."""
        _, lines = self.journal_entry(entry_id)
        return sorted({(line.get("dimensions") or {}).get("budget_line") for line in lines} - {None, ""})

    def account_lines(self, account: str, until: str | None = None, since: str | None = None) -> list[dict]:
        """The lines of one account in time order, from ``since`` and up to ``until`` (ISO times, inclusive)."""
        condition, values = "GSI2PK = :pk", {":pk": schema.account_partition(account)}
        if since is not None and until is not None:
            condition += " AND GSI2SK BETWEEN :since AND :until"
            values.update({":since": since, ":until": f"{until}~"})
        elif since is not None:
            condition += " AND GSI2SK >= :since"
            values[":since"] = since
        elif until is not None:
            condition += " AND GSI2SK <= :until"
            values[":until"] = f"{until}~"
        return self.table.query(IndexName="GSI2", KeyConditionExpression=condition, values=values)

    def balances(self) -> dict[str, tuple[int, int]]:
        """Account code → (total debit, total credit)."""
        items = self.table.query(KeyConditionExpression="PK = :pk", values={":pk": schema.LEDGER_ACCOUNTS_PARTITION},
                                 ConsistentRead=True)
        return {i["account"]: (int(i.get("debit", 0)), int(i.get("credit", 0))) for i in items}
