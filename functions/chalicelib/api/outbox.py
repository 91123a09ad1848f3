"""/api/v1/outbox: the delivery log of the mail Seklik sends, and a resend of what did not arrive (staff)."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.outbox import MailStatus, OutboxMessage
from ..wiring import get_services
from .http import Call, Routes, enum_param, json_response
from .models import ResendMailRequest

routes = Routes(__name__)
# Staff whose work sends mail see its delivery; the auditor reads, and resends nothing.
STAFF = frozenset({Role.ADMIN, Role.ORDERS, Role.EDITOR, Role.VERIFIER, Role.FINANCE})


def message_view(m: OutboxMessage) -> dict:
    """The delivery facts; the body stays in the table (it is the partner's mail, not a log)."""
    return {"id": m.id, "status": m.status.value, "status_label": m.status.label, "to": m.mail.to,
            "subject": m.mail.subject, "kind": m.mail.kind,
            "about": {"entity": m.mail.about[0], "id": m.mail.about[1]} if m.mail.about else None,
            "attempts": m.attempts, "created_at": m.created_at.isoformat(), "updated_at": m.updated_at.isoformat(),
            "next_attempt_at": m.next_attempt_at.isoformat() if m.status == MailStatus.QUEUED else None,
            "sent_at": m.sent_at.isoformat() if m.sent_at else None, "last_error": m.last_error,
            "history": [{"at": at, "what": what} for at, what in m.history], "version": m.version}


@routes.route("/api/v1/outbox", "GET", STAFF)
def list_mail(call: Call):
    status = enum_param(call, "status", MailStatus, MailStatus.FAILED)
    return json_response({"status": status.value, "messages": [message_view(m) for m in get_services().mail.list(status)]})


@routes.route("/api/v1/outbox/{message_id}/resend", "POST", STAFF)
def resend(call: Call, message_id: str):
    body = call.body(ResendMailRequest)
    message = get_services().mail.resend(call.user.id, message_id, body.version, body.lift_suppression)
    return json_response({"message": message_view(message)})
