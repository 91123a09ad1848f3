"""Storage of press companies and their documents (no rules here).

Every write that must not half-happen is one ``TransactWriteItems``: the
activation of a registration (account, company, NPWP/NIB/email guards,
audit lines, the pending registration used up), a confirmed upload (new document, the "current" pointer,
the superseded one, the pending upload used up, audit), each review and each
decision (with the optimistic-lock condition on ``version``). Elements are
named, so ``ConditionFailed.refused_by("npwp_guard")`` tells the service which
guard refused. Pending uploads are in ``uploads.py``, like every upload kind's.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Iterable

from ..domain.accounts import AuditEvent, User
from ..domain.documents import Document, DocumentStatus, PendingUpload
from ..domain.press_company import Company, CompanyStatus
from . import schema
from .outbox import queue_elements
from .table import Table, audit_to_item, iso, parse_iso, user_to_item
from .uploads import PendingUploadStore


# What one company alone may hold, each with the key of its guard item.
GUARDED = {"npwp": schema.npwp_guard_key, "nib": schema.nib_guard_key,
           "bank_account": schema.bank_account_guard_key, "sk_kemenkumham": schema.sk_guard_key}


def guarded_value(kind: str, profile: dict) -> str:
    return profile["bank_account"]["number"] if kind == "bank_account" else profile[kind]


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
        "identity_clashes": list(company.identity_clashes) or None,
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
        identity_clashes=tuple(item.get("identity_clashes") or ()),
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


class CompanyStore:
    """Companies, documents and uploads in the one table."""

    def __init__(self, table: Table, uploads: PendingUploadStore):
        self.table = table
        self.uploads = uploads

    def _guard(self, key: dict, company_id: str) -> dict:
        return self.table.put_new({**key, "type": "GUARD", "company_id": company_id})

    # -- registration ------------------------------------------------------------

    def create(
        self,
        user: User,
        company: Company,
        user_audit: AuditEvent,
        company_audit: AuditEvent,
        used_up: tuple[str, dict] | None = None,
    ) -> None:
        """Account, company and their guards in one transaction: all or nothing.

        No guard is written for the kinds in ``company.identity_clashes`` (another company holds
        them). ``used_up`` is the element that removes what the account is made from (a pending
        registration). A refusal names ``"email_guard"``, ``"<kind>_guard"`` for each kind of
        ``GUARDED``, or the name of ``used_up``.
        """
        profile = company.profile
        elements = [
            ("user", self.table.put_new(user_to_item(user))),
            ("email_guard", self.table.put_new({**schema.email_key(user.email), "type": "EMAIL_GUARD",
                                                "user_id": user.id})),
            self.table.put_new(audit_to_item(user_audit)),
            self.table.put_new(audit_to_item(company_audit)),
            *[(f"{kind}_guard", self._guard(key(guarded_value(kind, profile)), company.id))
              for kind, key in GUARDED.items() if kind not in company.identity_clashes],
            ("company", self.table.put_new(company_to_item(company))),
        ]
        if used_up is not None:
            elements.append(used_up)
        self.table.transact(elements)

    # -- companies -------------------------------------------------------------------

    def get(self, company_id: str) -> Company | None:
        item = self.table.get(schema.company_key(company_id))
        return company_from_item(item) if item else None

    def save(
        self,
        company: Company,
        expected_version: int,
        audit: AuditEvent,
        extra: Iterable[dict] = (),
        mail=(),
    ) -> None:
        """Replace a company if nobody changed it since ``expected_version``; ``mail`` is queued with it.

        A refusal names ``"company"`` when the version moved on; ``extra``
        elements may be named too (``move_guard_elements`` names its guards).
        """
        self.table.transact([("company", self.table.put_versioned(company_to_item(company), expected_version)),
                             self.table.put_new(audit_to_item(audit)), *extra, *queue_elements(self.table, mail)])

    def move_guard_elements(self, before: Company, after: Company) -> list[tuple[str, dict]]:
        """Elements that bring the guards from ``before`` to ``after``: release each guard the company held
        for a value it no longer has, and take one for each value it has but does not hold yet (named
        ``"<kind>_guard"``: refused when another company holds it). A kind in ``identity_clashes`` is
        not held: its guard is another company's and is never removed here; a removal is also refused
        (``"<kind>_old_guard"``) when the guard turns out to be another's."""
        elements = []
        for kind, key in GUARDED.items():
            old, new = key(guarded_value(kind, before.profile)), key(guarded_value(kind, after.profile))
            held, hold = kind not in before.identity_clashes, kind not in after.identity_clashes
            if held and (old != new or not hold):
                # Only ever our own: a company from before a guard existed may not hold the one it seems to.
                elements.append((f"{kind}_old_guard", self.table.remove_if(old, "company_id = :me",
                                                                           {":me": after.id})))
            if hold and (old != new or not held):
                elements.append((f"{kind}_guard", self._guard(new, after.id)))
        return elements

    def guard_holder(self, kind: str, profile: dict) -> str | None:
        """The company that holds the guard of this profile's value of ``kind``, if any."""
        item = self.table.get(GUARDED[kind](guarded_value(kind, profile)))
        return item["company_id"] if item else None

    def count_by_status(self, status: CompanyStatus) -> int:
        return self.table.count(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                values={":pk": schema.company_status_partition(status.value)})

    def by_status(self, status: CompanyStatus, limit: int = 50, after: str | None = None,
                  media_type: str | None = None) -> tuple[list[Company], str | None]:
        """Companies in a status, the longest waiting first; returns a cursor for the next page."""
        query: dict = {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk" + (" AND GSI1SK > :after" if after else ""),
            "ScanIndexForward": True,
        }
        values = {":pk": schema.company_status_partition(status.value)}
        if after:
            values[":after"] = after
        if media_type:
            query["FilterExpression"] = "media_type = :media"
            values[":media"] = media_type
        companies: list[Company] = []
        last_sort_key = None
        start = None
        while len(companies) < limit:
            page, start = self.table.query_page(**query, values=values, start=start, Limit=limit)
            for item in page:
                companies.append(company_from_item(item))
                last_sort_key = item["GSI1SK"]
                if len(companies) == limit:
                    break
            if start is None:
                if len(companies) < limit:
                    last_sort_key = None
                break
        return companies, (last_sort_key if len(companies) == limit else None)

    def all_by_status(self, status: CompanyStatus) -> list[Company]:
        companies, cursor = self.by_status(status, limit=500)
        while cursor:
            more, cursor = self.by_status(status, limit=500, after=cursor)
            companies.extend(more)
        return companies

    # -- documents ---------------------------------------------------------------------

    def documents(self, company_id: str) -> tuple[dict[str, Document], list[Document]]:
        """(current document per type, every document newest first) in one query."""
        items = self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :doc)",
                                 values={":pk": schema.company_partition(company_id), ":doc": schema.DOCUMENT_ITEMS_PREFIX},
                                 ConsistentRead=True)
        pointers: dict[str, str] = {}
        history: list[Document] = []
        for item in items:
            if item["type"] == "DOCUMENT_POINTER":
                pointers[item["doc_type"]] = item["document_id"]
            else:
                history.append(document_from_item(item))
        by_id = {d.id: d for d in history}
        current = {t: by_id[i] for t, i in pointers.items() if i in by_id}
        history.sort(key=lambda d: d.id, reverse=True)
        return current, history

    def get_document(self, company_id: str, doc_type: str, document_id: str) -> Document | None:
        item = self.table.get(schema.document_key(company_id, doc_type, document_id))
        return document_from_item(item) if item else None

    def add_document(self, document: Document, previous: Document | None, upload: PendingUpload,
                     audit: AuditEvent, company_version: int) -> None:
        """The new document becomes current; the previous one is kept, marked superseded.

        A refusal names ``"upload"`` when the upload was confirmed meanwhile
        (the pointer or a version moved otherwise).
        """
        pointer = {**schema.current_document_key(document.company_id, document.doc_type), "type": "DOCUMENT_POINTER",
                   "doc_type": document.doc_type, "document_id": document.id}
        elements = [
            ("pointer", self.table.put_new(pointer) if previous is None
             else self.table.put_if(pointer, "document_id = :previous", {":previous": previous.id})),
            self.table.put_new(document_to_item(document)),
            ("upload", self.uploads.use(upload)),
            self.table.put_new(audit_to_item(audit)),
        ]
        if previous is not None:
            superseded = replace(previous, superseded_by=document.id, version=previous.version + 1)
            elements.append(self.table.put_versioned(document_to_item(superseded), previous.version))
        elements.append(("company", self.company_version_check(document.company_id, company_version)))
        self.table.transact(elements)

    def save_document(self, document: Document, expected_version: int, audit: AuditEvent | None,
                      extra: Iterable[dict] = (), mail=()) -> None:
        elements = [self.table.put_versioned(document_to_item(document), expected_version), *extra,
                    *queue_elements(self.table, mail)]
        if audit is not None:
            elements.append(self.table.put_new(audit_to_item(audit)))
        self.table.transact(elements)

    def company_version_check(self, company_id: str, version: int) -> dict:
        return self.table.check_version(schema.company_key(company_id), version)

    def document_version_check(self, document: Document) -> dict:
        return self.table.check_version(schema.document_key(document.company_id, document.doc_type, document.id),
                                   document.version)

    def documents_expiring(self, on_or_before: date) -> list[Document]:
        """Current documents whose validity ends on or before the date, soonest first."""
        # "~" sorts after the "#company#document" part of every key on that date.
        items = self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk AND GSI3SK < :until",
                                 values={":pk": schema.DOCUMENT_EXPIRY_PARTITION,
                                         ":until": f"{on_or_before.isoformat()}~"})
        return [document_from_item(i) for i in items]
