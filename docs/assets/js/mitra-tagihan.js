// The partner's invoices (mitra/tagihan/): bill completed orders, follow each invoice, answer a return.

import { api, el, nestedValues, register, showDate, showTime, toLogin } from "./seklik.js";
import {
  checkBox, download, encode, loadFailed, partnerUser, problem, rupiah, statusLine, summaryBox, wire,
} from "./bersama.js";
import { allOrders, everyPage } from "./daftar.js";
import { header, headerFields, historyBox, papersRow, taxesList, uploadAll } from "./tagihan-isian.js";

export function partnerInvoice(invoice, pkp, refresh) {
  const item = el("li", { class: "seklik-checklist__item", "data-invoice": invoice.id },
    el("h3", { text: `Tagihan ${invoice.partner_invoice_number}` }),
    el("p", {}, el("strong", { text: invoice.status_label }), ` — diajukan ${showTime(invoice.submitted_at)}`),
    el("p", { class: "seklik-hint", text: `Pesanan: ${invoice.orders.map((o) => o.number).join(", ")}` }),
    taxesList(invoice.payment || invoice.approval || invoice.taxes));
  if (invoice.sp2d) item.append(el("p", { text: `SP2D ${invoice.sp2d.number} tanggal ${showDate(invoice.sp2d.date)}.` }));
  item.append(papersRow(invoice, [["kuitansi", "Unduh kuitansi untuk ditandatangani"], ["bast", "Unduh BAST"]]), historyBox(invoice));
  if (invoice.status_reason) item.append(el("p", { text: `Alasan: ${invoice.status_reason}` }));
  if (invoice.withholding_slip) {
    const note = statusLine();
    const button = el("button", { type: "button", class: "md-button", text: `Unduh bukti potong PPh 23 ${invoice.withholding_slip.number}` });
    button.addEventListener("click", () => download(`/invoices/${encode(invoice.id)}/files/bukti_potong`, note));
    item.append(button, note);
  }
  if (invoice.status === "RETURNED") {
    item.append(el("p", { text: "Yang harus diperbaiki:" }),
      el("ul", {}, ...Object.entries(invoice.return_reasons).map(([what, why]) => el("li", { text: `${what}: ${why}` }))));
    const form = el("form", { class: "seklik-form seklik-upload", novalidate: true });
    const progress = el("progress", { max: "100", value: "0", hidden: true, "aria-label": "Kemajuan unggah lampiran" });
    form.append(summaryBox(), ...headerFields(`r-${invoice.id}`, pkp, invoice),
      el("button", { type: "submit", class: "md-button md-button--primary", text: "Ajukan kembali" }), progress, statusLine());
    wire(form, async (_, status) => {
      const values = nestedValues(form);
      const attachments = await uploadAll(form, "/invoices/uploads", (code) => ({ code }), status);
      status.textContent = "Mengirim perbaikan …";
      await api("POST", `/invoices/${encode(invoice.id)}/resubmit`, { ...header(values), attachments, version: invoice.version });
      await refresh(`Tagihan ${values.partner_invoice_number} diajukan kembali.`);
    });
    item.append(form);
  }
  return item;
}

async function partnerInvoices(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await partnerUser(status);
  if (!user) return;
  const form = panel.querySelector("[data-role=new-invoice]");
  const list = panel.querySelector("[data-field=invoices]");
  let pkp = false;

  async function refresh(message) {
    let invoices, orders, company;
    try {
      [{ invoices }, { orders }, { company }] = await Promise.all([
        everyPage("/invoices", "invoices").then((invoices) => ({ invoices })),
        allOrders({ status: "COMPLETED" }).then((orders) => ({ orders })),
        api("GET", `/media/${encode(user.company_id)}`)]);
    } catch (error) {
      return loadFailed(error, status);
    }
    pkp = Boolean(company.profile.pkp);
    const billed = new Set(invoices.filter((i) => i.status !== "CANCELLED").flatMap((i) => i.orders.map((o) => o.id)));
    const open = orders.filter((o) => o.status === "COMPLETED" && !billed.has(o.id));
    const choices = form.querySelector("[data-field=orders]");
    choices.replaceChildren(...open.map((o, n) => checkBox(`i-order-${n}`, `${o.number} — ${o.product_name}, ${rupiah(o.total)}`,
      el("input", { type: "checkbox", name: "order_ids", value: o.id }))));
    form.querySelector("[data-field=header]").replaceChildren(...headerFields("i", pkp));
    form.hidden = open.length === 0;
    list.replaceChildren(...invoices.map((i) => partnerInvoice(i, pkp, refresh)));
    status.textContent = message || (open.length
      ? `${open.length} pesanan selesai siap ditagihkan.` : invoices.length ? "Semua pesanan selesai sudah ditagihkan." : "Belum ada pesanan yang selesai untuk ditagihkan.");
  }

  const preview = form.querySelector("[data-role=kuitansi-preview]");
  preview.addEventListener("click", async () => {
    const note = form.querySelector("[data-role=preview-status]");
    const orderIds = new FormData(form).getAll("order_ids");
    if (!orderIds.length) {
      note.textContent = "Centang dahulu pesanan yang ditagihkan.";
      return;
    }
    note.textContent = "Menyiapkan kuitansi …";
    try {
      const link = await api("POST", "/invoices/kuitansi", { order_ids: orderIds });
      note.textContent = "Unduhan dimulai. Tanda tangani (dan bubuhkan meterai bila perlu), lalu unggah di bawah.";
      location.assign(link.url);
    } catch (error) {
      if (error.status === 401) return toLogin();
      note.textContent = error.message;
    }
  });

  wire(form, async (_, status) => {
    const orderIds = new FormData(form).getAll("order_ids");
    if (!orderIds.length) throw problem("Pilih pesanan yang ditagihkan.", "order_ids", "Centang paling sedikit satu pesanan.");
    const values = nestedValues(form);
    const attachments = await uploadAll(form, "/invoices/uploads", (code) => ({ code }), status);
    status.textContent = "Mengirim tagihan …";
    await api("POST", "/invoices", { ...header(values), order_ids: orderIds, attachments },
      { "Idempotency-Key": `tagihan-${crypto.randomUUID()}` });
    form.reset();
    await refresh("Tagihan terkirim dan menunggu pemeriksaan staf keuangan.");
  }, () => ({ order_ids: "order_ids", "order_ids.0": "order_ids" }));
  await refresh();
}

register("partner-invoices", partnerInvoices);
