"""Use cases of invoices (tagihan) and the payment steps: the partner bills, finance pays.

Each use case is check → prepare → transition (a verb of ``INVOICE_WORKFLOW``)
→ one transaction (``adapters/invoices.py``) with the partner's email queued in it. Money moves only in
approval (the commitment realised, the expense and the payable recognised),
cancellation of an approved invoice (its exact reversal), the SP2D (the
payable settled with the taxes of its day) and an SP2D the bank returned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from ..adapters.agreements import AgreementStore
from ..adapters.documents import DocumentStore
from ..adapters.invoices import InvoiceStore
from ..adapters.orders import OrderStore
from ..adapters.table import ConditionFailed
from ..domain.accounts import AuditEvent, Role, User, looks_like_id
from ..domain.clock import Clock, new_id, tanggal, today_wib, utc_now
from ..domain.invoices import BilledOrder, Invoice, InvoiceRules, InvoiceStatus, PaymentStep, invoice_problems
from ..domain.outbox import OutboxMessage
from ..domain.taxes import Faktur, TaxComputation, TaxRules
from ..errors import FieldError, SeklikError, conflict, forbidden, not_found, validation_failed
from .access import Access, expect_version, stale_version
from .idempotency import Idempotency, request_hash
from .notifications import queued
from .paging import COMPANY_INVOICE_KEYS, LIST_PAGE, cursor_of, key_of, office_invoice_keys
from .uploads import UploadDesk, UploadGrant

if TYPE_CHECKING:
    from ..adapters.invoice_documents import InvoicePapers

INVOICE_READERS = frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
_KEY_REUSED = ("Kunci Idempotency-Key ini sudah dipakai untuk tagihan lain. "
               "Gunakan kunci baru untuk setiap tagihan baru.")
STEP_VERBS = {"spp": "file_spp", "spm": "issue_spm"}


@dataclass(frozen=True)
class InvoiceRequest:
    order_ids: tuple[str, ...]
    partner_invoice_number: str
    partner_invoice_date: date
    attachments: dict[str, str]  # attachment code → upload id
    faktur_number: str | None = None
    faktur: Faktur | None = None
    kuitansi_meterai: bool = False


class InvoiceService:
    def __init__(self, invoices: InvoiceStore, orders: OrderStore, agreements: AgreementStore, access: Access,
                 uploads: UploadDesk, idempotency: Idempotency, files: DocumentStore, rules: InvoiceRules,
                 taxes: TaxRules, letterhead: tuple[str, ...], city: str, notifier=None, clock: Clock = utc_now):
        self.invoices = invoices
        self.orders = orders
        self.agreements = agreements
        self.files = files
        self.letterhead = letterhead
        self.city = city
        self.access = access
        self.uploads = uploads
        self.idempotency = idempotency
        self.rules = rules
        self.taxes = taxes
        self.notifier = notifier
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------------

    def get(self, actor: User, invoice_id: str) -> Invoice:
        invoice = self.invoices.get(invoice_id) if looks_like_id(invoice_id) else None
        if invoice is None or not (actor.has_any_role(INVOICE_READERS) or actor.company_id == invoice.company_id):
            raise not_found("Tagihan tidak ditemukan.")
        return invoice

    def history(self, actor: User, invoice_id: str) -> list[tuple]:
        """The invoice's audit trail, newest first, each step with the name of who took it."""
        return self.access.trail("INVOICE", self.get(actor, invoice_id).id)

    def list_for(self, actor: User, status: InvoiceStatus | None = None, limit: int = LIST_PAGE,
                 after: str | None = None) -> tuple[list[Invoice], str | None]:
        """One page of the invoices ``actor`` may see and the cursor of the next (or None): a partner's own,
        newest first; staff's status by status in the workflow's order, each oldest first (the queue)."""
        company_id = None
        if not actor.has_any_role(INVOICE_READERS):
            if actor.company_id is None:
                return [], None
            company_id = actor.company_id
        keys = COMPANY_INVOICE_KEYS if company_id else office_invoice_keys(
            [status.value] if status else [s.value for s in InvoiceStatus])
        invoices, last_key = self.invoices.page(limit, key_of(after, keys), company_id, status)
        return invoices, cursor_of(last_key)

    def preview(self, invoice: Invoice) -> TaxComputation:
        """The taxes as they stand: as paid, else as they would be paid today, else as approved."""
        if invoice.payment:
            return invoice.payment
        try:
            return invoice.taxes(self.taxes.on(today_wib(self.clock())))
        except ValueError:  # no rule in force today (a misconfiguration): show what was approved
            return invoice.approval

    def attachment_link(self, actor: User, invoice_id: str, code: str) -> str:
        invoice = self.get(actor, invoice_id)
        steps = {"spp": invoice.spp, "spm": invoice.spm, "sp2d": invoice.sp2d}
        record = invoice.attachments.get(code) or (steps[code].document if steps.get(code) else None)
        if code == "bukti_potong" and invoice.withholding_slip:
            record = invoice.withholding_slip["document"]
        if not record:
            raise not_found("Lampiran tidak ditemukan.")
        return self.uploads.download_link(record["key"], record["filename"], record["content_type"])

    def document_link(self, actor: User, invoice_id: str, kind: str) -> str:
        """The kuitansi, BAST or SPP-LS sheet of the invoice as it stands: made once per version, kept."""
        # Imported here: the PDF library is loaded by the requests that print, not by every cold start.
        from ..adapters.invoice_documents import RENDERERS

        invoice = self.get(actor, invoice_id)
        if kind not in RENDERERS:
            raise validation_failed([FieldError("kind", "unknown_document",
                                                "Dokumen: kuitansi, bast, atau spp_sheet.")])
        key = f"invoices/{invoice.company_id}/{invoice.id}/generated/{kind}-v{invoice.version}.pdf"
        if not self.files.exists(key):
            self.files.put(key, RENDERERS[kind](self.papers(invoice)), "application/pdf")
        filename = f"{kind}-" + "".join(c if c.isalnum() else "-" for c in invoice.partner_invoice_number) + ".pdf"
        return self.uploads.download_link(key, filename, "application/pdf")

    def kuitansi_for(self, actor: User, order_ids: tuple[str, ...]) -> str:
        """The kuitansi of completed orders before they are invoiced: the partner signs it and attaches it."""
        from ..adapters.invoice_documents import RENDERERS  # the PDF library, only when printing

        company = self._partner_company(actor)
        orders = self._orders(actor, order_ids)
        if problems := invoice_problems(orders):
            raise validation_failed(problems)
        draft = Invoice(id=new_id(), company_id=company.id, agreement_id=orders[0].agreement_id, year=orders[0].year,
                        budget_line=orders[0].budget_line, partner_invoice_number="(nomor tagihan Anda)",
                        partner_invoice_date=today_wib(self.clock()),
                        orders=tuple(BilledOrder(o.id, o.number, o.total, o.dimensions) for o in orders),
                        pkp=bool(company.profile.get("pkp")), has_npwp=bool(company.profile.get("npwp")),
                        bank_account=dict(company.profile["bank_account"]), attachments={}, submitted_by=actor.id,
                        submitted_at=self.clock())
        key = f"invoices/{company.id}/drafts/{draft.id}/kuitansi.pdf"
        self.files.put(key, RENDERERS["kuitansi"](self.papers(draft)), "application/pdf")
        return self.uploads.download_link(key, "kuitansi.pdf", "application/pdf")

    def papers(self, invoice: Invoice) -> InvoicePapers:
        from ..adapters.invoice_documents import InvoicePapers, Signatory  # the PDF library, only when printing

        company = self.access.company(invoice.company_id)
        agreement = self.agreements.get(invoice.agreement_id)
        taxes = invoice.payment or invoice.approval or self.preview(invoice)
        rows = []
        for billed in invoice.orders:
            order = self.orders.get(billed.order_id)
            shown = "; ".join(
                f"{tanggal(s.starts_on)}: {', '.join(s.proof.urls) or 'tangkapan layar'}" if s.proof else tanggal(s.starts_on)
                for s in order.slots)
            rows.append((order.number, order.material.title, shown, billed.total))
        bank = invoice.bank_account
        sign = lambda data: Signatory(data.get("name", ""), data.get("title", ""), data.get("id", ""))  # noqa: E731
        return InvoicePapers(
            letterhead=self.letterhead, city=self.city, office=self.rules.payer, on=today_wib(self.clock()),
            partner_legal_name=company.profile["legal_name"], partner_media_name=company.profile["media_name"],
            partner_npwp=company.profile.get("npwp", ""), partner_signer="",
            bank=f"{bank['bank']} {bank['number']} a.n. {bank['holder']}", invoice_number=invoice.partner_invoice_number,
            agreement_number=agreement.number if agreement else invoice.agreement_id, budget_line=invoice.budget_line,
            orders=tuple(rows), gross=taxes.gross, base=taxes.base, ppn=taxes.ppn, ppn_collected=taxes.ppn_collected,
            pph23=taxes.pph23, net=taxes.net, needs_meterai=taxes.needs_meterai, pptk=sign(self.rules.pptk),
            treasurer=sign(self.rules.treasurer))

    # -- the partner's side ---------------------------------------------------------------------

    def request_attachment_upload(self, actor: User, code: str, filename: str, content_type: str,
                                  size: int) -> UploadGrant:
        company = self._partner_company(actor)
        problems = []
        if self.rules.attachment(code) is None:
            choices = ", ".join(a.code for a in self.rules.attachments)
            problems.append(FieldError("code", "unknown_attachment", f"Jenis lampiran tidak dikenal. Pilihan: {choices}."))
        return self.uploads.grant("invoice_attachment", company.id, f"invoices/{company.id}/{code}", filename,
                                  content_type, size, actor.id, allowed=("application/pdf", "image/jpeg", "image/png"),
                                  doc_type=code, problems=problems)

    def submit(self, actor: User, request: InvoiceRequest, key: str | None = None,
               raw_body: bytes = b"") -> tuple[Invoice, bool]:
        """The partner bills completed orders; with an Idempotency-Key a repeat returns the first invoice."""
        company = self._partner_company(actor)
        scope = f"invoice:{actor.id}"
        digest = request_hash(raw_body)
        if key and (replay := self._replay(scope, key, digest)):
            return replay, True
        orders = self._orders(actor, request.order_ids)
        if problems := invoice_problems(orders):
            raise validation_failed(problems)
        year = orders[0].year
        today = today_wib(self.clock())
        self.rules.check_open(year, today)
        pkp = bool(company.profile.get("pkp"))
        problems = self._header_problems(request, pkp, today)
        taken = self._attachments(company.id, request.attachments, problems)
        if problems := problems + self.rules.missing_attachments(request.attachments, pkp):
            raise validation_failed(problems)
        now = self.clock()
        invoice = Invoice(
            id=new_id(), company_id=company.id, agreement_id=orders[0].agreement_id, year=year,
            budget_line=orders[0].budget_line, partner_invoice_number=request.partner_invoice_number.strip(),
            partner_invoice_date=request.partner_invoice_date,
            orders=tuple(BilledOrder(o.id, o.number, o.total, o.dimensions) for o in orders),
            pkp=pkp, has_npwp=bool(company.profile.get("npwp")), bank_account=dict(company.profile["bank_account"]),
            attachments={code: file.as_dict() for code, (_, file) in taken.items()},
            submitted_by=actor.id, submitted_at=now, faktur=request.faktur if pkp else None,
            faktur_number=request.faktur_number if pkp else None, kuitansi_meterai=request.kuitansi_meterai,
            updated_at=now,
        )
        self._check_taxes(invoice, today)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.submitted", actor.id, now,
                           {"status": {"before": None, "after": invoice.status.value},
                            "bruto": {"before": None, "after": invoice.gross}})
        record = self.idempotency.element(scope, key, digest, {"invoice_id": invoice.id}, now) if key else None
        used = tuple(upload for upload, _ in taken.values())
        try:
            self.invoices.submit(invoice, used, audit, record, mail=self._mail(invoice, "submitted"))
        except ConditionFailed as failure:
            self.uploads.discard(*(file for _, file in taken.values()))
            if key and failure.refused_by("idempotency") and (replay := self._replay(scope, key, digest)):
                return replay, True  # the same request, sent twice at once
            billed = [FieldError(f"order_ids.{n}", "already_invoiced",
                                 f"Pesanan {o.number} sudah ditagihkan dalam tagihan lain.")
                      for n, o in enumerate(orders) if failure.refused_by(f"billed:{o.id}")]
            if billed:
                raise SeklikError("ORDER_ALREADY_INVOICED", "Sebagian pesanan sudah ditagihkan. Satu pesanan hanya "
                                                            "dapat ditagihkan sekali.", 409, billed) from None
            if failure.refused_by("number"):
                raise validation_failed([FieldError("partner_invoice_number", "number_taken",
                                                    "Nomor tagihan ini sudah Anda pakai. Gunakan nomor lain.")])
            raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                                 "Tunggu sebentar lalu kirim ulang.") from None
        self.uploads.finish(*used)
        return invoice, False

    def resubmit(self, actor: User, invoice_id: str, request: InvoiceRequest, expected_version: int) -> Invoice:
        """After a return: the partner sends what it fixed (its number, date, faktur, attachments to replace)."""
        invoice = self._owned(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        today = today_wib(self.clock())
        self.rules.check_open(invoice.year, today)
        problems = self._header_problems(request, invoice.pkp, today)
        taken = self._attachments(invoice.company_id, request.attachments, problems)
        attachments = {**invoice.attachments, **{code: file.as_dict() for code, (_, file) in taken.items()}}
        if problems := problems + self.rules.missing_attachments(attachments, invoice.pkp):
            raise validation_failed(problems)
        now = self.clock()
        fixed = invoice.resubmitted({
            "partner_invoice_number": request.partner_invoice_number.strip(),
            "partner_invoice_date": request.partner_invoice_date, "attachments": attachments,
            "faktur": request.faktur if invoice.pkp else None,
            "faktur_number": request.faktur_number if invoice.pkp else None,
            "kuitansi_meterai": request.kuitansi_meterai}, now)
        self._check_taxes(fixed, today)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.resubmitted", actor.id, now,
                           {"status": {"before": invoice.status.value, "after": fixed.status.value},
                            **{f"lampiran.{code}": {"before": (invoice.attachments.get(code) or {}).get("filename"),
                                                    "after": file.filename} for code, (_, file) in taken.items()}})
        renumbered = invoice.partner_invoice_number if fixed.partner_invoice_number != invoice.partner_invoice_number \
            else None
        used = tuple(upload for upload, _ in taken.values())
        try:
            self.invoices.save(fixed, invoice.version, audit, used, number_changed_from=renumbered)
        except ConditionFailed as failure:
            self.uploads.discard(*(file for _, file in taken.values()))
            if failure.refused_by("number") and not failure.refused_by("invoice"):
                raise validation_failed([FieldError("partner_invoice_number", "number_taken",
                                                    "Nomor tagihan ini sudah Anda pakai. Gunakan nomor lain.")])
            raise stale_version() from None
        self.uploads.finish(*used)
        return fixed

    # -- finance -----------------------------------------------------------------------------------

    def return_to_partner(self, actor: User, invoice_id: str, reasons: dict[str, str], expected_version: int) -> Invoice:
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        returned = invoice.returned(reasons, self.clock())
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.returned", actor.id, returned.updated_at,
                           {"status": {"before": invoice.status.value, "after": returned.status.value}},
                           reason="; ".join(f"{k}: {v}" for k, v in returned.return_reasons.items()))
        self._save(returned, invoice, audit, mail=self._mail(returned, "returned"))
        return returned

    def approve(self, actor: User, invoice_id: str, expected_version: int) -> Invoice:
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        now = self.clock()
        approved, entry = invoice.approved(self.taxes.on(today_wib(now)), new_id(), now)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.approved", actor.id, now,
                           {"status": {"before": invoice.status.value, "after": approved.status.value},
                            "utang": {"before": 0, "after": approved.gross}})
        self._save_money(approved, invoice, entry, audit, payable=approved.gross, mail=self._mail(approved, "approved"))
        return approved

    def cancel(self, actor: User, invoice_id: str, reason: str, expected_version: int) -> Invoice:
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        now = self.clock()
        cancelled, undo = invoice.cancelled(reason, new_id(), now)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.cancelled", actor.id, now,
                           {"status": {"before": invoice.status.value, "after": cancelled.status.value}},
                           reason=cancelled.status_reason)
        self._save_money(cancelled, invoice, undo, audit, payable=-invoice.gross if undo else 0, release_guards=True,
                         mail=self._mail(cancelled, "cancelled"))
        return cancelled

    def request_document_upload(self, actor: User, invoice_id: str, step: str, filename: str, content_type: str,
                                size: int) -> UploadGrant:
        """The PDF of an SPP, SPM or SP2D, uploaded before the step is recorded."""
        invoice = self.get(actor, invoice_id)
        problems = [] if step in ("spp", "spm", "sp2d", "bukti_potong") else [
            FieldError("step", "unknown_step", "Dokumen pembayaran harus spp, spm, sp2d, atau bukti_potong.")]
        return self.uploads.grant("invoice", invoice.id, f"invoices/{invoice.company_id}/{invoice.id}/{step}", filename,
                                  content_type, size, actor.id, allowed=("application/pdf",), doc_type=step,
                                  problems=problems)

    def record_step(self, actor: User, invoice_id: str, step: str, number: str, on: date, upload_id: str,
                    expected_version: int) -> Invoice:
        """SPP or SPM as issued in SIPD, with its PDF."""
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        recorded, upload = self._step(actor, invoice, step, number, on, upload_id)
        moved = invoice.with_step(STEP_VERBS[step], recorded)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), f"invoice.{step}_recorded", actor.id, recorded.recorded_at,
                           {"status": {"before": invoice.status.value, "after": moved.status.value},
                            step: {"before": None, "after": recorded.number}})
        try:
            self.invoices.save(moved, invoice.version, audit, (upload,))
        except ConditionFailed:
            self.files.delete(recorded.document["key"])
            raise stale_version() from None
        self.uploads.finish(upload)
        return moved

    def record_sp2d(self, actor: User, invoice_id: str, number: str, on: date, amount: int, upload_id: str,
                    expected_version: int) -> Invoice:
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        recorded, upload = self._step(actor, invoice, "sp2d", number, on, upload_id, amount)
        try:
            rule = self.taxes.on(on)
        except ValueError:
            raise validation_failed([FieldError("issued_on", "no_tax_rule",
                                                "Tidak ada aturan pajak yang berlaku pada tanggal ini.")]) from None
        paid, entry = invoice.paid(recorded, rule, new_id())
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.paid", actor.id, recorded.recorded_at,
                           {"status": {"before": invoice.status.value, "after": paid.status.value},
                            "dibayar": {"before": None, "after": paid.payment.net}})
        try:
            self._save_money(paid, invoice, entry, audit, payable=-invoice.gross, realised=invoice.gross, used=(upload,),
                             mail=self._mail(paid, "paid"))
        except SeklikError:
            self.files.delete(recorded.document["key"])
            raise
        self.uploads.finish(upload)
        return paid

    def sp2d_returned(self, actor: User, invoice_id: str, reason: str, expected_version: int) -> Invoice:
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        now = self.clock()
        back, undo = invoice.sp2d_returned(reason, new_id(), now)
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.sp2d_returned", actor.id, now,
                           {"status": {"before": invoice.status.value, "after": back.status.value}},
                           reason=back.status_reason)
        self._save_money(back, invoice, undo, audit, payable=invoice.gross, realised=-invoice.gross)
        return back

    def record_withholding_slip(self, actor: User, invoice_id: str, number: str, upload_id: str,
                                expected_version: int) -> Invoice:
        """The PPh 23 bukti potong (e-Bupot BPPU): its number and PDF, which the partner can download."""
        invoice = self.get(actor, invoice_id)
        expect_version(invoice.version, expected_version)
        number = (number or "").strip()
        upload = self.uploads.pending("invoice", invoice.id, upload_id)
        problems = []
        if not (number.isascii() and number.isalnum() and 6 <= len(number) <= 30):
            problems.append(FieldError("number", "invalid_number", "Isi nomor bukti potong dari e-Bupot (huruf dan "
                                                                   "angka, 6–30 karakter)."))
        if upload is None or upload.doc_type != "bukti_potong":
            problems.append(FieldError("upload_id", "unknown_upload", "Unggah PDF bukti potong terlebih dahulu."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        probe = invoice.with_withholding_slip(number, {}, now)  # refuses before the file is copied
        slip = replace(probe, withholding_slip={"number": number, "document": self.uploads.check(upload).as_dict()})
        audit = AuditEvent("INVOICE", invoice.id, new_id(), "invoice.withholding_slip", actor.id, now,
                           {"bukti_potong": {"before": None, "after": number}})
        try:
            self.invoices.save(slip, invoice.version, audit, (upload,))
        except ConditionFailed:
            raise stale_version() from None
        self.uploads.finish(upload)
        return slip

    # -- internals -----------------------------------------------------------------------------------

    def _partner_company(self, actor: User):
        """The partner's company, verified: the bank account and tax status billed with must be ones a verifier
        accepted (a lapsed verification lets the profile be edited)."""
        if actor.company_id is None:
            raise forbidden("Hanya akun mitra media yang dapat mengajukan tagihan.")
        company = self.access.owned_company(actor, actor.company_id, "Hanya mitra pemilik pesanan yang dapat menagih.")
        company.check("cooperate")
        return company

    def _owned(self, actor: User, invoice_id: str) -> Invoice:
        invoice = self.get(actor, invoice_id)
        if actor.company_id != invoice.company_id:
            raise forbidden("Hanya mitra yang mengajukan tagihan ini yang dapat mengubahnya.")
        return invoice

    def _orders(self, actor: User, order_ids: tuple[str, ...]) -> list:
        orders, problems = [], []
        for n, order_id in enumerate(dict.fromkeys(order_ids)):
            order = self.orders.get(order_id) if looks_like_id(order_id) else None
            if order is None or order.company_id != actor.company_id:
                problems.append(FieldError(f"order_ids.{n}", "unknown_order", "Pesanan tidak ditemukan."))
            else:
                orders.append(order)
        if problems:
            raise validation_failed(problems)
        return orders

    def _header_problems(self, request: InvoiceRequest, pkp: bool, today: date) -> list[FieldError]:
        problems = []
        number = request.partner_invoice_number.strip()
        if not 1 <= len(number) <= 60:
            problems.append(FieldError("partner_invoice_number", "invalid_number",
                                       "Isi nomor tagihan Anda (paling panjang 60 karakter)."))
        if request.partner_invoice_date > today:
            problems.append(FieldError("partner_invoice_date", "in_future",
                                       "Tanggal tagihan tidak boleh sesudah hari ini."))
        if pkp and request.faktur is None:
            problems.append(FieldError("faktur", "faktur_missing",
                                       "Mitra PKP wajib mengisi DPP dan PPN sesuai faktur pajak."))
        nsfp = request.faktur_number or ""
        if pkp and not (nsfp.isascii() and nsfp.isdigit() and len(nsfp) == 17):
            problems.append(FieldError("faktur_number", "invalid_faktur_number",
                                       "Nomor seri faktur pajak (NSFP) terdiri dari 17 angka."))
        return problems

    def _attachments(self, company_id: str, attachments: dict[str, str], problems: list[FieldError]) -> dict:
        """Each named upload checked (copied to its kept key); unknown codes and uploads are problems."""
        taken = {}
        for code, upload_id in attachments.items():
            upload = self.uploads.pending("invoice_attachment", company_id, upload_id)
            if self.rules.attachment(code) is None or upload is None or upload.doc_type != code:
                problems.append(FieldError(f"attachments.{code}", "unknown_upload",
                                           "Unggahan lampiran tidak ditemukan. Unggah ulang filenya."))
                continue
            taken[code] = (upload, self.uploads.check(upload))
        return taken

    def _check_taxes(self, invoice: Invoice, today: date) -> None:
        """The faktur must agree with the orders' amounts, and a large kuitansi bear a meterai."""
        taxes = invoice.taxes(self.taxes.on(today), check_faktur=True)  # refuses a faktur that does not add up
        if taxes.needs_meterai and not invoice.kuitansi_meterai:
            raise validation_failed([FieldError("kuitansi_meterai", "meterai_required",
                                                "Kuitansi di atas batas nilai wajib bermeterai. Bubuhkan meterai "
                                                "(atau e-meterai), unggah ulang kuitansinya, lalu centang isian ini.")])

    def _step(self, actor: User, invoice: Invoice, step: str, number: str, on: date, upload_id: str,
              amount: int | None = None):
        upload = self.uploads.pending("invoice", invoice.id, upload_id)
        problems = []
        number = (number or "").strip()
        if not 3 <= len(number) <= 80:
            problems.append(FieldError("number", "invalid_number", f"Isi nomor {step.upper()} dari SIPD."))
        if on > today_wib(self.clock()):
            problems.append(FieldError("issued_on", "in_future", "Tanggal tidak boleh sesudah hari ini."))
        elif invoice.approved_at and on < today_wib(invoice.approved_at):
            problems.append(FieldError("issued_on", "before_approval",
                                       "Tanggal tidak boleh sebelum tagihan disetujui."))
        if upload is None or upload.doc_type != step:
            problems.append(FieldError("upload_id", "unknown_upload", f"Unggah PDF {step.upper()} terlebih dahulu."))
        if problems:
            raise validation_failed(problems)
        file = self.uploads.check(upload)
        return PaymentStep(number, on, actor.id, self.clock(), file.as_dict(), amount), upload

    def _replay(self, scope: str, key: str, digest: str) -> Invoice | None:
        result = self.idempotency.replay(scope, key, digest, _KEY_REUSED)
        return self.invoices.get(result["invoice_id"]) if result else None

    def _save(self, new: Invoice, old: Invoice, audit: AuditEvent, mail=()) -> None:
        try:
            self.invoices.save(new, old.version, audit, mail=mail)
        except ConditionFailed:
            raise stale_version() from None

    def _save_money(self, new: Invoice, old: Invoice, entry, audit: AuditEvent, payable: int = 0, realised: int = 0,
                    used=(), release_guards: bool = False, mail=()) -> None:
        try:
            self.invoices.save_with_money(new, old.version, entry, audit, payable, realised, used, release_guards,
                                          mail=mail)
        except ConditionFailed as failure:
            if failure.refused_by("invoice"):
                raise stale_version() from None
            if failure.refused_by("upload"):
                raise conflict("UPLOAD_ALREADY_USED", "Berkas ini sudah dipakai untuk langkah lain. Unggah PDF-nya "
                                                      "lagi, lalu simpan.") from None
            raise conflict("CONCURRENT_REQUEST", "Permintaan lain sedang memproses data yang sama. "
                                                 "Tunggu sebentar lalu kirim ulang.") from None

    def _mail(self, invoice: Invoice, what: str) -> tuple[OutboxMessage, ...]:
        """The partner's email about this step, queued in the step's own transaction."""
        company = self.access.company(invoice.company_id)
        if self.notifier is None or company is None or not (email := self.access.owner_email(company)):
            return ()
        return queued(self.clock(), self.notifier.invoice_step(email, company, invoice, what))
