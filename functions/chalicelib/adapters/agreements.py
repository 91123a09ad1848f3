"""Storage of agreements (PKS) and budget lines, and the conditions that keep their ceilings.

``reserved`` on both is only ever moved by an order's transaction, with a
condition that keeps it within the ceiling (``reserve_element``) or above
zero (``release_element``); saving an agreement never writes it.
"""

from __future__ import annotations

from datetime import date

from ..domain.accounts import AuditEvent
from ..domain.documents import PendingUpload
from ..domain.orders import Agreement, AgreementStatus, BudgetLine
from . import schema
from .table import Table, audit_to_item, iso, parse_iso
from .uploads import PendingUploadStore


def agreement_to_item(a: Agreement) -> dict:
    return {
        **schema.agreement_key(a.id), **schema.agreement_index_keys(a.company_id, a.year, a.id), "type": "AGREEMENT",
        "id": a.id, "company_id": a.company_id, "year": a.year, "number": a.number,
        "starts_on": a.starts_on.isoformat(), "ends_on": a.ends_on.isoformat(),
        "rates": a.rates, "ceiling": a.ceiling, "reserved": a.reserved, "status": a.status.value,
        "signed_document": a.signed_document,
        "created_at": iso(a.created_at) if a.created_at else None, "version": a.version,
    }


def file_record(raw: dict | None) -> dict | None:
    """A stored file's record; DynamoDB gives numbers back as Decimal."""
    return None if not raw else {k: (int(v) if k == "size" else v) for k, v in raw.items()}


def agreement_from_item(item: dict) -> Agreement:
    return Agreement(
        id=item["id"], company_id=item["company_id"], year=int(item["year"]), number=item["number"],
        starts_on=date.fromisoformat(item["starts_on"]), ends_on=date.fromisoformat(item["ends_on"]),
        rates={k: int(v) for k, v in item["rates"].items()}, ceiling=int(item["ceiling"]),
        reserved=int(item["reserved"]), status=AgreementStatus(item["status"]),
        signed_document=file_record(item.get("signed_document")),
        created_at=parse_iso(item["created_at"]) if item.get("created_at") else None, version=int(item["version"]),
    )


def budget_line_to_item(line: BudgetLine) -> dict:
    return {
        **schema.budget_line_key(line.year, line.code), "type": "BUDGET_LINE",
        "year": line.year, "code": line.code, "name": line.name, "ceiling": line.ceiling,
        "reserved": line.reserved, "payable": line.payable, "realised": line.realised, "version": line.version,
    }


def budget_line_from_item(item: dict) -> BudgetLine:
    return BudgetLine(year=int(item["year"]), code=item["code"], name=item["name"], ceiling=int(item["ceiling"]),
                      reserved=int(item["reserved"]), version=int(item["version"]),
                      payable=int(item.get("payable", 0)), realised=int(item.get("realised", 0)))


class AgreementStore:
    def __init__(self, table: Table, uploads: PendingUploadStore):
        self.table = table
        self.uploads = uploads

    def create(self, agreement: Agreement, audit: AuditEvent) -> None:
        """A refusal names ``"year_guard"`` (one per partner and year) or ``"number_guard"``."""
        self.table.transact([
            ("agreement", self.table.put_new(agreement_to_item(agreement))),
            ("year_guard", self.table.put_new({**schema.agreement_year_guard_key(agreement.company_id, agreement.year),
                                               "type": "GUARD", "agreement_id": agreement.id})),
            ("number_guard", self.table.put_new({**schema.agreement_number_guard_key(agreement.number),
                                                 "type": "GUARD", "agreement_id": agreement.id})),
            ("audit", self.table.put_new(audit_to_item(audit))),
        ])

    def get(self, agreement_id: str) -> Agreement | None:
        item = self.table.get(schema.agreement_key(agreement_id))
        return agreement_from_item(item) if item else None

    def save(self, agreement: Agreement, expected_version: int, audit: AuditEvent) -> None:
        """Status changes (``reserved`` is left as the orders have moved it)."""
        self.table.transact([
            self.table.update(schema.agreement_key(agreement.id), "SET #s = :s, version = :v",
                              {":s": agreement.status.value, ":v": agreement.version, ":expected": expected_version},
                              condition="version = :expected", names={"#s": "status"}),
            self.table.put_new(audit_to_item(audit)),
        ])

    def attach_signed_document(self, agreement: Agreement, expected_version: int, upload: PendingUpload,
                               audit: AuditEvent) -> None:
        self.table.transact([
            self.table.update(schema.agreement_key(agreement.id), "SET signed_document = :d, version = :v",
                              {":d": agreement.signed_document, ":v": agreement.version, ":expected": expected_version},
                              condition="version = :expected"),
            self.uploads.use(upload),
            self.table.put_new(audit_to_item(audit)),
        ])

    def of_company(self, company_id: str) -> list[Agreement]:
        items = self.table.query(IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :p)",
                                 values={":pk": schema.company_partition(company_id),
                                         ":p": schema.AGREEMENT_OF_COMPANY_PREFIX})
        return [agreement_from_item(i) for i in items]

    def of_year(self, year: int) -> list[Agreement]:
        items = self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                 values={":pk": schema.agreements_of_year_partition(year)})
        return [agreement_from_item(i) for i in items]

    def count_of_year(self, year: int) -> int:
        return self.table.count(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                values={":pk": schema.agreements_of_year_partition(year)})

    def reserve_element(self, agreement: Agreement, amount: int) -> dict:
        """``reserved`` += amount, only while ACTIVE, within the ceiling, and the ceiling as read."""
        return self.table.update(
            schema.agreement_key(agreement.id), "SET reserved = reserved + :amount",
            {":amount": amount, ":limit": agreement.ceiling - amount, ":ceiling": agreement.ceiling,
             ":active": AgreementStatus.ACTIVE.value},
            condition="#s = :active AND reserved <= :limit AND ceiling = :ceiling", names={"#s": "status"})

    def release_element(self, agreement_id: str, amount: int) -> dict:
        return self.table.update(schema.agreement_key(agreement_id), "SET reserved = reserved - :amount",
                                 {":amount": amount}, condition="reserved >= :amount")


class BudgetStore:
    def __init__(self, table: Table):
        self.table = table

    def lines(self, year: int) -> list[BudgetLine]:
        items = self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                 values={":pk": schema.budget_partition(year), ":p": schema.BUDGET_LINE_PREFIX},
                                 ConsistentRead=True)
        return [budget_line_from_item(i) for i in items]

    def count_lines(self, year: int) -> int:
        return self.table.count(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                values={":pk": schema.budget_partition(year), ":p": schema.BUDGET_LINE_PREFIX})

    def get(self, year: int, code: str) -> BudgetLine | None:
        item = self.table.get(schema.budget_line_key(year, code))
        return budget_line_from_item(item) if item else None

    def create(self, line: BudgetLine, audit: AuditEvent) -> None:
        self.table.transact([self.table.put_new(budget_line_to_item(line)), self.table.put_new(audit_to_item(audit))])

    def change_ceiling(self, line: BudgetLine, expected_version: int, audit: AuditEvent) -> None:
        """``line.ceiling`` as the new pagu, if nobody changed the line and it stays above what is reserved."""
        self.table.transact([
            self.table.update(schema.budget_line_key(line.year, line.code),
                              "SET ceiling = :c, version = version + :one",
                              {":c": line.ceiling, ":one": 1, ":expected": expected_version},
                              condition="version = :expected AND reserved <= :c"),
            self.table.put_new(audit_to_item(audit)),
        ])

    def reserve_element(self, line: BudgetLine, amount: int) -> dict:
        """``reserved`` += amount, within the pagu as read."""
        return self.table.update(
            schema.budget_line_key(line.year, line.code), "SET reserved = reserved + :amount, version = version + :one",
            {":amount": amount, ":one": 1, ":limit": line.ceiling - amount, ":ceiling": line.ceiling},
            condition="reserved <= :limit AND ceiling = :ceiling")

    def release_element(self, year: int, code: str, amount: int) -> dict:
        return self.table.update(schema.budget_line_key(year, code),
                                 "SET reserved = reserved - :amount, version = version + :one",
                                 {":amount": amount, ":one": 1}, condition="reserved >= :amount")

    def move_element(self, year: int, code: str, payable: int = 0, realised: int = 0) -> dict:
        """Money moving between buckets (approval: +payable; SP2D: −payable +realised); ``reserved`` stays."""
        return self.table.update(
            schema.budget_line_key(year, code),
            "SET payable = if_not_exists(payable, :zero) + :p, realised = if_not_exists(realised, :zero) + :r, "
            "version = version + :one",
            {":p": payable, ":r": realised, ":zero": 0, ":one": 1}, condition="attribute_exists(PK)")
