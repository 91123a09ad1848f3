"""Use cases of verification (verifikasi): the verifier's side, and the daily expiry job.

Each decision is one transaction guarded by the ``version`` the verifier saw
(optimistic locking): of two verifiers deciding at once, one wins and the
other gets STALE_VERSION and nothing of theirs is written. A company decision
also checks the versions of the documents it relied on, so a document review
landing at the same moment cannot slip under it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..adapters.companies import CompanyStore
from ..adapters.table import ConditionFailed, Table
from ..domain.accounts import AuditEvent, User
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.documents import DOCUMENT_WORKFLOW, DocumentStatus
from ..domain.press_company import DECISION_VERBS, IDENTIFIER_FIELDS, Company, CompanyStatus, MediaType
from ..errors import FieldError, not_found, validation_failed
from .access import Access, expect_version, stale_version
from .notifications import Notifier, queued
from .registration import CompanyOverview, RegistrationService

EXPIRY_NOTICE = timedelta(days=30)
MAX_VALIDITY = timedelta(days=3 * 366)


@dataclass(frozen=True)
class ExpiryReport:
    verifications_expiring: int = 0
    verifications_expired: int = 0
    documents_expiring: int = 0
    documents_expired: int = 0


@dataclass(frozen=True)
class IdentityClash:
    kind: str
    field: str
    label: str
    holder: Company | None  # None: the other company let it go since (the next profile save takes it)


class VerificationService:
    def __init__(self, table: Table, store: CompanyStore, access: Access, registration: RegistrationService,
                 notifier: Notifier, clock: Clock = utc_now):
        self.table = table
        self.store = store
        self.access = access
        self.registration = registration  # its document checklist (overview_of), which decisions rely on
        self.notifier = notifier
        self.clock = clock

    def queue(self, status: CompanyStatus = CompanyStatus.SUBMITTED, media_type: MediaType | None = None,
              limit: int = 50, after: str | None = None) -> tuple[list[Company], str | None]:
        """Companies in a status, the longest waiting first."""
        return self.store.by_status(status, limit=limit, after=after,
                                    media_type=media_type.value if media_type else None)

    def audit_trail(self, actor: User, company_id: str) -> list[tuple[AuditEvent, str]]:
        """The company's audit trail, newest first, each event with the name of who did it."""
        return self.access.trail("COMPANY", self.access.company_for(actor, company_id).id)

    def identity_clashes(self, actor: User, company_id: str) -> list[IdentityClash]:
        """Which identifiers of this company another company holds, and which company that is."""
        company = self.access.company_for(actor, company_id)
        clashes = []
        for kind in company.identity_clashes:
            holder = self.store.guard_holder(kind, company.profile)
            other = self.store.get(holder) if holder else None
            clashes.append(IdentityClash(kind, *IDENTIFIER_FIELDS[kind], other))
        return clashes

    def verified_partners(self) -> list[Company]:
        """Verified and still valid today, by media name (a lapsed one is hidden before the job marks it)."""
        today = today_wib(self.clock())
        partners = [c for c in self.store.all_by_status(CompanyStatus.VERIFIED)
                    if c.verified_until is None or c.verified_until >= today]
        return sorted(partners, key=lambda c: c.profile["media_name"].casefold())

    # -- decisions ---------------------------------------------------------------------

    def review_document(self, actor: User, company_id: str, document_id: str, accepted: bool,
                        reason: str | None, expected_version: int) -> CompanyOverview:
        company = self.access.company_for(actor, company_id)
        company.check("review_documents")
        overview = self.registration.overview_of(company)
        document = next((i.current for i in overview.checklist if i.current and i.current.id == document_id), None)
        if document is None:
            raise not_found("Dokumen tidak ditemukan di antara dokumen terkini perusahaan ini.")
        reason = (reason or "").strip() or None
        if not accepted and not reason:
            raise validation_failed([FieldError("reason", "missing",
                                                "Tuliskan alasan penolakan agar mitra tahu apa yang harus diperbaiki.")])
        expect_version(document.version, expected_version)
        now = self.clock()
        reviewed = document.reviewed(accepted, reason, actor.id, now)
        audit = AuditEvent(
            "COMPANY", company.id, new_id(), "document.accepted" if accepted else "document.rejected", actor.id, now,
            {f"dokumen.{document.doc_type}": {"before": document.status.value, "after": reviewed.status.value}},
            reason=reason,
        )
        try:
            self.store.save_document(reviewed, document.version, audit,
                                     [self.store.company_version_check(company.id, company.version)])
        except ConditionFailed:
            raise stale_version() from None
        return self.registration.overview_of(self.store.get(company.id))

    def decide(self, actor: User, company_id: str, decision: CompanyStatus, reasons: list[str],
               verified_until: date | None, expected_version: int) -> Company:
        company = self.access.company_for(actor, company_id)
        # The version first: a verifier whose page is out of date (another verifier decided meanwhile)
        # hears that, whatever the new status is.
        expect_version(company.version, expected_version)
        verb = DECISION_VERBS.get(decision)
        if verb is None:
            raise validation_failed([FieldError("decision", "unknown_decision",
                                                "Keputusan harus VERIFIED, REVISION_REQUESTED, atau REJECTED.")])
        company.check(verb)
        if verb == "verify":
            company.check_identity_free()
        reasons = [r.strip() for r in reasons if r.strip()]
        overview = self.registration.overview_of(company)
        if problems := self._decision_problems(verb, overview, reasons, verified_until):
            raise validation_failed(problems)
        now = self.clock()
        decided = company.moved(verb, now, decided_by=actor.id, decision_reasons=tuple(reasons),
                                verified_until=verified_until if verb == "verify" else None, expiry_warned=False)
        changes = {"status": {"before": company.status.value, "after": decided.status.value}}
        if verb == "verify":
            changes["verified_until"] = {"before": None, "after": verified_until.isoformat()}
        audit = AuditEvent("COMPANY", company.id, new_id(), f"company.{decision.value.lower()}", actor.id, now,
                           changes, reason="; ".join(reasons) or None)
        # The decision stands only on the documents as the verifier saw them.
        checks = [self.store.document_version_check(i.current) for i in overview.checklist if i.current]
        document_problems = [f"{i.type.label}: {i.current.review_reason}" for i in overview.checklist
                             if i.current and i.current.status == DocumentStatus.REJECTED]
        mail = self._mail_owner(decided, now, lambda to: self.notifier.decision(to, decided, document_problems))
        try:
            self.store.save(decided, company.version, audit, checks, mail)
        except ConditionFailed:
            raise stale_version() from None
        return decided

    def _decision_problems(self, verb: str, overview: CompanyOverview, reasons: list[str],
                           verified_until: date | None) -> list[FieldError]:
        """What each decision needs: a validity end and every required document accepted; what to fix; why."""
        problems: list[FieldError] = []
        if verb == "verify":
            today = today_wib(self.clock())
            if verified_until is None:
                problems.append(FieldError("verified_until", "missing", "Isi tanggal akhir masa verifikasi."))
            elif not today < verified_until <= today + MAX_VALIDITY:
                problems.append(FieldError("verified_until", "out_of_range",
                                           "Tanggal akhir verifikasi harus setelah hari ini dan paling lama 3 tahun."))
            for item in overview.checklist:
                if item.required and (item.current is None or item.current.status != DocumentStatus.ACCEPTED):
                    problems.append(FieldError(f"documents.{item.type.code}", "document_not_accepted",
                                               f"{item.type.label} belum diterima. Periksa dan terima dokumen ini "
                                               "terlebih dahulu, atau minta perbaikan."))
                elif item.current is not None and item.current.status == DocumentStatus.UPLOADED:
                    problems.append(FieldError(f"documents.{item.type.code}", "document_not_reviewed",
                                               f"{item.type.label} belum diperiksa."))
        elif verb == "request_revision":
            rejected = [i for i in overview.checklist if i.current and i.current.status == DocumentStatus.REJECTED]
            if not reasons and not rejected:
                problems.append(FieldError("reasons", "missing",
                                           "Tuliskan apa yang harus diperbaiki, atau tolak dokumen yang bermasalah."))
        elif not reasons:  # reject
            problems.append(FieldError("reasons", "missing", "Tuliskan alasan penolakan."))
        return problems

    def _mail_owner(self, company: Company, now, write) -> tuple:
        """The owner's email (``write(address)`` → Mail), to be queued in the change's own transaction."""
        email = self.access.owner_email(company)
        return queued(now, write(email)) if email else ()

    # -- the daily job ---------------------------------------------------------------------

    def run_expiry(self, today: date | None = None) -> ExpiryReport:
        """Warn 30 days ahead and mark what has expired. Running it twice changes nothing more."""
        now = self.clock()
        today = today or today_wib(now)
        report = ExpiryReport()
        for company in self.store.all_by_status(CompanyStatus.VERIFIED):
            if company.verified_until is None:
                continue
            if company.verified_until < today:
                updated = company.moved("expire", now)
                action, counter = "company.verification_expired", "verifications_expired"
                changes = {"status": {"before": company.status.value, "after": CompanyStatus.EXPIRED.value}}
            elif company.verified_until <= today + EXPIRY_NOTICE and not company.expiry_warned:
                updated = replace(company, expiry_warned=True, updated_at=now, version=company.version + 1)
                action, counter = "company.verification_expiring", "verifications_expiring"
                changes = {}
            else:
                continue
            audit = AuditEvent("COMPANY", company.id, new_id(), action, "system:expiry-job", now, changes,
                               reason=f"berlaku sampai {company.verified_until.isoformat()}")
            write = self.notifier.verification_expired if updated.status == CompanyStatus.EXPIRED \
                else self.notifier.verification_expiring
            mail = self._mail_owner(updated, now, lambda to, c=updated: write(to, c))
            try:
                self.store.save(updated, company.version, audit, mail=mail)
            except ConditionFailed:
                continue  # changed meanwhile; the next run sees the new state
            report = replace(report, **{counter: getattr(report, counter) + 1})

        for document in self.store.documents_expiring(today + EXPIRY_NOTICE):
            expired = document.expires_on < today
            if not expired and document.expiry_warned:
                continue
            status = DOCUMENT_WORKFLOW.target(document.status, "expire") if expired else document.status
            updated = replace(document, status=status, expiry_warned=True, version=document.version + 1)
            spec = self.registration.rules.document_type(document.doc_type)
            label = spec.label if spec else document.doc_type
            audit = AuditEvent(
                "COMPANY", document.company_id, new_id(),
                "document.expired" if expired else "document.expiring", "system:expiry-job", now,
                {f"dokumen.{document.doc_type}": {"before": document.status.value, "after": updated.status.value}},
                reason=f"{label} berlaku sampai {document.expires_on.isoformat()}",
            )
            company = self.access.company(document.company_id)
            mail = () if company is None else self._mail_owner(company, now, lambda to, c=company: (
                self.notifier.document_expiring(to, c, label, document.expires_on, expired)))
            try:
                self.store.save_document(updated, document.version, audit, mail=mail)
            except ConditionFailed:
                continue
            counter = "documents_expired" if expired else "documents_expiring"
            report = replace(report, **{counter: getattr(report, counter) + 1})
        return report
