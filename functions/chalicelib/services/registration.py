"""Use cases of a press company's registration (pendataan): the partner's side.

Register (the form, then the link mailed to its address creates the account
and DRAFT company in one transaction), read and edit the profile, upload
documents (presigned POST, then confirm), submit for verification. Who may
do what to which company is decided here, not in the routes: a partner only ever reaches its own company, and gets "not found"
for any other, so ids cannot be probed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..adapters.companies import CompanyStore
from ..adapters.registrations import PendingRegistrationStore
from ..adapters.table import ConditionFailed, Table
from ..domain import accounts as account_rules
from ..domain.accounts import AuditEvent, Role, User
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.documents import Document, DocumentStatus, DocumentType, RegistrationRules
from ..domain.links import new_link_token, token_hash, token_looks_valid
from ..domain.press_company import (IDENTIFIER_FIELDS, Company, CompanyProfile, CompanyStatus, in_form_order,
                                    profile_changes)
from ..domain.registration import ACTIVATION_DAYS, PendingRegistration
from ..errors import FieldError, SeklikError, conflict, not_found, validation_failed
from .access import Access, expect_version, stale_version
from .idempotency import Idempotency, request_hash
from .notifications import Notifier, queued
from .uploads import UploadAlreadyUsed, UploadDesk, UploadGrant

# A document "valid until 9999" is a typing slip: nothing an office issues runs longer than this.
MAX_DOCUMENT_YEARS = 30
# A public form that creates accounts: at most this many registrations per address per hour.
MAX_REGISTRATIONS_PER_ADDRESS = 10
REGISTRATION_WINDOW = timedelta(hours=1)
# Registration mail per address and day: enough to retry, too few to fill someone's mailbox.
MAX_MAILS_PER_EMAIL = 3
MAIL_WINDOW = timedelta(days=1)
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
                 idempotency: Idempotency, rules: RegistrationRules, pending: PendingRegistrationStore,
                 notifier: Notifier, hasher: PasswordHasher | None = None, clock: Clock = utc_now):
        self.table = table
        self.store = store
        self.pending = pending
        self.notifier = notifier
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
                 idempotency_key: str | None = None) -> bool:
        """Take a registration form and mail its address; returns True when this was a replay.

        What is wrong with the form itself is said at once (422). What exists is not: the
        answer is the same whether the address is new or already has an account, and the
        NPWP, NIB, account number and SK are not compared yet. A new address is sent the link
        that creates the account and company (``activate``); the holder of an existing one is
        told someone tried. The same ``idempotency_key`` with the same data answers again
        without another mail; with different data it is refused.
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
        if idempotency_key and self.idempotency.replay("register", idempotency_key, digest, _KEY_REUSED):
            return True

        now = self.clock()
        self._throttle_registrations(source_address, now)
        self._throttle_mail_to(email, now)
        # Hashed either way, so a known address is not answered faster than a new one.
        password_hash = self.hasher.hash(account.password)
        existing = self.table.get_user_by_email(email)
        if existing is not None:
            pending, mail = None, self.notifier.registration_for_existing_account(existing)
        else:
            token = new_link_token()
            pending = PendingRegistration(token_hash(token), email, account.name.strip(), password_hash,
                                          profile_data, now)
            mail = self.notifier.registration_link(email, pending.name, profile_data["media_name"], token,
                                                   pending.expires_at)
        idempotency = None
        if idempotency_key:
            idempotency = self.idempotency.element("register", idempotency_key, digest, {"registered": True}, now)
        try:
            self.pending.write(pending, queued(now, mail), idempotency)
        except ConditionFailed as failure:
            if idempotency_key and failure.refused_by("idempotency"):
                if self.idempotency.replay("register", idempotency_key, digest, _KEY_REUSED):
                    return True  # the same request, sent twice at once
            raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                                 "Tunggu sebentar lalu kirim ulang.") from None
        return False

    def activate(self, token: str, password: str) -> tuple[Company, User]:
        """Follow the mailed link: create the account and its DRAFT company, once.

        The registrant gives the password it registered with: a link alone is not enough, so whoever
        registers with someone else's address cannot get an account with their own password by that
        person following the link, and a link read elsewhere (a forwarded mail) opens nothing.

        An NPWP, NIB, account number or SK that another company holds does not stop the
        registrant here (telling it would tell anyone who owns which): the company is made
        without that guard, marked with the clash, and the verifier sees it and may not
        verify it until it is put right.
        """
        pending = self.pending.get(token_hash(token)) if token_looks_valid(token) else None
        now = self.clock()
        if pending is None or pending.expired(now):
            raise not_found("Tautan aktivasi ini tidak berlaku lagi: sudah dipakai, atau lebih dari "
                            f"{ACTIVATION_DAYS} hari. Bila akun Anda sudah aktif, masuk saja; bila belum, daftar lagi.")
        try:
            self.hasher.verify(pending.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise validation_failed([FieldError(
                "password", "wrong_password", "Kata sandi ini bukan yang diisi saat mendaftar. Isi kata sandi "
                "pendaftaran; bila Anda tidak mendaftar dengan alamat ini, abaikan surelnya.")]) from None
        company_id = new_id()
        user = User(id=new_id(), email=pending.email, name=pending.name, roles=(Role.MEDIA,),
                    password_hash=pending.password_hash, created_at=now, updated_at=now, company_id=company_id)
        user_audit = AuditEvent("USER", user.id, new_id(), "user.created", "self-registration", now,
                                {"roles": {"before": None, "after": ["media"]}})
        clashes: set[str] = set()
        while True:
            company = Company(id=company_id, owner_id=user.id, profile=pending.profile, status=CompanyStatus.DRAFT,
                              created_at=now, updated_at=now, status_since=now,
                              identity_clashes=in_form_order(clashes))
            changes = {"status": {"before": None, "after": CompanyStatus.DRAFT.value}}
            if clashes:
                changes["identity_clashes"] = {"before": None, "after": ", ".join(company.identity_clashes)}
            company_audit = AuditEvent("COMPANY", company.id, new_id(), "company.registered", user.id, now, changes)
            try:
                self.store.create(user, company, user_audit, company_audit, self.pending.used_up(pending.token_hash))
                return company, user
            except ConditionFailed as failure:
                if failure.refused_by("pending", "email_guard"):
                    # The link followed twice, or the address got an account meanwhile: its owner may know.
                    if failure.refused_by("email_guard"):
                        self.pending.forget(pending.token_hash)
                    raise conflict("ALREADY_ACTIVATED", "Alamat surel ini sudah memiliki akun yang aktif. Masuk "
                                                        "dengan alamat dan kata sandinya.") from None
                clashes = _with_refused_guards(failure, clashes)

    def _throttle_registrations(self, address: str, now) -> None:
        """Count this attempt first, then refuse if it is over the limit: racing
        requests cannot slip past together (as with login failures)."""
        attempts = self.table.counted_attempts("REGISTER", address, now, REGISTRATION_WINDOW, new_id())
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

    def _throttle_mail_to(self, email: str, now) -> None:
        """Nobody can fill someone's mailbox with registration mail: a few per address and day."""
        if len(self.table.counted_attempts("REGISTER_EMAIL", email, now, MAIL_WINDOW, new_id())) > MAX_MAILS_PER_EMAIL:
            raise SeklikError(
                "REGISTRATION_THROTTLED",
                "Surel pendaftaran untuk alamat ini sudah beberapa kali dikirim hari ini. Periksa kotak masuk "
                "(juga folder spam) untuk tautan aktivasi, atau coba lagi besok.",
                429, headers={"Retry-After": str(int(MAIL_WINDOW.total_seconds()))})

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
        # Every identifier's guard is taken if it is free; one another company holds becomes a clash
        # the verifier sees, not an error that would tell the partner whose it is.
        clashes: set[str] = set()
        foreign: set[str] = set()  # guards the company seemed to hold but another does (older data)
        while True:
            updated = company.with_profile(new_profile, now, tuple(clashes))
            held = replace(company, identity_clashes=in_form_order(set(company.identity_clashes) | foreign))
            extra = self.store.move_guard_elements(held, updated)
            audited = dict(changes)
            if updated.identity_clashes != company.identity_clashes:
                audited["identity_clashes"] = {"before": ", ".join(company.identity_clashes) or None,
                                               "after": ", ".join(updated.identity_clashes) or None}
            audit = AuditEvent("COMPANY", company.id, new_id(), "company.updated", actor.id, now, audited)
            try:
                self.store.save(updated, company.version, audit, extra)
                return updated
            except ConditionFailed as failure:
                if failure.refused_by("company"):
                    raise stale_version() from None
                if found := {k for k in IDENTIFIER_FIELDS if failure.refused_by(f"{k}_old_guard")} - foreign:
                    foreign |= found
                    continue
                clashes = _with_refused_guards(failure, clashes)

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


def _with_refused_guards(failure: ConditionFailed, clashes: set[str]) -> set[str]:
    """The clashes to try again with: those known, and the identifiers whose guard another company holds.
    Nothing new refused means another request wrote the same items meanwhile."""
    taken = {kind for kind in IDENTIFIER_FIELDS if failure.refused_by(f"{kind}_guard")}
    if not taken or taken <= clashes:
        raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                             "Tunggu sebentar lalu kirim ulang.") from None
    return clashes | taken
