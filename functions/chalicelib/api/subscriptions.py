"""/api/v1/subscriptions: the newsroom's email alerts (public), and their numbers and a manual announce (staff)."""

from __future__ import annotations

from chalice import Response

from ..domain.accounts import Role
from ..domain.subscriptions import Frequency, Subscriber
from ..wiring import get_services
from .http import PUBLIC, Call, Routes, json_response
from .models import SubscribeRequest, SubscriptionTokenRequest

routes = Routes(__name__)
EDITORS = frozenset({Role.EDITOR, Role.ADMIN})


def subscription_view(s: Subscriber) -> dict:
    return {"status": s.status.value, "categories": list(s.categories), "frequency": s.frequency.value,
            "frequency_label": s.frequency.label}


@routes.route("/api/v1/subscriptions", "POST", PUBLIC)
def subscribe(call: Call):
    body = call.body(SubscribeRequest)
    get_services().subscriptions.subscribe(body.email, body.categories, Frequency(body.frequency), call.source_address)
    # The same answer whether the address is new, waiting, or subscribed: its owner hears which by mail.
    return json_response({"message": "Periksa kotak masuk alamat itu: kami mengirim tautan konfirmasi. Langganan "
                                     "dimulai setelah tautan itu dibuka."}, status=202)


@routes.route("/api/v1/subscriptions/confirm", "POST", PUBLIC)
def confirm(call: Call):
    token = call.body(SubscriptionTokenRequest).token
    return json_response({"subscription": subscription_view(get_services().subscriptions.confirm(token))})


@routes.route("/api/v1/subscriptions/unsubscribe", "POST", PUBLIC)
def unsubscribe(call: Call):
    """The page's button sends JSON; a mail program's one-click (RFC 8058) sends a form with the token in the URL."""
    content_type = (call.request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/json":
        token = call.body(SubscriptionTokenRequest).token
    else:
        token = (call.request.query_params or {}).get("token", "")
    removed = get_services().subscriptions.unsubscribe(token)
    return json_response({"unsubscribed": True, "removed_now": removed})


@routes.route("/api/v1/subscriptions/unsubscribe", "GET", PUBLIC)
def unsubscribe_page(call: Call):
    """A mail program without one-click opens the List-Unsubscribe link: a GET changes nothing (RFC 8058), it
    leads to the page whose button unsubscribes."""
    page = get_services().subscriptions.unsubscribe_page((call.request.query_params or {}).get("token", ""))
    return Response(body="", status_code=303, headers={"Location": page, "Cache-Control": "no-store"})


@routes.route("/api/v1/subscriptions/counts", "GET", EDITORS)
def counts(call: Call):
    return json_response({"confirmed": get_services().subscriptions.counts()})


@routes.route("/api/v1/subscriptions/announce", "POST", frozenset({Role.EDITOR}))
def announce(call: Call):
    report = get_services().subscriptions.announce_due()
    return json_response({"alerts": report.alerts, "digests": report.digests})
