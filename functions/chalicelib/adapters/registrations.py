"""Storage of registrations waiting for their address to be proven (no rules here)."""

from __future__ import annotations

import json

from ..domain.registration import PendingRegistration
from . import schema
from .outbox import queue_elements
from .table import Table, iso, parse_iso


def pending_to_item(p: PendingRegistration) -> dict:
    return {**schema.pending_registration_key(p.token_hash), "type": "PENDING_REGISTRATION", "email": p.email,
            "name": p.name, "password_hash": p.password_hash,
            # JSON text, as on the company: the profile has floats (GPS).
            "profile": json.dumps(p.profile, ensure_ascii=False, sort_keys=True),
            "created_at": iso(p.created_at), schema.TTL_ATTRIBUTE: int(p.expires_at.timestamp())}


def pending_from_item(item: dict) -> PendingRegistration:
    return PendingRegistration(token_hash=item["PK"].split("#", 1)[1], email=item["email"], name=item["name"],
                               password_hash=item["password_hash"], profile=json.loads(item["profile"]),
                               created_at=parse_iso(item["created_at"]))


class PendingRegistrationStore:
    def __init__(self, table: Table):
        self.table = table

    def get(self, token_hash: str) -> PendingRegistration | None:
        item = self.table.get(schema.pending_registration_key(token_hash))
        return pending_from_item(item) if item else None

    def write(self, pending: PendingRegistration | None, mail=(), idempotency: dict | None = None) -> None:
        """The pending registration (if any) with its mail and idempotency record, in one transaction.
        With no pending registration, only the mail (the address already has an account)."""
        elements = [*([self.table.put_new(pending_to_item(pending))] if pending else []),
                    *queue_elements(self.table, mail)]
        if idempotency is not None:
            elements.append(("idempotency", idempotency))
        self.table.transact(elements)

    def used_up(self, token_hash: str) -> tuple[str, dict]:
        """The element that removes it in the activation's transaction (named ``"pending"``; once only)."""
        return "pending", self.table.remove(schema.pending_registration_key(token_hash), must_exist=True)

    def forget(self, token_hash: str) -> None:
        self.table.delete(schema.pending_registration_key(token_hash))
