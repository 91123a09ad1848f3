"""Idempotency-Key handling shared by the use cases that create something.

The first request with a key commits its record in the same transaction as
its change; the same key with the same body later (or at the same moment)
gets the first answer again; the same key with another body is refused.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from ..adapters.idempotency import IdempotencyStore
from ..errors import SeklikError

LIFETIME = timedelta(hours=24)


def request_hash(body: bytes | str) -> str:
    return hashlib.sha256(body.encode() if isinstance(body, str) else (body or b"")).hexdigest()


class Idempotency:
    def __init__(self, store: IdempotencyStore):
        self.store = store

    def replay(self, scope: str, key: str, digest: str, refusal: str) -> dict | None:
        """The first answer's result for this key, None if there is none yet; ``refusal`` for another body."""
        record = self.store.record(scope, key)
        if record is None:
            return None
        if record["request_hash"] != digest:
            raise SeklikError("IDEMPOTENCY_KEY_REUSED", refusal, 422)
        return record["result"]

    def element(self, scope: str, key: str, digest: str, result: dict, now: datetime) -> dict:
        return self.store.element(scope, key, digest, result, now + LIFETIME)
