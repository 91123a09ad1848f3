"""Storage of the cooperation cycle: catalogue, rate cards, agreements, budgets, orders, journal.

No rules here, only items, keys and the conditions that make each money
change atomic. The two transactions that move money:

``issue_order`` (element order, used by the service to read cancellation reasons)::

    0 counter  COUNTER#ORDER#<year>   seq = n, if it was n-1 (gap-free numbering)
    1 number   ORDER_NUMBER#<number>  new
    2 order    ORDER#<id>             new
    3 budget   BUDGET#<year>/LINE#..  reserved += total, if reserved <= pagu - total
    4 agreement AGREEMENT#<id>        reserved += total, if ACTIVE and reserved <= ceiling - total
    5.. journal entry, its lines, the two balances, the audit line

``release_order`` (decline or cancel): the order's new state (versioned), the
budget line and agreement given back exactly the order's total, the reversing
journal entry and balances, the audit line.
"""

from __future__ import annotations

from datetime import date

from ..domain.accounts import AuditEvent
from ..domain.catalog import LineStatus, NegotiationMessage, Product, RateCard, RateLine
from ..domain.ledger import JournalEntry
from ..domain.orders import (
    Agreement,
    AgreementStatus,
    BudgetLine,
    Material,
    Order,
    OrderStatus,
    Proof,
    Slot,
    SlotStatus,
)
from ..domain.press_company import MediaType
from .table import Table, audit_to_item, deserialise, iso, parse_iso, serialise


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


# -- mappers --------------------------------------------------------------------------

def product_to_item(p: Product) -> dict:
    return {
        "PK": "CATALOG", "SK": f"PRODUCT#{p.code}", "type": "PRODUCT",
        "code": p.code, "name": p.name, "unit": p.unit,
        "media_types": sorted(m.value for m in p.media_types),
        "ssh": {str(year): amount for year, amount in p.ssh.items()},
        "version": p.version,
    }


def product_from_item(item: dict) -> Product:
    return Product(
        code=item["code"], name=item["name"], unit=item["unit"],
        media_types=frozenset(MediaType(m) for m in item["media_types"]),
        ssh={int(year): int(amount) for year, amount in (item.get("ssh") or {}).items()},
        version=int(item["version"]),
    )


def rate_card_to_item(card: RateCard) -> dict:
    return {
        "PK": f"COMPANY#{card.company_id}", "SK": f"OFFER#{card.year}", "type": "RATE_CARD",
        "company_id": card.company_id, "year": card.year,
        "lines": {code: {"price": line.price, "status": line.status.value, "note": line.note}
                  for code, line in card.lines.items()},
        "updated_at": iso(card.updated_at), "version": card.version,
    }


def rate_card_from_item(item: dict) -> RateCard:
    return RateCard(
        company_id=item["company_id"], year=int(item["year"]),
        lines={code: RateLine(code, int(line["price"]), LineStatus(line["status"]), line.get("note"))
               for code, line in item["lines"].items()},
        updated_at=parse_iso(item["updated_at"]), version=int(item["version"]),
    )


def message_to_item(company_id: str, year: int, message: NegotiationMessage) -> dict:
    return {
        "PK": f"COMPANY#{company_id}", "SK": f"OFFER#{year}#MSG#{message.id}", "type": "NEGOTIATION_MESSAGE",
        "id": message.id, "actor_id": message.actor_id, "actor_side": message.actor_side, "at": iso(message.at),
        "action": message.action, "lines": message.lines, "message": message.message,
    }


def message_from_item(item: dict) -> NegotiationMessage:
    return NegotiationMessage(
        id=item["id"], actor_id=item["actor_id"], actor_side=item["actor_side"], at=parse_iso(item["at"]),
        action=item["action"], lines={k: int(v) for k, v in (item.get("lines") or {}).items()},
        message=item.get("message"),
    )


def agreement_to_item(a: Agreement) -> dict:
    return {
        "PK": f"AGREEMENT#{a.id}", "SK": "AGREEMENT", "type": "AGREEMENT",
        "GSI2PK": f"COMPANY#{a.company_id}", "GSI2SK": f"AGREEMENT#{a.year}#{a.id}",
        "GSI3PK": f"YEAR#{a.year}#AGREEMENT", "GSI3SK": f"COMPANY#{a.company_id}",
        "id": a.id, "company_id": a.company_id, "year": a.year, "number": a.number,
        "starts_on": a.starts_on.isoformat(), "ends_on": a.ends_on.isoformat(),
        "rates": a.rates, "ceiling": a.ceiling, "reserved": a.reserved, "status": a.status.value,
        "signed_document": a.signed_document,
        "created_at": iso(a.created_at) if a.created_at else None, "version": a.version,
    }


def agreement_from_item(item: dict) -> Agreement:
    return Agreement(
        id=item["id"], company_id=item["company_id"], year=int(item["year"]), number=item["number"],
        starts_on=date.fromisoformat(item["starts_on"]), ends_on=date.fromisoformat(item["ends_on"]),
        rates={k: int(v) for k, v in item["rates"].items()}, ceiling=int(item["ceiling"]),
        reserved=int(item["reserved"]), status=AgreementStatus(item["status"]),
        signed_document=_file_record(item.get("signed_document")),
        created_at=parse_iso(item["created_at"]) if item.get("created_at") else None, version=int(item["version"]),
    )


def budget_line_to_item(line: BudgetLine) -> dict:
    return {
        "PK": f"BUDGET#{line.year}", "SK": f"LINE#{line.code}", "type": "BUDGET_LINE",
        "year": line.year, "code": line.code, "name": line.name, "ceiling": line.ceiling,
        "reserved": line.reserved, "version": line.version,
    }


def budget_line_from_item(item: dict) -> BudgetLine:
    return BudgetLine(year=int(item["year"]), code=item["code"], name=item["name"], ceiling=int(item["ceiling"]),
                      reserved=int(item["reserved"]), version=int(item["version"]))


def _file_record(raw: dict | None) -> dict | None:
    """A stored file's record; DynamoDB gives numbers back as Decimal."""
    return None if not raw else {k: (int(v) if k == "size" else v) for k, v in raw.items()}


def _proof_to_map(proof: Proof | None) -> dict | None:
    if proof is None:
        return None
    return {"urls": list(proof.urls), "files": list(proof.files), "submitted_at": iso(proof.submitted_at),
            "submitted_by": proof.submitted_by, "note": proof.note}


def _proof_from_map(raw: dict | None) -> Proof | None:
    if not raw:
        return None
    return Proof(urls=tuple(raw.get("urls") or ()),
                 files=tuple(_file_record(f) for f in raw.get("files") or ()),
                 submitted_at=parse_iso(raw["submitted_at"]), submitted_by=raw["submitted_by"], note=raw.get("note"))


def order_to_item(o: Order) -> dict:
    item = {
        "PK": f"ORDER#{o.id}", "SK": "ORDER", "type": "ORDER",
        "GSI1PK": f"ORDER_STATUS#{o.status.value}", "GSI1SK": f"{iso(o.updated_at or o.issued_at)}#{o.id}",
        "GSI2PK": f"COMPANY#{o.company_id}", "GSI2SK": f"ORDER#{iso(o.issued_at)}#{o.id}",
        "id": o.id, "number": o.number, "year": o.year, "seq": o.seq, "company_id": o.company_id,
        "agreement_id": o.agreement_id, "product_code": o.product_code, "product_name": o.product_name,
        "unit": o.unit,
        "material": {"kind": o.material.kind, "title": o.material.title, "release_slug": o.material.release_slug,
                     "url": o.material.url, "text": o.material.text},
        "slots": [{"starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat(), "status": s.status.value, "proof": _proof_to_map(s.proof),
                   "review_reason": s.review_reason, "reviewed_by": s.reviewed_by} for s in o.slots],
        "unit_price": o.unit_price, "total": o.total, "budget_line": o.budget_line,
        "issued_by": o.issued_by, "issued_at": iso(o.issued_at), "status": o.status.value,
        "status_reason": o.status_reason, "updated_at": iso(o.updated_at or o.issued_at), "version": o.version,
        "partner_name": o.partner_name,
    }
    if o.material.release_slug:
        item.update({"GSI3PK": f"RELEASE#{o.material.release_slug}", "GSI3SK": f"ORDER#{o.id}"})
    return item


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


def journal_items(entry: JournalEntry) -> list[dict]:
    head = {
        "PK": f"JOURNAL#{entry.id}", "SK": "ENTRY", "type": "JOURNAL_ENTRY",
        "GSI1PK": "JOURNAL", "GSI1SK": f"{iso(entry.posted_at)}#{entry.id}",
        "id": entry.id, "posted_at": iso(entry.posted_at), "description": entry.description,
        "source": entry.source, "total": entry.total_debit,
        # A copy of the lines on the head, so listing entries is one query (the LINE items
        # are what the by-account index needs).
        "lines": [{"account": line.account, "debit": line.debit, "credit": line.credit} for line in entry.lines],
    }
    lines = [
        {
            "PK": f"JOURNAL#{entry.id}", "SK": f"LINE#{n}", "type": "JOURNAL_LINE",
            "GSI2PK": f"ACCOUNT#{line.account}", "GSI2SK": f"{iso(entry.posted_at)}#{entry.id}#{n}",
            "entry_id": entry.id, "account": line.account, "debit": line.debit, "credit": line.credit,
            "dimensions": line.dimensions, "posted_at": iso(entry.posted_at),
        }
        for n, line in enumerate(entry.lines, start=1)
    ]
    return [head, *lines]


class CooperationStore:
    def __init__(self, table: Table):
        self.table = table

    @property
    def _client(self):
        return self.table.client

    @property
    def _name(self) -> str:
        return self.table.name

    def _query_all(self, **kwargs) -> list[dict]:
        kwargs = {"TableName": self._name, **kwargs}
        items: list[dict] = []
        while True:
            response = self._client.query(**kwargs)
            items.extend(deserialise(i) for i in response["Items"])
            if "LastEvaluatedKey" not in response:
                return items
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _update(self, key: dict, expression: str, values: dict, condition: str | None = None,
                names: dict | None = None) -> dict:
        update = {"TableName": self._name, "Key": serialise(key), "UpdateExpression": expression,
                  "ExpressionAttributeValues": serialise(values)}
        if condition:
            update["ConditionExpression"] = condition
        if names:
            update["ExpressionAttributeNames"] = names
        return {"Update": update}

    def _journal_elements(self, entry: JournalEntry) -> list[dict]:
        elements = [self.table._put_new(item) for item in journal_items(entry)]
        totals: dict[str, tuple[int, int]] = {}
        for line in entry.lines:
            debit, credit = totals.get(line.account, (0, 0))
            totals[line.account] = (debit + line.debit, credit + line.credit)
        for account, (debit, credit) in sorted(totals.items()):
            elements.append(self._update(
                {"PK": "LEDGER#ACCOUNTS", "SK": f"ACCOUNT#{account}"},
                "ADD debit :d, credit :c SET #t = :type, account = :a",
                {":d": debit, ":c": credit, ":type": "ACCOUNT_BALANCE", ":a": account},
                names={"#t": "type"},
            ))
        return elements

    # -- catalogue ------------------------------------------------------------------------

    def products(self) -> list[Product]:
        items = self._query_all(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": "CATALOG", ":p": "PRODUCT#"}),
                                ConsistentRead=True)
        return [product_from_item(i) for i in items]

    def get_product(self, code: str) -> Product | None:
        item = self.table._get({"PK": "CATALOG", "SK": f"PRODUCT#{code}"})
        return product_from_item(item) if item else None

    def create_product(self, product: Product, audit: AuditEvent) -> None:
        self.table.transact([self.table._put_new(product_to_item(product)), self.table._put_new(audit_to_item(audit))])

    def save_product(self, product: Product, expected_version: int, audit: AuditEvent) -> None:
        self.table.transact([self.table._put_versioned(product_to_item(product), expected_version),
                             self.table._put_new(audit_to_item(audit))])

    # -- rate cards ----------------------------------------------------------------------------

    def rate_card(self, company_id: str, year: int) -> tuple[RateCard | None, list[NegotiationMessage]]:
        items = self._query_all(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": f"COMPANY#{company_id}",
                                                                     ":p": f"OFFER#{year}"}),
                                ConsistentRead=True)
        card = next((rate_card_from_item(i) for i in items if i["SK"] == f"OFFER#{year}"), None)
        thread = [message_from_item(i) for i in items if i["type"] == "NEGOTIATION_MESSAGE"]
        return card, thread

    def save_rate_card(self, card: RateCard, expected_version: int | None, message: NegotiationMessage,
                       audit: AuditEvent) -> None:
        item = rate_card_to_item(card)
        put = self.table._put_new(item) if expected_version is None else self.table._put_versioned(item, expected_version)
        self.table.transact([put, self.table._put_new(message_to_item(card.company_id, card.year, message)),
                             self.table._put_new(audit_to_item(audit))])

    # -- agreements -------------------------------------------------------------------------------

    CREATE_AGREEMENT_YEAR, CREATE_AGREEMENT_NUMBER = 1, 2

    def create_agreement(self, agreement: Agreement, audit: AuditEvent) -> None:
        self.table.transact([
            self.table._put_new(agreement_to_item(agreement)),
            self.table._put_new({"PK": f"COMPANY#{agreement.company_id}", "SK": f"AGREEMENT_YEAR#{agreement.year}",
                                 "type": "GUARD", "agreement_id": agreement.id}),
            self.table._put_new({"PK": f"AGREEMENT_NUMBER#{agreement.number}", "SK": "GUARD", "type": "GUARD",
                                 "agreement_id": agreement.id}),
            self.table._put_new(audit_to_item(audit)),
        ])

    def get_agreement(self, agreement_id: str) -> Agreement | None:
        item = self.table._get({"PK": f"AGREEMENT#{agreement_id}", "SK": "AGREEMENT"})
        return agreement_from_item(item) if item else None

    def save_agreement(self, agreement: Agreement, expected_version: int, audit: AuditEvent) -> None:
        """Status and document changes; ``reserved`` is never written here (orders move it with ADD-like updates)."""
        self.table.transact([
            self._update({"PK": f"AGREEMENT#{agreement.id}", "SK": "AGREEMENT"},
                         "SET #s = :s, version = :v" + (", signed_document = :d" if agreement.signed_document else ""),
                         {":s": agreement.status.value, ":v": agreement.version, ":expected": expected_version,
                          **({":d": agreement.signed_document} if agreement.signed_document else {})},
                         condition="version = :expected", names={"#s": "status"}),
            self.table._put_new(audit_to_item(audit)),
        ])

    def agreements_of(self, company_id: str) -> list[Agreement]:
        items = self._query_all(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": f"COMPANY#{company_id}",
                                                                     ":p": "AGREEMENT#"}))
        return [agreement_from_item(i) for i in items]

    def agreements_of_year(self, year: int) -> list[Agreement]:
        items = self._query_all(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                ExpressionAttributeValues=serialise({":pk": f"YEAR#{year}#AGREEMENT"}))
        return [agreement_from_item(i) for i in items]

    # -- budgets ------------------------------------------------------------------------------------

    def budget_lines(self, year: int) -> list[BudgetLine]:
        items = self._query_all(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": f"BUDGET#{year}", ":p": "LINE#"}),
                                ConsistentRead=True)
        return [budget_line_from_item(i) for i in items]

    def get_budget_line(self, year: int, code: str) -> BudgetLine | None:
        item = self.table._get({"PK": f"BUDGET#{year}", "SK": f"LINE#{code}"})
        return budget_line_from_item(item) if item else None

    def create_budget_line(self, line: BudgetLine, audit: AuditEvent) -> None:
        self.table.transact([self.table._put_new(budget_line_to_item(line)), self.table._put_new(audit_to_item(audit))])

    def change_budget_ceiling(self, line: BudgetLine, new_ceiling: int, audit: AuditEvent) -> None:
        """A new pagu, never below what orders have already reserved."""
        self.table.transact([
            self._update({"PK": f"BUDGET#{line.year}", "SK": f"LINE#{line.code}"},
                         "SET ceiling = :c, version = version + :one",
                         {":c": new_ceiling, ":one": 1, ":expected": line.version},
                         condition="version = :expected AND reserved <= :c"),
            self.table._put_new(audit_to_item(audit)),
        ])

    # -- orders ---------------------------------------------------------------------------------------

    def order_counter(self, year: int) -> int:
        item = self.table._get({"PK": f"COUNTER#ORDER#{year}", "SK": "COUNTER"})
        return int(item["seq"]) if item else 0

    ISSUE_COUNTER, ISSUE_NUMBER, ISSUE_ORDER, ISSUE_BUDGET, ISSUE_AGREEMENT = 0, 1, 2, 3, 4

    def issue_order(self, order: Order, budget: BudgetLine, agreement: Agreement, entry: JournalEntry,
                    audit: AuditEvent, extra: list[dict] = ()) -> None:
        """``extra``: elements put new after the others (an idempotency record), in the same transaction."""
        amount = order.total
        counter_key = {"PK": f"COUNTER#ORDER#{order.year}", "SK": "COUNTER"}
        if order.seq == 1:
            counter = self.table._put_new({**counter_key, "type": "COUNTER", "seq": 1})
        else:
            counter = self._update(counter_key, "SET seq = :n", {":n": order.seq, ":previous": order.seq - 1},
                                   condition="seq = :previous")
        elements = [
            counter,
            self.table._put_new({"PK": f"ORDER_NUMBER#{order.number}", "SK": "ORDER_NUMBER", "type": "GUARD",
                                 "order_id": order.id}),
            self.table._put_new(order_to_item(order)),
            self._update({"PK": f"BUDGET#{budget.year}", "SK": f"LINE#{budget.code}"},
                         "SET reserved = reserved + :amount, version = version + :one",
                         {":amount": amount, ":one": 1, ":limit": budget.ceiling - amount, ":ceiling": budget.ceiling},
                         condition="reserved <= :limit AND ceiling = :ceiling"),
            self._update({"PK": f"AGREEMENT#{agreement.id}", "SK": "AGREEMENT"},
                         "SET reserved = reserved + :amount",
                         {":amount": amount, ":limit": agreement.ceiling - amount, ":ceiling": agreement.ceiling,
                          ":active": AgreementStatus.ACTIVE.value},
                         condition="#s = :active AND reserved <= :limit AND ceiling = :ceiling", names={"#s": "status"}),
            *self._journal_elements(entry),
            self.table._put_new(audit_to_item(audit)),
            *[self.table._put_new(item) for item in extra],
        ]
        self.table.transact(elements)

    def release_order(self, order: Order, expected_version: int, entry: JournalEntry, audit: AuditEvent) -> None:
        """The order leaves a reserving state: give back exactly its total to both ceilings."""
        amount = order.total
        self.table.transact([
            self.table._put_versioned(order_to_item(order), expected_version),
            self._update({"PK": f"BUDGET#{order.year}", "SK": f"LINE#{order.budget_line}"},
                         "SET reserved = reserved - :amount, version = version + :one",
                         {":amount": amount, ":one": 1}, condition="reserved >= :amount"),
            self._update({"PK": f"AGREEMENT#{order.agreement_id}", "SK": "AGREEMENT"},
                         "SET reserved = reserved - :amount", {":amount": amount}, condition="reserved >= :amount"),
            *self._journal_elements(entry),
            self.table._put_new(audit_to_item(audit)),
        ])

    def save_order(self, order: Order, expected_version: int, audit: AuditEvent) -> None:
        self.table.transact([self.table._put_versioned(order_to_item(order), expected_version),
                             self.table._put_new(audit_to_item(audit))])

    def get_order(self, order_id: str) -> Order | None:
        item = self.table._get({"PK": f"ORDER#{order_id}", "SK": "ORDER"})
        return order_from_item(item) if item else None

    def orders_of(self, company_id: str) -> list[Order]:
        items = self._query_all(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": f"COMPANY#{company_id}", ":p": "ORDER#"}),
                                ScanIndexForward=False)
        return [order_from_item(i) for i in items]

    def orders_by_status(self, status: OrderStatus) -> list[Order]:
        items = self._query_all(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                ExpressionAttributeValues=serialise({":pk": f"ORDER_STATUS#{status.value}"}),
                                ScanIndexForward=False)
        return [order_from_item(i) for i in items]

    def orders_of_release(self, slug: str) -> list[Order]:
        items = self._query_all(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk AND begins_with(GSI3SK, :p)",
                                ExpressionAttributeValues=serialise({":pk": f"RELEASE#{slug}", ":p": "ORDER#"}))
        return [order_from_item(i) for i in items]

    # -- pending uploads of orders (proofs) and agreements (the signed PDF) ----------------------

    def put_pending_upload(self, partition: str, upload: dict) -> None:
        self._client.put_item(TableName=self._name, Item=serialise(
            {"PK": partition, "SK": f"UPLOAD#{upload['id']}", "type": "UPLOAD", **upload}))

    def get_pending_upload(self, partition: str, upload_id: str) -> dict | None:
        return self.table._get({"PK": partition, "SK": f"UPLOAD#{upload_id}"})

    def delete_pending_upload(self, partition: str, upload_id: str) -> None:
        self._client.delete_item(TableName=self._name, Key=serialise({"PK": partition, "SK": f"UPLOAD#{upload_id}"}))

    def _use_upload(self, partition: str, upload_id: str) -> dict:
        """Delete a pending upload in a transaction, failing if it was already used."""
        return {"Delete": {"TableName": self._name, "Key": serialise({"PK": partition, "SK": f"UPLOAD#{upload_id}"}),
                           "ConditionExpression": "attribute_exists(PK)"}}

    def attach_signed_document(self, agreement: Agreement, expected_version: int, upload_id: str,
                               audit: AuditEvent) -> None:
        self.table.transact([
            self._update({"PK": f"AGREEMENT#{agreement.id}", "SK": "AGREEMENT"},
                         "SET signed_document = :d, version = :v",
                         {":d": agreement.signed_document, ":v": agreement.version, ":expected": expected_version},
                         condition="version = :expected"),
            self._use_upload(f"AGREEMENT#{agreement.id}", upload_id),
            self.table._put_new(audit_to_item(audit)),
        ])

    def save_order_with_proof(self, order: Order, expected_version: int, upload_ids: list[str],
                              audit: AuditEvent) -> None:
        """The order with a slot's new proof; the proof's uploads are used up in the same transaction."""
        self.table.transact([
            self.table._put_versioned(order_to_item(order), expected_version),
            *[self._use_upload(f"ORDER#{order.id}", uid) for uid in upload_ids],
            self.table._put_new(audit_to_item(audit)),
        ])

    # -- the books ------------------------------------------------------------------------------------------

    def journal_entry(self, entry_id: str) -> tuple[dict, list[dict]]:
        items = self._query_all(KeyConditionExpression="PK = :pk",
                                ExpressionAttributeValues=serialise({":pk": f"JOURNAL#{entry_id}"}))
        head = next(i for i in items if i["SK"] == "ENTRY")
        return head, [i for i in items if i["SK"].startswith("LINE#")]

    def journal_entries(self, limit: int = 200) -> list[dict]:
        """Entries newest first, each with its lines (one query)."""
        response = self._client.query(TableName=self._name, IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                      ExpressionAttributeValues=serialise({":pk": "JOURNAL"}),
                                      ScanIndexForward=False, Limit=limit)
        return [deserialise(raw) for raw in response["Items"]]

    def account_lines(self, account: str) -> list[dict]:
        return self._query_all(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk",
                               ExpressionAttributeValues=serialise({":pk": f"ACCOUNT#{account}"}))

    def balances(self) -> dict[str, tuple[int, int]]:
        """Account code → (total debit, total credit)."""
        items = self._query_all(KeyConditionExpression="PK = :pk",
                                ExpressionAttributeValues=serialise({":pk": "LEDGER#ACCOUNTS"}), ConsistentRead=True)
        return {i["account"]: (int(i.get("debit", 0)), int(i.get("credit", 0))) for i in items}

