"""Storage of invoices and the transactions of the payment cycle (no rules here).

``submit``: the invoice, a guard per order (``ORDER#<id>/INVOICED``: an order
is billed once), a guard on the partner's invoice number, the attachments'
uploads used up, the audit line, the idempotency record — one transaction,
each guard named so a refusal says which. Every later step is one
transaction too: the invoice (optimistic lock on ``version``), the budget
line's buckets, the journal entry, the audit line.
"""

from __future__ import annotations

from datetime import date

from ..domain.accounts import AuditEvent
from ..domain.documents import PendingUpload
from ..domain.invoices import BilledOrder, Invoice, InvoiceStatus, PaymentStep
from ..domain.ledger import JournalEntry
from ..domain.taxes import Faktur, TaxComputation
from . import schema
from .agreements import BudgetStore, file_record
from .ledger import LedgerStore
from .outbox import queue_elements
from .table import Table, audit_to_item, iso, parse_iso
from .uploads import PendingUploadStore


def _taxes_to_map(t: TaxComputation | None) -> dict | None:
    if t is None:
        return None
    return {"gross": t.gross, "base": t.base, "ppn": t.ppn, "ppn_collected": t.ppn_collected, "pph23": t.pph23,
            "pph23_object_code": t.pph23_object_code, "needs_meterai": t.needs_meterai,
            "rule_from": t.rule_from.isoformat()}


def _taxes_from_map(raw: dict | None) -> TaxComputation | None:
    if not raw:
        return None
    return TaxComputation(gross=int(raw["gross"]), base=int(raw["base"]), ppn=int(raw["ppn"]),
                          ppn_collected=bool(raw["ppn_collected"]), pph23=int(raw["pph23"]),
                          pph23_object_code=raw["pph23_object_code"], needs_meterai=bool(raw["needs_meterai"]),
                          rule_from=date.fromisoformat(raw["rule_from"]))


def _step_to_map(step: PaymentStep | None) -> dict | None:
    if step is None:
        return None
    return {"number": step.number, "on": step.on.isoformat(), "recorded_by": step.recorded_by,
            "recorded_at": iso(step.recorded_at), "document": step.document, "amount": step.amount}


def _step_from_map(raw: dict | None) -> PaymentStep | None:
    if not raw:
        return None
    return PaymentStep(number=raw["number"], on=date.fromisoformat(raw["on"]), recorded_by=raw["recorded_by"],
                       recorded_at=parse_iso(raw["recorded_at"]), document=file_record(raw.get("document")),
                       amount=int(raw["amount"]) if raw.get("amount") is not None else None)


def _slip(raw: dict | None) -> dict | None:
    return None if not raw else {"number": raw["number"], "document": file_record(raw["document"])}


def invoice_to_item(i: Invoice) -> dict:
    since = iso(i.updated_at or i.submitted_at)
    return {
        **schema.invoice_key(i.id),
        **schema.invoice_index_keys(i.status.value, since, i.company_id, iso(i.submitted_at), i.id),
        **(schema.invoice_tax_due_keys(i.sp2d.on.isoformat(), i.id) if i.tax_due("PPN") or i.tax_due("PPH23") else {}),
        "type": "INVOICE",
        "id": i.id, "company_id": i.company_id, "agreement_id": i.agreement_id, "year": i.year,
        "budget_line": i.budget_line, "partner_invoice_number": i.partner_invoice_number,
        "partner_invoice_date": i.partner_invoice_date.isoformat(),
        "orders": [{"order_id": o.order_id, "number": o.number, "total": o.total, "dimensions": o.dimensions}
                   for o in i.orders],
        "gross": i.gross, "pkp": i.pkp, "has_npwp": i.has_npwp, "bank_account": i.bank_account,
        "attachments": i.attachments, "submitted_by": i.submitted_by, "submitted_at": iso(i.submitted_at),
        "faktur": {"tax_base": i.faktur.tax_base, "vat": i.faktur.vat} if i.faktur else None,
        "faktur_number": i.faktur_number, "kuitansi_meterai": i.kuitansi_meterai, "status": i.status.value,
        "return_reasons": i.return_reasons or None, "status_reason": i.status_reason,
        "approval": _taxes_to_map(i.approval), "approved_at": iso(i.approved_at) if i.approved_at else None,
        "spp": _step_to_map(i.spp), "spm": _step_to_map(i.spm), "sp2d": _step_to_map(i.sp2d),
        "payment": _taxes_to_map(i.payment), "deposits": i.deposits or None, "withholding_slip": i.withholding_slip,
        "updated_at": since, "version": i.version,
    }


def invoice_from_item(item: dict) -> Invoice:
    faktur = item.get("faktur")
    return Invoice(
        id=item["id"], company_id=item["company_id"], agreement_id=item["agreement_id"], year=int(item["year"]),
        budget_line=item["budget_line"], partner_invoice_number=item["partner_invoice_number"],
        partner_invoice_date=date.fromisoformat(item["partner_invoice_date"]),
        orders=tuple(BilledOrder(o["order_id"], o["number"], int(o["total"]),
                                 {k: (int(v) if k == "year" else v) for k, v in o["dimensions"].items()})
                     for o in item["orders"]),
        pkp=bool(item["pkp"]), has_npwp=bool(item["has_npwp"]), bank_account=item["bank_account"],
        attachments={code: file_record(record) for code, record in (item.get("attachments") or {}).items()},
        submitted_by=item["submitted_by"], submitted_at=parse_iso(item["submitted_at"]),
        faktur=Faktur(int(faktur["tax_base"]), int(faktur["vat"])) if faktur else None,
        faktur_number=item.get("faktur_number"), kuitansi_meterai=bool(item.get("kuitansi_meterai")),
        status=InvoiceStatus(item["status"]), return_reasons=item.get("return_reasons") or {},
        status_reason=item.get("status_reason"), approval=_taxes_from_map(item.get("approval")),
        approved_at=parse_iso(item["approved_at"]) if item.get("approved_at") else None,
        spp=_step_from_map(item.get("spp")), spm=_step_from_map(item.get("spm")), sp2d=_step_from_map(item.get("sp2d")),
        payment=_taxes_from_map(item.get("payment")),
        deposits={k: {**v, "amount": int(v["amount"])} for k, v in (item.get("deposits") or {}).items()},
        withholding_slip=_slip(item.get("withholding_slip")), updated_at=parse_iso(item["updated_at"]),
        version=int(item["version"]),
    )


class InvoiceStore:
    def __init__(self, table: Table, budgets: BudgetStore, ledger: LedgerStore, uploads: PendingUploadStore):
        self.table = table
        self.budgets = budgets
        self.ledger = ledger
        self.uploads = uploads

    def submit(self, invoice: Invoice, used: tuple[PendingUpload, ...], audit: AuditEvent,
               idempotency: dict | None = None, mail=()) -> None:
        """A refusal names ``"billed:<order id>"`` (already on another invoice), ``"number"`` (the partner
        used this invoice number before), ``"upload"`` or ``"idempotency"``."""
        elements = [
            ("invoice", self.table.put_new(invoice_to_item(invoice))),
            *[(f"billed:{o.order_id}", self.table.put_new({**schema.order_billed_key(o.order_id), "type": "GUARD",
                                                            "invoice_id": invoice.id}))
              for o in invoice.orders],
            ("number", self.table.put_new({**schema.partner_invoice_number_key(invoice.company_id,
                                                                               invoice.partner_invoice_number),
                                           "type": "GUARD", "invoice_id": invoice.id})),
            *[("upload", self.uploads.use(upload)) for upload in used],
            self.table.put_new(audit_to_item(audit)),
        ]
        if idempotency is not None:
            elements.append(("idempotency", idempotency))
        self.table.transact([*elements, *queue_elements(self.table, mail)])

    def save(self, invoice: Invoice, expected_version: int, audit: AuditEvent,
             used: tuple[PendingUpload, ...] = (), number_changed_from: str | None = None, mail=()) -> None:
        """A step that moves no money (return, resubmit, SPP, SPM); a resubmission may renumber it."""
        elements = [("invoice", self.table.put_versioned(invoice_to_item(invoice), expected_version)),
                    *[("upload", self.uploads.use(upload)) for upload in used],
                    self.table.put_new(audit_to_item(audit))]
        if number_changed_from is not None:
            elements += [self.table.remove(schema.partner_invoice_number_key(invoice.company_id, number_changed_from)),
                         ("number", self.table.put_new({**schema.partner_invoice_number_key(
                             invoice.company_id, invoice.partner_invoice_number), "type": "GUARD",
                             "invoice_id": invoice.id}))]
        self.table.transact([*elements, *queue_elements(self.table, mail)])

    def save_with_money(self, invoice: Invoice, expected_version: int, entry: JournalEntry | None, audit: AuditEvent,
                        payable: int = 0, realised: int = 0, used: tuple[PendingUpload, ...] = (),
                        release_guards: bool = False, mail=()) -> None:
        """A step that moves money: the invoice, the budget line's buckets and the journal entry together.

        ``release_guards`` (a cancellation) frees its orders and number for a new invoice.
        """
        elements = [("invoice", self.table.put_versioned(invoice_to_item(invoice), expected_version)),
                    *[("upload", self.uploads.use(upload)) for upload in used],
                    self.table.put_new(audit_to_item(audit))]
        # A refusal names "invoice" (changed meanwhile), "upload" (used already) or "budget" (the line is gone).
        if payable or realised:
            elements.append(("budget", self.budgets.move_element(invoice.year, invoice.budget_line, payable, realised)))
        if entry is not None:
            elements += self.ledger.entry_elements(entry)
        if release_guards:
            elements += [self.table.remove(schema.order_billed_key(o.order_id)) for o in invoice.orders]
            elements.append(self.table.remove(schema.partner_invoice_number_key(invoice.company_id,
                                                                                invoice.partner_invoice_number)))
        self.table.transact([*elements, *queue_elements(self.table, mail)])

    def get(self, invoice_id: str) -> Invoice | None:
        item = self.table.get(schema.invoice_key(invoice_id))
        return invoice_from_item(item) if item else None

    def billed_in(self, order_id: str) -> str | None:
        """The invoice an order is billed in, if any."""
        item = self.table.get(schema.order_billed_key(order_id))
        return item["invoice_id"] if item else None

    def of_company(self, company_id: str) -> list[Invoice]:
        items = self.table.query(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :p)",
                                 values={":pk": schema.company_partition(company_id),
                                         ":p": schema.INVOICE_OF_COMPANY_PREFIX},
                                 ScanIndexForward=False)
        return [invoice_from_item(i) for i in items]

    def page(self, limit: int, after: str | None = None, company_id: str | None = None,
             status: InvoiceStatus | None = None) -> tuple[list[Invoice], str | None]:
        """One page of invoices and the cursor of the next (None on the last page).

        A company's go newest first (GSI2). The office's go status by status in the workflow's order, each
        status oldest first (finance's queue, GSI1); the cursor is then ``<status>|<sort key>``."""
        if company_id:
            items, last = self.table.newest_of("GSI2", schema.company_partition(company_id),
                                               schema.INVOICE_OF_COMPANY_PREFIX, limit, after,
                                               status.value if status else None)
            return [invoice_from_item(i) for i in items], last
        statuses = [status] if status else list(InvoiceStatus)
        from_status, _, from_key = (after or "").partition("|")
        if from_status:
            statuses = statuses[[s.value for s in statuses].index(from_status):] if from_status in \
                [s.value for s in statuses] else []
        found: list[tuple[InvoiceStatus, dict]] = []
        for one in statuses:
            values = {":pk": schema.invoice_status_partition(one.value)}
            condition = "GSI1PK = :pk"
            if one.value == from_status and from_key:
                condition, values[":after"] = condition + " AND GSI1SK > :after", from_key
            found += [(one, i) for i in self.table.query_up_to(limit + 1 - len(found), values=values, IndexName="GSI1",
                                                               KeyConditionExpression=condition)]
            if len(found) > limit:
                break
        cursor = f"{found[limit - 1][0].value}|{found[limit - 1][1]['GSI1SK']}" if len(found) > limit else None
        return [invoice_from_item(i) for _, i in found[:limit]], cursor

    def count_by_status(self, status: InvoiceStatus) -> int:
        return self.table.count(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                values={":pk": schema.invoice_status_partition(status.value)})

    def with_taxes_due(self) -> list[Invoice]:
        """Paid invoices with PPN or PPh 23 still to deposit, oldest SP2D first."""
        items = self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                 values={":pk": schema.INVOICE_TAX_DUE})
        return [invoice_from_item(i) for i in items]

    def count_with_taxes_due(self) -> int:
        return self.table.count(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                values={":pk": schema.INVOICE_TAX_DUE})

    def by_status(self, status: InvoiceStatus) -> list[Invoice]:
        items = self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                 values={":pk": schema.invoice_status_partition(status.value)})
        return [invoice_from_item(i) for i in items]
