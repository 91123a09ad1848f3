// What the invoice pages share: the attachments asked for, the invoice's header fields, uploads, its papers and history.

import { api, ApiError, el, showTime, uploadToStorage } from "./seklik.js";
import { checkBox, download, encode, fieldBox, row, rupiah, statusLine, todayWib } from "./bersama.js";

const ATTACHMENTS = [
  ["surat_tagihan", "Surat tagihan (kop perusahaan, bertanda tangan dan cap)", "always"],
  ["kuitansi", "Kuitansi bertanda tangan", "always"],
  ["faktur_pajak", "Faktur pajak (e-Faktur)", "pkp"],
];

export function taxesList(taxes) {
  if (!taxes) return el("p", { text: "" });
  return el("dl", { class: "seklik-account" },
    ...row("Bruto (nilai pesanan)", rupiah(taxes.gross)),
    ...row("PPN", `${rupiah(taxes.ppn)}${taxes.ppn_collected ? " (dipungut bendahara)" : " (disetor sendiri oleh mitra)"}`),
    ...row("PPh 23 dipotong", rupiah(taxes.pph23)),
    ...row("Dibayarkan ke rekening", el("strong", { text: rupiah(taxes.net) })));
}

// Upload each chosen file of a form as an attachment of `kind`; returns {code: upload_id}.
export async function uploadAll(form, grantPath, extra, status) {
  const progress = form.querySelector("progress");
  const uploads = {};
  for (const input of form.querySelectorAll("input[type=file]")) {
    const file = input.files[0];
    if (!file) continue;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = `Mengunggah ${file.name} …`;
    try {
      const grant = await api("POST", grantPath,
        { ...extra(input.dataset.code), filename: file.name, content_type: file.type || "application/octet-stream", size: file.size });
      await uploadToStorage(grant, file, progress);
      uploads[input.dataset.code] = grant.upload_id;
    } catch (error) {
      if (error instanceof ApiError) error.details = error.details.map((d) => ({ ...d, field: input.name }));
      throw error;
    }
  }
  return uploads;
}

export function headerFields(prefix, pkp, invoice) {
  const number = el("input", { name: "partner_invoice_number", type: "text", maxlength: "60", required: true, autocomplete: "off" });
  const date = el("input", { name: "partner_invoice_date", type: "date", required: true, value: todayWib() });
  const meterai = el("input", { name: "kuitansi_meterai", type: "checkbox", "data-type": "boolean" });
  const parts = [
    fieldBox(`${prefix}-number`, "Nomor tagihan Anda", number),
    fieldBox(`${prefix}-date`, "Tanggal tagihan", date),
  ];
  if (pkp) {
    parts.push(
      fieldBox(`${prefix}-nsfp`, "Nomor seri faktur pajak (NSFP)", el("input", { name: "faktur.number", type: "text", inputmode: "numeric", maxlength: "17", autocomplete: "off" }), "17 angka."),
      fieldBox(`${prefix}-dpp`, "DPP / harga jual pada faktur (rupiah)", el("input", { name: "faktur.tax_base", type: "text", inputmode: "numeric", "data-type": "rupiah", autocomplete: "off" })),
      fieldBox(`${prefix}-vat`, "PPN pada faktur (rupiah)", el("input", { name: "faktur.vat", type: "text", inputmode: "numeric", "data-type": "rupiah", autocomplete: "off" })));
  }
  parts.push(checkBox(`${prefix}-meterai`, "Kuitansi sudah bermeterai (wajib bila nilainya di atas Rp5.000.000)", meterai));
  for (const [code, label, when] of ATTACHMENTS) {
    if (when === "pkp" && !pkp) continue;
    const hint = invoice?.attachments[code] ? `Sudah ada: ${invoice.attachments[code].filename}. Pilih file hanya untuk menggantinya.` : "PDF, JPEG, atau PNG, paling besar 10 MB.";
    parts.push(fieldBox(`${prefix}-${code}`, label, el("input", { name: `attachments.${code}`, type: "file", "data-code": code, accept: "application/pdf,image/png,image/jpeg" }), hint));
  }
  if (invoice) {
    number.value = invoice.partner_invoice_number;
    date.value = invoice.partner_invoice_date;
    meterai.checked = invoice.kuitansi_meterai;
  }
  return parts;
}

export function header(values) {
  const body = { partner_invoice_number: values.partner_invoice_number || "", partner_invoice_date: values.partner_invoice_date || "",
    kuitansi_meterai: Boolean(values.kuitansi_meterai) };
  if (values.faktur) body.faktur = values.faktur;
  return body;
}

export function papersRow(invoice, papers) {
  const note = statusLine();
  const buttons = papers.map(([kind, label]) => {
    const button = el("button", { type: "button", class: "md-button", text: label });
    const path = kind === "evidence" ? `/invoices/${encode(invoice.id)}/evidence` : `/invoices/${encode(invoice.id)}/papers/${kind}`;
    button.addEventListener("click", () => download(path, note));
    return button;
  });
  return el("div", {}, el("p", { class: "seklik-actions" }, ...buttons), note);
}

// The invoice's history, read when the reader opens it.
export function historyBox(invoice) {
  const list = el("ol", {});
  const box = el("details", {}, el("summary", { text: "Riwayat tagihan" }), list);
  box.addEventListener("toggle", async () => {
    if (!box.open || list.childElementCount) return;
    try {
      const { history } = await api("GET", `/invoices/${encode(invoice.id)}`);
      list.replaceChildren(...history.map((h) => el("li", { text: `${showTime(h.at)} — ${STEP_NAMES[h.action] || h.action} oleh ${h.by}${h.reason ? `: ${h.reason}` : ""}` })));
    } catch (error) {
      list.replaceChildren(el("li", { text: error.message }));
    }
  });
  return box;
}

const STEP_NAMES = {
  "invoice.submitted": "diajukan", "invoice.returned": "dikembalikan", "invoice.resubmitted": "diajukan kembali",
  "invoice.approved": "disetujui", "invoice.cancelled": "dibatalkan", "invoice.spp_recorded": "SPP dicatat",
  "invoice.spm_recorded": "SPM dicatat", "invoice.paid": "SP2D dicatat", "invoice.sp2d_returned": "SP2D dikembalikan bank",
  "invoice.withholding_slip": "bukti potong dicatat",
};
