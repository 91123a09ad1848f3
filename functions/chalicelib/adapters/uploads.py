"""Pending uploads of every kind, kept beside what they are for (no rules here).

A company document's upload lives in the company's partition, a proof's in
the order's, a signed agreement's in the agreement's; all have the same item
shape and the same TTL, and each is used up (deleted, on condition that it
still exists) in the transaction that records the file.
"""

from __future__ import annotations

from datetime import date

from ..domain.documents import PendingUpload
from . import schema
from .table import Table, iso, parse_iso

# What an upload may be for → the partition of that item.
OWNER_PARTITIONS = {
    "company": schema.company_partition,
    "order": schema.order_partition,
    "agreement": schema.agreement_partition,
    "invoice_attachment": schema.company_partition,  # before the invoice exists: beside the partner
    "invoice": schema.invoice_partition,  # its payment documents (SPP, SPM, SP2D)
}
# Kept a day past its validity, so a late confirm gets a clear "expired" answer.
GRACE_SECONDS = 86_400


def upload_key(owner_kind: str, owner_id: str, upload_id: str) -> dict:
    return schema.upload_key(OWNER_PARTITIONS[owner_kind](owner_id), upload_id)


def upload_to_item(upload: PendingUpload) -> dict:
    return {
        **upload_key(upload.owner_kind, upload.owner_id, upload.id),
        "type": "UPLOAD",
        "id": upload.id,
        "owner_kind": upload.owner_kind,
        "owner_id": upload.owner_id,
        "doc_type": upload.doc_type,
        "key": upload.key,
        "stored_key": upload.stored_key,
        "filename": upload.filename,
        "content_type": upload.content_type,
        "expires_on": upload.expires_on.isoformat() if upload.expires_on else None,
        "created_by": upload.created_by,
        "created_at": iso(upload.created_at),
        "valid_until": iso(upload.valid_until),
        schema.TTL_ATTRIBUTE: int(upload.valid_until.timestamp()) + GRACE_SECONDS,
    }


def upload_from_item(item: dict) -> PendingUpload:
    return PendingUpload(
        # Items written before uploads had kinds were company documents posted straight to their kept key.
        id=item["id"], owner_kind=item.get("owner_kind", "company"), owner_id=item.get("owner_id", item.get("company_id")),
        key=item["key"], stored_key=item.get("stored_key", item["key"]),
        filename=item["filename"], content_type=item["content_type"], created_by=item["created_by"],
        created_at=parse_iso(item["created_at"]), valid_until=parse_iso(item["valid_until"]),
        doc_type=item.get("doc_type"),
        expires_on=date.fromisoformat(item["expires_on"]) if item.get("expires_on") else None,
    )


class PendingUploadStore:
    def __init__(self, table: Table):
        self.table = table

    def put(self, upload: PendingUpload) -> None:
        self.table.put(upload_to_item(upload))

    def get(self, owner_kind: str, owner_id: str, upload_id: str) -> PendingUpload | None:
        """Only an upload granted for this kind (two kinds may share a partition)."""
        item = self.table.get(upload_key(owner_kind, owner_id, upload_id))
        return upload_from_item(item) if item and item.get("owner_kind", "company") == owner_kind else None

    def delete(self, upload: PendingUpload) -> None:
        self.table.delete(upload_key(upload.owner_kind, upload.owner_id, upload.id))

    def use(self, upload: PendingUpload) -> dict:
        """The transaction element that uses the upload up: it fails if the upload was used already."""
        return self.table.remove(upload_key(upload.owner_kind, upload.owner_id, upload.id), must_exist=True)
