"""Storage of release distributions (one per release and partner) and of saved recipient lists (no rules here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.distribution import Distribution, KitVariant
from ..domain.outbox import OutboxMessage
from . import schema
from .outbox import message_to_item
from .table import ConditionFailed, Table, iso, parse_iso

# Recipients per transaction: a distribution and its mail each, and DynamoDB takes 100 elements
# (and 4 MB: a release's mail is a few tens of KB).
BATCH = 40


def distribution_to_item(d: Distribution) -> dict:
    return {**schema.distribution_key(d.slug, d.company_id),
            **schema.distribution_company_keys(d.company_id, iso(d.at), d.slug),
            "type": "DISTRIBUTION", "slug": d.slug, "company_id": d.company_id, "media_name": d.media_name,
            "email": d.email, "variant": d.variant.value, "mail_id": d.mail_id, "by": d.by, "at": iso(d.at)}


def distribution_from_item(item: dict) -> Distribution:
    return Distribution(slug=item["slug"], company_id=item["company_id"], media_name=item["media_name"],
                        email=item["email"], variant=KitVariant(item["variant"]), mail_id=item["mail_id"],
                        by=item["by"], at=parse_iso(item["at"]))


@dataclass(frozen=True)
class RecipientList:
    id: str
    name: str
    company_ids: tuple[str, ...]
    updated_at: datetime
    updated_by: str
    version: int = 1


def _list_to_item(r: RecipientList) -> dict:
    return {**schema.recipient_list_key(r.id), **schema.recipient_list_index_keys(r.name, r.id),
            "type": "RECIPIENT_LIST", "id": r.id, "name": r.name, "company_ids": list(r.company_ids),
            "updated_at": iso(r.updated_at), "updated_by": r.updated_by, "version": r.version}


def _list_from_item(item: dict) -> RecipientList:
    return RecipientList(id=item["id"], name=item["name"], company_ids=tuple(item["company_ids"]),
                         updated_at=parse_iso(item["updated_at"]), updated_by=item["updated_by"],
                         version=int(item["version"]))


class DistributionStore:
    def __init__(self, table: Table):
        self.table = table

    def of_release(self, slug: str) -> list[Distribution]:
        items = self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                                 values={":pk": schema.release_partition(slug), ":prefix": schema.DISTRIBUTION_PREFIX})
        return [distribution_from_item(i) for i in items]

    def of_company(self, company_id: str, limit: int = 50) -> list[Distribution]:
        items, _ = self.table.query_page(
            IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :prefix)",
            values={":pk": schema.company_partition(company_id), ":prefix": schema.DISTRIBUTION_PREFIX},
            ScanIndexForward=False, Limit=limit)
        return [distribution_from_item(i) for i in items]

    def record(self, pairs: list[tuple[Distribution, OutboxMessage]]) -> list[Distribution]:
        """Write each distribution with its mail, in batches; returns those written now.

        A partner that already has this release (an earlier send, or a concurrent one) is
        left out, so each is sent once whatever is retried: the batch is written again
        without it.
        """
        written: list[Distribution] = []
        for start in range(0, len(pairs), BATCH):
            batch = pairs[start:start + BATCH]
            while batch:
                try:
                    self.table.transact([
                        element for d, m in batch for element in (
                            (d.company_id, self.table.put_new(distribution_to_item(d))),
                            ("mail", self.table.put_new(message_to_item(m))))])
                except ConditionFailed as failure:
                    taken = {d.company_id for d, _ in batch if failure.refused_by(d.company_id)}
                    if not taken:
                        raise  # lost to a concurrent write that is not ours to judge: the caller retries
                    batch = [(d, m) for d, m in batch if d.company_id not in taken]
                    continue
                written.extend(d for d, _ in batch)
                break
        return written

    # -- saved recipient lists ---------------------------------------------------------------------

    def lists(self) -> list[RecipientList]:
        items = self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                 values={":pk": schema.RECIPIENT_LISTS_PARTITION})
        return [_list_from_item(i) for i in items]

    def get_list(self, list_id: str) -> RecipientList | None:
        item = self.table.get(schema.recipient_list_key(list_id))
        return _list_from_item(item) if item else None

    def save_list(self, recipients: RecipientList, expected_version: int | None) -> None:
        """Create (``expected_version`` None) or replace an unchanged list; ConditionFailed otherwise."""
        item = _list_to_item(recipients)
        element = self.table.put_new(item) if expected_version is None else self.table.put_versioned(
            item, expected_version)
        self.table.transact([element])

    def delete_list(self, list_id: str) -> None:
        self.table.delete(schema.recipient_list_key(list_id))
