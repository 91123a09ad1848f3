"""Email alerts for the newsroom's readers: subscribe, confirm by link, receive new releases, leave in one click.

A subscriber is an email address with its choice (all releases or some
categories; each release at once or a daily digest) and its confirmation
state, nothing more: the address is personal data. A subscription is
PENDING until the link in the confirmation mail is followed (double
opt-in; an unconfirmed one is deleted after ``PENDING_DAYS``), then
CONFIRMED. Every mail carries the subscriber's token in its unsubscribe link;
following it deletes the subscriber.

A subscriber hears only of releases published after it confirmed, so a new
subscriber is not sent the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from .links import token_hash
from .workflow import Verb, Workflow

PENDING_DAYS = 7
# A release is announced when it is this recent; older ones were the business of earlier runs.
ANNOUNCE_WINDOW = timedelta(days=3)
# The daily digest goes at this hour (WIB), with the releases of the 24 hours before.
DIGEST_HOUR_WIB = 7


class Frequency(str, Enum):
    IMMEDIATE = "immediate"
    DAILY = "daily"

    @property
    def label(self) -> str:
        return {"immediate": "setiap rilis terbit", "daily": "ringkasan harian"}[self.value]


class SubscriberStatus(str, Enum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"

    @property
    def label(self) -> str:
        return {"PENDING": "Menunggu konfirmasi", "CONFIRMED": "Aktif"}[self.value]


SUBSCRIPTION_WORKFLOW = Workflow.of(
    "subscription", SubscriberStatus,
    Verb("confirm", {SubscriberStatus.PENDING}, SubscriberStatus.CONFIRMED, "SUBSCRIPTION_STATE",
         "Langganan ini sudah \"{state}\"."),
    Verb("change_pending", {SubscriberStatus.PENDING}, None, "SUBSCRIPTION_STATE",
         "Langganan ini sudah \"{state}\"."),
)


@dataclass(frozen=True)
class Subscriber:
    email: str
    categories: tuple[str, ...]  # empty: every release
    frequency: Frequency
    status: SubscriberStatus
    # The secret of the subscriber's links (confirm, unsubscribe). Kept, not only hashed: every alert
    # carries it, and the worker that writes alerts must be able to. It only ever opens this subscription.
    token: str
    created_at: datetime
    confirmed_at: datetime | None = None
    version: int = 1

    @classmethod
    def pending(cls, email: str, categories: tuple[str, ...], frequency: Frequency, token: str,
                now: datetime) -> "Subscriber":
        return cls(email, tuple(sorted(set(categories))), frequency, SubscriberStatus.PENDING, token, now)

    @property
    def token_hash(self) -> str:
        return token_hash(self.token)

    @property
    def expires_at(self) -> datetime | None:
        """An unconfirmed subscription (and its address) is deleted then."""
        return self.created_at + timedelta(days=PENDING_DAYS) if self.status == SubscriberStatus.PENDING else None

    def confirmed(self, now: datetime) -> "Subscriber":
        return replace(self, status=SUBSCRIPTION_WORKFLOW.target(self.status, "confirm"), confirmed_at=now,
                       version=self.version + 1)

    def rechosen(self, categories: tuple[str, ...], frequency: Frequency, token: str) -> "Subscriber":
        """Subscribing again before confirming: the new choice and a new link, but the same deadline: nobody can
        keep another's address stored unconfirmed by asking again every week."""
        SUBSCRIPTION_WORKFLOW.require(self.status, "change_pending")
        return replace(self, categories=tuple(sorted(set(categories))), frequency=frequency, token=token,
                       version=self.version + 1)

    def wants(self, category: str | None, published_at: datetime) -> bool:
        """A release it should hear of: in its categories (or all), and published after it confirmed."""
        return (self.status == SubscriberStatus.CONFIRMED and self.confirmed_at is not None
                and published_at >= self.confirmed_at
                and (not self.categories or category in self.categories))
