"""Use cases of media orders: issue (one or in bulk), answer, cancel, proofs, the letter, the books.

Issuing is one transaction (see ``adapters/cooperation.py``) that takes the
next gap-free number of the fiscal year and reserves the total against the
agreement's ceiling and the budget line's pagu, with its journal entry. Many
staff may issue at once: a transaction that loses a race (the counter or a
ceiling moved) is retried from fresh reads; an order that no longer fits is
refused with CEILING_EXCEEDED and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..adapters.cooperation import CooperationStore
from ..adapters.documents import DocumentStore
from ..adapters.letters import OrderLetter, render_order_letter
from ..adapters.releases import ReleaseIndex, ReleaseIndexUnavailable
from ..adapters.table import ConditionFailed
from ..domain import identifiers as ids
from ..domain.accounts import AuditEvent, Role, User, looks_like_id
from ..domain.clock import Clock, new_id, tanggal, today_wib, utc_now
from ..domain.ledger import commitment_entry
from ..domain.money import rupiah, tax_preview
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
    SlotStatus,
)
from ..domain.press_company import Company, CompanyStatus
from ..errors import FieldError, SeklikError, conflict, forbidden, not_found, validation_failed
from .negotiation import not_verified
from .registration import RegistrationService, stale_version
from .uploads import UploadDesk

# Lost races are retried until this deadline, inside API Gateway's 29 s, so a
# caller hears BUSY rather than a 504 (real DynamoDB settles a race in milliseconds;
# the limit matters on a slow local server with dozens of threads).
ISSUE_DEADLINE_SECONDS = 25.0
MAX_SLOTS = 366
LETTER_LINK_SECONDS = 300
STAFF_READERS = frozenset({Role.ORDERS, Role.VERIFIER, Role.FINANCE, Role.ADMIN})


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


def ceiling_exceeded(what: str, remaining: int, total: int) -> SeklikError:
    return SeklikError(
        "CEILING_EXCEEDED",
        f"Nilai pesanan {rupiah(total)} melebihi sisa {what} ({rupiah(remaining)}). Kurangi jumlah slot, "
        f"atau pilih {what} lain.",
        409,
    )


def make_slots(dates: list[date] | None, window: tuple[date, date, int] | None) -> tuple[Slot, ...]:
    """Slots from a list of days, or ``quantity`` slots within a date window."""
    problems = []
    if bool(dates) == bool(window):
        problems.append(FieldError("slots", "one_of", "Isi tanggal tayang satu per satu, atau satu rentang tanggal "
                                                      "dengan jumlahnya (bukan keduanya)."))
    slots: list[Slot] = []
    if dates:
        slots = [Slot(d, d) for d in sorted(dates)]
        if len(set(dates)) != len(dates):
            problems.append(FieldError("slots.dates", "duplicate", "Tanggal tayang tidak boleh sama."))
    if window:
        start, end, quantity = window
        if start > end:
            problems.append(FieldError("slots.date_to", "invalid_range", "Tanggal akhir harus sesudah tanggal mulai."))
        if quantity < 1:
            problems.append(FieldError("slots.quantity", "invalid_quantity", "Jumlah paling sedikit 1."))
        slots = [Slot(start, end) for _ in range(max(quantity, 0))]
    if len(slots) > MAX_SLOTS:
        problems.append(FieldError("slots", "too_many", f"Paling banyak {MAX_SLOTS} slot dalam satu pesanan."))
    if problems:
        raise validation_failed(problems)
    return tuple(slots)


class OrderService:
    def __init__(self, store: CooperationStore, registration: RegistrationService, files: DocumentStore,
                 releases: ReleaseIndex, settings: OrderSettings, notifier=None, clock: Clock = utc_now,
                 issue_deadline: float = ISSUE_DEADLINE_SECONDS):
        self.store = store
        self.registration = registration
        self.files = files
        self.releases = releases
        self.settings = settings
        self.notifier = notifier
        self.clock = clock
        self.issue_deadline = issue_deadline
        self.uploads = UploadDesk(files, store, clock)

    # -- reading -----------------------------------------------------------------------------

    def get(self, actor: User, order_id: str) -> Order:
        order = self.store.get_order(order_id) if looks_like_id(order_id) else None
        if order is None or not self._may_read(actor, order):
            raise not_found("Pesanan tidak ditemukan.")
        return order

    def _may_read(self, actor: User, order: Order) -> bool:
        if actor.has_any_role(STAFF_READERS):
            return True
        return actor.company_id == order.company_id

    def _owned(self, actor: User, order_id: str) -> Order:
        order = self.get(actor, order_id)
        if actor.company_id != order.company_id:
            raise forbidden("Hanya mitra penerima pesanan ini yang dapat melakukannya.")
        return order

    def list_for(self, actor: User, company_id: str | None = None, status: OrderStatus | None = None) -> list[Order]:
        if not actor.has_any_role(STAFF_READERS):
            company_id = actor.company_id  # a partner only ever lists its own
            if company_id is None:
                return []
        if company_id:
            orders = self.store.orders_of(company_id)
            return [o for o in orders if status is None or o.status == status]
        statuses = [status] if status else list(OrderStatus)
        orders = [o for s in statuses for o in self.store.orders_by_status(s)]
        return sorted(orders, key=lambda o: o.issued_at, reverse=True)

    # -- issuing -------------------------------------------------------------------------------

    def issue(self, actor: User, request: OrderRequest) -> Order:
        return self._issue(actor, request, None)[0]

    def issue_once(self, actor: User, request: OrderRequest, key: str | None, raw_body: bytes) -> tuple[Order, bool]:
        """``issue`` with an Idempotency-Key: the same key and body return the first order (replayed=True)."""
        if key is None:
            return self.issue(actor, request), False
        idempotency = (f"order:{actor.id}", key, hashlib.sha256(raw_body or b"").hexdigest())
        if replay := self._replay(*idempotency):
            return replay, True
        return self._issue(actor, request, idempotency)

    def _replay(self, scope: str, key: str, request_hash: str) -> Order | None:
        record = self.registration.store.idempotency_record(scope, key)
        if record is None:
            return None
        if record["request_hash"] != request_hash:
            raise SeklikError("IDEMPOTENCY_KEY_REUSED", "Kunci Idempotency-Key ini sudah dipakai untuk pesanan lain. "
                                                        "Gunakan kunci baru untuk setiap pesanan baru.", 422)
        return self.store.get_order(record["result"]["order_id"])

    def _issue(self, actor: User, request: OrderRequest, idempotency: tuple[str, str, str] | None) -> tuple[Order, bool]:
        company = self.registration.company_for(actor, request.company_id)
        if company.status != CompanyStatus.VERIFIED:
            raise not_verified(company)
        material = self._material(request)
        year = request.slots[0].starts_on.year
        if any(s.ends_on.year != year for s in request.slots):
            raise validation_failed([FieldError("slots", "across_years",
                                                "Semua tanggal tayang satu pesanan harus dalam satu tahun anggaran.")])
        product = self.store.get_product(request.product_code)
        if product is None:
            raise validation_failed([FieldError("product_code", "unknown_product", "Produk tidak ada dalam katalog.")])
        deadline = time.monotonic() + self.issue_deadline
        agreement_id = self._active_agreement(company, year).id  # found through an index, once
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            agreement = self.store.get_agreement(agreement_id)  # then read consistently each time
            if agreement.status != AgreementStatus.ACTIVE:
                raise conflict("NO_ACTIVE_AGREEMENT", f"PKS {agreement.number} tidak lagi berlaku.")
            if product.code not in agreement.rates:
                raise validation_failed([FieldError("product_code", "not_in_agreement",
                                                    f"{product.name} tidak termasuk tarif PKS {agreement.number}.")])
            outside = [s for s in request.slots if s.starts_on < agreement.starts_on or s.ends_on > agreement.ends_on]
            if outside:
                raise validation_failed([FieldError("slots", "outside_agreement",
                                                    f"Tanggal tayang harus dalam masa berlaku PKS "
                                                    f"({tanggal(agreement.starts_on)}–{tanggal(agreement.ends_on)}).")])
            budget = self.store.get_budget_line(year, request.budget_line)
            if budget is None:
                raise validation_failed([FieldError("budget_line", "unknown_budget_line",
                                                    f"Kode rekening {request.budget_line} tidak ada di anggaran {year}.")])
            unit_price = agreement.rates[product.code]
            total = unit_price * len(request.slots)
            if total > budget.remaining:
                raise ceiling_exceeded(f"pagu {budget.code}", budget.remaining, total)
            if total > agreement.remaining:
                raise ceiling_exceeded(f"nilai PKS {agreement.number}", agreement.remaining, total)
            seq = self.store.order_counter(year) + 1
            now = self.clock()
            order = Order(
                id=new_id(), number=self.settings.number_format.render(seq, year), year=year, seq=seq,
                company_id=company.id, agreement_id=agreement.id, product_code=product.code,
                product_name=product.name, unit=product.unit, material=material, slots=request.slots,
                unit_price=unit_price, budget_line=budget.code, issued_by=actor.id, issued_at=now, updated_at=now,
                partner_name=f"{company.profile['media_name']} ({company.profile['legal_name']})",
            )
            entry = commitment_entry(new_id(), now, order.total, f"Pesanan media {order.number}", f"ORDER#{order.id}",
                                     self._dimensions(order))
            audit = AuditEvent("ORDER", order.id, new_id(), "order.issued", actor.id, now,
                               {"status": {"before": None, "after": OrderStatus.ISSUED.value},
                                "total": {"before": None, "after": order.total}})
            extra = []
            if idempotency:
                scope, key, request_hash = idempotency
                extra.append(self.registration.store.idempotency_item(
                    scope, key, request_hash, {"order_id": order.id}, now + timedelta(hours=24)))
            try:
                self.store.issue_order(order, budget, agreement, entry, audit, extra)
            except ConditionFailed as failure:
                if idempotency and failure.reasons and failure.reasons[-1] == "ConditionalCheckFailed":
                    if replay := self._replay(*idempotency):
                        return replay, True  # the same request, sent twice at once
                # Another order moved the counter or a ceiling: read again and retry.
                # Jittered backoff spreads the retries of many staff issuing at once.
                time.sleep(random.uniform(0, min(0.2, 0.002 * (2 ** min(attempt, 7)))))
                continue
            self._tell_partner(company, order)
            return order, False
        raise conflict("BUSY", "Banyak pesanan diterbitkan bersamaan. Coba lagi sebentar lagi.")

    def _tell_partner(self, company: Company, order: Order) -> None:
        """Email the partner's account about a new order (after the commit; a lost mail undoes nothing)."""
        owner = self.registration.table.get_user(company.owner_id) if self.notifier else None
        if owner is not None:
            self.notifier.new_order(owner.email, company, order.number, order.material.title, order.total)

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
        agreement = next((a for a in self.store.agreements_of(company.id)
                          if a.year == year and a.status == AgreementStatus.ACTIVE), None)
        if agreement is None:
            raise conflict("NO_ACTIVE_AGREEMENT",
                           f"{company.profile['media_name']} tidak memiliki PKS yang berlaku untuk tahun {year}.")
        return agreement

    @staticmethod
    def _dimensions(order: Order) -> dict:
        return {"budget_line": order.budget_line, "agreement_id": order.agreement_id,
                "company_id": order.company_id, "order_id": order.id, "year": order.year}

    # -- answers and cancellation ---------------------------------------------------------------

    def accept(self, actor: User, order_id: str, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        if order.status == OrderStatus.ACCEPTED:
            return order
        self._expect(order, OrderStatus.ISSUED, expected_version)
        # Work is taken on only by a partner still verified, under an agreement still in force.
        company = self.registration.store.get(order.company_id)
        if company.status != CompanyStatus.VERIFIED:
            raise not_verified(company)
        agreement = self.store.get_agreement(order.agreement_id)
        if agreement.status != AgreementStatus.ACTIVE:
            raise conflict("AGREEMENT_STATE", f"PKS {agreement.number} tidak lagi berlaku; pesanan ini tidak dapat "
                                              "diterima. Hubungi staf media order.")
        now = self.clock()
        accepted = order.moved_to(OrderStatus.ACCEPTED, now)
        self._save(accepted, order, AuditEvent("ORDER", order.id, new_id(), "order.accepted", actor.id, now,
                                               {"status": {"before": order.status.value, "after": "ACCEPTED"}}))
        return accepted

    def decline(self, actor: User, order_id: str, reason: str, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        self._expect(order, OrderStatus.ISSUED, expected_version)
        return self._release(actor, order, OrderStatus.DECLINED, reason, "order.declined")

    def cancel(self, actor: User, order_id: str, reason: str, expected_version: int) -> Order:
        order = self.get(actor, order_id)
        if order.status not in (OrderStatus.ISSUED, OrderStatus.ACCEPTED):
            raise conflict("ORDER_STATE", f"Pesanan berstatus \"{order.status.label}\" tidak dapat dibatalkan.")
        if any(s.status != SlotStatus.PENDING for s in order.slots):
            raise conflict("ALREADY_PUBLISHED", "Pesanan yang sudah memiliki bukti tayang tidak dapat dibatalkan.")
        if order.version != expected_version:
            raise stale_version()
        return self._release(actor, order, OrderStatus.CANCELLED, reason, "order.cancelled")

    def _release(self, actor: User, order: Order, to: OrderStatus, reason: str, action: str) -> Order:
        reason = (reason or "").strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasannya.")])
        if order.status not in RESERVING:  # nothing is reserved any more: nothing to give back
            raise conflict("ORDER_STATE", f"Pesanan berstatus \"{order.status.label}\"; tindakan ini tidak berlaku.")
        now = self.clock()
        moved = order.moved_to(to, now, reason)
        entry = commitment_entry(new_id(), now, order.total, f"Pelepasan pesanan {order.number} ({to.label.lower()})",
                                 f"ORDER#{order.id}", self._dimensions(order), release=True)
        audit = AuditEvent("ORDER", order.id, new_id(), action, actor.id, now,
                           {"status": {"before": order.status.value, "after": to.value},
                            "dilepas": {"before": order.total, "after": 0}}, reason=reason)
        try:
            self.store.release_order(moved, order.version, entry, audit)
        except ConditionFailed:
            raise stale_version() from None
        return moved

    def _expect(self, order: Order, status: OrderStatus, expected_version: int) -> None:
        if order.version != expected_version:
            raise stale_version()
        if order.status != status:
            raise conflict("ORDER_STATE", f"Pesanan berstatus \"{order.status.label}\"; tindakan ini tidak berlaku.")

    def _save(self, new: Order, old: Order, audit: AuditEvent) -> None:
        try:
            self.store.save_order(new, old.version, audit)
        except ConditionFailed:
            raise stale_version() from None

    # -- proofs of publication ------------------------------------------------------------------

    def request_proof_upload(self, actor: User, order_id: str, filename: str, content_type: str, size: int) -> dict:
        order = self._owned(actor, order_id)
        if order.status != OrderStatus.ACCEPTED:
            raise conflict("ORDER_STATE", "Bukti tayang hanya untuk pesanan yang sudah diterima.")
        return self.uploads.grant(f"ORDER#{order.id}", f"orders/{order.id}/proofs", filename, content_type, size,
                                  actor.id)

    def submit_proof(self, actor: User, order_id: str, slot: int, urls: list[str], upload_ids: list[str],
                     note: str | None, expected_version: int) -> Order:
        order = self._owned(actor, order_id)
        if order.status != OrderStatus.ACCEPTED:
            raise conflict("ORDER_STATE", "Bukti tayang hanya untuk pesanan yang sudah diterima.")
        if not 0 <= slot < len(order.slots):
            raise validation_failed([FieldError("slot", "unknown_slot", f"Slot harus 0–{len(order.slots) - 1}.")])
        if order.slots[slot].status not in (SlotStatus.PENDING, SlotStatus.REJECTED):
            raise conflict("SLOT_STATE", "Bukti untuk slot ini sudah dikirim atau sudah diterima.")
        if order.version != expected_version:
            raise stale_version()
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
        files = [self.uploads.take(f"ORDER#{order.id}", upload_id) for upload_id in dict.fromkeys(upload_ids)]
        now = self.clock()
        proof = Proof(tuple(clean_urls), tuple(files), now, actor.id, (note or "").strip() or None)
        updated = order.with_slot(slot, replace(order.slots[slot], status=SlotStatus.SUBMITTED, proof=proof,
                                                review_reason=None, reviewed_by=None), now)
        audit = AuditEvent("ORDER", order.id, new_id(), "proof.submitted", actor.id, now,
                           {f"slot.{slot}": {"before": order.slots[slot].status.value, "after": "SUBMITTED"}})
        try:
            self.store.save_order_with_proof(updated, order.version, list(dict.fromkeys(upload_ids)), audit)
        except ConditionFailed:
            raise stale_version() from None
        return updated

    def review_proof(self, actor: User, order_id: str, slot: int, accepted: bool, reason: str | None,
                     expected_version: int) -> Order:
        order = self.get(actor, order_id)
        if not 0 <= slot < len(order.slots):
            raise validation_failed([FieldError("slot", "unknown_slot", f"Slot harus 0–{len(order.slots) - 1}.")])
        if order.version != expected_version:
            raise stale_version()
        if order.status != OrderStatus.ACCEPTED or order.slots[slot].status != SlotStatus.SUBMITTED:
            raise conflict("SLOT_STATE", "Slot ini tidak sedang menunggu pemeriksaan bukti.")
        reason = (reason or "").strip() or None
        if not accepted and not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan penolakan bukti tayang.")])
        now = self.clock()
        status = SlotStatus.ACCEPTED if accepted else SlotStatus.REJECTED
        updated = order.with_slot(slot, replace(order.slots[slot], status=status, review_reason=reason,
                                                reviewed_by=actor.id), now)
        changes = {f"slot.{slot}": {"before": "SUBMITTED", "after": status.value}}
        if updated.status != order.status:
            changes["status"] = {"before": order.status.value, "after": updated.status.value}
        self._save(updated, order, AuditEvent("ORDER", order.id, new_id(),
                                              "proof.accepted" if accepted else "proof.rejected", actor.id, now,
                                              changes, reason=reason))
        return updated

    def proof_link(self, actor: User, order_id: str, slot: int, file_index: int) -> str:
        order = self.get(actor, order_id)
        try:
            file = order.slots[slot].proof.files[file_index]
        except (IndexError, AttributeError):
            raise not_found("File bukti tidak ditemukan.") from None
        return self.files.presigned_get(file["key"], file["filename"], file["content_type"], LETTER_LINK_SECONDS)

    # -- the letter ----------------------------------------------------------------------------------

    def letter_link(self, actor: User, order_id: str) -> str:
        """A short link to the order letter (made once, kept in the documents bucket)."""
        order = self.get(actor, order_id)
        # A cancelled or declined order gets its own copy, marked as such; the letter as issued stays.
        key = f"letters/{order.id}.pdf" if order.status in RESERVING else f"letters/{order.id}-{order.status.value.lower()}.pdf"
        if not self.files.exists(key):
            self.files.put(key, self.render_letter(order), "application/pdf")
        filename = "surat-pesanan-" + "".join(c if c.isalnum() else "-" for c in order.number) + ".pdf"
        return self.files.presigned_get(key, filename, "application/pdf", LETTER_LINK_SECONDS)

    def render_letter(self, order: Order) -> bytes:
        company = self.registration.store.get(order.company_id)
        budget = self.store.get_budget_line(order.year, order.budget_line)
        address = company.profile["address"]
        settings = self.settings
        slots = tuple(tanggal(s.starts_on) if s.starts_on == s.ends_on
                      else f"antara {tanggal(s.starts_on)} dan {tanggal(s.ends_on)}" for s in order.slots)
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
            notes=() if order.status in RESERVING else (
                f"PESANAN INI {'DIBATALKAN' if order.status == OrderStatus.CANCELLED else 'DITOLAK MITRA'} "
                f"pada {tanggal(today_wib(order.updated_at))}. Alasan: {order.status_reason}",),
        )
        return render_order_letter(letter)

