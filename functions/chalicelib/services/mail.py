"""Delivering the outbox: the worker that sends queued mail, and what staff and the provider say about it.

The mail itself is queued by the service whose decision it reports, in the
same transaction (see ``domain/outbox.py``). This worker runs every minute
in production (its own Lambda) and every few seconds inside ``seklik dev``.
For each due message it claims a lease with a versioned write (two workers
never send one message at the same moment), skips addresses known to
bounce, sends, and records the outcome. A worker that dies after sending
and before recording leaves the lease to expire: the message is sent again
with the same Message-ID (at least once, recognisably the same mail).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from ..adapters.mail import MailRefused, compose
from ..adapters.outbox import OutboxStore
from ..domain.clock import Clock, utc_now
from ..domain.outbox import MailStatus, OutboxMessage, RetryPolicy
from ..domain.accounts import email_problem, looks_like_id, normalise_email
from ..errors import FieldError, not_found, validation_failed
from ..logs import get_logger
from .access import expect_version, stale_version

log = get_logger("seklik.mail")


@dataclass
class DeliveryReport:
    """Counts only (what the job logs): no addresses, subjects or ids."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    skipped: int = 0  # claimed by another worker first


class MailWorker:
    def __init__(self, outbox: OutboxStore, mailer, sender: str, policy: RetryPolicy = RetryPolicy(),
                 clock: Clock = utc_now):
        self.outbox = outbox
        self.mailer = mailer
        self.sender = sender
        self.policy = policy
        self.clock = clock

    # -- the worker ------------------------------------------------------------------------------

    def deliver_due(self, now: datetime | None = None, limit: int = 100, seconds: float | None = None) -> DeliveryReport:
        """Send what is due (at most ``limit`` messages, and stop starting new ones after ``seconds``)."""
        report = DeliveryReport()
        stop_at = time.monotonic() + seconds if seconds else None
        for message in self.outbox.due(now or self.clock(), limit):
            if stop_at and time.monotonic() > stop_at:
                break
            self._deliver(message, now, report)
        return report

    def _deliver(self, message: OutboxMessage, now: datetime | None, report: DeliveryReport) -> None:
        at = now or self.clock()
        claimed = message.claimed(at, self.policy)
        if not self.outbox.save(claimed, message.version):
            report.skipped += 1
            return
        if reason := self.outbox.suppression(message.mail.to):
            self._settle(claimed.suppressed(at, reason), claimed)
            report.suppressed += 1
            return
        try:
            provider_id = self.mailer.send(compose(self.sender, claimed, at), claimed.id)
        except MailRefused as refusal:
            settled = claimed.attempt_failed(now or self.clock(), str(refusal), refusal.permanent, self.policy)
        except Exception as error:  # an unforeseen fault: try again later, like a temporary refusal
            log.exception("mail send crashed", extra={"message_id": claimed.id})
            settled = claimed.attempt_failed(now or self.clock(), type(error).__name__, False, self.policy)
        else:
            settled = claimed.delivered(now or self.clock(), provider_id)
        self._settle(settled, claimed)
        if settled.status == MailStatus.SENT:
            report.sent += 1
        elif settled.status == MailStatus.FAILED:
            report.failed += 1
            log.warning("mail failed", extra={"message_id": settled.id, "kind": settled.mail.kind,
                                              "attempts": settled.attempts})
        else:
            report.retried += 1

    def _settle(self, settled: OutboxMessage, claimed: OutboxMessage) -> None:
        if not self.outbox.save(settled, claimed.version):
            # Our lease ran out and another worker took the message: it will record its own outcome.
            log.warning("mail lease lost", extra={"message_id": claimed.id})

    # -- what the provider reports -----------------------------------------------------------------

    def mark_bouncing(self, address: str, reason: str) -> None:
        """Send nothing more to ``address`` (a hard bounce or a complaint, or marked by hand locally)."""
        address = normalise_email(address)
        if problem := email_problem(address):
            raise validation_failed([FieldError("email", "invalid_email", problem)])
        self.outbox.suppress(address, reason, self.clock())

    def record_ses_notification(self, notification: dict) -> str:
        """An SES event (through SNS): a permanent bounce or a complaint suppresses its recipients.

        Returns what was done, for the handler's log (no addresses). A transient
        bounce changes nothing: SES itself retried it.
        """
        kind = notification.get("eventType") or notification.get("notificationType")
        mail = notification.get("mail") or {}
        if kind == "Bounce":
            bounce = notification.get("bounce") or {}
            if bounce.get("bounceType") != "Permanent":
                return "transient bounce ignored"
            recipients = [r.get("emailAddress", "") for r in bounce.get("bouncedRecipients", [])]
            reason = f"bounce: {bounce.get('bounceSubType', 'General')}"
        elif kind == "Complaint":
            recipients = [r.get("emailAddress", "") for r in (notification.get("complaint") or {}).get(
                "complainedRecipients", [])]
            reason = "complaint"
        else:
            return f"{kind} ignored"
        recipients = [r for r in recipients if r and email_problem(normalise_email(r)) is None]
        for address in recipients:
            self.mark_bouncing(address, reason)
        message = self.outbox.by_provider_id(mail["messageId"]) if mail.get("messageId") else None
        if message is not None and message.status == MailStatus.SENT:
            self.outbox.save(message.bounced(self.clock(), reason), message.version)
        return f"{reason}: {len(recipients)} address(es) suppressed"

    # -- staff ---------------------------------------------------------------------------------------

    # Who may do these is the route's rule (staff who send mail); the worker has no actor.

    def list(self, status: MailStatus, limit: int = 100) -> list[OutboxMessage]:
        return self.outbox.by_status(status, limit)

    def about(self, entity: str, entity_id: str) -> list[OutboxMessage]:
        """Every mail about an order, an invoice or a company (the caller checks who may see it)."""
        return self.outbox.about(entity, entity_id)

    def resend(self, actor_id: str, message_id: str, expected_version: int,
               lift_suppression: bool = False) -> OutboxMessage:
        """Queue a failed, bounced or suppressed message again, with a fresh count of attempts.

        ``lift_suppression`` also forgets that the address bounced (the recipient fixed its mailbox);
        without it a suppressed address stays suppressed and the message is skipped again.
        """
        message = self.outbox.get(message_id) if looks_like_id(message_id) else None
        if message is None:
            raise not_found("Surel tidak ditemukan di antrean.")
        expect_version(message.version, expected_version)
        queued = message.resent(self.clock(), actor_id)  # 409 MAIL_STATE unless failed, bounced or suppressed
        if not self.outbox.save(queued, message.version):
            raise stale_version()
        if lift_suppression:
            self.outbox.lift_suppression(message.mail.to)
        log.info("mail queued again", extra={"message_id": message.id, "by": actor_id})
        return queued
