"""Agreements (PKS), budget lines, media orders and proofs of publication (pure domain).

States::

    Agreement:  DRAFT ──activate──▶ ACTIVE ──close──▶ CLOSED
    Order:      ISSUED ──accept──▶ ACCEPTED ──(every slot's proof accepted)──▶ COMPLETED
                   │  └──decline──▶ DECLINED        │
                   └──────cancel (staff, before any proof)──▶ CANCELLED
    Slot:       PENDING ──proof──▶ SUBMITTED ──▶ ACCEPTED | REJECTED ──proof──▶ SUBMITTED …

Issuing an order reserves its total against the agreement's ceiling and the
budget line's pagu; declining or cancelling releases exactly that amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum


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


@dataclass(frozen=True)
class BudgetLine:
    year: int
    code: str  # kode rekening
    name: str
    ceiling: int  # pagu
    reserved: int = 0
    version: int = 1

    @property
    def remaining(self) -> int:
        return self.ceiling - self.reserved


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


class SlotStatus(str, Enum):
    PENDING = "PENDING"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"

    @property
    def label(self) -> str:
        return {"PENDING": "Belum ada bukti", "SUBMITTED": "Bukti menunggu pemeriksaan", "ACCEPTED": "Bukti diterima",
                "REJECTED": "Bukti ditolak"}[self.value]


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

    def moved_to(self, status: OrderStatus, at: datetime, reason: str | None = None) -> "Order":
        return replace(self, status=status, status_reason=reason, updated_at=at, version=self.version + 1)

    def with_slot(self, index: int, slot: Slot, at: datetime) -> "Order":
        slots = list(self.slots)
        slots[index] = slot
        order = replace(self, slots=tuple(slots), updated_at=at, version=self.version + 1)
        if all(s.status == SlotStatus.ACCEPTED for s in order.slots):
            order = replace(order, status=OrderStatus.COMPLETED)
        return order


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
