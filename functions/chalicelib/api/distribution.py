"""/api/v1/releases/{slug}/distributions: send a release to the press and follow its delivery (editor, orders).

Also the saved recipient lists (/api/v1/recipient-lists), the release's
files for the partners it was sent to under embargo, and a partner's own
list of releases received.
"""

from __future__ import annotations

from chalice import Response

from ..adapters.distributions import RecipientList
from ..domain.accounts import Role
from ..domain.distribution import Distribution, KitVariant, PressKit
from ..domain.press_company import MediaType
from ..services.distribution import DeliveryLine, RecipientChoice
from ..wiring import get_services
from .http import Call, Routes, json_response
from .models import DistributionRequest, RecipientListRequest
from .outbox import message_view

routes = Routes(__name__)
SENDERS = frozenset({Role.EDITOR, Role.ORDERS})
FILE_READERS = frozenset({Role.EDITOR, Role.ORDERS, Role.MEDIA})


def kit_view(kit: PressKit) -> dict:
    return {"slug": kit.slug, "title": kit.title, "url": kit.url, "public_from": kit.public_from.isoformat(),
            "embargo_until": kit.embargo_until.isoformat() if kit.embargo_until else None,
            "files": [{"name": f.name, "title": f.title, "kind": f.kind} for f in kit.files]}


def distribution_view(d: Distribution, line: DeliveryLine | None = None) -> dict:
    message = line.message if line else None
    return {"slug": d.slug, "company_id": d.company_id, "media_name": d.media_name, "email": d.email, "variant": d.variant.value,
            "at": d.at.isoformat(), "by": d.by, "mail": message_view(message) if message else None}


def list_view(r: RecipientList) -> dict:
    return {"id": r.id, "name": r.name, "company_ids": list(r.company_ids), "updated_at": r.updated_at.isoformat(),
            "version": r.version}


def _choice(call: Call) -> RecipientChoice:
    wanted = call.body(DistributionRequest).recipients
    return RecipientChoice(all_partners=wanted.all_partners,
                           media_types=tuple(MediaType(t) for t in wanted.media_types),
                           list_id=wanted.list_id, company_ids=tuple(wanted.company_ids))


@routes.route("/api/v1/releases/{slug}/distributions/preview", "POST", SENDERS)
def preview(call: Call, slug: str):
    result = get_services().distribution.preview(slug, _choice(call))
    mail = result.kit.mail[result.variant]
    return json_response({
        "release": kit_view(result.kit), "variant": result.variant.value,
        "embargoed": result.variant == KitVariant.EMBARGOED,
        "mail": {"subject": mail.subject, "text": mail.text, "html": mail.html},
        "recipients": [{"company_id": r.company.id, "media_name": r.company.profile["media_name"],
                        "media_type": r.company.media_type.value, "email": r.company.profile["email"],
                        "already_sent_at": r.already.at.isoformat() if r.already else None}
                       for r in result.recipients],
    })


@routes.route("/api/v1/releases/{slug}/distributions", "POST", SENDERS)
def send(call: Call, slug: str):
    result = get_services().distribution.send(call.user, slug, _choice(call))
    return json_response({
        "release": kit_view(result.kit), "variant": result.variant.value,
        "queued": [distribution_view(d) for d in result.queued],
        "already": [distribution_view(d) for d in result.already],
    }, status=202)


@routes.route("/api/v1/releases/{slug}/distributions", "GET", SENDERS)
def delivery_log(call: Call, slug: str):
    log = get_services().distribution.delivery_log(slug)
    return json_response({
        "slug": log.slug, "release": kit_view(log.kit) if log.kit else None, "counts": log.counts,
        "distributions": [distribution_view(line.distribution, line) for line in log.lines],
    })


@routes.route("/api/v1/releases/{slug}/distributions/resend", "POST", SENDERS)
def resend_failed(call: Call, slug: str):
    return json_response({"queued_again": get_services().distribution.resend_failed(call.user, slug)})


@routes.route("/api/v1/releases/{slug}/files/{name}", "GET", FILE_READERS)
def release_file(call: Call, slug: str, name: str):
    link = get_services().distribution.file_link(call.user, slug, name)
    return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "no-store"})


@routes.route("/api/v1/me/releases", "GET", frozenset({Role.MEDIA}))
def received(call: Call):
    return json_response({"distributions": [distribution_view(d) for d in
                                            get_services().distribution.received(call.user)]})


@routes.route("/api/v1/recipient-lists", "GET", SENDERS)
def recipient_lists(call: Call):
    return json_response({"lists": [list_view(r) for r in get_services().distribution.lists()]})


@routes.route("/api/v1/recipient-lists", "POST", SENDERS)
def create_list(call: Call):
    body = call.body(RecipientListRequest)
    saved = get_services().distribution.save_list(call.user, None, body.name, tuple(body.company_ids), None)
    return json_response({"list": list_view(saved)}, status=201)


@routes.route("/api/v1/recipient-lists/{list_id}", "PUT", SENDERS)
def update_list(call: Call, list_id: str):
    body = call.body(RecipientListRequest)
    saved = get_services().distribution.save_list(call.user, list_id, body.name, tuple(body.company_ids),
                                                  body.version)
    return json_response({"list": list_view(saved)})


@routes.route("/api/v1/recipient-lists/{list_id}", "DELETE", SENDERS)
def delete_list(call: Call, list_id: str):
    get_services().distribution.delete_list(list_id)
    return json_response({"deleted": list_id})
