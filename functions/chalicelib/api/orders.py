"""/api/v1/orders: media orders, letters, proofs."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.orders import Order, OrderStatus
from ..errors import FieldError, validation_failed
from ..domain.orders import make_slots
from ..services.orders import OrderRequest
from ..services.paging import LIST_PAGE, LIST_PAGE_MAX
from ..wiring import get_services
from .http import Call, Routes, enum_param, idempotency_key, json_response, limit_param, upload_grant_view
from .models import (
    BulkOrderRequest,
    FileUploadRequest,
    IssueOrderRequest,
    ReasonRequest,
    ReviewProofRequest,
    SlotsRequest,
    SubmitProofRequest,
    VersionRequest,
)

routes = Routes(__name__)
ORDERS = frozenset({Role.ORDERS})
PARTNER = frozenset({Role.MEDIA})
VERIFIER = frozenset({Role.VERIFIER})
READERS = frozenset({Role.MEDIA, Role.ORDERS, Role.VERIFIER, Role.FINANCE, Role.ADMIN})


def order_view(o: Order) -> dict:
    return {
        "id": o.id, "number": o.number, "year": o.year, "company_id": o.company_id, "partner_name": o.partner_name,
        "agreement_id": o.agreement_id,
        "product_code": o.product_code, "product_name": o.product_name, "unit": o.unit,
        "material": {"kind": o.material.kind, "title": o.material.title, "release_slug": o.material.release_slug,
                     "url": o.material.url, "text": o.material.text},
        "slots": [{"starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat(), "status": s.status.value,
                   "status_label": s.status.label, "review_reason": s.review_reason,
                   "proof": None if s.proof is None else {
                       "urls": list(s.proof.urls), "note": s.proof.note, "submitted_at": s.proof.submitted_at.isoformat(),
                       "files": [{"filename": f["filename"], "size": f["size"], "sha256": f["sha256"]}
                                 for f in s.proof.files]}}
                  for s in o.slots],
        "quantity": o.quantity, "unit_price": o.unit_price, "total": o.total, "budget_line": o.budget_line,
        "issued_at": o.issued_at.isoformat(), "status": o.status.value, "status_label": o.status.label,
        "status_reason": o.status_reason, "version": o.version,
    }


def _request(body, company_id: str) -> OrderRequest:
    slots: SlotsRequest = body.slots
    window = None
    if slots.date_from or slots.date_to or slots.quantity:
        if not (slots.date_from and slots.date_to and slots.quantity):
            raise validation_failed([FieldError("slots", "incomplete_range",
                                                "Untuk rentang tanggal, isi tanggal mulai, tanggal akhir, dan jumlah.")])
        window = (slots.date_from, slots.date_to, slots.quantity)
    return OrderRequest(company_id=company_id, product_code=body.product_code, budget_line=body.budget_line,
                        slots=make_slots(slots.dates, window), release_slug=body.release_slug,
                        title=getattr(body, "title", None), text=getattr(body, "text", None))


@routes.route("/api/v1/orders", "POST", ORDERS)
def issue(call: Call):
    body = call.body(IssueOrderRequest)
    order, replayed = get_services().orders.issue_once(call.user, _request(body, body.company_id),
                                                       idempotency_key(call), call.request.raw_body)
    return json_response({"order": order_view(order)}, 201, {"Idempotent-Replayed": "true"} if replayed else {})


@routes.route("/api/v1/orders/bulk", "POST", ORDERS)
def issue_bulk(call: Call):
    body = call.body(BulkOrderRequest)
    results = get_services().orders.issue_bulk(call.user, list(body.company_ids), _request(body, ""))
    return json_response({"results": [
        {"company_id": r.company_id, "ok": r.order is not None,
         "order": order_view(r.order) if r.order else None,
         "error": None if r.error is None else {"code": r.error.code, "message": r.error.message,
                                                "details": [d.as_dict() for d in r.error.details]}}
        for r in results
    ]})


@routes.route("/api/v1/orders", "GET", READERS)
def list_orders(call: Call):
    params = call.request.query_params or {}
    status = enum_param(call, "status", OrderStatus)
    after = params.get("after") or None
    orders, following = get_services().orders.list_for(call.user, params.get("company_id") or None, status,
                                                       limit_param(call, LIST_PAGE, LIST_PAGE_MAX), after)
    return json_response({"orders": [order_view(o) for o in orders], "next": following})


@routes.route("/api/v1/orders/{order_id}", "GET", READERS)
def get_order(call: Call, order_id: str):
    return json_response({"order": order_view(get_services().orders.get(call.user, order_id))})


@routes.route("/api/v1/orders/{order_id}/letter", "GET", READERS)
def letter(call: Call, order_id: str):
    return json_response({"url": get_services().orders.letter_link(call.user, order_id), "expires_in_seconds": 300})


@routes.route("/api/v1/orders/{order_id}/accept", "POST", PARTNER)
def accept(call: Call, order_id: str):
    body = call.body(VersionRequest)
    return json_response({"order": order_view(get_services().orders.accept(call.user, order_id, body.version))})


@routes.route("/api/v1/orders/{order_id}/decline", "POST", PARTNER)
def decline(call: Call, order_id: str):
    body = call.body(ReasonRequest)
    order = get_services().orders.decline(call.user, order_id, body.reason, body.version)
    return json_response({"order": order_view(order)})


@routes.route("/api/v1/orders/{order_id}/cancel", "POST", ORDERS)
def cancel(call: Call, order_id: str):
    body = call.body(ReasonRequest)
    order = get_services().orders.cancel(call.user, order_id, body.reason, body.version)
    return json_response({"order": order_view(order)})


@routes.route("/api/v1/orders/{order_id}/proofs/uploads", "POST", PARTNER)
def proof_upload(call: Call, order_id: str):
    body = call.body(FileUploadRequest)
    grant = get_services().orders.request_proof_upload(call.user, order_id, body.filename, body.content_type, body.size)
    return json_response(upload_grant_view(grant), 201)


def _slot(raw: str, name: str = "slot", label: str = "Nomor slot") -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
        raise validation_failed([FieldError(name, f"unknown_{name}", f"{label} tidak valid.")])
    return int(raw)


@routes.route("/api/v1/orders/{order_id}/proofs/{slot}", "POST", PARTNER)
def submit_proof(call: Call, order_id: str, slot: str):
    body = call.body(SubmitProofRequest)
    order = get_services().orders.submit_proof(call.user, order_id, _slot(slot), list(body.urls),
                                               list(body.upload_ids), body.note, body.version)
    return json_response({"order": order_view(order)})


@routes.route("/api/v1/orders/{order_id}/proofs/{slot}/review", "POST", VERIFIER)
def review_proof(call: Call, order_id: str, slot: str):
    body = call.body(ReviewProofRequest)
    order = get_services().orders.review_proof(call.user, order_id, _slot(slot), body.decision == "accepted",
                                               body.reason, body.version)
    return json_response({"order": order_view(order)})


@routes.route("/api/v1/orders/{order_id}/proofs/{slot}/files/{index}", "GET", READERS)
def proof_file(call: Call, order_id: str, slot: str, index: str):
    url = get_services().orders.proof_link(call.user, order_id, _slot(slot), _slot(index, "file", "Nomor file"))
    return json_response({"url": url, "expires_in_seconds": 300})
