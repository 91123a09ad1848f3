"""Invoices (tagihan) and the government payment steps behind them (pure domain).

A partner bills one or more COMPLETED orders of one agreement and one budget
line; the amounts come from the orders, never typed. ``INVOICE_WORKFLOW``::

    SUBMITTED ──return──▶ RETURNED ──resubmit──▶ SUBMITTED
        │                    │
        ├──approve──▶ APPROVED ──file_spp──▶ SPP_FILED ──issue_spm──▶ SPM_ISSUED ──pay──▶ PAID
        │                │                                               ▲              │
        └─────cancel─────┴──cancel──▶ CANCELLED (finance, before SPP)     └─sp2d_returned┘

Approval recognises the expense (the books in ``ledger.approval_entry``); the
SP2D pays the net and posts the taxes (``ledger.payment_entry``); the taxes
are computed by ``taxes.compute_taxes`` under the rule in force on the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from enum import Enum

from ..errors import FieldError, SeklikError, validation_failed
from .ledger import JournalEntry, approval_entry, payment_entry, reversal
from .money import rupiah
from .taxes import Faktur, TaxComputation, TaxRule, compute_taxes
from .workflow import Verb, Workflow

# Each order adds three items to the transaction that cancels an approved invoice (DynamoDB's limit is 100).
MAX_ORDERS_PER_INVOICE = 25
INVOICE_SOURCE = "INVOICE#"  # how the books name an invoice's entries: INVOICE#<id>


class InvoiceStatus(str, Enum):
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    SPP_FILED = "SPP_FILED"
    SPM_ISSUED = "SPM_ISSUED"
    PAID = "PAID"
    CANCELLED = "CANCELLED"

    @property
    def label(self) -> str:
        return {"SUBMITTED": "Diajukan", "RETURNED": "Dikembalikan untuk diperbaiki", "APPROVED": "Disetujui",
                "SPP_FILED": "SPP diajukan", "SPM_ISSUED": "SPM terbit", "PAID": "SP2D terbit (dibayar)",
                "CANCELLED": "Dibatalkan"}[self.value]


_NOT_NOW = "Tagihan berstatus \"{state}\"; tindakan ini tidak berlaku."
INVOICE_WORKFLOW = Workflow.of(
    "invoice", InvoiceStatus,
    Verb("return", {InvoiceStatus.SUBMITTED}, InvoiceStatus.RETURNED, "INVOICE_STATE", _NOT_NOW),
    Verb("resubmit", {InvoiceStatus.RETURNED}, InvoiceStatus.SUBMITTED, "INVOICE_STATE", _NOT_NOW),
    Verb("approve", {InvoiceStatus.SUBMITTED}, InvoiceStatus.APPROVED, "INVOICE_STATE", _NOT_NOW),
    Verb("cancel", {InvoiceStatus.SUBMITTED, InvoiceStatus.RETURNED, InvoiceStatus.APPROVED}, InvoiceStatus.CANCELLED,
         "INVOICE_STATE", "Tagihan berstatus \"{state}\" tidak dapat dibatalkan: pembatalan hanya sebelum SPP."),
    Verb("file_spp", {InvoiceStatus.APPROVED}, InvoiceStatus.SPP_FILED, "INVOICE_STATE",
         "SPP dicatat untuk tagihan yang sudah disetujui; tagihan ini berstatus \"{state}\"."),
    Verb("issue_spm", {InvoiceStatus.SPP_FILED}, InvoiceStatus.SPM_ISSUED, "INVOICE_STATE",
         "SPM dicatat sesudah SPP; tagihan ini berstatus \"{state}\"."),
    Verb("pay", {InvoiceStatus.SPM_ISSUED}, InvoiceStatus.PAID, "INVOICE_STATE",
         "SP2D dicatat sesudah SPM; tagihan ini berstatus \"{state}\"."),
    Verb("sp2d_returned", {InvoiceStatus.PAID}, InvoiceStatus.SPM_ISSUED, "INVOICE_STATE",
         "Hanya SP2D yang sudah tercatat yang dapat dikembalikan bank; tagihan ini berstatus \"{state}\"."),
    Verb("deposit_taxes", {InvoiceStatus.PAID}, None, "INVOICE_STATE",
         "Pajak disetor dan bukti potong dicatat sesudah SP2D; tagihan ini berstatus \"{state}\"."),
)
# Approved and not undone: the expense is recognised and the orders are billed for good.
RECOGNISED = frozenset({InvoiceStatus.APPROVED, InvoiceStatus.SPP_FILED, InvoiceStatus.SPM_ISSUED,
                        InvoiceStatus.PAID})


@dataclass(frozen=True)
class BilledOrder:
    order_id: str
    number: str
    total: int
    dimensions: dict  # the order's journal dimensions, so the commitment is realised line by line


@dataclass(frozen=True)
class PaymentStep:
    """An SPP, SPM or SP2D as it came out of the government's own system (SIPD)."""

    number: str
    on: date
    recorded_by: str
    recorded_at: datetime
    document: dict | None = None  # its PDF, through the upload flow
    amount: int | None = None  # the SP2D's transfer


@dataclass(frozen=True)
class Invoice:
    id: str
    company_id: str
    agreement_id: str
    year: int
    budget_line: str
    partner_invoice_number: str
    partner_invoice_date: date
    orders: tuple[BilledOrder, ...]
    pkp: bool  # the partner's PKP status when it invoiced
    has_npwp: bool
    bank_account: dict  # from the verified profile: bank, number, holder
    attachments: dict  # code → file record (kuitansi, faktur_pajak, …)
    submitted_by: str
    submitted_at: datetime
    faktur: Faktur | None = None
    faktur_number: str | None = None
    kuitansi_meterai: bool = False
    status: InvoiceStatus = InvoiceStatus.SUBMITTED
    return_reasons: dict = field(default_factory=dict)  # item (field or attachment) → reason
    status_reason: str | None = None
    approval: TaxComputation | None = None  # the taxes as approved (for display; paid ones may differ)
    approved_at: datetime | None = None
    spp: PaymentStep | None = None
    spm: PaymentStep | None = None
    sp2d: PaymentStep | None = None
    payment: TaxComputation | None = None  # the taxes as paid (the rule of the SP2D's day)
    deposits: dict = field(default_factory=dict)  # tax kind → {deposit_id, ntpn, deposited_on, amount}
    withholding_slip: dict | None = None  # the PPh 23 bukti potong: {number, document}
    updated_at: datetime | None = None
    version: int = 1

    @property
    def gross(self) -> int:
        """What the orders cost (prices include PPN): the amount billed, never typed."""
        return sum(o.total for o in self.orders)

    @property
    def partner_name(self) -> str:
        return self.bank_account.get("holder", "")

    @property
    def dimensions(self) -> dict:
        return {"budget_line": self.budget_line, "agreement_id": self.agreement_id, "company_id": self.company_id,
                "invoice_id": self.id, "year": self.year}

    def taxes(self, rule: TaxRule, check_faktur: bool = False) -> TaxComputation:
        """Under ``rule``; the faktur is checked when the partner gives it (submit, resubmit), and trusted after."""
        return compute_taxes(self.gross, self.pkp, self.has_npwp, rule, self.faktur, check_faktur=check_faktur)

    # -- the verbs ----------------------------------------------------------------------------

    def returned(self, reasons: dict[str, str], at: datetime) -> "Invoice":
        status = INVOICE_WORKFLOW.target(self.status, "return")
        clean = {item: text.strip() for item, text in reasons.items() if text and text.strip()}
        if not clean:
            raise validation_failed([FieldError("reasons", "missing", "Tuliskan apa yang harus diperbaiki mitra, "
                                                                      "per isian atau lampiran.")])
        return replace(self, status=status, return_reasons=clean, updated_at=at, version=self.version + 1)

    def resubmitted(self, changes: dict, at: datetime) -> "Invoice":
        status = INVOICE_WORKFLOW.target(self.status, "resubmit")
        return replace(self, **changes, status=status, return_reasons={}, updated_at=at, version=self.version + 1)

    def approved(self, rule: TaxRule, entry_id: str, at: datetime) -> tuple["Invoice", JournalEntry]:
        """Finance verified it: the expense is recognised (the entry goes in the same transaction)."""
        status = INVOICE_WORKFLOW.target(self.status, "approve")
        approved = replace(self, status=status, approval=self.taxes(rule), approved_at=at, updated_at=at,
                           version=self.version + 1)
        return approved, approved._approval_entry(entry_id, at)

    def _approval_entry(self, entry_id: str, at: datetime) -> JournalEntry:
        return approval_entry(entry_id, at, self.gross, [(o.total, o.dimensions) for o in self.orders],
                              f"Tagihan {self.partner_invoice_number} disetujui", self.source, self.dimensions)

    def cancelled(self, reason: str, entry_id: str, at: datetime) -> tuple["Invoice", JournalEntry | None]:
        """Cancelled with its reason; an approved one gives its approval back (the exact reversing entry)."""
        status = INVOICE_WORKFLOW.target(self.status, "cancel")
        reason = (reason or "").strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan pembatalan tagihan.")])
        undo = None
        if self.status == InvoiceStatus.APPROVED:
            undo = reversal(self._approval_entry(entry_id, self.approved_at), entry_id, at,
                            f"Pembatalan tagihan {self.partner_invoice_number}")
        return replace(self, status=status, status_reason=reason, updated_at=at, version=self.version + 1), undo

    def with_step(self, verb: str, step: PaymentStep) -> "Invoice":
        """SPP or SPM recorded."""
        status = INVOICE_WORKFLOW.target(self.status, verb)
        slot = {"file_spp": "spp", "issue_spm": "spm"}[verb]
        self._check_after_previous(step)
        return replace(self, status=status, **{slot: step}, updated_at=step.recorded_at, version=self.version + 1)

    def paid(self, step: PaymentStep, rule: TaxRule, entry_id: str) -> tuple["Invoice", JournalEntry]:
        """The SP2D: its amount must be the net under the rule of its day, to the rupiah."""
        status = INVOICE_WORKFLOW.target(self.status, "pay")
        self._check_after_previous(step)
        taxes = self.taxes(rule)
        if step.amount != taxes.net:
            difference = (step.amount or 0) - taxes.net
            raise SeklikError(
                "SP2D_AMOUNT_MISMATCH",
                f"Nilai SP2D {rupiah(step.amount or 0)} tidak sama dengan yang harus dibayarkan kepada mitra, "
                f"{rupiah(taxes.net)} (bruto {rupiah(taxes.gross)}, PPN dipungut {rupiah(taxes.ppn_withheld)}, "
                f"PPh 23 {rupiah(taxes.pph23)}): selisih {'lebih' if difference > 0 else 'kurang'} "
                f"{rupiah(abs(difference))}. Periksa SP2D di SIPD.", 422,
                [FieldError("amount", "amount_mismatch", f"Seharusnya {rupiah(taxes.net)}.")])
        paid = replace(self, status=status, sp2d=step, payment=taxes, updated_at=step.recorded_at,
                       version=self.version + 1)
        return paid, paid._payment_entry(entry_id, booked_on(step.on))

    def _payment_entry(self, entry_id: str, at: datetime) -> JournalEntry:
        taxes = self.payment
        return payment_entry(entry_id, at, taxes.gross, taxes.net, taxes.ppn_withheld, taxes.pph23,
                             f"SP2D {self.sp2d.number} untuk tagihan {self.partner_invoice_number}", self.source,
                             self.dimensions)

    def sp2d_returned(self, reason: str, entry_id: str, at: datetime) -> tuple["Invoice", JournalEntry]:
        """The bank sent the transfer back: the payment is reversed and a new SP2D may follow."""
        status = INVOICE_WORKFLOW.target(self.status, "sp2d_returned")
        if self.withholding_slip:
            raise SeklikError("WITHHOLDING_SLIP_ISSUED",
                              "Bukti potong PPh 23 untuk SP2D ini sudah diterbitkan. Batalkan bukti potongnya di "
                              "e-Bupot terlebih dahulu, lalu catat pengembalian SP2D.", 409)
        if self.deposits:
            raise SeklikError("TAXES_ALREADY_DEPOSITED",
                              "Pajak dari SP2D ini sudah disetor, sehingga SP2D tidak dapat dibalik di Seklik. "
                              "Catat pengembalian dana di SIPD dan hubungi KPP untuk pemindahbukuan.", 409)
        reason = (reason or "").strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan pengembalian dari bank.")])
        undo = reversal(self._payment_entry(entry_id, self.sp2d.recorded_at), entry_id, at,
                        f"SP2D {self.sp2d.number} dikembalikan bank")
        return replace(self, status=status, status_reason=reason, sp2d=None, payment=None, updated_at=at,
                       version=self.version + 1), undo

    def tax_due(self, kind: str) -> int:
        """What is still to deposit of a tax from this invoice's SP2D (0 when none, or deposited)."""
        if self.status != InvoiceStatus.PAID or kind in self.deposits:
            return 0
        return self.payment.ppn_withheld if kind == "PPN" else self.payment.pph23

    def with_deposit(self, kind: str, record: dict, at: datetime) -> "Invoice":
        INVOICE_WORKFLOW.require(self.status, "deposit_taxes")
        if self.tax_due(kind) != record["amount"] or record["amount"] < 1:
            raise SeklikError("NOTHING_TO_DEPOSIT", f"Tagihan {self.partner_invoice_number} tidak memiliki "
                                                    f"{kind} yang belum disetor.", 409)
        return replace(self, deposits={**self.deposits, kind: record}, updated_at=at, version=self.version + 1)

    def with_withholding_slip(self, number: str, document: dict, at: datetime) -> "Invoice":
        INVOICE_WORKFLOW.require(self.status, "deposit_taxes")
        if self.payment.pph23 < 1:
            raise SeklikError("NO_WITHHOLDING", "Tidak ada PPh 23 yang dipotong dari tagihan ini.", 409)
        return replace(self, withholding_slip={"number": number, "document": document}, updated_at=at,
                       version=self.version + 1)

    @property
    def settled(self) -> bool:
        """Paid, every tax deposited and the bukti potong handed over."""
        return (self.status == InvoiceStatus.PAID and not self.tax_due("PPN") and not self.tax_due("PPH23")
                and (self.withholding_slip is not None or self.payment.pph23 == 0))

    def _check_after_previous(self, step: PaymentStep) -> None:
        steps = [s.on for s in (self.spp, self.spm) if s]
        if steps and step.on < max(steps):
            raise validation_failed([FieldError("date", "before_previous_step",
                                                "Tanggal tidak boleh sebelum langkah pembayaran sebelumnya.")])

    @property
    def source(self) -> str:
        """How the books name it."""
        return f"{INVOICE_SOURCE}{self.id}"


def booked_on(day: date) -> datetime:
    """A document's day as the moment the books place it: noon in Jakarta (05:00 UTC), always that WIB date."""
    return datetime(day.year, day.month, day.day, 5, 0, tzinfo=timezone.utc)


def invoice_problems(orders: list, agreement_id: str | None = None) -> list[FieldError]:
    """What makes a set of orders unbillable together: not completed, two agreements, two budget lines, two years."""
    problems = []
    if not orders:
        problems.append(FieldError("order_ids", "missing", "Pilih paling sedikit satu pesanan yang sudah selesai."))
        return problems
    if len(orders) > MAX_ORDERS_PER_INVOICE:
        problems.append(FieldError("order_ids", "too_many",
                                   f"Paling banyak {MAX_ORDERS_PER_INVOICE} pesanan dalam satu tagihan."))
    for n, order in enumerate(orders):
        if order.status.value != "COMPLETED":
            problems.append(FieldError(f"order_ids.{n}", "order_not_completed",
                                       f"Pesanan {order.number} berstatus \"{order.status.label}\"; hanya pesanan "
                                       "yang selesai (semua bukti tayang diterima) yang dapat ditagihkan."))
    if len({o.agreement_id for o in orders}) > 1:
        problems.append(FieldError("order_ids", "several_agreements",
                                   "Pesanan dalam satu tagihan harus dari satu PKS. Pisahkan tagihan per PKS."))
    if len({o.budget_line for o in orders}) > 1:
        problems.append(FieldError("order_ids", "several_budget_lines",
                                   "Pesanan dalam satu tagihan harus dibebankan pada satu kode rekening. Pisahkan "
                                   "tagihan per kode rekening."))
    if len({o.year for o in orders}) > 1:
        problems.append(FieldError("order_ids", "several_years",
                                   "Pesanan dalam satu tagihan harus dari satu tahun anggaran."))
    return problems


@dataclass(frozen=True)
class AttachmentType:
    code: str
    label: str
    required: str  # "always" | "pkp"

    def required_for(self, pkp: bool) -> bool:
        return self.required == "always" or (self.required == "pkp" and pkp)


@dataclass(frozen=True)
class InvoiceRules:
    """From ``config/invoices.json``: the attachments asked for, the day a fiscal year stops taking invoices,
    and who pays and signs on the documents Seklik prints (payer, PPTK, treasurer: name, title, id)."""

    attachments: tuple[AttachmentType, ...]
    closes_month: int = 12
    closes_day: int = 31
    payer: str = ""
    pptk: dict = field(default_factory=dict)
    treasurer: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> "InvoiceRules":
        month, day = (int(part) for part in data.get("fiscal_year_closes_on", "12-31").split("-"))
        return cls(tuple(AttachmentType(a["code"], a["label"], a["required"]) for a in data["attachments"]),
                   month, day, data.get("payer", ""), data.get("pptk", {}), data.get("treasurer", {}))

    def attachment(self, code: str) -> AttachmentType | None:
        return next((a for a in self.attachments if a.code == code), None)

    def closes_on(self, year: int) -> date:
        return date(year, self.closes_month, self.closes_day)

    def check_open(self, year: int, today: date) -> None:
        if today > self.closes_on(year):
            raise SeklikError("FISCAL_YEAR_CLOSED",
                              f"Tahun anggaran {year} sudah ditutup pada {self.closes_on(year).isoformat()}; "
                              "pesanan tahun itu tidak dapat ditagihkan lagi melalui Seklik. Hubungi staf keuangan "
                              "untuk penyelesaian tunda bayar.", 409)

    def missing_attachments(self, attachments: dict, pkp: bool) -> list[FieldError]:
        return [FieldError(f"attachments.{a.code}", "attachment_missing", f"Lampirkan {a.label.lower()}.")
                for a in self.attachments if a.required_for(pkp) and a.code not in attachments]
