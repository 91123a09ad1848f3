"""Products the office buys from press companies, their SSH ceilings, and rate negotiation.

Pure domain. A *product* is what is ordered (an online advertorial per
article, a TV spot per 30 seconds …) with its unit and the media types it
applies to; its *SSH* (Standar Satuan Harga) is the highest unit price the
regional government may pay in a fiscal year. A *rate card* is one partner's
prices for one fiscal year, negotiated line by line: the partner proposes,
order staff counter or accept, the partner accepts a counter; an accepted
line is the agreed rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from ..errors import FieldError
from .money import rupiah
from .press_company import MediaType
from .workflow import Verb, Workflow


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    unit: str  # "per artikel", "per bulan", "per 30 detik", …
    media_types: frozenset[MediaType]
    ssh: dict[int, int] = field(default_factory=dict)  # fiscal year → ceiling per unit (rupiah)
    version: int = 1

    def ceiling(self, year: int) -> int | None:
        return self.ssh.get(year)


class LineStatus(str, Enum):
    NEW = "NEW"  # a product not on the card yet (never stored)
    PROPOSED = "PROPOSED"  # the partner's price, waiting for order staff
    COUNTERED = "COUNTERED"  # order staff's price, waiting for the partner
    AGREED = "AGREED"

    @property
    def label(self) -> str:
        return {"NEW": "Belum diajukan", "PROPOSED": "Diajukan mitra", "COUNTERED": "Ditawar balik",
                "AGREED": "Disepakati"}[self.value]


# Line by line: the refusal's code is the per-line field code (several lines are refused together).
_NOT_YOURS = "Baris ini tidak menunggu persetujuan Anda."
RATE_LINE_WORKFLOW = Workflow.of(
    "rate line", LineStatus,
    Verb("propose", {LineStatus.NEW, LineStatus.PROPOSED, LineStatus.COUNTERED}, LineStatus.PROPOSED,
         "already_agreed", "Harga produk ini sudah disepakati."),
    Verb("counter", {LineStatus.PROPOSED}, LineStatus.COUNTERED, "not_proposed",
         "Hanya harga yang sedang diajukan mitra yang dapat ditawar balik."),
    Verb("accept_proposal", {LineStatus.PROPOSED}, LineStatus.AGREED, "not_acceptable", _NOT_YOURS),  # staff
    Verb("accept_counter", {LineStatus.COUNTERED}, LineStatus.AGREED, "not_acceptable", _NOT_YOURS),  # the partner
)


@dataclass(frozen=True)
class RateLine:
    product_code: str
    price: int
    status: LineStatus
    note: str | None = None


@dataclass(frozen=True)
class RateCard:
    company_id: str
    year: int
    lines: dict[str, RateLine]
    updated_at: datetime
    version: int = 1

    def agreed(self) -> dict[str, int]:
        return {code: line.price for code, line in self.lines.items() if line.status == LineStatus.AGREED}

    def with_lines(self, lines: dict[str, RateLine], at: datetime) -> "RateCard":
        return replace(self, lines={**self.lines, **lines}, updated_at=at, version=self.version + 1)

    def status_of(self, code: str) -> LineStatus:
        line = self.lines.get(code)
        return line.status if line else LineStatus.NEW


def line_refusals(card: RateCard | None, verb: str, codes) -> list[FieldError]:
    """The lines ``verb`` cannot move from where they are, each named (``lines.<code>``)."""
    refused = []
    for code in codes:
        status = card.status_of(code) if card else LineStatus.NEW
        if not RATE_LINE_WORKFLOW.allows(status, verb):
            spec = RATE_LINE_WORKFLOW.verbs[verb]
            refused.append(FieldError(f"lines.{code}", spec.code, spec.refusal.format(state=status.label)))
    return refused


@dataclass(frozen=True)
class NegotiationMessage:
    """One step of the thread: who, when, what they set, and what they wrote."""

    id: str
    actor_id: str
    actor_side: str  # "mitra" or "staf"
    at: datetime
    action: str  # proposed, countered, accepted
    lines: dict[str, int]  # product code → price set or accepted in this step
    message: str | None


def price_problems(prices: dict[str, int], products: dict[str, Product], year: int, media_type: MediaType,
                   field_prefix: str = "lines") -> list[FieldError]:
    """Unknown products, products not for this media type, prices over the SSH ceiling."""
    problems = []
    for code, price in prices.items():
        where = f"{field_prefix}.{code}"
        product = products.get(code)
        if product is None:
            problems.append(FieldError(where, "unknown_product", f"Produk '{code}' tidak ada dalam katalog."))
            continue
        if media_type not in product.media_types:
            problems.append(FieldError(where, "product_not_for_media",
                                       f"{product.name} tidak berlaku untuk media {media_type.value}."))
            continue
        ceiling = product.ceiling(year)
        if ceiling is None:
            problems.append(FieldError(where, "no_ssh", f"SSH {product.name} untuk tahun {year} belum ditetapkan. "
                                                        "Minta administrator menetapkannya terlebih dahulu."))
        elif price > ceiling:
            problems.append(FieldError(
                where, "above_ssh",
                f"Harga {product.name} {rupiah(price)} melebihi SSH tahun {year} ({rupiah(ceiling)} {product.unit}). "
                "Turunkan harga sampai paling tinggi SSH.",
            ))
        elif price < 1:
            problems.append(FieldError(where, "price_too_low", "Harga harus lebih dari nol."))
    return problems
