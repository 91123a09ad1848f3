"""Agreements (PKS), budget lines, media orders and proofs of publication (pure domain).

Each workflow is a table here (``AGREEMENT_WORKFLOW``, ``ORDER_WORKFLOW``,
``SLOT_WORKFLOW``); entities move only through their verbs, which refuse an
illegal move with a stable code and the reason in Indonesian::

    Agreement:  DRAFT ──activate──▶ ACTIVE ──close──▶ CLOSED
    Order:      ISSUED ──accept──▶ ACCEPTED ──complete (every slot's proof accepted)──▶ COMPLETED
                   │  └──decline──▶ DECLINED        │
                   └──────cancel (staff, before any proof)──▶ CANCELLED
    Slot:       PENDING ──submit──▶ SUBMITTED ──accept──▶ ACCEPTED
                                        └──reject──▶ REJECTED ──submit──▶ SUBMITTED …

The money rules are methods too: issuing an order reserves its total against
the agreement's ceiling (``Agreement.reserve``) and the budget line's pagu
(``BudgetLine.reserve``), each refusing with CEILING_EXCEEDED; declining or
cancelling releases exactly that amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum

from ..errors import FieldError, SeklikError, validation_failed
from .clock import tanggal, today_wib
from .ledger import JournalEntry, commitment_entry
from .money import rupiah
from .workflow import Verb, Workflow


class AgreementStatus(str, Enum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"

    @property
    def label(self) -> str:
        return {"DRAFT": "Draf", "ACTIVE": "Berlaku", "CLOSED": "Ditutup"}[self.value]


@dataclass(frozen=True)
class Agreement:
    id: str
    company_id: str
    year: int
    number: str
    starts_on: date
    ends_on: date
    rates: dict[str, int]  # product code → agreed unit price
    ceiling: int  # nilai PKS: the most all its orders together may cost
    reserved: int = 0
    status: AgreementStatus = AgreementStatus.DRAFT
    signed_document: dict | None = None  # {key, filename, sha256, size} of the signed PDF
    created_at: datetime | None = None
    version: int = 1

    @property
    def remaining(self) -> int:
        return self.ceiling - self.reserved

    def moved(self, verb: str) -> "Agreement":
        """``activate`` or ``close`` (activation also needs the signed PDF and a period not yet over)."""
        return replace(self, status=AGREEMENT_WORKFLOW.target(self.status, verb), version=self.version + 1)

    def check(self, verb: str) -> None:
        """Refuse unless ``verb`` may be done now (``sign``, ``issue_orders``, ``accept_orders``)."""
        AGREEMENT_WORKFLOW.require(self.status, verb, number=self.number)

    def with_signed_document(self, document: dict) -> "Agreement":
        self.check("sign")
        return replace(self, signed_document=document, version=self.version + 1)

    def unit_price(self, product_code: str, product_name: str, slots: tuple["Slot", ...]) -> int:
        """The agreed price of a product for these slots, if the agreement takes such an order."""
        self.check("issue_orders")
        if product_code not in self.rates:
            raise validation_failed([FieldError("product_code", "not_in_agreement",
                                                f"{product_name} tidak termasuk tarif PKS {self.number}.")])
        if any(s.starts_on < self.starts_on or s.ends_on > self.ends_on for s in slots):
            raise validation_failed([FieldError("slots", "outside_agreement",
                                                f"Tanggal tayang harus dalam masa berlaku PKS "
                                                f"({tanggal(self.starts_on)}–{tanggal(self.ends_on)}).")])
        return self.rates[product_code]

    def reserve(self, total: int) -> "Agreement":
        """The agreement with ``total`` more reserved, never past its ceiling."""
        if total > self.remaining:
            raise ceiling_exceeded(f"nilai PKS {self.number}", self.remaining, total,
                                   "mitra lain yang PKS-nya masih memiliki sisa nilai")
        return replace(self, reserved=self.reserved + total)


AGREEMENT_WORKFLOW = Workflow.of(
    "agreement", AgreementStatus,
    Verb("sign", {AgreementStatus.DRAFT}, None, "AGREEMENT_STATE",
         "PKS yang sudah berlaku atau ditutup tidak dapat diganti dokumennya."),
    Verb("activate", {AgreementStatus.DRAFT}, AgreementStatus.ACTIVE, "AGREEMENT_STATE",
         "PKS berstatus \"{state}\"; tindakan ini hanya untuk PKS berstatus \"Draf\"."),
    Verb("close", {AgreementStatus.ACTIVE}, AgreementStatus.CLOSED, "AGREEMENT_STATE",
         "PKS berstatus \"{state}\"; tindakan ini hanya untuk PKS berstatus \"Berlaku\"."),
    Verb("issue_orders", {AgreementStatus.ACTIVE}, None, "NO_ACTIVE_AGREEMENT", "PKS {number} tidak lagi berlaku."),
    Verb("accept_orders", {AgreementStatus.ACTIVE}, None, "AGREEMENT_STATE",
         "PKS {number} tidak lagi berlaku; pesanan ini tidak dapat diterima. Hubungi staf media order."),
)


def ceiling_exceeded(what: str, remaining: int, total: int, instead: str) -> SeklikError:
    """``what`` names the ceiling ("pagu kode rekening 5.1.02…"), ``instead`` what else to choose."""
    return SeklikError(
        "CEILING_EXCEEDED",
        f"Nilai pesanan {rupiah(total)} melebihi sisa {what}, yaitu {rupiah(remaining)}. Kurangi jumlah slot, "
        f"atau pilih {instead}.",
        409,
    )


@dataclass(frozen=True)
class BudgetLine:
    """A line of the year's budget (DPA) and what is spoken for of its pagu, in three buckets.

    ``reserved`` is everything spoken for: ``committed`` (orders issued, not yet
    invoiced) + ``payable`` (invoices approved, not yet paid) + ``realised``
    (paid by SP2D). Orders raise it within the pagu; invoices only move money
    between the buckets, so ``pagu = remaining + committed + payable + realised``
    at every step.
    """

    year: int
    code: str  # kode rekening
    name: str
    ceiling: int  # pagu
    reserved: int = 0
    version: int = 1
    payable: int = 0
    realised: int = 0

    @property
    def remaining(self) -> int:
        return self.ceiling - self.reserved

    @property
    def committed(self) -> int:
        return self.reserved - self.payable - self.realised

    @property
    def audit_id(self) -> str:
        """Its audit trail is ``BUDGET`` / this."""
        return f"{self.year}#{self.code}"

    def reserve(self, total: int) -> "BudgetLine":
        """The line with ``total`` more reserved, never past its pagu."""
        if total > self.remaining:
            raise ceiling_exceeded(f"pagu kode rekening {self.code}", self.remaining, total,
                                   "kode rekening lain yang pagunya masih cukup")
        return replace(self, reserved=self.reserved + total)

    def with_ceiling(self, ceiling: int) -> "BudgetLine":
        """A new pagu, never below what orders have already reserved."""
        if ceiling < self.reserved:
            raise validation_failed([FieldError("ceiling", "below_reserved",
                                                f"Pagu tidak boleh di bawah jumlah yang sudah dipesan "
                                                f"({rupiah(self.reserved)}).")])
        return replace(self, ceiling=ceiling, version=self.version + 1)


class OrderStatus(str, Enum):
    ISSUED = "ISSUED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"

    @property
    def label(self) -> str:
        return {"ISSUED": "Terbit, menunggu jawaban mitra", "ACCEPTED": "Diterima mitra", "DECLINED": "Ditolak mitra",
                "CANCELLED": "Dibatalkan", "COMPLETED": "Selesai, siap ditagihkan"}[self.value]


# States whose amount is still reserved (released when an order leaves them for DECLINED/CANCELLED).
RESERVING = frozenset({OrderStatus.ISSUED, OrderStatus.ACCEPTED, OrderStatus.COMPLETED})

_NOT_NOW = "Pesanan berstatus \"{state}\"; tindakan ini tidak berlaku."
ORDER_WORKFLOW = Workflow.of(
    "order", OrderStatus,
    Verb("accept", {OrderStatus.ISSUED}, OrderStatus.ACCEPTED, "ORDER_STATE", _NOT_NOW),
    Verb("decline", {OrderStatus.ISSUED}, OrderStatus.DECLINED, "ORDER_STATE", _NOT_NOW),
    Verb("cancel", {OrderStatus.ISSUED, OrderStatus.ACCEPTED}, OrderStatus.CANCELLED, "ORDER_STATE",
         "Pesanan berstatus \"{state}\" tidak dapat dibatalkan."),
    Verb("prove", {OrderStatus.ACCEPTED}, None, "ORDER_STATE", "Bukti tayang hanya untuk pesanan yang sudah diterima."),
    Verb("review_proof", {OrderStatus.ACCEPTED}, None, "SLOT_STATE", "Slot ini tidak sedang menunggu pemeriksaan bukti."),
    Verb("complete", {OrderStatus.ACCEPTED}, OrderStatus.COMPLETED, "ORDER_STATE", _NOT_NOW),
)
# Leaving a reserving state for one of these gives the reserved total back.
RELEASING_VERBS = frozenset({"decline", "cancel"})
assert all(ORDER_WORKFLOW.verbs[v].sources <= RESERVING and ORDER_WORKFLOW.verbs[v].to not in RESERVING
           for v in RELEASING_VERBS)


class SlotStatus(str, Enum):
    PENDING = "PENDING"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"

    @property
    def label(self) -> str:
        return {"PENDING": "Belum ada bukti", "SUBMITTED": "Bukti menunggu pemeriksaan", "ACCEPTED": "Bukti diterima",
                "REJECTED": "Bukti ditolak"}[self.value]


SLOT_WORKFLOW = Workflow.of(
    "slot", SlotStatus,
    Verb("submit", {SlotStatus.PENDING, SlotStatus.REJECTED}, SlotStatus.SUBMITTED, "SLOT_STATE",
         "Bukti untuk slot ini sudah dikirim atau sudah diterima."),
    Verb("accept", {SlotStatus.SUBMITTED}, SlotStatus.ACCEPTED, "SLOT_STATE",
         "Slot ini tidak sedang menunggu pemeriksaan bukti."),
    Verb("reject", {SlotStatus.SUBMITTED}, SlotStatus.REJECTED, "SLOT_STATE",
         "Slot ini tidak sedang menunggu pemeriksaan bukti."),
)


@dataclass(frozen=True)
class Proof:
    """What the partner shows for one slot: links and/or uploaded screenshots or clippings."""

    urls: tuple[str, ...]
    files: tuple[dict, ...]  # {key, filename, content_type, size, sha256}
    submitted_at: datetime
    submitted_by: str
    note: str | None = None


@dataclass(frozen=True)
class Slot:
    """One unit to publish: on a day (starts_on == ends_on) or some time within a window."""

    starts_on: date
    ends_on: date
    status: SlotStatus = SlotStatus.PENDING
    proof: Proof | None = None
    review_reason: str | None = None
    reviewed_by: str | None = None

    def check_due(self, at: datetime, what: str) -> None:
        """Nothing is shown published before the day it is to be published: a proof of a slot is sent and
        accepted only from the slot's first day, in WIB."""
        if today_wib(at) < self.starts_on:
            raise SeklikError("PROOF_TOO_EARLY",
                              f"Bukti tayang untuk slot ini baru dapat {what} mulai {tanggal(self.starts_on)}, "
                              f"tanggal tayangnya.", 409)


@dataclass(frozen=True)
class Material:
    """What is to be published: a published release, or a text given with the order."""

    kind: str  # "release" | "text"
    title: str
    release_slug: str | None = None
    url: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Order:
    id: str
    number: str
    year: int
    seq: int
    company_id: str
    agreement_id: str
    product_code: str
    product_name: str
    unit: str
    material: Material
    slots: tuple[Slot, ...]
    unit_price: int
    budget_line: str
    issued_by: str
    issued_at: datetime
    status: OrderStatus = OrderStatus.ISSUED
    status_reason: str | None = None
    updated_at: datetime | None = None
    partner_name: str = ""  # the media's name when the order was issued, for lists and letters
    version: int = 1

    @property
    def quantity(self) -> int:
        return len(self.slots)

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def dimensions(self) -> dict:
        """What its journal lines are analysed by."""
        return {"budget_line": self.budget_line, "agreement_id": self.agreement_id,
                "company_id": self.company_id, "order_id": self.id, "year": self.year}

    def commitment(self, entry_id: str, at: datetime) -> JournalEntry:
        """The entry that reserves its total (Dr 8100 / Cr 8200)."""
        return commitment_entry(entry_id, at, self.total, f"Pesanan media {self.number}", f"ORDER#{self.id}",
                                self.dimensions)

    def release(self, entry_id: str, at: datetime) -> JournalEntry:
        """The entry that gives its total back, when it is declined or cancelled."""
        return commitment_entry(entry_id, at, self.total,
                                f"Pelepasan pesanan {self.number} ({self.status.label.lower()})", f"ORDER#{self.id}",
                                self.dimensions, release=True)

    def accepted(self, at: datetime) -> "Order":
        return self._moved(ORDER_WORKFLOW.target(self.status, "accept"), at)

    def declined(self, at: datetime, reason: str) -> "Order":
        status = ORDER_WORKFLOW.target(self.status, "decline")
        return self._moved(status, at, _reason(reason))

    def check_cancellable(self) -> None:
        """Staff cancel an order not yet declined, completed or cancelled, and only before any proof."""
        ORDER_WORKFLOW.require(self.status, "cancel")
        if any(s.status != SlotStatus.PENDING for s in self.slots):
            raise SeklikError("ALREADY_PUBLISHED", "Pesanan yang sudah memiliki bukti tayang tidak dapat dibatalkan.",
                              409)

    def cancelled(self, at: datetime, reason: str) -> "Order":
        self.check_cancellable()
        return self._moved(ORDER_WORKFLOW.target(self.status, "cancel"), at, _reason(reason))

    def _moved(self, status: OrderStatus, at: datetime, reason: str | None = None) -> "Order":
        return replace(self, status=status, status_reason=reason, updated_at=at, version=self.version + 1)

    def slot(self, index: int) -> Slot:
        if not 0 <= index < len(self.slots):
            raise validation_failed([FieldError("slot", "unknown_slot", f"Slot harus 0–{len(self.slots) - 1}.")])
        return self.slots[index]

    def check_provable(self, index: int, at: datetime) -> Slot:
        """The slot, if a proof may be sent for it at ``at``: the order accepted, the slot waiting for one,
        and its first day (WIB) come."""
        ORDER_WORKFLOW.require(self.status, "prove")
        slot = self.slot(index)
        SLOT_WORKFLOW.require(slot.status, "submit")
        slot.check_due(at, "dikirim")
        return slot

    def check_uploads_due(self, at: datetime) -> None:
        """Files for a proof are taken once some slot can be proven: the order accepted and a slot waiting for a
        proof whose first day (WIB) has come; otherwise the earliest such slot's day is named."""
        ORDER_WORKFLOW.require(self.status, "prove")
        waiting = sorted((s for s in self.slots if SLOT_WORKFLOW.allows(s.status, "submit")), key=lambda s: s.starts_on)
        if waiting and all(today_wib(at) < s.starts_on for s in waiting):
            waiting[0].check_due(at, "dikirim")

    def with_proof(self, index: int, proof: Proof, at: datetime) -> "Order":
        """A proof for a slot waiting for one (new, or after a rejection)."""
        slot = self.check_provable(index, at)
        status = SLOT_WORKFLOW.target(slot.status, "submit")
        return self._with_slot(index, replace(slot, status=status, proof=proof, review_reason=None,
                                              reviewed_by=None), at)

    def with_review(self, index: int, accepted: bool, reason: str | None, reviewer: str, at: datetime) -> "Order":
        """The verifier's verdict on a slot's proof; the last accepted proof completes the order."""
        slot = self.slot(index)
        ORDER_WORKFLOW.require(self.status, "review_proof")
        status = SLOT_WORKFLOW.target(slot.status, "accept" if accepted else "reject")
        if accepted:  # a proof sent early (before this rule) is not accepted early either
            slot.check_due(at, "diterima")
        reason = (reason or "").strip() or None
        if not accepted and not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan penolakan bukti tayang.")])
        order = self._with_slot(index, replace(slot, status=status, review_reason=reason, reviewed_by=reviewer), at)
        if all(s.status == SlotStatus.ACCEPTED for s in order.slots):
            order = replace(order, status=ORDER_WORKFLOW.target(order.status, "complete"))
        return order

    def _with_slot(self, index: int, slot: Slot, at: datetime) -> "Order":
        slots = list(self.slots)
        slots[index] = slot
        return replace(self, slots=tuple(slots), updated_at=at, version=self.version + 1)


def _reason(raw: str | None) -> str:
    reason = (raw or "").strip()
    if not reason:
        raise validation_failed([FieldError("reason", "missing", "Tuliskan alasannya.")])
    return reason


MAX_SLOTS = 366


def make_slots(dates: list[date] | None, window: tuple[date, date, int] | None) -> tuple[Slot, ...]:
    """Slots from a list of days, or ``quantity`` slots within a date window, all in one fiscal year."""
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


def fiscal_year(slots: tuple[Slot, ...]) -> int:
    """The one fiscal year every slot of an order falls in."""
    year = slots[0].starts_on.year
    if any(s.ends_on.year != year for s in slots):
        raise validation_failed([FieldError("slots", "across_years",
                                            "Semua tanggal tayang satu pesanan harus dalam satu tahun anggaran.")])
    return year


@dataclass(frozen=True)
class NumberFormat:
    """The order number: a template over ``seq``, ``year`` and ``unit``, e.g. ``000.9.2/{seq:03d}/MO/{unit}/{year}``."""

    template: str
    unit: str

    def render(self, seq: int, year: int) -> str:
        return self.template.format(seq=seq, year=year, unit=self.unit)


@dataclass(frozen=True)
class OrderSettings:
    number_format: NumberFormat
    letterhead: tuple[str, ...]
    city: str
    signatory_name: str
    signatory_title: str
    signatory_id: str
    ppn_percent: int = 11
    pph23_percent: int = 2
    extra: dict = field(default_factory=dict)
