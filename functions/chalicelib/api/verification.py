"""/api/v1/verification: the verifier's queue and decisions; /api/v1/public/partners."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.press_company import IDENTIFIER_FIELDS, CompanyStatus, MediaType
from ..errors import FieldError, validation_failed
from ..wiring import get_services
from .http import PUBLIC, Call, Routes, enum_param, json_response
from .media import company_view, overview_view
from .models import DecisionRequest, ReviewDocumentRequest

routes = Routes(__name__)
VERIFIER = frozenset({Role.VERIFIER})


@routes.route("/api/v1/verification/queue", "GET", VERIFIER)
def queue(call: Call):
    status = enum_param(call, "status", CompanyStatus, CompanyStatus.SUBMITTED)
    media_type = enum_param(call, "media_type", MediaType)
    after = (call.request.query_params or {}).get("after") or None
    if after is not None and len(after) > 80:
        raise validation_failed([FieldError("after", "invalid_cursor", "Penanda halaman tidak valid.")])
    companies, cursor = get_services().verification.queue(status, media_type, after=after)
    items = [
        {
            "id": c.id,
            "legal_name": c.profile["legal_name"],
            "media_name": c.profile["media_name"],
            "media_type": c.profile["media_type"],
            "status": c.status.value,
            "status_label": c.status.label,
            "status_since": c.status_since.isoformat(),
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "identity_clashes": [IDENTIFIER_FIELDS[kind][1] for kind in c.identity_clashes],
        }
        for c in companies
    ]
    return json_response({"companies": items, "next": cursor})


@routes.route("/api/v1/verification/{company_id}", "GET", VERIFIER)
def company_page(call: Call, company_id: str):
    services = get_services()
    view = overview_view(services.registration.overview(call.user, company_id))
    view["audit"] = [
        {"at": e.at.isoformat(), "action": e.action, "actor": actor, "changes": e.changes, "reason": e.reason}
        for e, actor in services.verification.audit_trail(call.user, company_id)
    ]
    # Only the verifier sees whose identifiers these are; the partner's own view never says.
    view["identity_clashes"] = [
        {"field": c.field, "label": c.label,
         "holder": {"id": c.holder.id, "media_name": c.holder.profile["media_name"],
                    "legal_name": c.holder.profile["legal_name"], "status_label": c.holder.status.label}
         if c.holder else None}
        for c in services.verification.identity_clashes(call.user, company_id)
    ]
    return json_response(view)


@routes.route("/api/v1/verification/{company_id}/documents/{document_id}", "POST", VERIFIER)
def review_document(call: Call, company_id: str, document_id: str):
    body = call.body(ReviewDocumentRequest)
    overview = get_services().verification.review_document(
        call.user, company_id, document_id, body.decision == "accepted", body.reason, body.version
    )
    return json_response(overview_view(overview))


@routes.route("/api/v1/verification/{company_id}/decision", "POST", VERIFIER)
def decide(call: Call, company_id: str):
    body = call.body(DecisionRequest)
    company = get_services().verification.decide(
        call.user, company_id, CompanyStatus(body.decision), body.reasons, body.verified_until, body.version
    )
    return json_response({"company": company_view(company)})


@routes.route("/api/v1/public/registration-options", "GET", PUBLIC)
def registration_options(call: Call):
    rules = get_services().registration.rules
    return json_response(
        {
            "legal_forms": list(rules.legal_forms),
            "media_types": [{"value": m.value, "label": m.label} for m in MediaType],
            "document_types": [
                {"code": t.code, "label": t.label, "required_for": sorted(m.value for m in t.required_for),
                 "expires": t.expires}
                for t in rules.document_types
            ],
        },
        headers={"Cache-Control": "public, max-age=300"},
    )


@routes.route("/api/v1/partners", "GET", frozenset({Role.ORDERS, Role.VERIFIER, Role.FINANCE, Role.ADMIN}))
def partners_for_staff(call: Call):
    """Verified partners with their ids, for staff choosing whom to negotiate with or order from."""
    partners = get_services().verification.verified_partners()
    return json_response({"partners": [
        {"id": c.id, "media_name": c.profile["media_name"], "legal_name": c.profile["legal_name"],
         "media_type": c.profile["media_type"], "pkp": c.profile["pkp"],
         "verified_until": c.verified_until.isoformat() if c.verified_until else None}
        for c in partners
    ]})


@routes.route("/api/v1/public/partners", "GET", PUBLIC)
def verified_partners(call: Call):
    partners = get_services().verification.verified_partners()
    items = [
        {
            "media_name": c.profile["media_name"],
            "legal_name": c.profile["legal_name"],
            "media_type": c.profile["media_type"],
            "website": c.profile["website"],
            "verified_until": c.verified_until.isoformat() if c.verified_until else None,
        }
        for c in partners
    ]
    # A public, identical-for-everyone list: caches may keep it briefly.
    return json_response({"partners": items}, headers={"Cache-Control": "public, max-age=60"})
