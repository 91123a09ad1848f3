"""Storage of tax deposits: the deposit, its NTPN guard, the invoices it settles, the entry — one transaction."""

from __future__ import annotations

from datetime import date

from ..domain.accounts import AuditEvent
from ..domain.invoices import Invoice
from ..domain.ledger import JournalEntry
from ..domain.taxes import TaxDeposit, TaxKind
from . import schema
from .invoices import invoice_to_item
from .ledger import LedgerStore
from .table import Table, audit_to_item, iso, parse_iso


def deposit_to_item(d: TaxDeposit) -> dict:
    return {
        **schema.tax_deposit_keys(d.id, d.deposited_on.isoformat()), "type": "TAX_DEPOSIT",
        "id": d.id, "kind": d.kind.value, "masa": d.masa,
        "lines": [{"invoice_id": invoice_id, "amount": amount} for invoice_id, amount in d.lines],
        "amount": d.amount, "billing_code": d.billing_code, "ntpn": d.ntpn,
        "deposited_on": d.deposited_on.isoformat(), "recorded_by": d.recorded_by, "recorded_at": iso(d.recorded_at),
    }


def deposit_from_item(item: dict) -> TaxDeposit:
    return TaxDeposit(
        id=item["id"], kind=TaxKind(item["kind"]), masa=item["masa"],
        lines=tuple((line["invoice_id"], int(line["amount"])) for line in item["lines"]),
        billing_code=item["billing_code"], ntpn=item["ntpn"], deposited_on=date.fromisoformat(item["deposited_on"]),
        recorded_by=item["recorded_by"], recorded_at=parse_iso(item["recorded_at"]),
    )


class TaxDepositStore:
    def __init__(self, table: Table, ledger: LedgerStore):
        self.table = table
        self.ledger = ledger

    def record(self, deposit: TaxDeposit, invoices: list[tuple[Invoice, int]], entry: JournalEntry,
               audit: AuditEvent, idempotency: dict | None = None) -> None:
        """``invoices``: each settled invoice as it becomes, with the version it was read at.

        A refusal names ``"ntpn"`` (recorded before), ``"invoice"`` (one changed meanwhile) or
        ``"idempotency"`` (the same request committed meanwhile).
        """
        extra = [("idempotency", idempotency)] if idempotency is not None else []
        self.table.transact([
            self.table.put_new(deposit_to_item(deposit)),
            ("ntpn", self.table.put_new({**schema.ntpn_guard_key(deposit.ntpn), "type": "GUARD",
                                         "deposit_id": deposit.id})),
            *[("invoice", self.table.put_versioned(invoice_to_item(invoice), version)) for invoice, version in invoices],
            *self.ledger.entry_elements(entry),
            self.table.put_new(audit_to_item(audit)),
            *extra,
        ])

    def get(self, deposit_id: str) -> TaxDeposit | None:
        item = self.table.get(schema.tax_deposit_key(deposit_id))
        return deposit_from_item(item) if item else None

    def between(self, first: date, last: date) -> list[TaxDeposit]:
        """Deposits made from ``first`` to ``last`` (inclusive), oldest first."""
        items = self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b",
                                 values={":pk": schema.TAX_DEPOSITS_TIMELINE, ":a": first.isoformat(),
                                         ":b": f"{last.isoformat()}~"})
        return [deposit_from_item(i) for i in items]
