"""Storage of press companies, their documents and pending uploads (no rules here).

Every write that must not half-happen is one ``TransactWriteItems``: the
registration (account, company, NPWP/NIB/email guards, audit lines,
idempotency record), a confirmed upload (new document, the "current" pointer,
the superseded one, audit), each review and each decision (with the
optimistic-lock condition on ``version``). ``ConditionFailed.reasons`` tells
the service which guard refused; the element order of each transaction is
documented where it is built.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Iterable

from ..domain.accounts import AuditEvent, User
from ..domain.documents import Document, DocumentStatus, Upload
from ..domain.press_company import Company, CompanyStatus
from . import schema
from .table import Table, audit_to_item, deserialise, iso, parse_iso, serialise, user_to_item


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- item mappers ----------------------------------------------------------------

def company_to_item(company: Company) -> dict:
    return {
        **schema.company_key(company.id),
        **schema.company_status_keys(company.status.value, iso(company.status_since), company.id),
        "type": "COMPANY",
        "id": company.id,
        "owner_id": company.owner_id,
        # JSON text: the profile has floats (GPS), which DynamoDB's number type would refuse.
        "profile": json.dumps(company.profile, ensure_ascii=False, sort_keys=True),
        "media_type": company.profile["media_type"],
        "media_name": company.profile["media_name"],
        "status": company.status.value,
        "created_at": iso(company.created_at),
        "updated_at": iso(company.updated_at),
        "status_since": iso(company.status_since),
        "submitted_at": iso(company.submitted_at) if company.submitted_at else None,
        "decided_by": company.decided_by,
        "decision_reasons": list(company.decision_reasons) or None,
        "verified_until": company.verified_until.isoformat() if company.verified_until else None,
        "expiry_warned": company.expiry_warned,
        "version": company.version,
    }


def company_from_item(item: dict) -> Company:
    return Company(
        id=item["id"],
        owner_id=item["owner_id"],
        profile=json.loads(item["profile"]),
        status=CompanyStatus(item["status"]),
        created_at=parse_iso(item["created_at"]),
        updated_at=parse_iso(item["updated_at"]),
        status_since=parse_iso(item["status_since"]),
        submitted_at=parse_iso(item["submitted_at"]) if item.get("submitted_at") else None,
        decided_by=item.get("decided_by"),
        decision_reasons=tuple(item.get("decision_reasons") or ()),
        verified_until=_day(item.get("verified_until")),
        expiry_warned=bool(item.get("expiry_warned", False)),
        version=int(item["version"]),
    )


def document_to_item(doc: Document) -> dict:
    item = {
        **schema.document_key(doc.company_id, doc.doc_type, doc.id),
        "type": "DOCUMENT",
        "id": doc.id,
        "company_id": doc.company_id,
        "doc_type": doc.doc_type,
        "key": doc.key,
        "filename": doc.filename,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "uploaded_by": doc.uploaded_by,
        "uploaded_at": iso(doc.uploaded_at),
        "status": doc.status.value,
        "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
        "review_reason": doc.review_reason,
        "reviewed_by": doc.reviewed_by,
        "reviewed_at": iso(doc.reviewed_at) if doc.reviewed_at else None,
        "superseded_by": doc.superseded_by,
        "expiry_warned": doc.expiry_warned,
        "version": doc.version,
    }
    # Only current, still valid documents with an end date are in the expiry index.
    if doc.expires_on and doc.current and doc.status != DocumentStatus.EXPIRED:
        item.update(schema.document_expiry_keys(doc.expires_on.isoformat(), doc.company_id, doc.id))
    return item


def document_from_item(item: dict) -> Document:
    return Document(
        id=item["id"],
        company_id=item["company_id"],
        doc_type=item["doc_type"],
        key=item["key"],
        filename=item["filename"],
        content_type=item["content_type"],
        size=int(item["size"]),
        sha256=item["sha256"],
        uploaded_by=item["uploaded_by"],
        uploaded_at=parse_iso(item["uploaded_at"]),
        status=DocumentStatus(item["status"]),
        expires_on=_day(item.get("expires_on")),
        review_reason=item.get("review_reason"),
        reviewed_by=item.get("reviewed_by"),
        reviewed_at=parse_iso(item["reviewed_at"]) if item.get("reviewed_at") else None,
        superseded_by=item.get("superseded_by"),
        expiry_warned=bool(item.get("expiry_warned", False)),
        version=int(item["version"]),
    )


def upload_to_item(upload: Upload) -> dict:
    return {
        **schema.upload_key(upload.company_id, upload.id),
        "type": "UPLOAD",
        "id": upload.id,
        "company_id": upload.company_id,
        "doc_type": upload.doc_type,
        "key": upload.key,
        "filename": upload.filename,
        "content_type": upload.content_type,
        "expires_on": upload.expires_on.isoformat() if upload.expires_on else None,
        "created_by": upload.created_by,
        "created_at": iso(upload.created_at),
        "valid_until": iso(upload.valid_until),
        # Kept a day past its validity, so a late confirm gets a clear "expired" answer.
        schema.TTL_ATTRIBUTE: int(upload.valid_until.timestamp()) + 86_400,
    }


def upload_from_item(item: dict) -> Upload:
    return Upload(
        id=item["id"],
        company_id=item["company_id"],
        doc_type=item["doc_type"],
        key=item["key"],
        filename=item["filename"],
        content_type=item["content_type"],
        expires_on=_day(item.get("expires_on")),
        created_by=item["created_by"],
        created_at=parse_iso(item["created_at"]),
        valid_until=parse_iso(item["valid_until"]),
    )


class CompanyStore:
    """Companies, documents and uploads in the one table."""

    def __init__(self, table: Table):
        self.table = table

    @property
    def _client(self):
        return self.table.client

    def _versioned(self, item: dict, expected_version: int) -> dict:
        return self.table._put_versioned(item, expected_version)

    def _new(self, item: dict) -> dict:
        return self.table._put_new(item)

    def _check_version(self, key: dict, expected_version: int) -> dict:
        return {
            "ConditionCheck": {
                "TableName": self.table.name,
                "Key": serialise(key),
                "ConditionExpression": "#v = :expected",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": serialise({":expected": expected_version}),
            }
        }

    def _guard(self, key: dict, company_id: str) -> dict:
        return self._new({**key, "type": "GUARD", "company_id": company_id})

    def _delete(self, key: dict) -> dict:
        return {"Delete": {"TableName": self.table.name, "Key": serialise(key)}}

    # -- registration ------------------------------------------------------------

    # Element order of ``create``: the service maps ConditionFailed.reasons by it.
    CREATE_EMAIL_GUARD, CREATE_NPWP_GUARD, CREATE_NIB_GUARD, CREATE_IDEMPOTENCY = 1, 4, 5, 7

    def create(
        self,
        user: User,
        company: Company,
        user_audit: AuditEvent,
        company_audit: AuditEvent,
        idempotency: dict | None = None,
    ) -> None:
        """Account, company and their guards in one transaction: all or nothing."""
        profile = company.profile
        elements = [
            self._new(user_to_item(user)),
            self._new({**schema.email_key(user.email), "type": "EMAIL_GUARD", "user_id": user.id}),
            self._new(audit_to_item(user_audit)),
            self._new(audit_to_item(company_audit)),
            self._guard(schema.npwp_guard_key(profile["npwp"]), company.id),
            self._guard(schema.nib_guard_key(profile["nib"]), company.id),
            self._new(company_to_item(company)),
        ]
        if idempotency is not None:
            elements.append(self._new(idempotency))
        self.table.transact(elements)

    def idempotency_record(self, scope: str, key: str) -> dict | None:
        return self.table._get(schema.idempotency_key(scope, key))

    def idempotency_item(self, scope: str, key: str, request_hash: str, result: dict, expires_at: datetime) -> dict:
        return {
            **schema.idempotency_key(scope, key),
            "type": "IDEMPOTENCY",
            "request_hash": request_hash,
            "result": result,
            schema.TTL_ATTRIBUTE: int(expires_at.timestamp()),
        }

    # -- companies -------------------------------------------------------------------

    def get(self, company_id: str) -> Company | None:
        item = self.table._get(schema.company_key(company_id))
        return company_from_item(item) if item else None

    def save(
        self,
        company: Company,
        expected_version: int,
        audit: AuditEvent,
        extra: Iterable[dict] = (),
    ) -> None:
        """Replace a company if nobody changed it since ``expected_version``; element 0 is the lock."""
        self.table.transact([self._versioned(company_to_item(company), expected_version),
                             self._new(audit_to_item(audit)), *extra])

    def move_guard_elements(self, kind: str, old: str, new: str, company_id: str) -> list[dict]:
        """Elements that move an NPWP or NIB guard when the profile changes it."""
        key = {"npwp": schema.npwp_guard_key, "nib": schema.nib_guard_key}[kind]
        return [self._delete(key(old)), self._guard(key(new), company_id)]

    def by_status(self, status: CompanyStatus, limit: int = 50, after: str | None = None,
                  media_type: str | None = None) -> tuple[list[Company], str | None]:
        """Companies in a status, the longest waiting first; returns a cursor for the next page."""
        kwargs: dict = {
            "TableName": self.table.name,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk" + (" AND GSI1SK > :after" if after else ""),
            "ExpressionAttributeValues": {":pk": f"COMPANY_STATUS#{status.value}"},
            "ScanIndexForward": True,
        }
        if after:
            kwargs["ExpressionAttributeValues"][":after"] = after
        if media_type:
            kwargs["FilterExpression"] = "media_type = :media"
            kwargs["ExpressionAttributeValues"][":media"] = media_type
        kwargs["ExpressionAttributeValues"] = serialise(kwargs["ExpressionAttributeValues"])
        companies: list[Company] = []
        last_sort_key = None
        while len(companies) < limit:
            response = self._client.query(**kwargs, Limit=limit)
            for raw in response["Items"]:
                item = deserialise(raw)
                companies.append(company_from_item(item))
                last_sort_key = item["GSI1SK"]
                if len(companies) == limit:
                    break
            if "LastEvaluatedKey" not in response:
                if len(companies) < limit:
                    last_sort_key = None
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return companies, (last_sort_key if len(companies) == limit else None)

    def all_by_status(self, status: CompanyStatus) -> list[Company]:
        companies, cursor = self.by_status(status, limit=500)
        while cursor:
            more, cursor = self.by_status(status, limit=500, after=cursor)
            companies.extend(more)
        return companies

    # -- uploads ---------------------------------------------------------------------

    def put_upload(self, upload: Upload) -> None:
        self._client.put_item(TableName=self.table.name, Item=serialise(upload_to_item(upload)))

    def get_upload(self, company_id: str, upload_id: str) -> Upload | None:
        item = self.table._get(schema.upload_key(company_id, upload_id))
        return upload_from_item(item) if item else None

    def delete_upload(self, company_id: str, upload_id: str) -> None:
        self._client.delete_item(TableName=self.table.name, Key=serialise(schema.upload_key(company_id, upload_id)))

    # -- documents ---------------------------------------------------------------------

    def documents(self, company_id: str) -> tuple[dict[str, Document], list[Document]]:
        """(current document per type, every document newest first) in one query."""
        kwargs = {
            "TableName": self.table.name,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :doc)",
            "ExpressionAttributeValues": serialise({":pk": schema.company_partition(company_id), ":doc": "DOC"}),
            "ConsistentRead": True,
        }
        pointers: dict[str, str] = {}
        history: list[Document] = []
        while True:
            response = self._client.query(**kwargs)
            for raw in response["Items"]:
                item = deserialise(raw)
                if item["SK"].startswith("DOCCUR#"):
                    pointers[item["doc_type"]] = item["document_id"]
                else:
                    history.append(document_from_item(item))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        by_id = {d.id: d for d in history}
        current = {t: by_id[i] for t, i in pointers.items() if i in by_id}
        history.sort(key=lambda d: d.id, reverse=True)
        return current, history

    def get_document(self, company_id: str, doc_type: str, document_id: str) -> Document | None:
        item = self.table._get(schema.document_key(company_id, doc_type, document_id))
        return document_from_item(item) if item else None

    # Element order of ``add_document``: 0 pointer, 1 new document, 2 upload, 3 audit[, 4 superseded].
    ADD_POINTER, ADD_UPLOAD = 0, 2

    def add_document(self, document: Document, previous: Document | None, upload: Upload,
                     audit: AuditEvent, company_version_check: tuple[str, int]) -> None:
        """The new document becomes current; the previous one is kept, marked superseded."""
        pointer_key = schema.current_document_key(document.company_id, document.doc_type)
        pointer = {"Put": {
            "TableName": self.table.name,
            "Item": serialise({**pointer_key, "type": "DOCUMENT_POINTER", "doc_type": document.doc_type,
                               "document_id": document.id}),
            "ConditionExpression": "attribute_not_exists(PK)" if previous is None else "document_id = :previous",
        }}
        if previous is not None:
            pointer["Put"]["ExpressionAttributeValues"] = serialise({":previous": previous.id})
        elements = [
            pointer,
            self._new(document_to_item(document)),
            {"Delete": {
                "TableName": self.table.name,
                "Key": serialise(schema.upload_key(upload.company_id, upload.id)),
                "ConditionExpression": "attribute_exists(PK)",
            }},
            self._new(audit_to_item(audit)),
        ]
        if previous is not None:
            superseded = replace(previous, superseded_by=document.id, version=previous.version + 1)
            elements.append(self._versioned(document_to_item(superseded), previous.version))
        company_id, version = company_version_check
        elements.append(self._check_version(schema.company_key(company_id), version))
        self.table.transact(elements)

    def save_document(self, document: Document, expected_version: int, audit: AuditEvent | None,
                      extra: Iterable[dict] = ()) -> None:
        elements = [self._versioned(document_to_item(document), expected_version), *extra]
        if audit is not None:
            elements.append(self._new(audit_to_item(audit)))
        self.table.transact(elements)

    def company_version_check(self, company_id: str, version: int) -> dict:
        return self._check_version(schema.company_key(company_id), version)

    def document_version_check(self, document: Document) -> dict:
        return self._check_version(schema.document_key(document.company_id, document.doc_type, document.id),
                                   document.version)

    def documents_expiring(self, on_or_before: date) -> list[Document]:
        """Current documents whose validity ends on or before the date, soonest first."""
        kwargs = {
            "TableName": self.table.name,
            "IndexName": "GSI3",
            "KeyConditionExpression": "GSI3PK = :pk AND GSI3SK < :until",
            # "~" sorts after the "#company#document" part of every key on that date.
            "ExpressionAttributeValues": serialise({":pk": schema.DOCUMENT_EXPIRY_PARTITION,
                                                    ":until": f"{on_or_before.isoformat()}~"}),
        }
        found: list[Document] = []
        while True:
            response = self._client.query(**kwargs)
            found.extend(document_from_item(deserialise(i)) for i in response["Items"])
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
