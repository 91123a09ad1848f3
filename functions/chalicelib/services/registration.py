"""Use cases of a press company's registration (pendataan): the partner's side.

Register (account + DRAFT company, one transaction), read and edit the
profile, upload documents (presigned POST, then confirm), submit for
verification. Who may do what to which company is decided here, not in the
routes: a partner only ever reaches its own company, and gets "not found"
for any other, so ids cannot be probed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from argon2 import PasswordHasher

from ..adapters.companies import CompanyStore
from ..adapters.table import ConditionFailed, Table
from ..domain import accounts as account_rules
from ..domain.accounts import AuditEvent, Role, User
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.documents import Document, DocumentStatus, DocumentType, RegistrationRules
from ..domain.press_company import Company, CompanyProfile, CompanyStatus, profile_changes
from ..errors import FieldError, SeklikError, conflict, not_found, validation_failed
from .access import Access, expect_version, stale_version
from .idempotency import Idempotency, request_hash
from .uploads import UploadAlreadyUsed, UploadDesk, UploadGrant

# A document "valid until 9999" is a typing slip: nothing an office issues runs longer than this.
MAX_DOCUMENT_YEARS = 30
# A public form that creates accounts: at most this many registrations per address per hour.
MAX_REGISTRATIONS_PER_ADDRESS = 10
REGISTRATION_WINDOW = timedelta(hours=1)
_GUARD_MESSAGES = {
    "account.email": "Email ini sudah dipakai akun lain. Masuk dengan akun tersebut, atau gunakan email lain.",
    "profile.npwp": "NPWP ini sudah terdaftar untuk perusahaan lain. Satu perusahaan hanya boleh mendaftar sekali; "
                    "jika ini perusahaan Anda, masuk dengan akun yang sudah ada.",
    "profile.nib": "NIB ini sudah terdaftar untuk perusahaan lain. Satu perusahaan hanya boleh mendaftar sekali; "
                   "jika ini perusahaan Anda, masuk dengan akun yang sudah ada.",
    "profile.bank_account.number": "Nomor rekening ini sudah dipakai perusahaan lain. Setiap mitra menerima "
                                   "pembayaran ke rekeningnya sendiri; periksa nomornya, atau hubungi Diskominfo "
                                   "bila rekening ini memang milik perusahaan Anda.",
    "profile.sk_kemenkumham": "Nomor SK Kemenkumham ini sudah terdaftar untuk perusahaan lain. Periksa nomornya, "
                              "atau masuk dengan akun yang sudah ada bila ini perusahaan Anda.",
}
# The transaction element that guards each field (adapters/companies.py names them).
_GUARDS = {"account.email": "email_guard", "profile.npwp": "npwp_guard", "profile.nib": "nib_guard",
           "profile.bank_account.number": "bank_account_guard", "profile.sk_kemenkumham": "sk_kemenkumham_guard"}
_PROFILE_GUARDS = {field: guard for field, guard in _GUARDS.items() if field.startswith("profile.")}
_KEY_REUSED = ("Kunci Idempotency-Key ini sudah dipakai untuk permintaan dengan data lain. "
               "Gunakan kunci baru untuk setiap pendaftaran baru.")


@dataclass(frozen=True)
class NewAccount:
    email: str
    name: str
    password: str


@dataclass(frozen=True)
class ChecklistItem:
    """One document type as the partner and the verifier see it."""

    type: DocumentType
    required: bool
    current: Document | None

    @property
    def problem(self) -> str | None:
        """What is wrong, in words for the partner, or None when nothing is."""
        if self.current is None:
            return "Belum diunggah." if self.required else None
        if self.current.status == DocumentStatus.REJECTED:
            return f"Ditolak: {self.current.review_reason}. Unggah dokumen pengganti."
        if self.current.status == DocumentStatus.EXPIRED:
            return "Masa berlaku dokumen ini telah habis. Unggah dokumen yang masih berlaku."
        return None


@dataclass(frozen=True)
class CompanyOverview:
    company: Company
    checklist: list[ChecklistItem]
    history: list[Document]

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.required and item.problem]

    @property
    def can_submit(self) -> bool:
        return self.company.editable and not self.missing


class RegistrationService:
    def __init__(self, table: Table, store: CompanyStore, access: Access, uploads: UploadDesk,
                 idempotency: Idempotency, rules: RegistrationRules, hasher: PasswordHasher | None = None,
                 clock: Clock = utc_now):
        self.table = table
        self.store = store
        self.access = access
        self.uploads = uploads
        self.idempotency = idempotency
        self.rules = rules
        self.hasher = hasher or PasswordHasher()
        self.clock = clock

    def profile_context(self) -> dict:
        """What the profile model needs to validate: today's date (WIB) and the accepted legal forms."""
        return {"today": today_wib(self.clock()), "legal_forms": list(self.rules.legal_forms)}

    # -- registration ----------------------------------------------------------------

    def register(self, account: NewAccount, profile: CompanyProfile, source_address: str,
                 idempotency_key: str | None = None) -> tuple[Company, User, bool]:
        """Create the media account and its DRAFT company; returns (company, user, replayed).

        The same ``idempotency_key`` with the same data returns the first
        result instead of failing on the guards (a retried request after a
        lost response); with different data it is refused.
        """
        email = account_rules.normalise_email(account.email)
        problems = []
        if problem := account_rules.email_problem(email):
            problems.append(FieldError("account.email", "invalid_email", problem))
        if problem := account_rules.password_problem(account.password, email, account.name):
            problems.append(FieldError("account.password", "weak_password", problem))
        if problems:
            raise validation_failed(problems)

        profile_data = profile.model_dump(mode="json")
        digest = request_hash(json.dumps({"email": email, "name": account.name.strip(), "profile": profile_data},
                                         sort_keys=True, ensure_ascii=False))
        if idempotency_key and (replay := self._replay(idempotency_key, digest)):
            return (*replay, True)

        now = self.clock()
        self._throttle_registrations(source_address, now)
        company_id = new_id()
        user = User(
            id=new_id(), email=email, name=account.name.strip(), roles=(Role.MEDIA,),
            password_hash=self.hasher.hash(account.password), created_at=now, updated_at=now,
            company_id=company_id,
        )
        company = Company(
            id=company_id, owner_id=user.id, profile=profile_data, status=CompanyStatus.DRAFT,
            created_at=now, updated_at=now, status_since=now,
        )
        user_audit = AuditEvent("USER", user.id, new_id(), "user.created", "self-registration", now,
                                {"roles": {"before": None, "after": ["media"]}})
        company_audit = AuditEvent("COMPANY", company.id, new_id(), "company.registered", user.id, now,
                                   {"status": {"before": None, "after": CompanyStatus.DRAFT.value}})
        idempotency = None
        if idempotency_key:
            idempotency = self.idempotency.element("register", idempotency_key, digest,
                                                   {"company_id": company.id, "user_id": user.id}, now)
        try:
            self.store.create(user, company, user_audit, company_audit, idempotency)
        except ConditionFailed as failure:
            if idempotency_key and failure.refused_by("idempotency"):
                if replay := self._replay(idempotency_key, digest):
                    return (*replay, True)  # the same request, sent twice at once
            taken = [FieldError(f, "already_registered", _GUARD_MESSAGES[f])
                     for f, guard in _GUARDS.items() if failure.refused_by(guard)]
            if not taken:  # no guard refused: a concurrent write got in the way (TransactionConflict)
                raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                                     "Tunggu sebentar lalu kirim ulang.") from None
            raise SeklikError(
                "ALREADY_REGISTERED",
                "Data ini sudah terdaftar: " + ", ".join(_field_label(d.field) for d in taken) + ".",
                409,
                taken,
            ) from None
        return company, user, False

    def _throttle_registrations(self, address: str, now) -> None:
        """Count this attempt first, then refuse if it is over the limit: racing
        requests cannot slip past together (as with login failures)."""
        self.table.record_attempt("REGISTER", address, now, new_id(), now + REGISTRATION_WINDOW + timedelta(minutes=1))
        attempts = self.table.attempts_since("REGISTER", address, now - REGISTRATION_WINDOW)
        if len(attempts) > MAX_REGISTRATIONS_PER_ADDRESS:
            retry = attempts[-MAX_REGISTRATIONS_PER_ADDRESS - 1] + REGISTRATION_WINDOW - now
            minutes = max(1, int(retry.total_seconds() + 59) // 60)
            raise SeklikError(
                "REGISTRATION_THROTTLED",
                f"Terlalu banyak pendaftaran dari alamat jaringan ini. Coba lagi dalam {minutes} menit, "
                "atau hubungi Diskominfo bila Anda mendaftarkan banyak perusahaan sekaligus.",
                429,
                headers={"Retry-After": str(max(1, int(retry.total_seconds())))},
            )

    def _replay(self, key: str, digest: str) -> tuple[Company, User] | None:
        result = self.idempotency.replay("register", key, digest, _KEY_REUSED)
        if result is None:
            return None
        return self.store.get(result["company_id"]), self.table.get_user(result["user_id"])

    # -- reading -------------------------------------------------------------------------

    def overview(self, actor: User, company_id: str) -> CompanyOverview:
        return self.overview_of(self.access.company_for(actor, company_id))

    def overview_of(self, company: Company) -> CompanyOverview:
        current, history = self.store.documents(company.id)
        checklist = [
            ChecklistItem(t, t.required(company.media_type), current.get(t.code))
            for t in self.rules.document_types
            if t.required(company.media_type) or not t.required_for or t.code in current
        ]
        return CompanyOverview(company, checklist, history)

    # -- editing ----------------------------------------------------------------------------

    def update_profile(self, actor: User, company_id: str, profile: CompanyProfile, expected_version: int) -> Company:
        company = self.access.owned_company(actor, company_id)
        company.check("edit")
        expect_version(company.version, expected_version)
        new_profile = profile.model_dump(mode="json")
        changes = profile_changes(company.profile, new_profile)
        if not changes:
            return company
        now = self.clock()
        updated = company.with_profile(new_profile, now)
        extra = self.store.move_guard_elements(company.profile, new_profile, company.id)
        audit = AuditEvent("COMPANY", company.id, new_id(), "company.updated", actor.id, now, changes)
        try:
            self.store.save(updated, company.version, audit, extra)
        except ConditionFailed as failure:
            if failure.refused_by("company"):
                raise stale_version() from None
            # A guard refused: a new NPWP, NIB, account number or SK belongs to another company.
            taken = [FieldError(f, "already_registered", _GUARD_MESSAGES[f])
                     for f, guard in _PROFILE_GUARDS.items() if failure.refused_by(guard)]
            if not taken:
                raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                                     "Tunggu sebentar lalu kirim ulang.") from None
            raise SeklikError("ALREADY_REGISTERED", "Data ini sudah terdaftar untuk perusahaan lain: "
                              + ", ".join(_field_label(d.field) for d in taken) + ".", 409, taken) from None
        return updated

    # -- documents ------------------------------------------------------------------------------

    def request_upload(self, actor: User, company_id: str, doc_type: str, filename: str, content_type: str,
                       size: int, expires_on: date | None) -> UploadGrant:
        company = self.access.owned_company(actor, company_id)
        company.check("edit")
        problems = []
        spec = self.rules.document_type(doc_type)
        if spec is None or not (spec.required(company.media_type) or not spec.required_for):
            allowed = ", ".join(t.code for t in self.rules.document_types
                                if t.required(company.media_type) or not t.required_for)
            problems.append(FieldError("doc_type", "unknown_document_type",
                                       f"Jenis dokumen tidak dikenal untuk media ini. Pilihan: {allowed}."))
        today = today_wib(self.clock())
        if expires_on is not None and expires_on <= today:
            problems.append(FieldError("expires_on", "already_expired",
                                       "Tanggal berlaku sampai harus setelah hari ini; dokumen yang sudah "
                                       "kedaluwarsa tidak dapat diunggah."))
        elif expires_on is not None and expires_on.year > today.year + MAX_DOCUMENT_YEARS:
            problems.append(FieldError("expires_on", "too_far_ahead",
                                       f"Tanggal berlaku sampai paling lama {MAX_DOCUMENT_YEARS} tahun lagi. "
                                       "Untuk dokumen yang berlaku selamanya, kosongkan tanggalnya."))
        return self.uploads.grant("company", company.id, f"companies/{company.id}/{doc_type}", filename, content_type,
                                  size, actor.id, doc_type=doc_type, expires_on=expires_on, problems=problems)

    def confirm_upload(self, actor: User, company_id: str, upload_id: str) -> Document:
        """Check the stored file and record it as the current document of its type.

        Confirming the same upload twice returns the document the first call
        recorded. A file that is empty, too large or not what it claims to
        be is deleted, and the error says which.
        """
        company = self.access.owned_company(actor, company_id)
        upload = self.uploads.pending("company", company.id, upload_id)
        if upload is None:
            for document in self.store.documents(company.id)[1]:
                if document.id == upload_id:
                    return document  # already confirmed (the document takes the upload's id)
            raise not_found("Unggahan tidak ditemukan. Minta izin unggah baru lalu unggah ulang file Anda.")
        company.check("edit")
        try:
            stored = self.uploads.check(upload)
        except UploadAlreadyUsed:
            return self.confirm_upload(actor, company_id, upload_id)  # confirmed meanwhile: that document
        now = self.clock()
        current, _ = self.store.documents(company.id)
        previous = current.get(upload.doc_type)
        document = Document(
            id=upload.id, company_id=company.id, doc_type=upload.doc_type, key=stored.key,
            filename=stored.filename, content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
            uploaded_by=actor.id, uploaded_at=now, expires_on=upload.expires_on,
        )
        spec = self.rules.document_type(upload.doc_type)
        audit = AuditEvent(
            "COMPANY", company.id, new_id(), "document.uploaded", actor.id, now,
            {f"dokumen.{upload.doc_type}": {"before": previous.filename if previous else None,
                                             "after": document.filename}},
            reason=f"{spec.label if spec else upload.doc_type} (SHA-256 {stored.sha256[:12]}…)",
        )
        try:
            self.store.add_document(document, previous, upload, audit, company.version)
        except ConditionFailed as failure:
            self.uploads.discard(stored)  # our copy is nobody's document
            if failure.refused_by("upload"):
                return self.confirm_upload(actor, company_id, upload_id)  # confirmed meanwhile
            raise stale_version() from None
        self.uploads.finish(upload)
        return document

    def download_link(self, actor: User, company_id: str, document_id: str) -> tuple[Document, str]:
        company = self.access.company_for(actor, company_id)
        document = next((d for d in self.store.documents(company.id)[1] if d.id == document_id), None)
        if document is None:
            raise not_found("Dokumen tidak ditemukan.")
        url = self.uploads.download_link(document.key, document.filename, document.content_type)
        return document, url

    # -- submission ------------------------------------------------------------------------------

    def submit(self, actor: User, company_id: str, expected_version: int) -> Company:
        company = self.access.owned_company(actor, company_id)
        if company.status == CompanyStatus.SUBMITTED:
            return company  # already submitted: a repeated click changes nothing
        company.check("submit")
        expect_version(company.version, expected_version)
        overview = self.overview_of(company)
        if overview.missing:
            raise SeklikError(
                "DOCUMENTS_INCOMPLETE",
                "Dokumen wajib belum lengkap. Lengkapi dokumen berikut lalu ajukan lagi.",
                409,
                [FieldError(f"documents.{item.type.code}", "document_missing", f"{item.type.label}: {item.problem}")
                 for item in overview.missing],
            )
        now = self.clock()
        submitted = company.moved("submit", now, submitted_at=now, expiry_warned=False)
        audit = AuditEvent("COMPANY", company.id, new_id(), "company.submitted", actor.id, now,
                           {"status": {"before": company.status.value, "after": submitted.status.value}})
        try:
            self.store.save(submitted, company.version, audit)
        except ConditionFailed:
            raise stale_version() from None
        return submitted


def _field_label(field: str) -> str:
    return {"account.email": "email akun", "profile.npwp": "NPWP", "profile.nib": "NIB",
            "profile.bank_account.number": "nomor rekening", "profile.sk_kemenkumham": "SK Kemenkumham"}[field]
