"""The evidence pack of one invoice, as auditors ask for it: one ZIP with every paper behind the payment.

The order letters, the proofs of publication of every slot, the invoice's
attachments (surat tagihan, kuitansi, faktur), the kuitansi, BAST and SPP-LS
sheet Seklik prints, the SPP, SPM and SP2D PDFs, the bukti potong, and the
audit trail of the invoice and its orders as CSV. Kept under ``exports/`` and
handed out through a short link, like every other file.
"""

from __future__ import annotations

import csv
import io
import zipfile

from ..adapters.documents import DocumentStore
from ..adapters.table import Table
from ..domain.accounts import User
from ..domain.clock import new_id
from .exports import as_text
from .invoices import InvoiceService
from .orders import OrderService

LINK_SECONDS = 300


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text).strip("-") or "berkas"


class EvidenceService:
    def __init__(self, invoices: InvoiceService, orders: OrderService, table: Table, files: DocumentStore):
        self.invoices = invoices
        self.orders = orders
        self.table = table
        self.files = files

    def pack_link(self, actor: User, invoice_id: str) -> str:
        from ..adapters.invoice_documents import RENDERERS  # the PDF library, only when a pack is made

        invoice = self.invoices.get(actor, invoice_id)  # who may read the invoice may read its pack
        out = io.BytesIO()
        trail = [("tagihan", invoice.partner_invoice_number, e) for e in self.table.audit_trail("INVOICE", invoice.id, limit=None)]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
            for code, record in sorted(invoice.attachments.items()):
                pack.writestr(f"lampiran/{code}-{_safe(record['filename'])}", self.files.read(record["key"]))
            papers = self.invoices.papers(invoice)
            for kind, render in RENDERERS.items():
                pack.writestr(f"dokumen/{kind}.pdf", render(papers))
            for name, step in (("spp", invoice.spp), ("spm", invoice.spm), ("sp2d", invoice.sp2d)):
                if step and step.document:
                    pack.writestr(f"pembayaran/{name}-{_safe(step.number)}.pdf", self.files.read(step.document["key"]))
            if invoice.withholding_slip:
                pack.writestr(f"pembayaran/bukti-potong-{_safe(invoice.withholding_slip['number'])}.pdf",
                              self.files.read(invoice.withholding_slip["document"]["key"]))
            for billed in invoice.orders:
                order = self.orders.order(billed.order_id)
                folder = f"pesanan/{_safe(order.number)}"
                pack.writestr(f"{folder}/surat-pesanan.pdf", self.files.read(self.orders.letter_key(order)))
                for n, slot in enumerate(order.slots):
                    if slot.proof is None:
                        continue
                    lines = [f"Tayang: {slot.starts_on.isoformat()}–{slot.ends_on.isoformat()}",
                             f"Status: {slot.status.label}", *[f"Tautan: {url}" for url in slot.proof.urls]]
                    pack.writestr(f"{folder}/bukti-{n + 1}.txt", "\n".join(lines) + "\n")
                    for k, file in enumerate(slot.proof.files):
                        pack.writestr(f"{folder}/bukti-{n + 1}-{k + 1}-{_safe(file['filename'])}",
                                      self.files.read(file["key"]))
                trail += [("pesanan", order.number, e) for e in self.table.audit_trail("ORDER", order.id, limit=None)]
            pack.writestr("jejak-audit.csv", _trail_csv(trail))
        key = f"exports/{new_id()}/bukti-tagihan-{_safe(invoice.partner_invoice_number)}.zip"
        self.files.put(key, out.getvalue(), "application/zip")
        return self.files.presigned_get(key, key.rsplit("/", 1)[1], "application/zip", LINK_SECONDS)


def _trail_csv(trail) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Jenis", "Nomor", "Waktu (UTC)", "Tindakan", "Oleh", "Perubahan", "Alasan"])
    for kind, number, event in sorted(trail, key=lambda row: row[2].at):
        changes = ", ".join(f"{k}: {v.get('before')} → {v.get('after')}" for k, v in event.changes.items())
        writer.writerow([as_text(v) for v in (kind, number, event.at.isoformat(), event.action, event.actor_id, changes,
                                                 event.reason or "")])
    return "\ufeff" + out.getvalue()
