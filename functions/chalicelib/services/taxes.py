"""Use cases of the taxes the treasurer collects and withholds: what is due, and deposits (setoran).

A deposit pays one tax (PPN collected or PPh 23 withheld) of one or more paid
invoices of one month (masa) into the state treasury: its billing code, its
NTPN (recorded once) and date; the invoices record it, and the books move
Dr 2102/2103 / Cr 1101 — all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..adapters.invoices import InvoiceStore
from ..adapters.table import ConditionFailed
from ..adapters.taxes import TaxDepositStore
from ..domain.accounts import AuditEvent, User, looks_like_id
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.invoices import Invoice, booked_on
from ..domain.ledger import PPH23_PAYABLE, PPN_PAYABLE, deposit_entry
from ..domain.money import rupiah
from ..domain.taxes import TaxDeposit, TaxKind, TaxRules, deposit_problems
from ..errors import FieldError, validation_failed
from .access import stale_version
from .idempotency import Idempotency, request_hash

MAX_INVOICES_PER_DEPOSIT = 20  # each adds three items to the one transaction (of at most 100)
ACCOUNTS = {TaxKind.PPN: PPN_PAYABLE, TaxKind.PPH23: PPH23_PAYABLE}


@dataclass(frozen=True)
class TaxDue:
    invoice: Invoice
    kind: TaxKind
    amount: int
    masa: str
    due_on: date
    overdue: bool


_KEY_REUSED = ("Kunci Idempotency-Key ini sudah dipakai untuk setoran lain. "
               "Gunakan kunci baru untuk setiap setoran baru.")


class TaxService:
    def __init__(self, invoices: InvoiceStore, deposits: TaxDepositStore, rules: TaxRules, idempotency: Idempotency,
                 clock: Clock = utc_now):
        self.invoices = invoices
        self.deposits = deposits
        self.rules = rules
        self.idempotency = idempotency
        self.clock = clock

    def outstanding(self) -> list[TaxDue]:
        """Taxes of paid invoices still to deposit, the earliest due first (the console's reminder)."""
        today = today_wib(self.clock())
        due = []
        for invoice in self.invoices.with_taxes_due():
            for kind in TaxKind:
                amount = invoice.tax_due(kind.value)
                if amount:
                    due_on = self.rules.on(invoice.sp2d.on).deposit_due_on(invoice.sp2d.on)
                    due.append(TaxDue(invoice, kind, amount, invoice.sp2d.on.strftime("%Y-%m"), due_on, today > due_on))
        return sorted(due, key=lambda d: (d.due_on, d.invoice.id, d.kind.value))

    def deposit(self, actor: User, kind: TaxKind, invoice_ids: list[str], billing_code: str, ntpn: str,
                deposited_on: date, key: str | None = None, raw_body: bytes = b"") -> tuple[TaxDeposit, bool]:
        """Record a deposit; with an Idempotency-Key the same request again returns the first (replayed=True)."""
        scope, digest = f"tax-deposit:{actor.id}", request_hash(raw_body)
        if key and (replay := self._replay(scope, key, digest)):
            return replay, True
        today = today_wib(self.clock())
        ntpn = (ntpn or "").strip().upper()
        problems = deposit_problems(billing_code, ntpn, deposited_on, today)
        if not invoice_ids or len(invoice_ids) > MAX_INVOICES_PER_DEPOSIT:
            problems.append(FieldError("invoice_ids", "invalid_count",
                                       f"Pilih 1–{MAX_INVOICES_PER_DEPOSIT} tagihan untuk satu setoran."))
        invoices = []
        for n, invoice_id in enumerate(dict.fromkeys(invoice_ids)):
            invoice = self.invoices.get(invoice_id) if looks_like_id(invoice_id) else None
            if invoice is None or not invoice.tax_due(kind.value):
                problems.append(FieldError(f"invoice_ids.{n}", "nothing_to_deposit",
                                           f"Tagihan ini tidak memiliki {kind.label} yang belum disetor."))
            else:
                invoices.append(invoice)
        masas = {i.sp2d.on.strftime("%Y-%m") for i in invoices}
        if len(masas) > 1:
            problems.append(FieldError("invoice_ids", "several_months",
                                       "Satu setoran untuk satu masa pajak. Pisahkan setoran per bulan SP2D."))
        if invoices and deposited_on < max(i.sp2d.on for i in invoices):
            problems.append(FieldError("deposited_on", "before_payment", "Tanggal setor tidak boleh sebelum SP2D."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        deposit = TaxDeposit(new_id(), kind, masas.pop(), tuple((i.id, i.tax_due(kind.value)) for i in invoices),
                             billing_code, ntpn, deposited_on, actor.id, now)
        record = {"deposit_id": deposit.id, "ntpn": ntpn, "deposited_on": deposited_on.isoformat()}
        settled = [(i.with_deposit(kind.value, {**record, "amount": i.tax_due(kind.value)}, now), i.version)
                   for i in invoices]
        entry = deposit_entry(new_id(), booked_on(deposited_on), ACCOUNTS[kind], [(i.tax_due(kind.value), i.dimensions) for i in invoices],
                              f"Setoran {kind.label} masa {deposit.masa} (NTPN {ntpn})", deposit.source)
        audit = AuditEvent("TAX_DEPOSIT", deposit.id, new_id(), "tax.deposited", actor.id, now,
                           {"jumlah": {"before": None, "after": deposit.amount}},
                           reason=f"{kind.label} {rupiah(deposit.amount)}, NTPN {ntpn}")
        record = self.idempotency.element(scope, key, digest, {"deposit_id": deposit.id}, now) if key else None
        try:
            self.deposits.record(deposit, settled, entry, audit, record)
        except ConditionFailed as failure:
            if key and failure.refused_by("idempotency") and (replay := self._replay(scope, key, digest)):
                return replay, True
            if failure.refused_by("ntpn"):
                raise validation_failed([FieldError("ntpn", "ntpn_taken", "NTPN ini sudah tercatat untuk setoran "
                                                                          "lain.")]) from None
            raise stale_version() from None
        return deposit, False

    def _replay(self, scope: str, key: str, digest: str) -> TaxDeposit | None:
        result = self.idempotency.replay(scope, key, digest, _KEY_REUSED)
        return self.deposits.get(result["deposit_id"]) if result else None

    def deposits_between(self, first: date, last: date) -> list[TaxDeposit]:
        if first > last:
            raise validation_failed([FieldError("from", "invalid_period", "Tanggal awal harus sebelum tanggal akhir.")])
        return self.deposits.between(first, last)
