"""/api/v1/offers (negotiation of a partner's rate card) and /api/v1/agreements (PKS)."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.catalog import RateCard
from ..domain.orders import Agreement
from ..wiring import get_services
from .http import Call, Routes, json_response, upload_grant_view, year_param
from .models import (
    AcceptRatesRequest,
    CounterRatesRequest,
    CreateAgreementRequest,
    FileUploadRequest,
    ProposeRatesRequest,
    ReasonRequest,
    VersionRequest,
)

routes = Routes(__name__)
PARTNER = frozenset({Role.MEDIA})
ORDERS = frozenset({Role.ORDERS})
BOTH_SIDES = frozenset({Role.MEDIA, Role.ORDERS})
READERS = frozenset({Role.MEDIA, Role.ORDERS, Role.VERIFIER, Role.FINANCE, Role.ADMIN})


def rate_card_view(card: RateCard | None, thread) -> dict:
    return {
        "version": card.version if card else None,
        "lines": [{"product_code": line.product_code, "price": line.price, "status": line.status.value,
                   "status_label": line.status.label, "note": line.note}
                  for line in (card.lines.values() if card else [])],
        "agreed": card.agreed() if card else {},
        "thread": [{"at": m.at.isoformat(), "side": m.actor_side, "action": m.action, "lines": m.lines,
                    "message": m.message} for m in thread],
    }


def agreement_view(a: Agreement) -> dict:
    return {"id": a.id, "company_id": a.company_id, "year": a.year, "number": a.number,
            "starts_on": a.starts_on.isoformat(), "ends_on": a.ends_on.isoformat(), "rates": a.rates,
            "ceiling": a.ceiling, "reserved": a.reserved, "remaining": a.remaining, "status": a.status.value,
            "status_label": a.status.label, "version": a.version,
            "signed_document": None if not a.signed_document else {
                "filename": a.signed_document["filename"], "size": a.signed_document["size"],
                "sha256": a.signed_document["sha256"]}}


@routes.route("/api/v1/offers/{company_id}/{year}", "GET", READERS)
def get_offer(call: Call, company_id: str, year: str):
    card, thread = get_services().negotiation.thread(call.user, company_id, year_param(year))
    return json_response(rate_card_view(card, thread))


@routes.route("/api/v1/offers/{company_id}/{year}/propose", "POST", PARTNER)
def propose(call: Call, company_id: str, year: str):
    body = call.body(ProposeRatesRequest)
    service = get_services().negotiation
    service.propose(call.user, company_id, year_param(year), body.lines, body.notes, body.message, body.version)
    return json_response(rate_card_view(*service.thread(call.user, company_id, year_param(year))))


@routes.route("/api/v1/offers/{company_id}/{year}/counter", "POST", ORDERS)
def counter(call: Call, company_id: str, year: str):
    body = call.body(CounterRatesRequest)
    service = get_services().negotiation
    service.counter(call.user, company_id, year_param(year), body.lines, body.message, body.version)
    return json_response(rate_card_view(*service.thread(call.user, company_id, year_param(year))))


@routes.route("/api/v1/offers/{company_id}/{year}/accept", "POST", BOTH_SIDES)
def accept(call: Call, company_id: str, year: str):
    body = call.body(AcceptRatesRequest)
    service = get_services().negotiation
    service.accept(call.user, company_id, year_param(year), list(body.products), body.message, body.version)
    return json_response(rate_card_view(*service.thread(call.user, company_id, year_param(year))))


@routes.route("/api/v1/agreements", "POST", ORDERS)
def create_agreement(call: Call):
    body = call.body(CreateAgreementRequest)
    agreement = get_services().agreements.create(call.user, body.company_id, body.year, body.number, body.starts_on,
                                                 body.ends_on, body.ceiling)
    return json_response({"agreement": agreement_view(agreement)}, 201)


@routes.route("/api/v1/media/{company_id}/agreements", "GET", READERS)
def agreements_of(call: Call, company_id: str):
    agreements = get_services().agreements.of_company(call.user, company_id)
    return json_response({"agreements": [agreement_view(a) for a in agreements]})


@routes.route("/api/v1/agreements/{agreement_id}", "GET", READERS)
def get_agreement(call: Call, agreement_id: str):
    return json_response({"agreement": agreement_view(get_services().agreements.get(call.user, agreement_id))})


@routes.route("/api/v1/agreements/{agreement_id}/document/uploads", "POST", ORDERS)
def signed_upload(call: Call, agreement_id: str):
    body = call.body(FileUploadRequest)
    grant = get_services().agreements.request_signed_upload(call.user, agreement_id, body.filename,
                                                            body.content_type, body.size)
    return json_response(upload_grant_view(grant), 201)


@routes.route("/api/v1/agreements/{agreement_id}/document/uploads/{upload_id}/confirm", "POST", ORDERS)
def attach_signed(call: Call, agreement_id: str, upload_id: str):
    agreement = get_services().agreements.attach_signed(call.user, agreement_id, upload_id)
    return json_response({"agreement": agreement_view(agreement)})


@routes.route("/api/v1/agreements/{agreement_id}/document", "GET", READERS)
def signed_document(call: Call, agreement_id: str):
    return json_response({"url": get_services().agreements.signed_link(call.user, agreement_id),
                          "expires_in_seconds": 300})


@routes.route("/api/v1/agreements/{agreement_id}/activate", "POST", ORDERS)
def activate(call: Call, agreement_id: str):
    body = call.body(VersionRequest)
    agreement = get_services().agreements.activate(call.user, agreement_id, body.version)
    return json_response({"agreement": agreement_view(agreement)})


@routes.route("/api/v1/agreements/{agreement_id}/close", "POST", ORDERS)
def close(call: Call, agreement_id: str):
    body = call.body(ReasonRequest)
    agreement = get_services().agreements.close(call.user, agreement_id, body.version, body.reason)
    return json_response({"agreement": agreement_view(agreement)})
