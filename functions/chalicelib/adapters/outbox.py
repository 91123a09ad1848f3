"""Storage of outgoing mail: the outbox items, their queue, and the addresses not to write to (no rules here).

A message enters the table as one more element of the transaction that
records its cause (``queue_elements``); the worker then claims, sends and
settles it with single conditional writes on its ``version``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.outbox import Mail, MailStatus, OutboxMessage
from . import schema
from .table import ConditionFailed, Table, iso, parse_iso

# A settled message (sent, failed…) is kept this long for the delivery log, then DynamoDB removes it.
KEEP_SETTLED = timedelta(days=180)


def message_to_item(m: OutboxMessage) -> dict:
    since = m.next_attempt_at if m.status == MailStatus.QUEUED else m.updated_at
    item = {
        **schema.mail_key(m.id),
        **schema.mail_index_keys(m.status.value, iso(since), m.id, m.mail.about, m.provider_id),
        "type": "MAIL", "id": m.id, "status": m.status.value,
        "to": m.mail.to, "subject": m.mail.subject, "text": m.mail.text, "html": m.mail.html,
        "kind": m.mail.kind, "about": list(m.mail.about) if m.mail.about else None,
        "headers": [list(h) for h in m.mail.headers] or None,
        "created_at": iso(m.created_at), "updated_at": iso(m.updated_at), "next_attempt_at": iso(m.next_attempt_at),
        "attempts": m.attempts, "sent_at": iso(m.sent_at) if m.sent_at else None, "last_error": m.last_error,
        "provider_id": m.provider_id, "history": [list(h) for h in m.history], "version": m.version,
    }
    if m.status != MailStatus.QUEUED:
        item[schema.TTL_ATTRIBUTE] = int((m.updated_at + KEEP_SETTLED).timestamp())
    return item


# What a delivery log reads: everything but the text and HTML of the mail.
_WITHOUT_BODY = ("id", "status", "to", "subject", "kind", "about", "headers", "created_at", "updated_at",
                 "next_attempt_at", "attempts", "sent_at", "last_error", "provider_id", "history", "version")


def message_from_item(item: dict) -> OutboxMessage:
    """A message as stored; read without its body (see ``OutboxStore.about``) its text is empty."""
    mail = Mail(to=item["to"], subject=item["subject"], text=item.get("text", ""), kind=item["kind"],
                about=tuple(item["about"]) if item.get("about") else None, html=item.get("html"),
                headers=tuple(tuple(h) for h in item.get("headers") or ()))
    return OutboxMessage(
        id=item["id"], mail=mail, status=MailStatus(item["status"]), created_at=parse_iso(item["created_at"]),
        updated_at=parse_iso(item["updated_at"]), next_attempt_at=parse_iso(item["next_attempt_at"]),
        attempts=int(item["attempts"]), sent_at=parse_iso(item["sent_at"]) if item.get("sent_at") else None,
        last_error=item.get("last_error"), provider_id=item.get("provider_id"),
        history=tuple(tuple(h) for h in item.get("history") or ()), version=int(item["version"]),
    )


def queue_elements(table: Table, messages) -> list[tuple[str, dict]]:
    """Transaction elements that queue ``messages`` beside the change that causes them (each store's
    writes take a ``mail`` argument and add these)."""
    return [("mail", table.put_new(message_to_item(m))) for m in messages]


class OutboxStore:
    def __init__(self, table: Table):
        self.table = table

    def get(self, message_id: str) -> OutboxMessage | None:
        item = self.table.get(schema.mail_key(message_id))
        return message_from_item(item) if item else None

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Queued messages whose next attempt has come, the longest waiting first."""
        items, _ = self.table.query_page(
            IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK <= :now",
            values={":pk": schema.mail_status_partition(MailStatus.QUEUED.value), ":now": f"{iso(now)}#~"},
            Limit=limit)
        return [message_from_item(i) for i in items]

    def count_by_status(self, status: MailStatus) -> int:
        return self.table.count(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                values={":pk": schema.mail_status_partition(status.value)})

    def by_status(self, status: MailStatus, limit: int = 100) -> list[OutboxMessage]:
        """Newest first."""
        items, _ = self.table.query_page(
            IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
            values={":pk": schema.mail_status_partition(status.value)}, ScanIndexForward=False, Limit=limit)
        return [message_from_item(i) for i in items]

    def about(self, entity: str, entity_id: str, with_body: bool = True) -> list[OutboxMessage]:
        """Every mail about one entity, oldest first; without the bodies (``with_body=False``) a
        release's thousand mails are a delivery log of kilobytes, not megabytes."""
        projection = {} if with_body else {
            "ProjectionExpression": ", ".join(f"#{n}" for n in _WITHOUT_BODY),
            "ExpressionAttributeNames": {f"#{n}": n for n in _WITHOUT_BODY}}
        items = self.table.query(
            IndexName="GSI2", KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :prefix)",
            values={":pk": schema.mail_about_partition(entity, entity_id), ":prefix": schema.MAIL_ABOUT_PREFIX},
            **projection)
        return [message_from_item(i) for i in items]

    def by_provider_id(self, provider_id: str) -> OutboxMessage | None:
        items = self.table.query(IndexName="GSI3", KeyConditionExpression="GSI3PK = :pk",
                                 values={":pk": schema.mail_provider_partition(provider_id)})
        return message_from_item(items[0]) if items else None

    def save(self, message: OutboxMessage, expected_version: int) -> bool:
        """Write the message's new state unless another worker moved it first (then False)."""
        try:
            self.table.transact([self.table.put_versioned(message_to_item(message), expected_version)])
        except ConditionFailed:
            return False
        return True

    # -- addresses that bounce or complain ------------------------------------------------------

    def suppress(self, address: str, reason: str, at: datetime) -> None:
        self.table.put({**schema.suppressed_address_key(address), "type": "MAIL_SUPPRESSED", "reason": reason,
                        "at": iso(at)})

    def suppression(self, address: str) -> str | None:
        """Why mail to ``address`` is not sent, or None when it may be."""
        item = self.table.get(schema.suppressed_address_key(address))
        return item["reason"] if item else None

    def lift_suppression(self, address: str) -> None:
        self.table.delete(schema.suppressed_address_key(address))
