"""Taxes on a payment to a partner, as dated rules (pure domain, integer rupiah).

Prices include PPN. For an invoice of gross ``G``:

- a PKP partner: ``H = floor(G × 100 / (100 + effective PPN %))`` is the price
  without PPN (the faktur's TaxBase) and ``PPN = G − H``, so ``H + PPN == G``
  to the rupiah. Since 2025 PPN is 12 % of a DPP of 11/12 of the price, i.e.
  11 % of ``H``. The treasurer collects it only when the payment is above the
  threshold (Rp2.000.000 today); otherwise the partner remits it itself.
- a non-PKP partner: ``H = G``, no PPN.
- PPh 23 on media and advertising services: ``floor(rate × H)``, doubled when
  the partner has no NPWP.
- net to the partner = ``G − collected PPN − PPh 23``. ``G`` is never changed.

When the partner's faktur pajak gives ``tax_base`` and ``vat`` with
``tax_base + vat == G`` and ``vat`` within Rp1 of ``PPN`` (Coretax computes
the VAT from the DPP in sen), the faktur's figures win; otherwise the partner
is told which TaxBase to put in the faktur (research file §5.2, case I).

Rules carry the date they take effect from; the rule in force on the payment
date applies (``TaxRules.on``). The values live in ``config/taxes.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from fractions import Fraction

from ..errors import FieldError, validation_failed
from .money import rupiah


@dataclass(frozen=True)
class TaxRule:
    """The rates and thresholds in force from ``effective_from`` (until a later rule takes over)."""

    effective_from: date
    ppn_rate: Fraction  # the statutory rate (12 %)
    ppn_base_factor: Fraction  # DPP nilai lain as a share of the price without PPN (11/12)
    ppn_collection_threshold: int  # collected by the treasurer only on payments above this (rupiah)
    pph23_rate: Fraction  # 2 %
    pph23_no_npwp_multiplier: int  # 2: doubled without an NPWP
    pph23_object_code: str  # kode objek pajak, 24-104-34
    meterai_threshold: int  # a kuitansi above this bears a meterai (UU 10/2020)
    deposit_due_day: int = 15  # taxes of a month are deposited by this day of the next month

    @property
    def ppn_effective(self) -> Fraction:
        """PPN as a share of the price without PPN (12 % × 11/12 = 11 %)."""
        return self.ppn_rate * self.ppn_base_factor

    @classmethod
    def from_dict(cls, data: dict) -> "TaxRule":
        return cls(
            effective_from=date.fromisoformat(data["effective_from"]),
            ppn_rate=Fraction(data["ppn_rate"]),
            ppn_base_factor=Fraction(data["ppn_base_factor"]),
            ppn_collection_threshold=int(data["ppn_collection_threshold"]),
            pph23_rate=Fraction(data["pph23_rate"]),
            pph23_no_npwp_multiplier=int(data["pph23_no_npwp_multiplier"]),
            pph23_object_code=data["pph23_object_code"],
            meterai_threshold=int(data["meterai_threshold"]),
            deposit_due_day=int(data.get("deposit_due_day", 15)),
        )

    def deposit_due_on(self, paid_on: date) -> date:
        """The day a tax collected or withheld on ``paid_on`` must be deposited by (the masa's next month)."""
        year, month = (paid_on.year + 1, 1) if paid_on.month == 12 else (paid_on.year, paid_on.month + 1)
        return date(year, month, self.deposit_due_day)


class TaxRules:
    """Every rule with its start date; ``on(day)`` is the one in force that day."""

    def __init__(self, rules: list[TaxRule]):
        if not rules:
            raise ValueError("at least one tax rule is needed")
        self.rules = sorted(rules, key=lambda r: r.effective_from)
        if len({r.effective_from for r in self.rules}) != len(self.rules):
            raise ValueError("two tax rules take effect on the same day")

    @classmethod
    def from_dict(cls, data: dict) -> "TaxRules":
        return cls([TaxRule.from_dict(rule) for rule in data["rules"]])

    def on(self, day: date) -> TaxRule:
        in_force = [r for r in self.rules if r.effective_from <= day]
        if not in_force:
            raise ValueError(f"no tax rule is in force on {day.isoformat()}")
        return in_force[-1]


@dataclass(frozen=True)
class Faktur:
    """What the partner's faktur pajak says (typed by the partner, checked by finance)."""

    tax_base: int  # DPP / harga jual (TaxBase)
    vat: int  # PPN on the faktur


@dataclass(frozen=True)
class TaxComputation:
    gross: int  # G: what the orders cost, prices including PPN
    base: int  # H: without PPN (TaxBase)
    ppn: int  # the PPN inside the gross (G − H)
    ppn_collected: bool  # the treasurer collects it from this payment
    pph23: int
    pph23_object_code: str
    needs_meterai: bool
    rule_from: date  # the rule it was computed with

    @property
    def ppn_withheld(self) -> int:
        return self.ppn if self.ppn_collected else 0

    @property
    def net(self) -> int:
        """What the partner receives: the gross less what the treasurer collects and withholds."""
        return self.gross - self.ppn_withheld - self.pph23


def base_without_ppn(gross: int, rule: TaxRule) -> int:
    """floor(G / (1 + effective PPN)), exactly, in integer rupiah."""
    share = 1 + rule.ppn_effective
    return (gross * share.denominator) // share.numerator


def compute_taxes(gross: int, pkp: bool, has_npwp: bool, rule: TaxRule, faktur: Faktur | None = None,
                  check_faktur: bool = True) -> TaxComputation:
    """The taxes of one payment of ``gross`` under ``rule``; the faktur's figures win when they agree
    (``check_faktur``: refuse one that does not; off for a faktur accepted before, under an earlier rule)."""
    if isinstance(gross, bool) or not isinstance(gross, int) or gross < 1:
        raise ValueError("gross must be a positive integer amount of rupiah")
    if pkp:
        base = base_without_ppn(gross, rule)
        if faktur is not None:
            if check_faktur:
                faktur_problem(gross, base, faktur)
            base = faktur.tax_base
        ppn = gross - base
    else:
        base, ppn = gross, 0
    rate = rule.pph23_rate * (1 if has_npwp else rule.pph23_no_npwp_multiplier)
    pph23 = (base * rate.numerator) // rate.denominator
    return TaxComputation(
        gross=gross, base=base, ppn=ppn, ppn_collected=pkp and gross > rule.ppn_collection_threshold,
        pph23=pph23, pph23_object_code=rule.pph23_object_code, needs_meterai=gross > rule.meterai_threshold,
        rule_from=rule.effective_from,
    )


def faktur_problem(gross: int, computed_base: int, faktur: Faktur) -> None:
    """The faktur must add up to the gross and its PPN be within Rp1 of ours; else say which TaxBase to use."""
    computed_ppn = gross - computed_base
    if faktur.tax_base + faktur.vat == gross and abs(faktur.vat - computed_ppn) <= 1:
        return
    suggestions = " atau ".join(rupiah(b) for b in sorted({computed_base, computed_base + 1}))
    raise validation_failed([FieldError(
        "faktur.tax_base", "faktur_mismatch",
        f"DPP dan PPN pada faktur pajak harus berjumlah sama dengan nilai tagihan ({rupiah(gross)}), dengan PPN "
        f"sekitar {rupiah(computed_ppn)}. Gunakan DPP (harga jual) {suggestions} pada faktur pajak, lalu unggah "
        "ulang fakturnya.",
    )])


class TaxKind(str, Enum):
    PPN = "PPN"
    PPH23 = "PPH23"

    @property
    def label(self) -> str:
        return {"PPN": "PPN dipungut", "PPH23": "PPh 23 dipotong"}[self.value]


_BILLING_CODE = re.compile(r"^[0-9]{15}$")
_NTPN = re.compile(r"^[0-9A-Z]{16}$")


@dataclass(frozen=True)
class TaxDeposit:
    """One payment of collected or withheld tax into the state treasury, for one or more paid invoices."""

    id: str
    kind: TaxKind
    masa: str  # YYYY-MM: the month the tax was collected or withheld in
    lines: tuple[tuple[str, int], ...]  # (invoice id, amount)
    billing_code: str  # kode billing, 15 digits
    ntpn: str  # nomor transaksi penerimaan negara, 16 characters
    deposited_on: date
    recorded_by: str
    recorded_at: datetime

    @property
    def amount(self) -> int:
        return sum(amount for _, amount in self.lines)

    @property
    def source(self) -> str:
        """How the books name it."""
        return f"TAX_DEPOSIT#{self.id}"


def deposit_problems(billing_code: str, ntpn: str, deposited_on: date, today: date) -> list[FieldError]:
    problems = []
    if not _BILLING_CODE.match(billing_code or ""):
        problems.append(FieldError("billing_code", "invalid_billing_code", "Kode billing terdiri dari 15 angka."))
    if not _NTPN.match((ntpn or "").upper()):
        problems.append(FieldError("ntpn", "invalid_ntpn", "NTPN terdiri dari 16 huruf besar atau angka."))
    if deposited_on > today:
        problems.append(FieldError("deposited_on", "in_future", "Tanggal setor tidak boleh sesudah hari ini."))
    return problems
