"""Outgoing mail: Amazon SES in production, a folder of ``.eml`` files locally.

Both take the same ``EmailMessage``; which one runs is configuration
(``SEKLIK_MAIL_OUTBOX`` set → the outbox folder). An ``.eml`` file opens in
any mail program, so a developer sees exactly what a partner would get.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import boto3
from ulid import ULID


def compose(sender: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
    message.set_content(text)
    return message


class OutboxMailer:
    """Writes each message to ``<outbox>/<ULID>.eml`` (time-ordered file names)."""

    def __init__(self, outbox: str | Path):
        self.outbox = Path(outbox)

    def send(self, message: EmailMessage) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        path = self.outbox / f"{ULID()}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(message))
        os.replace(temporary, path)  # readers never see half a message


class SesMailer:
    def __init__(self, client=None):
        self.client = client or boto3.client("sesv2")

    def send(self, message: EmailMessage) -> None:
        self.client.send_email(
            FromEmailAddress=message["From"],
            Destination={"ToAddresses": [message["To"]]},
            Content={"Raw": {"Data": bytes(message)}},
        )
