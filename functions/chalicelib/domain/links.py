"""Secret links sent by mail (activating a registration, confirming a subscription, unsubscribing).

The token is the only proof: whoever opens the mail holds it. Lookups go
by its SHA-256, so a key in the table never holds a usable token.
"""

from __future__ import annotations

import hashlib
import secrets


def new_link_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, URL-safe


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_looks_valid(token: str, longest: int = 100) -> bool:
    """A token as ``new_link_token`` makes them: worth a lookup at all."""
    return bool(token) and len(token) <= longest and token.replace("-", "").replace("_", "").isalnum()
