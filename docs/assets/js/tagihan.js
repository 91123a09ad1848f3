// Penatausahaan on the pages: the partner's invoices (mitra/tagihan/), finance's invoice console with the payment
// steps (konsol/tagihan/), the taxes to deposit (konsol/pajak/) and the reports with their files (konsol/laporan/).

import { api, ApiError, el, nestedValues, register, showDate, showTime, toLogin } from "./seklik.js";
import { uploadToStorage } from "./mitra.js";
import {
  cell, checkBox, download, encode, fieldBox, loadFailed, numHead, partnerUser, problem, rupiah, row, signedIn,
  statusLine, summaryBox, wire,
} from "./pesanan.js";

const ATTACHMENTS = [
  ["surat_tagihan", "Surat tagihan (kop perusahaan, bertanda tangan dan cap)", "always"],
  ["kuitansi", "Kuitansi bertanda tangan", "always"],
  ["faktur_pajak", "Faktur pajak (e-Faktur)", "pkp"],
];
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());

function taxesList(taxes) {
  if (!taxes) return el("p", { text: "" });
  return el("dl", { class: "seklik-account" },
    ...row("Bruto (nilai pesanan)", rupiah(taxes.gross)),
    ...row("PPN", `${rupiah(taxes.ppn)}${taxes.ppn_collected ? " (dipungut bendahara)" : " (disetor sendiri oleh mitra)"}`),
    ...row("PPh 23 dipotong", rupiah(taxes.pph23)),
    ...row("Dibayarkan ke rekening", el("strong", { text: rupiah(taxes.net) })));
}

// Upload each chosen file of a form as an attachment of `kind`; returns {code: upload_id}.
async function uploadAll(form, grantPath, extra, status) {
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

function headerFields(prefix, pkp, invoice) {
  const number = el("input", { name: "partner_invoice_number", type: "text", maxlength: "60", required: true, autocomplete: "off" });
  const date = el("input", { name: "partner_invoice_date", type: "date", required: true, value: today() });
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

function header(values) {
  const body = { partner_invoice_number: values.partner_invoice_number || "", partner_invoice_date: values.partner_invoice_date || "",
    kuitansi_meterai: Boolean(values.kuitansi_meterai) };
  if (values.faktur) body.faktur = values.faktur;
  return body;
}

function papersRow(invoice, papers) {
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
function historyBox(invoice) {
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

function partnerInvoice(invoice, pkp, refresh) {
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
        api("GET", "/invoices"), api("GET", "/orders"), api("GET", `/media/${encode(user.company_id)}`)]);
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

// -- finance ------------------------------------------------------------------------------------------

function stepForm(invoice, step, label, refresh, withAmount) {
  const id = `${step}-${invoice.id}`;
  const form = el("form", { class: "seklik-form seklik-upload", novalidate: true, "data-step": step });
  const progress = el("progress", { max: "100", value: "0", hidden: true, "aria-label": `Kemajuan unggah PDF ${label}` });
  const file = el("input", { name: "upload_id", type: "file", "data-code": step, accept: "application/pdf", required: true });
  form.append(el("h4", { text: `Catat ${label}` }), summaryBox(),
    fieldBox(`${id}-number`, `Nomor ${label}`, el("input", { name: "number", type: "text", maxlength: "80", required: true, autocomplete: "off" })));
  if (step !== "bukti_potong") form.append(fieldBox(`${id}-date`, `Tanggal ${label}`, el("input", { name: "issued_on", type: "date", required: true, value: today() })));
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
  const user = await signedIn(status, ["finance", "auditor", "admin"]);
  if (!user) return;
  const filter = panel.querySelector("[name=status]");
  const list = panel.querySelector("[data-field=invoices]");
  async function refresh(message) {
    let invoices;
    try {
      ({ invoices } = await api("GET", `/invoices${filter.value ? `?status=${encode(filter.value)}` : ""}`));
    } catch (error) {
      return loadFailed(error, status);
    }
    const acts = user.roles.includes("finance");
    list.replaceChildren(...invoices.map((i) => (acts ? financeInvoice(i, refresh) : auditorInvoice(i, refresh))));
    status.textContent = message || `${invoices.length} tagihan.`;
  }
  filter.addEventListener("change", () => refresh());
  await refresh();
}

// -- taxes ----------------------------------------------------------------------------------------------

async function taxesPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, ["finance", "auditor", "admin"]);
  if (!user) return;
  const body = panel.querySelector("[data-field=outstanding]");
  const form = panel.querySelector("[data-role=deposit]");
  async function refresh(message) {
    let outstanding;
    try {
      ({ outstanding } = await api("GET", "/taxes/outstanding"));
    } catch (error) {
      return loadFailed(error, status);
    }
    body.replaceChildren(...outstanding.map((d, n) => el("tr", {},
      el("td", {}, el("input", { type: "checkbox", name: "invoice_ids", value: d.invoice_id, "data-kind": d.kind, "aria-label": `Pilih ${d.kind_label} tagihan ${d.partner_invoice_number}`, id: `t-${n}` })),
      cell(d.kind_label), cell(`${d.partner_name} — ${d.partner_invoice_number}`), cell(d.sp2d_number), cell(d.masa),
      cell(rupiah(d.amount), true), cell(`${showDate(d.due_on)}${d.overdue ? " (lewat jatuh tempo)" : ""}`))));
    panel.querySelector("[data-role=table]").hidden = outstanding.length === 0;
    form.hidden = !user.roles.includes("finance") || outstanding.length === 0;
    const soon = outstanding.filter((d) => d.overdue || (new Date(`${d.due_on}T00:00:00+07:00`) - new Date()) < 7 * 864e5);
    status.textContent = message || (outstanding.length
      ? `${outstanding.length} pajak belum disetor${soon.length ? `; ${soon.length} jatuh tempo dalam seminggu atau sudah lewat` : ""}.`
      : "Semua pajak yang dipungut dan dipotong sudah disetor.");
  }
  wire(form, async () => {
    const chosen = [...panel.querySelectorAll("[name=invoice_ids]:checked")];
    if (!chosen.length) throw problem("Centang pajak yang disetor.", "kind", "Centang paling sedikit satu baris.");
    const kinds = new Set(chosen.map((c) => c.dataset.kind));
    if (kinds.size > 1) throw problem("Satu setoran untuk satu jenis pajak.", "kind", "Pilih PPN saja atau PPh 23 saja.");
    const values = nestedValues(form);
    await api("POST", "/taxes/deposits", { kind: [...kinds][0], invoice_ids: chosen.map((c) => c.value),
      billing_code: values.billing_code || "", ntpn: values.ntpn || "", deposited_on: values.deposited_on || "" });
    form.reset();
    await refresh("Setoran tercatat.");
  }, { invoice_ids: "kind" });
  await refresh();
}

// -- reports ----------------------------------------------------------------------------------------------

async function reportsPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, ["finance", "auditor", "admin"]);
  if (!user) return;
  const form = panel.querySelector("[data-role=period]");
  const year = () => form.querySelector("[name=year]").value;
  const period = () => `from=${encode(form.querySelector("[name=from]").value)}&to=${encode(form.querySelector("[name=to]").value)}`;
  if (!form.querySelector("[name=to]").value) form.querySelector("[name=to]").value = today();
  if (!form.querySelector("[name=from]").value) form.querySelector("[name=from]").value = `${today().slice(0, 4)}-01-01`;
  if (!year()) form.querySelector("[name=year]").value = today().slice(0, 4);

  function bookRows(book) {
    return book.lines.map((line) => el("tr", {}, cell(String(line.number), true), cell(showDate(line.date)), cell(line.description),
      cell(line.budget_line), cell(rupiah(line.increase), true), cell(rupiah(line.decrease), true), cell(rupiah(line.balance), true)));
  }

  async function show() {
    status.textContent = "Memuat laporan …";
    let realisation, cash, ppn, pph, yearEnd;
    try {
      [realisation, cash, ppn, pph, yearEnd] = await Promise.all([
        api("GET", `/reports/realisation/${encode(year())}`), api("GET", `/reports/cash-book?${period()}`),
        api("GET", `/reports/tax-book/PPN?${period()}`), api("GET", `/reports/tax-book/PPH23?${period()}`),
        api("GET", `/reports/year-end/${encode(year())}`)]);
    } catch (error) {
      if (error.status === 401) return toLogin();
      status.textContent = error.message;
      return;
    }
    panel.querySelector("[data-field=realisation]").replaceChildren(...realisation.lines.map((r) => el("tr", {},
      cell(r.code), cell(r.name), cell(rupiah(r.ceiling), true), cell(rupiah(r.committed), true), cell(rupiah(r.payable), true),
      cell(rupiah(r.realised), true), cell(rupiah(r.remaining), true), cell(`${r.percent.toLocaleString("id-ID")} %`, true))));
    panel.querySelector("[data-field=cash]").replaceChildren(...bookRows(cash));
    panel.querySelector("[data-field=cash-summary]").textContent =
      `Saldo awal ${rupiah(cash.opening)}, penerimaan ${rupiah(cash.increases)}, pengeluaran ${rupiah(cash.decreases)}, saldo akhir ${rupiah(cash.closing)}.`;
    panel.querySelector("[data-field=tax-summary]").textContent =
      `PPN: dipungut ${rupiah(ppn.increases)}, disetor ${rupiah(ppn.decreases)}, belum disetor ${rupiah(ppn.closing)}. ` +
      `PPh 23: dipotong ${rupiah(pph.increases)}, disetor ${rupiah(pph.decreases)}, belum disetor ${rupiah(pph.closing)}.`;
    const { totals } = yearEnd;
    panel.querySelector("[data-field=year-end]").textContent =
      `Tahun ${yearEnd.year}: pesanan belum selesai ${yearEnd.open_orders.length} (${rupiah(totals.open_orders)}, komitmennya gugur bila tidak selesai), ` +
      `pesanan selesai belum ditagihkan ${yearEnd.unbilled_orders.length} (${rupiah(totals.unbilled_orders)}), ` +
      `tagihan disetujui belum dibayar ${yearEnd.unpaid_invoices.length} (${rupiah(totals.unpaid_invoices)}).`;
    panel.querySelector("[data-field=year-end-list]").replaceChildren(
      ...yearEnd.open_orders.map((o) => el("li", { text: `${o.number} — ${o.partner_name}: ${o.status_label}, ${rupiah(o.total)}` })),
      ...yearEnd.unbilled_orders.map((o) => el("li", { text: `${o.number} — ${o.partner_name}: selesai, belum ditagihkan, ${rupiah(o.total)}` })),
      ...yearEnd.unpaid_invoices.map((i) => el("li", { text: `Tagihan ${i.partner_invoice_number} — ${i.partner_name}: ${i.status_label}, ${rupiah(i.gross)}` })));
    for (const part of panel.querySelectorAll("[data-role=report]")) part.hidden = false;
    status.textContent = `Laporan ${showDate(form.querySelector("[name=from]").value)} s.d. ${showDate(form.querySelector("[name=to]").value)}; realisasi tahun ${year()}.`;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  for (const button of panel.querySelectorAll("[data-export]")) {
    const note = panel.querySelector("[data-role=export-status]");
    button.addEventListener("click", () => download(`/exports/${button.dataset.export}?format=${button.dataset.format}&year=${encode(year())}&${period()}`, note));
  }
  await show();
}

register("partner-invoices", partnerInvoices);
register("finance-invoices", financeInvoices);
register("taxes", taxesPage);
register("reports", reportsPage);
