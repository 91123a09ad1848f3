"""Delivering one email: Amazon SES in production, a folder of ``.eml`` files locally.

Both take the same ``EmailMessage`` and the outbox message's id, and both
are idempotent on that id as far as they can be: the folder writes
``<id>.eml`` (a second delivery replaces the file), and SES gets the id as
the Message-ID, so a repeat is the same mail to every mail program. Which
one runs is configuration (``SEKLIK_MAIL_OUTBOX`` set → the folder). An
``.eml`` file opens in any mail program, so a developer sees exactly what a
partner would get.

A failure says whether trying again can help (``MailRefused.permanent``).
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ..domain.outbox import OutboxMessage

# SES errors that the same message will meet again however often it is sent.
PERMANENT_SES_ERRORS = {"MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException",
                        "NotFoundException", "AccountSuspendedException"}


class MailRefused(Exception):
    def __init__(self, reason: str, permanent: bool):
        super().__init__(reason)
        self.permanent = permanent


# How a message goes on the wire: CRLF, and no header folded or encoded below SMTP's 998-character line
# limit. The default (78) turns a long List-Unsubscribe URL into an RFC 2047 encoded-word, which no mail
# program reads as a link, so the one-click unsubscribe would be lost.
WIRE = policy.SMTP.clone(max_line_length=998)


def compose(sender: str, message: OutboxMessage, now: datetime | None = None) -> EmailMessage:
    """The email of an outbox message, its Message-ID derived from the message's id."""
    mail = message.mail
    email = EmailMessage(policy=WIRE)
    email["From"] = sender
    email["To"] = mail.to
    email["Subject"] = mail.subject
    email["Date"] = format_datetime(now or datetime.now(timezone.utc))
    domain = sender.rsplit("@", 1)[-1].strip("> ")
    email["Message-ID"] = f"<{message.id.lower()}@{domain}>"
    for name, value in mail.headers:
        email[name] = value
    email.set_content(mail.text)
    if mail.html:
        email.add_alternative(mail.html, subtype="html")
    return email


class FolderMailer:
    """Writes each message to ``<outbox>/<message id>.eml`` (ULIDs: the names sort in queueing order)."""

    def __init__(self, outbox: str | Path):
        self.outbox = Path(outbox)

    def send(self, email: EmailMessage, message_id: str) -> str:
        """Returns the file's name as the provider's id (what a bounce report would name)."""
        path = self.outbox / f"{message_id}.eml"
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
            temporary.write_bytes(bytes(email))
            os.replace(temporary, path)  # readers never see half a message
        except OSError as error:  # a full disk, a folder that is not one: perhaps fixed by the next try
            raise MailRefused(f"cannot write {path}: {error.strerror or error}", permanent=False) from None
        return path.name


class SesMailer:
    """SES v2, paced to the account's sending rate; sent with the configuration set that reports bounces."""

    def __init__(self, client=None, configuration_set: str | None = None, max_rate: float | None = None):
        self.client = client or boto3.client("sesv2")
        self.configuration_set = configuration_set
        self._max_rate = max_rate
        self._last_send = 0.0

    @property
    def max_rate(self) -> float:
        """Messages per second SES allows this account (read once; 1 if it cannot be read)."""
        if self._max_rate is None:
            try:
                self._max_rate = float(self.client.get_account()["SendQuota"]["MaxSendRate"])
            except (ClientError, BotoCoreError, KeyError):
                self._max_rate = 1.0
        return self._max_rate

    def send(self, email: EmailMessage, message_id: str) -> str | None:
        wait = self._last_send + 1 / self.max_rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_send = time.monotonic()
        request = {"FromEmailAddress": email["From"], "Destination": {"ToAddresses": [email["To"]]},
                   "Content": {"Raw": {"Data": bytes(email)}}}
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        try:
            return self.client.send_email(**request)["MessageId"]
        except ClientError as error:
            code = error.response["Error"]["Code"]
            raise MailRefused(f"SES {code}: {error.response['Error'].get('Message', '')}",
                              permanent=code in PERMANENT_SES_ERRORS) from None
        except BotoCoreError as error:  # network, timeouts: try again later
            raise MailRefused(f"SES unreachable: {error}", permanent=False) from None
