"""/api/v1/invoices: the partner bills completed orders; finance verifies and records SPP, SPM and SP2D."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.invoices import Invoice, InvoiceStatus
from ..domain.taxes import Faktur, TaxComputation
from ..errors import FieldError, validation_failed
from ..services.invoices import InvoiceRequest
from ..services.paging import LIST_PAGE, LIST_PAGE_MAX
from ..wiring import get_services
from .http import Call, Routes, enum_param, idempotency_key, json_response, limit_param, upload_grant_view
from .models import (
    InvoiceAttachmentUploadRequest,
    KuitansiRequest,
    PaymentDocumentUploadRequest,
    PaymentStepRequest,
    ReasonRequest,
    ResubmitInvoiceRequest,
    ReturnInvoiceRequest,
    Sp2dRequest,
    SubmitInvoiceRequest,
    VersionRequest,
    WithholdingSlipRequest,
)

routes = Routes(__name__)
PARTNER = frozenset({Role.MEDIA})
FINANCE = frozenset({Role.FINANCE})
READERS = frozenset({Role.MEDIA, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
EVIDENCE_READERS = frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN})


def taxes_view(t: TaxComputation | None) -> dict | None:
    if t is None:
        return None
    return {"gross": t.gross, "base": t.base, "ppn": t.ppn, "ppn_collected": t.ppn_collected,
            "ppn_withheld": t.ppn_withheld, "pph23": t.pph23, "pph23_object_code": t.pph23_object_code,
            "net": t.net, "needs_meterai": t.needs_meterai, "rule_from": t.rule_from.isoformat()}


def _step_view(step) -> dict | None:
    if step is None:
        return None
    return {"number": step.number, "date": step.on.isoformat(), "amount": step.amount,
            "recorded_at": step.recorded_at.isoformat(),
            "document": {"filename": step.document["filename"], "sha256": step.document["sha256"]}
            if step.document else None}


def invoice_view(i: Invoice, preview: TaxComputation | None = None) -> dict:
    return {
        "id": i.id, "company_id": i.company_id, "partner_name": i.partner_name, "agreement_id": i.agreement_id,
        "year": i.year, "budget_line": i.budget_line, "partner_invoice_number": i.partner_invoice_number,
        "partner_invoice_date": i.partner_invoice_date.isoformat(),
        "orders": [{"id": o.order_id, "number": o.number, "total": o.total} for o in i.orders],
        "gross": i.gross, "pkp": i.pkp, "bank_account": i.bank_account,
        "attachments": {code: {"filename": f["filename"], "size": f["size"], "sha256": f["sha256"]}
                        for code, f in i.attachments.items()},
        "faktur": {"number": i.faktur_number, "tax_base": i.faktur.tax_base, "vat": i.faktur.vat}
        if i.faktur else None,
        "kuitansi_meterai": i.kuitansi_meterai, "status": i.status.value, "status_label": i.status.label,
        "return_reasons": i.return_reasons, "status_reason": i.status_reason,
        "taxes": taxes_view(preview), "approval": taxes_view(i.approval), "payment": taxes_view(i.payment),
        "spp": _step_view(i.spp), "spm": _step_view(i.spm), "sp2d": _step_view(i.sp2d),
        "deposits": i.deposits, "withholding_slip": {"number": i.withholding_slip["number"]}
        if i.withholding_slip else None, "settled": i.settled,
        "submitted_at": i.submitted_at.isoformat(), "version": i.version,
    }


def _view(invoice: Invoice) -> dict:
    return {"invoice": invoice_view(invoice, get_services().invoices.preview(invoice))}


def _request(body, order_ids=()) -> InvoiceRequest:
    faktur = body.faktur
    return InvoiceRequest(
        order_ids=tuple(order_ids), partner_invoice_number=body.partner_invoice_number,
        partner_invoice_date=body.partner_invoice_date, attachments=dict(body.attachments),
        faktur_number=faktur.number if faktur else None,
        faktur=Faktur(faktur.tax_base, faktur.vat) if faktur else None, kuitansi_meterai=body.kuitansi_meterai)


@routes.route("/api/v1/invoices/uploads", "POST", PARTNER)
def attachment_upload(call: Call):
    body = call.body(InvoiceAttachmentUploadRequest)
    grant = get_services().invoices.request_attachment_upload(call.user, body.code, body.filename, body.content_type,
                                                              body.size)
    return json_response(upload_grant_view(grant), 201)


@routes.route("/api/v1/invoices/kuitansi", "POST", PARTNER)
def kuitansi(call: Call):
    body = call.body(KuitansiRequest)
    return json_response({"url": get_services().invoices.kuitansi_for(call.user, tuple(body.order_ids)),
                          "expires_in_seconds": 300})


@routes.route("/api/v1/invoices", "POST", PARTNER)
def submit(call: Call):
    body = call.body(SubmitInvoiceRequest)
    invoice, replayed = get_services().invoices.submit(call.user, _request(body, body.order_ids),
                                                       idempotency_key(call), call.request.raw_body)
    return json_response(_view(invoice), 201, {"Idempotent-Replayed": "true"} if replayed else {})


@routes.route("/api/v1/invoices", "GET", READERS)
def list_invoices(call: Call):
    status = enum_param(call, "status", InvoiceStatus)
    services = get_services()
    invoices, following = services.invoices.list_for(call.user, status, limit_param(call, LIST_PAGE, LIST_PAGE_MAX),
                                                     (call.request.query_params or {}).get("after") or None)
    return json_response({"invoices": [invoice_view(i, services.invoices.preview(i)) for i in invoices],
                          "next": following})


@routes.route("/api/v1/invoices/{invoice_id}", "GET", READERS)
def get_invoice(call: Call, invoice_id: str):
    services = get_services()
    view = _view(services.invoices.get(call.user, invoice_id))
    view["history"] = [{"at": event.at.isoformat(), "action": event.action, "by": name, "reason": event.reason,
                        "changes": event.changes} for event, name in services.invoices.history(call.user, invoice_id)]
    return json_response(view)


@routes.route("/api/v1/invoices/{invoice_id}/resubmit", "POST", PARTNER)
def resubmit(call: Call, invoice_id: str):
    body = call.body(ResubmitInvoiceRequest)
    return json_response(_view(get_services().invoices.resubmit(call.user, invoice_id, _request(body), body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/return", "POST", FINANCE)
def return_invoice(call: Call, invoice_id: str):
    body = call.body(ReturnInvoiceRequest)
    return json_response(_view(get_services().invoices.return_to_partner(call.user, invoice_id, dict(body.reasons),
                                                                         body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/approve", "POST", FINANCE)
def approve(call: Call, invoice_id: str):
    body = call.body(VersionRequest)
    return json_response(_view(get_services().invoices.approve(call.user, invoice_id, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/cancel", "POST", FINANCE)
def cancel(call: Call, invoice_id: str):
    body = call.body(ReasonRequest)
    return json_response(_view(get_services().invoices.cancel(call.user, invoice_id, body.reason, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/documents/uploads", "POST", FINANCE)
def document_upload(call: Call, invoice_id: str):
    body = call.body(PaymentDocumentUploadRequest)
    grant = get_services().invoices.request_document_upload(call.user, invoice_id, body.step, body.filename,
                                                            body.content_type, body.size)
    return json_response(upload_grant_view(grant), 201)


@routes.route("/api/v1/invoices/{invoice_id}/spp", "POST", FINANCE)
def record_spp(call: Call, invoice_id: str):
    body = call.body(PaymentStepRequest)
    return json_response(_view(get_services().invoices.record_step(call.user, invoice_id, "spp", body.number,
                                                                   body.issued_on, body.upload_id, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/spm", "POST", FINANCE)
def record_spm(call: Call, invoice_id: str):
    body = call.body(PaymentStepRequest)
    return json_response(_view(get_services().invoices.record_step(call.user, invoice_id, "spm", body.number,
                                                                   body.issued_on, body.upload_id, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/sp2d", "POST", FINANCE)
def record_sp2d(call: Call, invoice_id: str):
    body = call.body(Sp2dRequest)
    return json_response(_view(get_services().invoices.record_sp2d(call.user, invoice_id, body.number, body.issued_on,
                                                                   body.amount, body.upload_id, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/sp2d/returned", "POST", FINANCE)
def sp2d_returned(call: Call, invoice_id: str):
    body = call.body(ReasonRequest)
    return json_response(_view(get_services().invoices.sp2d_returned(call.user, invoice_id, body.reason,
                                                                     body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/withholding-slip", "POST", FINANCE)
def withholding_slip(call: Call, invoice_id: str):
    body = call.body(WithholdingSlipRequest)
    return json_response(_view(get_services().invoices.record_withholding_slip(call.user, invoice_id, body.number,
                                                                               body.upload_id, body.version)))


@routes.route("/api/v1/invoices/{invoice_id}/papers/{kind}", "GET", READERS)
def papers(call: Call, invoice_id: str, kind: str):
    return json_response({"url": get_services().invoices.document_link(call.user, invoice_id, kind),
                          "expires_in_seconds": 300})


@routes.route("/api/v1/invoices/{invoice_id}/evidence", "GET", EVIDENCE_READERS)
def evidence(call: Call, invoice_id: str):
    return json_response({"url": get_services().evidence.pack_link(call.user, invoice_id), "expires_in_seconds": 300})


@routes.route("/api/v1/invoices/{invoice_id}/files/{code}", "GET", READERS)
def file_link(call: Call, invoice_id: str, code: str):
    if not (code.isascii() and code.replace("_", "").isalnum()) or len(code) > 40:
        raise validation_failed([FieldError("code", "unknown_attachment", "Jenis lampiran tidak dikenal.")])
    return json_response({"url": get_services().invoices.attachment_link(call.user, invoice_id, code),
                          "expires_in_seconds": 300})
