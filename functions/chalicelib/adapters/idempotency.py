"""Idempotency records (TTL): the first answer to a request sent with an ``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime

from . import schema
from .table import Table


class IdempotencyStore:
    def __init__(self, table: Table):
        self.table = table

    def record(self, scope: str, key: str) -> dict | None:
        return self.table.get(schema.idempotency_key(scope, key))

    def element(self, scope: str, key: str, request_hash: str, result: dict, expires_at: datetime) -> dict:
        """The record, put new in the transaction of the change it answers for."""
        return self.table.put_new({
            **schema.idempotency_key(scope, key),
            "type": "IDEMPOTENCY",
            "request_hash": request_hash,
            "result": result,
            schema.TTL_ATTRIBUTE: int(expires_at.timestamp()),
        })
