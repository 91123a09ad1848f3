"""Storage of media orders, their yearly counter, and the two transactions that move money.

``issue`` (every element named, so a refusal says which guard refused)::

    counter    COUNTER#ORDER#<year>   seq = n, if it was n-1 (gap-free numbering)
    number     ORDER_NUMBER#<number>  new
    order      ORDER#<id>             new
    budget     BUDGET#<year>/LINE#..  reserved += total, if reserved <= pagu - total
    agreement  AGREEMENT#<id>         reserved += total, if ACTIVE and reserved <= ceiling - total
    journal entry, its lines, the balances; the audit line; the idempotency record (``idempotency``)

``release`` (decline or cancel): the order's new state (versioned), the budget
line and agreement given back exactly the order's total, the reversing
journal entry and balances, the audit line.
"""

from __future__ import annotations

from datetime import date

from ..domain.accounts import AuditEvent
from ..domain.documents import PendingUpload
from ..domain.ledger import JournalEntry
from ..domain.orders import Agreement, BudgetLine, Material, Order, OrderStatus, Proof, Slot, SlotStatus
from . import schema
from .agreements import AgreementStore, BudgetStore, file_record
from .ledger import LedgerStore
from .outbox import queue_elements
from .table import Table, audit_to_item, iso, parse_iso
from .uploads import PendingUploadStore


def _proof_to_map(proof: Proof | None) -> dict | None:
    if proof is None:
        return None
    return {"urls": list(proof.urls), "files": list(proof.files), "submitted_at": iso(proof.submitted_at),
            "submitted_by": proof.submitted_by, "note": proof.note}


def _proof_from_map(raw: dict | None) -> Proof | None:
    if not raw:
        return None
    return Proof(urls=tuple(raw.get("urls") or ()),
                 files=tuple(file_record(f) for f in raw.get("files") or ()),
                 submitted_at=parse_iso(raw["submitted_at"]), submitted_by=raw["submitted_by"], note=raw.get("note"))


def order_to_item(o: Order) -> dict:
    since = iso(o.updated_at or o.issued_at)
    return {
        **schema.order_key(o.id),
        **schema.order_index_keys(o.status.value, since, o.company_id, iso(o.issued_at), o.id, o.material.release_slug),
        "type": "ORDER",
        "id": o.id, "number": o.number, "year": o.year, "seq": o.seq, "company_id": o.company_id,
        "agreement_id": o.agreement_id, "product_code": o.product_code, "product_name": o.product_name,
        "unit": o.unit,
        "material": {"kind": o.material.kind, "title": o.material.title, "release_slug": o.material.release_slug,
                     "url": o.material.url, "text": o.material.text},
        "slots": [{"starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat(), "status": s.status.value,
                   "proof": _proof_to_map(s.proof), "review_reason": s.review_reason, "reviewed_by": s.reviewed_by}
                  for s in o.slots],
        "unit_price": o.unit_price, "total": o.total, "budget_line": o.budget_line,
        "issued_by": o.issued_by, "issued_at": iso(o.issued_at), "status": o.status.value,
        "status_reason": o.status_reason, "updated_at": since, "version": o.version,
        "partner_name": o.partner_name,
    }


def order_from_item(item: dict) -> Order:
    m = item["material"]
    return Order(
        id=item["id"], number=item["number"], year=int(item["year"]), seq=int(item["seq"]),
        company_id=item["company_id"], agreement_id=item["agreement_id"], product_code=item["product_code"],
        product_name=item["product_name"], unit=item["unit"],
        material=Material(kind=m["kind"], title=m["title"], release_slug=m.get("release_slug"), url=m.get("url"),
                          text=m.get("text")),
        slots=tuple(Slot(starts_on=date.fromisoformat(s["starts_on"]), ends_on=date.fromisoformat(s["ends_on"]),
                         status=SlotStatus(s["status"]),
                         proof=_proof_from_map(s.get("proof")), review_reason=s.get("review_reason"),
                         reviewed_by=s.get("reviewed_by")) for s in item["slots"]),
        unit_price=int(item["unit_price"]), budget_line=item["budget_line"], issued_by=item["issued_by"],
        issued_at=parse_iso(item["issued_at"]), status=OrderStatus(item["status"]),
        status_reason=item.get("status_reason"), updated_at=parse_iso(item["updated_at"]),
        partner_name=item.get("partner_name", ""), version=int(item["version"]),
    )


class OrderStore:
    def __init__(self, table: Table, agreements: AgreementStore, budgets: BudgetStore, ledger: LedgerStore,
                 uploads: PendingUploadStore):
        self.table = table
        self.agreements = agreements
        self.budgets = budgets
        self.ledger = ledger
        self.uploads = uploads

    def counter(self, year: int) -> int:
        item = self.table.get(schema.order_counter_key(year))
        return int(item["seq"]) if item else 0

    def issue(self, order: Order, budget: BudgetLine, agreement: Agreement, entry: JournalEntry,
              audit: AuditEvent, idempotency: dict | None = None, mail=()) -> None:
        """``budget`` and ``agreement`` as read before the order reserved anything.

        A refusal names ``"counter"``/``"number"`` (another order took the
        number), ``"budget"``/``"agreement"`` (a ceiling moved), or
        ``"idempotency"`` (the same request was committed meanwhile).
        """
        amount = order.total
        counter_key = schema.order_counter_key(order.year)
        if order.seq == 1:
            counter = self.table.put_new({**counter_key, "type": "COUNTER", "seq": 1})
        else:
            counter = self.table.update(counter_key, "SET seq = :n", {":n": order.seq, ":previous": order.seq - 1},
                                        condition="seq = :previous")
        elements = [
            ("counter", counter),
            ("number", self.table.put_new({**schema.order_number_key(order.number), "type": "GUARD",
                                           "order_id": order.id})),
            ("order", self.table.put_new(order_to_item(order))),
            ("budget", self.budgets.reserve_element(budget, amount)),
            ("agreement", self.agreements.reserve_element(agreement, amount)),
            *self.ledger.entry_elements(entry),
            self.table.put_new(audit_to_item(audit)),
        ]
        if idempotency is not None:
            elements.append(("idempotency", idempotency))
        self.table.transact([*elements, *queue_elements(self.table, mail)])

    def release(self, order: Order, expected_version: int, entry: JournalEntry, audit: AuditEvent,
                mail=()) -> None:
        """The order leaves a reserving state: give back exactly its total to both ceilings."""
        amount = order.total
        self.table.transact([
            self.table.put_versioned(order_to_item(order), expected_version),
            self.budgets.release_element(order.year, order.budget_line, amount),
            self.agreements.release_element(order.agreement_id, amount),
            *self.ledger.entry_elements(entry),
            self.table.put_new(audit_to_item(audit)),
            *queue_elements(self.table, mail),
        ])

    def save(self, order: Order, expected_version: int, audit: AuditEvent,
             used_uploads: tuple[PendingUpload, ...] = (), mail=()) -> None:
        """The order's new state; the uploads a proof used are used up in the same transaction, and
        ``mail`` (outbox messages) is queued in it."""
        self.table.transact([
            self.table.put_versioned(order_to_item(order), expected_version),
            *[self.uploads.use(upload) for upload in used_uploads],
            self.table.put_new(audit_to_item(audit)),
            *queue_elements(self.table, mail),
        ])

    def get(self, order_id: str) -> Order | None:
        item = self.table.get(schema.order_key(order_id))
        return order_from_item(item) if item else None

    def of_company(self, company_id: str) -> list[Order]:
        items = self.table.query(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :p)",
                                 values={":pk": schema.company_partition(company_id),
                                         ":p": schema.ORDER_OF_COMPANY_PREFIX},
                                 ScanIndexForward=False)
        return [order_from_item(i) for i in items]

    def page(self, limit: int, before: str | None = None, company_id: str | None = None,
             status: OrderStatus | None = None) -> tuple[list[Order], str | None]:
        """One page of orders, newest first, and the cursor of the next (None on the last page).

        A company's orders go by the time they were issued (GSI2); the office's by the time they last changed
        (GSI1), merged across the status partitions when no status is given. The cursor is the sort key of the
        last order of the page, so the next page is the same queries below it."""
        if company_id:
            items, last = self.table.newest_of("GSI2", schema.company_partition(company_id),
                                               schema.ORDER_OF_COMPANY_PREFIX, limit, before,
                                               status.value if status else None)
            return [order_from_item(i) for i in items], last
        items = []
        for one in [status] if status else list(OrderStatus):
            values = {":pk": schema.order_status_partition(one.value), ":high": before or "~"}
            found = self.table.query_up_to(limit + 2, values=values, forward=False, IndexName="GSI1",
                                           KeyConditionExpression="GSI1PK = :pk AND GSI1SK <= :high")
            items += [i for i in found if i["GSI1SK"] != before][:limit + 1]
        items = sorted(items, key=lambda i: i["GSI1SK"], reverse=True)
        return [order_from_item(i) for i in items[:limit]], (items[limit - 1]["GSI1SK"] if len(items) > limit else None)

    def count_by_status(self, status: OrderStatus) -> int:
        return self.table.count(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                values={":pk": schema.order_status_partition(status.value)})

    def by_status(self, status: OrderStatus) -> list[Order]:
        items = self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                 values={":pk": schema.order_status_partition(status.value)}, ScanIndexForward=False)
        return [order_from_item(i) for i in items]

    def of_release(self, slug: str) -> list[Order]:
        items = self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk AND begins_with(GSI3SK, :p)",
                                 values={":pk": schema.release_partition(slug), ":p": schema.ORDER_OF_COMPANY_PREFIX})
        return [order_from_item(i) for i in items]
