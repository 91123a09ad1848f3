"""Use cases of media orders: issue (one or in bulk), answer, cancel, proofs, the letter.

Issuing is one transaction (see ``adapters/orders.py``) that takes the next
gap-free number of the fiscal year and reserves the total against the
agreement's ceiling and the budget line's pagu, with its journal entry. Many
staff may issue at once: a transaction that loses a race (the counter or a
ceiling moved) is retried from fresh reads; an order that no longer fits is
refused with CEILING_EXCEEDED and leaves nothing behind. Which moves are
legal, and what each costs, is decided in ``domain/orders.py``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace

from ..adapters.agreements import AgreementStore, BudgetStore
from ..adapters.catalogue import CatalogueStore
from ..adapters.documents import DocumentStore
from ..adapters.orders import OrderStore
from ..adapters.releases import ReleaseIndex, ReleaseIndexUnavailable
from ..adapters.table import ConditionFailed
from ..domain import identifiers as ids
from ..domain.accounts import AuditEvent, User, looks_like_id
from ..domain.catalog import Product
from ..domain.clock import Clock, new_id, tanggal, today_wib, utc_now
from ..domain.money import tax_preview
from ..domain.orders import (
    RESERVING,
    Agreement,
    AgreementStatus,
    Material,
    Order,
    OrderSettings,
    OrderStatus,
    Proof,
    Slot,
    fiscal_year,
)
from ..domain.outbox import OutboxMessage
from ..domain.press_company import Company
from ..errors import FieldError, SeklikError, conflict, forbidden, not_found, validation_failed
from .access import Access, expect_version, is_staff, stale_version
from .idempotency import Idempotency, request_hash
from .notifications import queued
from .paging import COMPANY_ORDER_KEYS, LIST_PAGE, OFFICE_ORDER_KEYS, cursor_of, key_of
from .uploads import UploadDesk, UploadGrant

# Lost races are retried until this deadline, inside API Gateway's 29 s, so a
# caller hears BUSY rather than a 504 (real DynamoDB settles a race in milliseconds;
# the limit matters on a slow local server with dozens of threads).
ISSUE_DEADLINE_SECONDS = 25.0
LETTER_LINK_SECONDS = 300
_KEY_REUSED = ("Kunci Idempotency-Key ini sudah dipakai untuk pesanan lain. "
               "Gunakan kunci baru untuk setiap pesanan baru.")


@dataclass(frozen=True)
class OrderRequest:
    company_id: str
    product_code: str
    budget_line: str
    slots: tuple[Slot, ...]
    release_slug: str | None = None
    title: str | None = None
    text: str | None = None
    material: Material | None = None  # already resolved (bulk orders look the release up once)


@dataclass(frozen=True)
class BulkResult:
    company_id: str
    order: Order | None
    error: SeklikError | None


class LostRace(Exception):
    """Another order moved the counter or a ceiling between our reads and our write."""


def _unknown_budget_line(code: str, year: int) -> FieldError:
    return FieldError("budget_line", "unknown_budget_line",
                      f"Kode rekening {code} tidak ada di anggaran {year}. Pilih kode rekening tahun itu, atau minta "
                      f"staf keuangan menambahkannya.")


class OrderService:
    def __init__(self, orders: OrderStore, agreements: AgreementStore, budgets: BudgetStore,
                 catalogue: CatalogueStore, access: Access, uploads: UploadDesk, idempotency: Idempotency,
                 files: DocumentStore, releases: ReleaseIndex, settings: OrderSettings, notifier=None,
                 clock: Clock = utc_now, issue_deadline: float = ISSUE_DEADLINE_SECONDS):
        self.orders = orders
        self.agreements = agreements
        self.budgets = budgets
        self.catalogue = catalogue
        self.access = access
        self.uploads = uploads
        self.idempotency = idempotency
        self.files = files
        self.releases = releases
        self.settings = settings
        self.notifier = notifier
        self.clock = clock
        self.issue_deadline = issue_deadline

    # -- reading -----------------------------------------------------------------------------

    def get(self, actor: User, order_id: str) -> Order:
        order = self.orders.get(order_id) if looks_like_id(order_id) else None
        if order is None or not (is_staff(actor) or actor.company_id == order.company_id):
            raise not_found("Pesanan tidak ditemukan.")
        return order

    def order(self, order_id: str) -> Order | None:
        """For the system's own reads (an invoice's evidence pack): no access check."""
        return self.orders.get(order_id)

    def _owned(self, actor: User, order_id: str) -> Order:
        order = self.get(actor, order_id)
        if actor.company_id != order.company_id:
            raise forbidden("Hanya mitra penerima pesanan ini yang dapat melakukannya.")
        return order

    def list_for(self, actor: User, company_id: str | None = None, status: OrderStatus | None = None,
                 limit: int = LIST_PAGE, after: str | None = None) -> tuple[list[Order], str | None]:
        """One page of the orders ``actor`` may see, newest first, and the cursor of the next page (or None).
        A partner's own by issue time; staff's, of one partner likewise, else the office's by their last change."""
        if not is_staff(actor):
            company_id = actor.company_id  # a partner only ever lists its own
            if company_id is None:
                return [], None
        keys = COMPANY_ORDER_KEYS if company_id else OFFICE_ORDER_KEYS
        orders, last_key = self.orders.page(limit, key_of(after, keys), company_id, status)
        return orders, cursor_of(last_key)

    # -- issuing -------------------------------------------------------------------------------

    def issue(self, actor: User, request: OrderRequest) -> Order:
        return self._issue(actor, request, None)[0]

    def issue_once(self, actor: User, request: OrderRequest, key: str | None, raw_body: bytes) -> tuple[Order, bool]:
        """``issue`` with an Idempotency-Key: the same key and body return the first order (replayed=True)."""
        if key is None:
            return self.issue(actor, request), False
        idempotency = (f"order:{actor.id}", key, request_hash(raw_body))
        if replay := self._replay(*idempotency):
            return replay, True
        return self._issue(actor, request, idempotency)

    def _replay(self, scope: str, key: str, digest: str) -> Order | None:
        result = self.idempotency.replay(scope, key, digest, _KEY_REUSED)
        return self.orders.get(result["order_id"]) if result else None

    def _issue(self, actor: User, request: OrderRequest, idempotency: tuple[str, str, str] | None) -> tuple[Order, bool]:
        """Check what does not change between attempts, then try until the order is written or refused."""
        company = self.access.cooperating_company(actor, request.company_id)
        year = fiscal_year(request.slots)
        # Every field the form can get wrong is said at once: the material, the product, the budget line.
        problems: list[FieldError] = []
        try:
            material = self._material(request)
        except SeklikError as error:
            if error.code != "VALIDATION_FAILED":
                raise
            problems += error.details
        product = self.catalogue.get_product(request.product_code)
        if product is None:
            problems.append(FieldError("product_code", "unknown_product", "Produk tidak ada dalam katalog."))
        if problems and self.budgets.get(year, request.budget_line) is None:  # else read once, in the attempt
            problems.append(_unknown_budget_line(request.budget_line, year))
        if problems:
            raise validation_failed(problems)
        agreement_id = self._active_agreement(company, year).id  # found through an index, once
        owner_email = self.access.owner_email(company) if self.notifier else None
        deadline = time.monotonic() + self.issue_deadline
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            try:
                order = self._try_issue(actor, company, agreement_id, product, material, year, request, idempotency,
                                        owner_email)
            except LostRace:
                if idempotency and (replay := self._replay(*idempotency)):
                    return replay, True  # the same request, sent twice at once
                # Jittered backoff spreads the retries of many staff issuing at once.
                time.sleep(random.uniform(0, min(0.2, 0.002 * (2 ** min(attempt, 7)))))
                continue
            return order, False
        raise conflict("BUSY", "Banyak pesanan diterbitkan bersamaan. Coba lagi sebentar lagi.")

    def _try_issue(self, actor: User, company: Company, agreement_id: str, product: Product, material: Material,
                   year: int, request: OrderRequest, idempotency: tuple[str, str, str] | None,
                   owner_email: str | None) -> Order:
        """One attempt from consistent reads: the domain prices and reserves, the store writes all at once."""
        agreement = self.agreements.get(agreement_id)
        unit_price = agreement.unit_price(product.code, product.name, request.slots)
        budget = self.budgets.get(year, request.budget_line)
        if budget is None:
            raise validation_failed([_unknown_budget_line(request.budget_line, year)])
        total = unit_price * len(request.slots)
        budget.reserve(total)  # each refuses with CEILING_EXCEEDED when the order does not fit
        agreement.reserve(total)
        seq = self.orders.counter(year) + 1
        now = self.clock()
        order = Order(
            id=new_id(), number=self.settings.number_format.render(seq, year), year=year, seq=seq,
            company_id=company.id, agreement_id=agreement.id, product_code=product.code,
            product_name=product.name, unit=product.unit, material=material, slots=request.slots,
            unit_price=unit_price, budget_line=budget.code, issued_by=actor.id, issued_at=now, updated_at=now,
            partner_name=f"{company.profile['media_name']} ({company.profile['legal_name']})",
        )
        audit = AuditEvent("ORDER", order.id, new_id(), "order.issued", actor.id, now,
                           {"status": {"before": None, "after": order.status.value},
                            "total": {"before": None, "after": order.total}})
        record = None
        if idempotency:
            scope, key, digest = idempotency
            record = self.idempotency.element(scope, key, digest, {"order_id": order.id}, now)
        # The partner hears of it by email, queued in the order's own transaction.
        mail = queued(now, self.notifier.new_order(owner_email, company, order)) if owner_email else ()
        try:
            self.orders.issue(order, budget, agreement, order.commitment(new_id(), now), audit, record, mail)
        except ConditionFailed:
            raise LostRace() from None
        return order

    def _mail(self, order: Order, what: str, detail: str = "") -> tuple[OutboxMessage, ...]:
        """The partner's email about a decision on its order, to be queued in the decision's transaction."""
        company = self.access.company(order.company_id)
        if self.notifier is None or company is None or not (email := self.access.owner_email(company)):
            return ()
        return queued(order.updated_at, self.notifier.order_step(email, company, order, what, detail))

    def issue_bulk(self, actor: User, company_ids: list[str], request: OrderRequest) -> list[BulkResult]:
        """One order per partner; each is all-or-nothing, and each failure says why."""
        request = replace(request, material=self._material(request))  # one lookup, not one per partner
        results = []
        for company_id in dict.fromkeys(company_ids):
            try:
                results.append(BulkResult(company_id, self.issue(actor, replace(request, company_id=company_id)), None))
            except SeklikError as error:
                results.append(BulkResult(company_id, None, error))
        return results

    def _material(self, request: OrderRequest) -> Material:
        if request.material is not None:
            return request.material
        if request.release_slug and ((request.title or "").strip() or (request.text or "").strip()):
            raise validation_failed([FieldError("release_slug", "one_of",
                                                "Pilih siaran pers yang terbit, atau isi judul dan naskah materi "
                                                "sendiri, bukan keduanya.")])
        if request.release_slug:
            try:
                release = self.releases.find(request.release_slug)
            except ReleaseIndexUnavailable:
                raise SeklikError("RELEASE_INDEX_UNAVAILABLE",
                                  "Daftar siaran pers sedang tidak dapat dibaca. Coba lagi beberapa saat lagi.",
                                  503) from None
            if release is None:
                raise validation_failed([FieldError("release_slug", "unknown_release",
                                                    "Siaran pers dengan slug ini tidak ada atau belum terbit.")])
            return Material("release", release.title, release_slug=release.slug, url=release.url)
        title = (request.title or "").strip()
        if not title:
            raise validation_failed([FieldError("title", "missing",
                                                "Pilih siaran pers yang terbit, atau isi judul dan naskah materi.")])
        return Material("text", title, text=(request.text or "").strip() or None)

    def _active_agreement(self, company: Company, year: int) -> Agreement:
        agreement = next((a for a in self.agreements.of_company(company.id)
                          if a.year == year and a.status == AgreementStatus.ACTIVE), None)
        if agreement is None:
            raise conflict("NO_ACTIVE_AGREEMENT",
                           f"{company.profile['media_name']} tidak memiliki PKS yang berlaku untuk tahun {year}.")
        return agreement

    # -- answers and cancellation ---------------------------------------------------------------

    def accept(self, actor: User, order_id: str, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        if order.status == OrderStatus.ACCEPTED:
            return order
        expect_version(order.version, expected_version)
        now = self.clock()
        accepted = order.accepted(now)
        # Work is taken on only by a partner still verified, under an agreement still in force.
        self.access.company(order.company_id).check("cooperate")
        self.agreements.get(order.agreement_id).check("accept_orders")
        self._save(accepted, order, AuditEvent("ORDER", order.id, new_id(), "order.accepted", actor.id, now,
                                               {"status": {"before": order.status.value,
                                                           "after": accepted.status.value}}))
        return accepted

    def decline(self, actor: User, order_id: str, reason: str, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        expect_version(order.version, expected_version)
        return self._release(actor, order, order.declined(self.clock(), reason), "order.declined")

    def cancel(self, actor: User, order_id: str, reason: str, expected_version: int) -> Order:
        order = self.get(actor, order_id)
        order.check_cancellable()
        expect_version(order.version, expected_version)
        moved = order.cancelled(self.clock(), reason)
        return self._release(actor, order, moved, "order.cancelled", self._mail(moved, "cancelled", moved.status_reason))

    def _release(self, actor: User, order: Order, moved: Order, action: str, mail=()) -> Order:
        """``order`` leaves a reserving state for ``moved``'s: its total goes back to both ceilings."""
        now = moved.updated_at
        audit = AuditEvent("ORDER", order.id, new_id(), action, actor.id, now,
                           {"status": {"before": order.status.value, "after": moved.status.value},
                            "dilepas": {"before": order.total, "after": 0}}, reason=moved.status_reason)
        try:
            self.orders.release(moved, order.version, moved.release(new_id(), now), audit, mail)
        except ConditionFailed:
            raise stale_version() from None
        return moved

    def _save(self, new: Order, old: Order, audit: AuditEvent, used_uploads=(), mail=()) -> None:
        try:
            self.orders.save(new, old.version, audit, used_uploads, mail)
        except ConditionFailed:
            raise stale_version() from None

    # -- proofs of publication ------------------------------------------------------------------

    def request_proof_upload(self, actor: User, order_id: str, filename: str, content_type: str,
                             size: int) -> UploadGrant:
        order = self._owned(actor, order_id)
        order.check_uploads_due(self.clock())
        return self.uploads.grant("order", order.id, f"orders/{order.id}/proofs", filename, content_type, size,
                                  actor.id)

    def submit_proof(self, actor: User, order_id: str, slot: int, urls: list[str], upload_ids: list[str],
                     note: str | None, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        before = order.check_provable(slot, self.clock())
        expect_version(order.version, expected_version)
        problems = []
        clean_urls = []
        for n, raw in enumerate(urls):
            try:
                clean_urls.append(ids.parse_url(raw))
            except ValueError as error:
                problems.append(FieldError(f"urls.{n}", "invalid_url", str(error)))
        if not urls and not upload_ids:
            problems.append(FieldError("urls", "missing", "Isi tautan berita/tayangan, atau unggah tangkapan layar."))
        if problems:
            raise validation_failed(problems)
        taken = [self.uploads.take("order", order.id, upload_id) for upload_id in dict.fromkeys(upload_ids)]
        now = self.clock()
        proof = Proof(tuple(clean_urls), tuple(file.as_dict() for _, file in taken), now, actor.id,
                      (note or "").strip() or None)
        updated = order.with_proof(slot, proof, now)
        audit = AuditEvent("ORDER", order.id, new_id(), "proof.submitted", actor.id, now,
                           {f"slot.{slot}": {"before": before.status.value, "after": updated.slots[slot].status.value}})
        used = tuple(upload for upload, _ in taken)
        try:
            self._save(updated, order, audit, used)
        except SeklikError:
            self.uploads.discard(*(file for _, file in taken))
            raise
        self.uploads.finish(*used)
        return updated

    def review_proof(self, actor: User, order_id: str, slot: int, accepted: bool, reason: str | None,
                     expected_version: int) -> Order:
        order = self.get(actor, order_id)
        before = order.slot(slot)
        expect_version(order.version, expected_version)
        now = self.clock()
        updated = order.with_review(slot, accepted, reason, actor.id, now)
        after = updated.slots[slot]
        changes = {f"slot.{slot}": {"before": before.status.value, "after": after.status.value}}
        if updated.status != order.status:
            changes["status"] = {"before": order.status.value, "after": updated.status.value}
        when = tanggal(after.starts_on) if after.starts_on == after.ends_on else \
            f"{tanggal(after.starts_on)}–{tanggal(after.ends_on)}"
        if not accepted:
            mail = self._mail(updated, "proof_rejected", f"tayang {when} (alasan: {after.review_reason})")
        elif updated.status == OrderStatus.COMPLETED:
            mail = self._mail(updated, "completed")
        else:
            mail = self._mail(updated, "proof_accepted", f"tayang {when}")
        self._save(updated, order, AuditEvent("ORDER", order.id, new_id(),
                                              "proof.accepted" if accepted else "proof.rejected", actor.id, now,
                                              changes, reason=after.review_reason), mail=mail)
        return updated

    def proof_link(self, actor: User, order_id: str, slot: int, file_index: int) -> str:
        order = self.get(actor, order_id)
        try:
            file = order.slots[slot].proof.files[file_index]
        except (IndexError, AttributeError):
            raise not_found("File bukti tidak ditemukan.") from None
        return self.uploads.download_link(file["key"], file["filename"], file["content_type"])

    # -- the letter ----------------------------------------------------------------------------------

    def letter_link(self, actor: User, order_id: str) -> str:
        """A short link to the order letter (made once, kept in the documents bucket)."""
        order = self.get(actor, order_id)
        filename = "surat-pesanan-" + "".join(c if c.isalnum() else "-" for c in order.number) + ".pdf"
        return self.files.presigned_get(self.letter_key(order), filename, "application/pdf", LETTER_LINK_SECONDS)

    def letter_key(self, order: Order) -> str:
        """Where the order's letter is kept, rendered first if it is not there yet."""
        # A cancelled or declined order gets its own copy, marked as such; the letter as issued stays.
        key = f"letters/{order.id}.pdf" if order.status in RESERVING else f"letters/{order.id}-{order.status.value.lower()}.pdf"
        if not self.files.exists(key):
            self.files.put(key, self.render_letter(order), "application/pdf")
        return key

    def render_letter(self, order: Order) -> bytes:
        # Imported here: the PDF library is loaded by the requests that print, not by every cold start.
        from ..adapters.letters import OrderLetter, render_order_letter

        company = self.access.company(order.company_id)
        budget = self.budgets.get(order.year, order.budget_line)
        address = company.profile["address"]
        settings = self.settings
        slots = tuple(tanggal(s.starts_on) if s.starts_on == s.ends_on
                      else f"antara {tanggal(s.starts_on)} dan {tanggal(s.ends_on)}" for s in order.slots)
        void = None if order.status in RESERVING else \
            "DIBATALKAN" if order.status == OrderStatus.CANCELLED else "DITOLAK MITRA"
        letter = OrderLetter(
            letterhead=settings.letterhead, city=settings.city, number=order.number,
            issued_on=today_wib(order.issued_at),
            partner_legal_name=company.profile["legal_name"], partner_media_name=company.profile["media_name"],
            partner_address=f"{address['street']}, {address['district']}, {address['regency']}, "
                            f"{address['province']} {address['postal_code']}",
            subject="Pesanan Publikasi Media", material_title=order.material.title,
            material_reference=order.material.url, product_name=order.product_name, unit=order.unit,
            slots=slots, quantity=order.quantity, unit_price=order.unit_price, total=order.total,
            budget_line=f"{budget.code} {budget.name}" if budget else order.budget_line,
            taxes=tax_preview(order.total, bool(company.profile.get("pkp")), settings.ppn_percent,
                              settings.pph23_percent),
            signatory_name=settings.signatory_name, signatory_title=settings.signatory_title,
            signatory_id=settings.signatory_id,
            notes=() if void is None else (
                f"PESANAN INI {void} pada {tanggal(today_wib(order.updated_at))}. Alasan: {order.status_reason}",),
            void_mark=void,
        )
        return render_order_letter(letter)

