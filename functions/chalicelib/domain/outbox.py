"""Outgoing mail as data: a message is queued with the change that causes it, then delivered.

Every email Seklik sends is first an ``OutboxMessage`` written in the same
DynamoDB transaction as the decision it reports (an order cancelled, an
invoice paid…), so a crash between the decision and the send loses nothing.
A worker delivers what is due, at least once: it *claims* a message for a
short lease before sending, so a worker that dies mid-send leaves it to be
tried again when the lease runs out, and every attempt carries the message's
own id as its Message-ID, so a repeat is recognisable as the same mail.

States: QUEUED (waiting, or leased to a worker) → SENT, or back to QUEUED
with a later attempt time after a temporary failure, or FAILED after the
last attempt or a permanent refusal (staff see it and may send it again),
or SUPPRESSED when the address is known to bounce or complained. A SENT
message may still become BOUNCED when the provider reports the bounce.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from .workflow import Verb, Workflow


class MailStatus(str, Enum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    FAILED = "FAILED"
    SUPPRESSED = "SUPPRESSED"
    BOUNCED = "BOUNCED"

    @property
    def label(self) -> str:
        return {"QUEUED": "Dalam antrean", "SENT": "Terkirim", "FAILED": "Gagal dikirim",
                "SUPPRESSED": "Tidak dikirim (alamat memantul/menolak)", "BOUNCED": "Memantul"}[self.value]


_NOT_NOW = "Surel berstatus \"{state}\"; tindakan ini tidak berlaku."
MAIL_WORKFLOW = Workflow.of(
    "mail", MailStatus,
    Verb("claim", {MailStatus.QUEUED}, None, "MAIL_STATE", _NOT_NOW),
    Verb("deliver", {MailStatus.QUEUED}, MailStatus.SENT, "MAIL_STATE", _NOT_NOW),
    Verb("retry_later", {MailStatus.QUEUED}, MailStatus.QUEUED, "MAIL_STATE", _NOT_NOW),
    Verb("give_up", {MailStatus.QUEUED}, MailStatus.FAILED, "MAIL_STATE", _NOT_NOW),
    Verb("suppress", {MailStatus.QUEUED}, MailStatus.SUPPRESSED, "MAIL_STATE", _NOT_NOW),
    Verb("bounce", {MailStatus.SENT}, MailStatus.BOUNCED, "MAIL_STATE", _NOT_NOW),
    Verb("resend", {MailStatus.FAILED, MailStatus.SUPPRESSED, MailStatus.BOUNCED}, MailStatus.QUEUED, "MAIL_STATE",
         "Hanya surel yang gagal, memantul, atau tidak dikirim yang dapat dikirim ulang; surel ini berstatus "
         "\"{state}\"."),
)


@dataclass(frozen=True)
class Mail:
    """What to send: one recipient, a subject, the text (and optionally HTML), and what it is about.

    ``kind`` names the cause (``order.cancelled``); ``about`` the entity it
    concerns (``("ORDER", id)``), so staff can find every mail of an order.
    ``headers`` are extra header lines (List-Unsubscribe, …).
    """

    to: str
    subject: str
    text: str
    kind: str
    about: tuple[str, str] | None = None
    html: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to try: the n-th failed attempt waits ``first_delay × 2^(n-1)``, at most ``cap``."""

    max_attempts: int = 6
    first_delay: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)
    # How long a claimed message is left to the worker that claimed it.
    lease: timedelta = timedelta(minutes=2)

    def delay(self, attempts: int) -> timedelta:
        return min(self.cap, self.first_delay * (2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    mail: Mail
    status: MailStatus
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    provider_id: str | None = None  # the provider's message id (SES), to match its bounce reports
    history: tuple[tuple[str, str], ...] = field(default=())  # (time ISO, what happened), for the delivery log
    version: int = 1

    @classmethod
    def queued(cls, message_id: str, mail: Mail, now: datetime) -> "OutboxMessage":
        return cls(message_id, mail, MailStatus.QUEUED, now, now, now, history=((now.isoformat(), "queued"),))

    def _moved(self, verb: str, now: datetime, what: str, **changes) -> "OutboxMessage":
        status = MAIL_WORKFLOW.target(self.status, verb)
        return replace(self, status=status, updated_at=now, version=self.version + 1,
                       history=(*self.history, (now.isoformat(), what))[-20:], **changes)

    def due(self, now: datetime) -> bool:
        return self.status == MailStatus.QUEUED and self.next_attempt_at <= now

    def claimed(self, now: datetime, policy: RetryPolicy) -> "OutboxMessage":
        """Leased to one worker for ``policy.lease``: others skip it until then; the attempt is counted now."""
        MAIL_WORKFLOW.require(self.status, "claim")
        return replace(self, attempts=self.attempts + 1, next_attempt_at=now + policy.lease, updated_at=now,
                       version=self.version + 1)

    def delivered(self, now: datetime, provider_id: str | None) -> "OutboxMessage":
        return self._moved("deliver", now, "sent", sent_at=now, provider_id=provider_id, last_error=None)

    def attempt_failed(self, now: datetime, error: str, permanent: bool, policy: RetryPolicy) -> "OutboxMessage":
        """A failed attempt: tried again later, or FAILED when it was the last one or cannot succeed."""
        error = error[:300]
        if permanent or self.attempts >= policy.max_attempts:
            return self._moved("give_up", now, f"failed: {error}", last_error=error)
        return self._moved("retry_later", now, f"retry: {error}", last_error=error,
                           next_attempt_at=now + policy.delay(self.attempts))

    def suppressed(self, now: datetime, reason: str) -> "OutboxMessage":
        return self._moved("suppress", now, f"suppressed: {reason}", last_error=reason)

    def bounced(self, now: datetime, reason: str) -> "OutboxMessage":
        return self._moved("bounce", now, f"bounced: {reason}", last_error=reason)

    def resent(self, now: datetime, by: str) -> "OutboxMessage":
        """Queued again by staff, with a fresh count of attempts."""
        return self._moved("resend", now, f"resend by {by}", attempts=0, next_attempt_at=now, last_error=None)
