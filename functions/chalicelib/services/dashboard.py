"""What needs the signed-in person's attention, with counts: the first thing their account page shows.

A partner sees its own work (orders to answer, proofs it can send or must send
again, invoices returned, documents and its verification running out); staff
see the queues of their roles. Office-wide counts come from the indexes
(Select=COUNT, nothing read but the count: companies, orders, invoices and mail
by status, invoices with taxes due); proofs to review are counted in the
accepted orders (work in progress, which completion takes out); a partner's
counts from its own items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..adapters.companies import CompanyStore
from ..adapters.invoices import InvoiceStore
from ..adapters.orders import OrderStore
from ..adapters.outbox import OutboxStore
from ..domain.accounts import Role, User
from ..domain.clock import Clock, tanggal, today_wib, utc_now
from ..domain.invoices import InvoiceStatus
from ..domain.orders import OrderStatus, SlotStatus
from ..domain.outbox import MailStatus
from ..domain.press_company import CompanyStatus
from .access import Access, is_partner

EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class Task:
    key: str  # stable, for programs and tests
    label: str  # what it is, in Indonesian, after the count
    count: int
    path: str  # the page of the site where it is done
    note: str | None = None


class DashboardService:
    def __init__(self, companies: CompanyStore, orders: OrderStore, invoices: InvoiceStore, outbox: OutboxStore,
                 access: Access, clock: Clock = utc_now):
        self.companies = companies
        self.orders = orders
        self.invoices = invoices
        self.outbox = outbox
        self.access = access
        self.clock = clock

    def tasks(self, actor: User) -> list[Task]:
        if is_partner(actor):
            return self._partner(actor)
        roles = set(actor.roles)
        tasks: list[Task] = []
        if Role.VERIFIER in roles:
            tasks.append(Task("verifications", "perusahaan menunggu verifikasi",
                              self.companies.count_by_status(CompanyStatus.SUBMITTED), "konsol/verifikasi/"))
            waiting = sum(1 for order in self.orders.by_status(OrderStatus.ACCEPTED)
                          for slot in order.slots if slot.status == SlotStatus.SUBMITTED)
            tasks.append(Task("proofs_to_review", "bukti tayang menunggu pemeriksaan", waiting, "konsol/bukti/"))
        if Role.ORDERS in roles:
            tasks.append(Task("orders_unanswered", "pesanan belum dijawab mitra",
                              self.orders.count_by_status(OrderStatus.ISSUED), "konsol/pesanan/"))
        if Role.FINANCE in roles:
            tasks.append(Task("invoices_to_verify", "tagihan menunggu verifikasi",
                              self.invoices.count_by_status(InvoiceStatus.SUBMITTED), "konsol/tagihan/"))
            tasks.append(Task("invoices_to_file", "tagihan disetujui menunggu SPP",
                              self.invoices.count_by_status(InvoiceStatus.APPROVED), "konsol/tagihan/"))
            tasks.append(Task("taxes_to_deposit", "tagihan dibayar dengan pajak menunggu disetor",
                              self.invoices.count_with_taxes_due(), "konsol/pajak/"))
        if roles & {Role.ADMIN, Role.EDITOR}:
            failed = self.outbox.count_by_status(MailStatus.FAILED) + self.outbox.count_by_status(MailStatus.BOUNCED)
            tasks.append(Task("mail_failed", "surel gagal terkirim", failed, "konsol/surel/"))
        return tasks

    def _partner(self, actor: User) -> list[Task]:
        today = today_wib(self.clock())
        soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
        company = self.access.company_for(actor, actor.company_id)
        orders = self.orders.of_company(company.id)
        accepted = [o for o in orders if o.status == OrderStatus.ACCEPTED]
        due = sum(1 for o in accepted for s in o.slots if s.status == SlotStatus.PENDING and s.starts_on <= today)
        returned = sum(1 for o in accepted for s in o.slots if s.status == SlotStatus.REJECTED)
        current, _ = self.companies.documents(company.id)
        expiring = [d for d in current.values() if d.expires_on and d.expires_on <= soon]
        tasks = [
            Task("orders_to_answer", "pesanan menunggu jawaban Anda",
                 sum(1 for o in orders if o.status == OrderStatus.ISSUED), "mitra/pesanan/"),
            Task("proofs_due", "bukti tayang sudah dapat dikirim", due, "mitra/pesanan/"),
            Task("proofs_returned", "bukti tayang dikembalikan untuk dikirim ulang", returned, "mitra/pesanan/"),
            Task("invoices_returned", "tagihan dikembalikan untuk diperbaiki",
                 sum(1 for i in self.invoices.of_company(company.id) if i.status == InvoiceStatus.RETURNED),
                 "mitra/tagihan/"),
            Task("documents_expiring", f"dokumen berakhir masa berlakunya dalam {EXPIRY_WARNING_DAYS} hari",
                 len(expiring), "mitra/portal/",
                 ", ".join(f"{d.doc_type} ({tanggal(d.expires_on)})" for d in sorted(
                     expiring, key=lambda d: d.expires_on)) or None),
        ]
        if company.status == CompanyStatus.REVISION_REQUESTED:
            tasks.insert(0, Task("profile_to_revise", "permintaan perbaikan data perusahaan", 1, "mitra/portal/"))
        if company.status == CompanyStatus.VERIFIED and company.verified_until and company.verified_until <= soon:
            tasks.append(Task("verification_expiring", "masa verifikasi akan berakhir", 1, "mitra/portal/",
                              f"Berlaku sampai {tanggal(company.verified_until)}."))
        return tasks
