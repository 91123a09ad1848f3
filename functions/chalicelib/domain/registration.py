"""A press company's registration before its email address is proven.

Registering writes nothing the world can see: the form's data waits as a
``PendingRegistration`` until the link mailed to the address is followed.
Only then are the account, the DRAFT company and their guards created, so
the registration form answers the same whether or not an address (or an
NPWP, NIB, …) is already known, and nobody can hold another's address or
identifiers by registering with them and walking away (a pending one
expires after ``ACTIVATION_DAYS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ACTIVATION_DAYS = 3


@dataclass(frozen=True)
class PendingRegistration:
    token_hash: str
    email: str
    name: str
    password_hash: str  # argon2, as the account will keep it
    profile: dict  # CompanyProfile in JSON form, validated when the form was sent
    created_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=ACTIVATION_DAYS)

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at
