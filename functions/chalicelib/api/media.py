"""/api/v1/media: registration and its activation, the partner's company, its documents, submission.

Routes only parse, call ``RegistrationService`` and shape the JSON; who may
see or change which company is decided in the service.
"""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.documents import Document
from ..domain.press_company import Company
from ..services.registration import CompanyOverview, NewAccount
from ..wiring import get_services
from .http import PUBLIC, Call, Routes, idempotency_key, json_response, upload_grant_view
from .models import ActivationRequest, RegisterMediaRequest, SubmitRequest, UpdateProfileRequest, UploadRequest

routes = Routes(__name__)
REGISTERED = ("Pendaftaran diterima. Kami mengirim surel ke alamat itu: buka tautan di dalamnya dalam 3 hari untuk "
              "mengaktifkan akun, lalu masuk ke portal mitra. Tidak menerima surel? Periksa folder spam.")
OWNER = frozenset({Role.MEDIA})
READERS = frozenset({Role.MEDIA, Role.VERIFIER, Role.ADMIN, Role.ORDERS, Role.FINANCE})

# -- views (shared with the verification routes) -----------------------------------

def company_view(company: Company) -> dict:
    return {
        "id": company.id,
        "status": company.status.value,
        "status_label": company.status.label,
        "status_since": company.status_since.isoformat(),
        "submitted_at": company.submitted_at.isoformat() if company.submitted_at else None,
        "verified_until": company.verified_until.isoformat() if company.verified_until else None,
        "decision_reasons": list(company.decision_reasons),
        "editable": company.editable,
        "version": company.version,
        "profile": company.profile,
    }


def document_view(document: Document) -> dict:
    return {
        "id": document.id,
        "doc_type": document.doc_type,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at.isoformat(),
        "status": document.status.value,
        "status_label": document.status.label,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
        "review_reason": document.review_reason,
        "reviewed_at": document.reviewed_at.isoformat() if document.reviewed_at else None,
        "current": document.current,
        "version": document.version,
    }


def overview_view(overview: CompanyOverview) -> dict:
    return {
        "company": company_view(overview.company),
        "checklist": [
            {
                "doc_type": item.type.code,
                "label": item.type.label,
                "required": item.required,
                "asks_expiry": item.type.expires,
                "problem": item.problem,
                "document": document_view(item.current) if item.current else None,
            }
            for item in overview.checklist
        ],
        "missing": [item.type.label for item in overview.missing],
        "can_submit": overview.can_submit,
        "history": [document_view(d) for d in overview.history],
    }


# -- routes ------------------------------------------------------------------------------

@routes.route("/api/v1/media", "POST", PUBLIC)
def register(call: Call):
    service = get_services().registration
    body = call.body(RegisterMediaRequest, service.profile_context())
    account = NewAccount(body.account.email, body.account.name, body.account.password)
    replayed = service.register(account, body.profile, call.source_address, idempotency_key(call))
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    # The same answer whatever the address or the identifiers already are: the mail says the rest.
    return json_response({"message": REGISTERED}, 202, headers)


@routes.route("/api/v1/media/activations", "POST", PUBLIC)
def activate(call: Call):
    body = call.body(ActivationRequest)
    company, user = get_services().registration.activate(body.token, body.password)
    return json_response({"company": company_view(company), "user": user.public_view()}, 201)


@routes.route("/api/v1/media/{company_id}", "GET", READERS)
def get_company(call: Call, company_id: str):
    overview = get_services().registration.overview(call.user, company_id)
    return json_response(overview_view(overview))


@routes.route("/api/v1/media/{company_id}", "PUT", OWNER)
def update_company(call: Call, company_id: str):
    service = get_services().registration
    body = call.body(UpdateProfileRequest, service.profile_context())
    service.update_profile(call.user, company_id, body.profile, body.version)
    return json_response(overview_view(service.overview(call.user, company_id)))


@routes.route("/api/v1/media/{company_id}/submit", "POST", OWNER)
def submit(call: Call, company_id: str):
    service = get_services().registration
    body = call.body(SubmitRequest)
    service.submit(call.user, company_id, body.version)
    return json_response(overview_view(service.overview(call.user, company_id)))


@routes.route("/api/v1/media/{company_id}/documents", "GET", READERS)
def list_documents(call: Call, company_id: str):
    overview = get_services().registration.overview(call.user, company_id)
    view = overview_view(overview)
    return json_response({"checklist": view["checklist"], "history": view["history"]})


@routes.route("/api/v1/media/{company_id}/documents/uploads", "POST", OWNER)
def request_upload(call: Call, company_id: str):
    body = call.body(UploadRequest)
    grant = get_services().registration.request_upload(
        call.user, company_id, body.doc_type, body.filename, body.content_type, body.size, body.expires_on
    )
    return json_response(upload_grant_view(grant), 201)


@routes.route("/api/v1/media/{company_id}/documents/uploads/{upload_id}/confirm", "POST", OWNER)
def confirm_upload(call: Call, company_id: str, upload_id: str):
    document = get_services().registration.confirm_upload(call.user, company_id, upload_id)
    return json_response({"document": document_view(document)})


@routes.route("/api/v1/media/{company_id}/documents/{document_id}/download", "GET", READERS)
def download(call: Call, company_id: str, document_id: str):
    document, url = get_services().registration.download_link(call.user, company_id, document_id)
    return json_response({"url": url, "filename": document.filename, "expires_in_seconds": 300})
