// Finance's invoice console (konsol/tagihan/): verify, return, approve, and the SPP, SPM and SP2D steps.

import { api, el, nestedValues, register, showTime } from "./seklik.js";
import {
  download, encode, fieldBox, loadFailed, problem, rupiah, signedIn, statusLine, summaryBox, todayWib, wire,
} from "./bersama.js";
import { inPages } from "./daftar.js";
import { partnerInvoice } from "./mitra-tagihan.js";
import { historyBox, papersRow, taxesList, uploadAll } from "./tagihan-isian.js";

function stepForm(invoice, step, label, refresh, withAmount) {
  const id = `${step}-${invoice.id}`;
  const form = el("form", { class: "seklik-form seklik-upload", novalidate: true, "data-step": step });
  const progress = el("progress", { max: "100", value: "0", hidden: true, "aria-label": `Kemajuan unggah PDF ${label}` });
  const file = el("input", { name: "upload_id", type: "file", "data-code": step, accept: "application/pdf", required: true });
  form.append(el("h4", { text: `Catat ${label}` }), summaryBox(),
    fieldBox(`${id}-number`, `Nomor ${label}`, el("input", { name: "number", type: "text", maxlength: "80", required: true, autocomplete: "off" })));
  if (step !== "bukti_potong") form.append(fieldBox(`${id}-date`, `Tanggal ${label}`, el("input", { name: "issued_on", type: "date", required: true, value: todayWib() })));
  if (withAmount) {
    form.append(fieldBox(`${id}-amount`, "Nilai ditransfer ke mitra (rupiah)",
      el("input", { name: "amount", type: "text", inputmode: "numeric", "data-type": "rupiah", value: String(invoice.taxes.net) }),
      `Harus sama dengan neto ${rupiah(invoice.taxes.net)}.`));
  }
  form.append(fieldBox(`${id}-file`, `PDF ${label}`, file),
    el("button", { type: "submit", class: "md-button md-button--primary", text: `Simpan ${label}` }), progress, statusLine());
  wire(form, async (_, status) => {
    if (!file.files[0]) throw problem(`Pilih PDF ${label}.`, "upload_id", "Pilih file PDF.");
    const values = nestedValues(form);
    const uploads = await uploadAll(form, `/invoices/${encode(invoice.id)}/documents/uploads`, () => ({ step }), status);
    const path = step === "bukti_potong" ? "withholding-slip" : step;
    await api("POST", `/invoices/${encode(invoice.id)}/${path}`,
      { ...values, upload_id: uploads[step], version: invoice.version });
    await refresh(`${label} tercatat.`);
  });
  return form;
}

function reasonForm(invoice, action, label, field, refresh) {
  const form = el("form", { class: "seklik-form", novalidate: true });
  const id = `${action}-${invoice.id}`;
  form.append(summaryBox(), fieldBox(`${id}-reason`, field, el("textarea", { name: "reason", rows: "2", maxlength: "500", required: true })),
    el("button", { type: "submit", class: "md-button", text: label }), statusLine());
  wire(form, async () => {
    const reason = form.querySelector("[name=reason]").value.trim();
    const body = action === "return" ? { reasons: { tagihan: reason }, version: invoice.version } : { reason, version: invoice.version };
    await api("POST", `/invoices/${encode(invoice.id)}/${action}`, body);
    await refresh(`Tagihan ${invoice.partner_invoice_number}: ${label.toLowerCase()} tersimpan.`);
  }, { "reasons.tagihan": "reason", reasons: "reason" });
  return form;
}

function financeInvoice(invoice, refresh) {
  const item = el("li", { class: "seklik-checklist__item", "data-invoice": invoice.id },
    el("h3", { text: `${invoice.partner_name} — tagihan ${invoice.partner_invoice_number}` }),
    el("p", {}, el("strong", { text: invoice.status_label }), ` — diajukan ${showTime(invoice.submitted_at)}, kode rekening ${invoice.budget_line}`),
    el("p", { class: "seklik-hint", text: `Pesanan: ${invoice.orders.map((o) => `${o.number} (${rupiah(o.total)})`).join(", ")}. Rekening: ${invoice.bank_account.bank} ${invoice.bank_account.number} a.n. ${invoice.bank_account.holder}.` }),
    taxesList(invoice.payment || invoice.taxes));
  const files = el("p", { class: "seklik-actions" });
  const note = statusLine();
  for (const code of [...Object.keys(invoice.attachments), ...["spp", "spm", "sp2d"].filter((s) => invoice[s])]) {
    const button = el("button", { type: "button", class: "md-button", text: `Unduh ${code.replace("_", " ")}` });
    button.addEventListener("click", () => download(`/invoices/${encode(invoice.id)}/files/${code}`, note));
    files.append(button, " ");
  }
  item.append(files, note, papersRow(invoice, [["kuitansi", "Kuitansi (PDF)"], ["bast", "BAST (PDF)"],
    ["spp_sheet", "Ringkasan SPP-LS (PDF)"], ["evidence", "Paket bukti (ZIP)"]]), historyBox(invoice));
  const { status } = invoice;
  if (status === "SUBMITTED") {
    const approve = el("button", { type: "button", class: "md-button md-button--primary", text: "Setujui tagihan" });
    const approveNote = statusLine();
    approve.addEventListener("click", async () => {
      approve.disabled = true;
      approveNote.textContent = "Memproses …";
      try {
        await api("POST", `/invoices/${encode(invoice.id)}/approve`, { version: invoice.version });
        await refresh(`Tagihan ${invoice.partner_invoice_number} disetujui.`);
      } catch (error) {
        approve.disabled = false;
        approveNote.textContent = error.message;
      }
    });
    item.append(approve, approveNote, reasonForm(invoice, "return", "Kembalikan ke mitra", "Yang harus diperbaiki mitra", refresh));
  }
  if (status === "APPROVED") item.append(stepForm(invoice, "spp", "SPP-LS", refresh));
  if (status === "SPP_FILED") item.append(stepForm(invoice, "spm", "SPM", refresh));
  if (status === "SPM_ISSUED") item.append(stepForm(invoice, "sp2d", "SP2D", refresh, true));
  if (status === "PAID" && invoice.payment.pph23 && !invoice.withholding_slip) item.append(stepForm(invoice, "bukti_potong", "bukti potong PPh 23", refresh));
  if (status === "PAID" && !Object.keys(invoice.deposits).length) item.append(reasonForm(invoice, "sp2d/returned", "Catat SP2D dikembalikan bank", "Alasan pengembalian", refresh));
  if (["SUBMITTED", "RETURNED", "APPROVED"].includes(status)) item.append(reasonForm(invoice, "cancel", "Batalkan tagihan", "Alasan pembatalan", refresh));
  return item;
}

function auditorInvoice(invoice, refresh) {
  const item = partnerInvoice(invoice, false, refresh);
  item.append(papersRow(invoice, [["spp_sheet", "Ringkasan SPP-LS (PDF)"], ["evidence", "Paket bukti (ZIP)"]]));
  return item;
}

async function financeInvoices(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, "konsol/tagihan/");
  if (!user) return;
  const filter = panel.querySelector("[name=status]");
  const list = panel.querySelector("[data-field=invoices]");
  const acts = user.roles.includes("finance");
  let note = null;
  const pages = inPages(list, "/invoices", "invoices", (invoices, more) => {
    const items = invoices.map((i) => (acts ? financeInvoice(i, refresh) : auditorInvoice(i, refresh)));
    if (more) list.append(...items);
    else list.replaceChildren(...items);
    status.textContent = note || `${list.children.length}${pages.hasMore() ? " tagihan pertama" : " tagihan"}.`;
    note = null;
  }, "Tampilkan tagihan berikutnya");
  async function refresh(message) {
    note = message || null;
    try {
      await pages.load(filter.value ? { status: filter.value } : {});
    } catch (error) {
      return loadFailed(error, status);
    }
  }
  filter.addEventListener("change", () => refresh());
  await refresh();
}

register("finance-invoices", financeInvoices);
