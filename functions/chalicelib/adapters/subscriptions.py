"""Storage of the newsroom's subscribers and of the alerts already sent to them (no rules here)."""

from __future__ import annotations

from datetime import datetime

from ..domain.outbox import OutboxMessage
from ..domain.subscriptions import Frequency, Subscriber, SubscriberStatus
from . import schema
from .outbox import message_to_item
from .table import ConditionFailed, Table, iso, parse_iso

# Subscribers per transaction when alerting: a guard and a mail each, and DynamoDB takes 100 elements.
BATCH = 50


def subscriber_to_item(s: Subscriber) -> dict:
    item = {**schema.subscriber_key(s.email), "type": "SUBSCRIBER", "email": s.email,
            "categories": list(s.categories), "frequency": s.frequency.value, "status": s.status.value,
            "token": s.token, "created_at": iso(s.created_at),
            "confirmed_at": iso(s.confirmed_at) if s.confirmed_at else None, "version": s.version}
    if s.status == SubscriberStatus.CONFIRMED and s.confirmed_at:
        item |= schema.subscriber_index_keys(s.frequency.value, iso(s.confirmed_at), s.email)
    if s.expires_at:
        item[schema.TTL_ATTRIBUTE] = int(s.expires_at.timestamp())
    return item


def subscriber_from_item(item: dict) -> Subscriber:
    return Subscriber(email=item["email"], categories=tuple(item.get("categories") or ()),
                      frequency=Frequency(item["frequency"]), status=SubscriberStatus(item["status"]),
                      token=item["token"], created_at=parse_iso(item["created_at"]),
                      confirmed_at=parse_iso(item["confirmed_at"]) if item.get("confirmed_at") else None,
                      version=int(item["version"]))


class SubscriberStore:
    def __init__(self, table: Table):
        self.table = table

    def get(self, email: str) -> Subscriber | None:
        item = self.table.get(schema.subscriber_key(email))
        return subscriber_from_item(item) if item else None

    def by_token(self, token_hash: str) -> Subscriber | None:
        pointer = self.table.get(schema.subscriber_token_key(token_hash))
        if pointer is None:
            return None
        subscriber = self.get(pointer["email"])
        return subscriber if subscriber and subscriber.token_hash == token_hash else None

    def _token_item(self, s: Subscriber) -> dict:
        item = {**schema.subscriber_token_key(s.token_hash), "type": "SUBSCRIBER_TOKEN", "email": s.email}
        if s.expires_at:
            item[schema.TTL_ATTRIBUTE] = int(s.expires_at.timestamp())
        return item

    def save(self, subscriber: Subscriber, previous: Subscriber | None, mail: tuple[OutboxMessage, ...]) -> None:
        """Write a new or changed subscriber, its token pointer and its mail in one transaction.
        ConditionFailed when another request changed it first."""
        item = subscriber_to_item(subscriber)
        token = self._token_item(subscriber)
        new_token = previous is None or previous.token_hash != subscriber.token_hash
        elements = [self.table.put_new(item) if previous is None else self.table.put_versioned(item, previous.version),
                    # The same token (a confirmation): rewritten without its expiry, and it must still be there.
                    self.table.put_new(token) if new_token else self.table.put_if(token, "attribute_exists(PK)"),
                    *[self.table.put_new(message_to_item(m)) for m in mail]]
        if previous is not None and new_token:
            elements.append(self.table.remove(schema.subscriber_token_key(previous.token_hash)))
        self.table.transact(elements)

    def queue_mail(self, mail: tuple[OutboxMessage, ...]) -> None:
        self.table.transact([self.table.put_new(message_to_item(m)) for m in mail])

    def delete(self, subscriber: Subscriber) -> None:
        """Forget the address: the subscriber and its token (its alerts' guards hold only a hash)."""
        self.table.transact([self.table.remove(schema.subscriber_key(subscriber.email)),
                             self.table.remove(schema.subscriber_token_key(subscriber.token_hash))])

    def confirmed(self, frequency: Frequency, until: datetime) -> list[Subscriber]:
        """Confirmed subscribers of one frequency who confirmed at or before ``until``."""
        items = self.table.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk AND GSI1SK <= :until",
                                 values={":pk": schema.subscribers_partition(frequency.value),
                                         ":until": f"{iso(until)}#~"})
        return [subscriber_from_item(i) for i in items]

    def count(self, frequency: Frequency) -> int:
        return self.table.count(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                                values={":pk": schema.subscribers_partition(frequency.value)})

    # -- alerts sent once ---------------------------------------------------------------------------

    def record_notices(self, guards: list[tuple[dict, OutboxMessage]], keep_until: datetime) -> int:
        """Write each (guard key, mail) pair unless its guard exists; in batches; returns how many were new.
        The guards may go after ``keep_until`` (by TTL)."""
        expires = {schema.TTL_ATTRIBUTE: int(keep_until.timestamp())}
        written = 0
        for start in range(0, len(guards), BATCH):
            batch = guards[start:start + BATCH]
            while batch:
                try:
                    self.table.transact([element for n, (key, m) in enumerate(batch) for element in (
                        (str(n), self.table.put_new({**key, "type": "NOTICE", **expires})),
                        ("mail", self.table.put_new(message_to_item(m))))])
                except ConditionFailed as failure:
                    taken = {n for n in range(len(batch)) if failure.refused_by(str(n))}
                    if not taken:  # a conflict with another writer, no guard refused: the caller leaves it
                        raise
                    batch = [pair for n, pair in enumerate(batch) if n not in taken]
                    continue
                written += len(batch)
                break
        return written

    def done(self, key: dict) -> bool:
        return self.table.get(key) is not None

    def done_at(self, key: dict) -> datetime | None:
        item = self.table.get(key)
        return parse_iso(item["at"]) if item else None

    def mark_done(self, key: dict, at: datetime, keep_until: datetime) -> None:
        self.table.put({**key, "type": "DONE", "at": iso(at), schema.TTL_ATTRIBUTE: int(keep_until.timestamp())})
