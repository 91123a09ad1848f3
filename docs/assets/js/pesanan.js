// The order cycle: product catalogue and SSH, budgets, rate negotiation and
// agreements (PKS), media orders with their letters and proofs of publication,
// and the books — console pages for staff (konsol/) and partner pages (mitra/).

import { api, ApiError, clearErrors, el, nestedValues, register, rupiahValue, showDate, showErrors, showTime, siteUrl, toLogin } from "./seklik.js";
import { uploadToStorage } from "./mitra.js";

const ROLE_NAMES = {
  media: "mitra media",
  verifier: "verifikator",
  orders: "staf media order",
  finance: "staf keuangan",
  admin: "administrator",
  auditor: "pemeriksa",
};
const STAFF = ["orders", "verifier", "finance", "admin"];
const MEDIA_TYPES = { siber: "Siber", cetak: "Cetak", televisi: "Televisi", radio: "Radio" };
const STEPS = { proposed: "mengajukan tarif", countered: "menawar balik", accepted: "menyetujui" };

export function rupiah(amount) {
  return `Rp${Number(amount).toLocaleString("id-ID")}`;
}

function thisYear() {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Jakarta", year: "numeric" }).format(new Date()));
}

// The fiscal year in the address (?year=2027), else this year in WIB.
function yearParam() {
  const raw = new URLSearchParams(location.search).get("year") || "";
  return /^\d{4}$/.test(raw) ? Number(raw) : thisYear();
}

function listText(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} atau ${items.at(-1)}` : items[0];
}

function may(user, ...roles) {
  return roles.some((role) => user.roles.includes(role));
}

// The signed-in user if the page is for one of `roles`; otherwise say why not (or go to login) and return null.
async function signedIn(status, roles) {
  let me;
  try {
    me = await api("GET", "/auth/me");
  } catch (error) {
    if (error.status === 401) toLogin();
    else status.textContent = error.message;
    return null;
  }
  if (roles && !may(me.user, ...roles)) {
    status.textContent = `Halaman ini untuk ${listText(roles.map((r) => ROLE_NAMES[r]))}. Masuk dengan akun yang sesuai.`;
    return null;
  }
  return me.user;
}

function loadFailed(error, status) {
  if (error.status === 401) return toLogin();
  status.textContent = error.status === 403 ? "Akun Anda tidak berhak membuka data ini." : error.message;
}

const encode = encodeURIComponent;

// -- forms ----------------------------------------------------------------------------

function problem(message, field, detail) {
  return new ApiError(422, {
    error: { code: "VALIDATION_FAILED", message, details: field ? [{ field, message: detail || message }] : [] },
  });
}

// The API names fields by path (slots.dates.0, urls.1, lines.<code>); point each
// detail at the closest input this form has, so the message sits beside it.
function fitted(form, error, given = {}) {
  const aliases = typeof given === "function" ? given() : given;
  const found = error instanceof ApiError ? error : new ApiError(0, null);
  const exists = (name) => form.querySelector(`[name="${CSS.escape(name)}"]`);
  found.details = found.details.map((detail) => {
    let name = detail.field;
    while (name && !exists(name)) {
      if (aliases[name] && exists(aliases[name])) {
        name = aliases[name];
        break;
      }
      name = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "";
    }
    return name ? { ...detail, field: name } : detail;
  });
  return found;
}

// Like wireForm, for forms with several submit buttons: `submit(action, status)` gets the
// pressed button's value; `aliases` (or a function giving them) name where API fields go.
function wire(form, submit, aliases) {
  const status = form.querySelector(".seklik-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const buttons = [...form.querySelectorAll("button[type=submit]")];
    for (const button of buttons) button.disabled = true;
    status.textContent = "Memproses …";
    try {
      await submit(event.submitter?.value || "", status);
    } catch (error) {
      status.textContent = "";
      showErrors(form, fitted(form, error, aliases));
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  });
}

function fieldBox(id, label, control, hint) {
  control.id = id;
  const parts = [el("label", { for: id, text: label })];
  if (hint) {
    parts.push(el("p", { class: "seklik-hint", id: `${id}-hint`, text: hint }));
    control.setAttribute("aria-describedby", `${id}-hint`);
  }
  parts.push(control, el("p", { class: "seklik-field-error", id: `${id}-error`, hidden: true }));
  return el("div", { class: "seklik-field" }, ...parts);
}

function checkBox(id, label, control) {
  control.id = id;
  return el("div", { class: "seklik-field seklik-field--check" }, control, el("label", { for: id, text: label }),
    el("p", { class: "seklik-field-error", id: `${id}-error`, hidden: true }));
}

const summaryBox = () => el("div", { class: "seklik-error-summary", role: "alert", tabindex: "-1", hidden: true });
const statusLine = () => el("p", { class: "seklik-status", role: "status", "aria-live": "polite" });
const cell = (text, numeric) => el("td", { class: numeric ? "seklik-num" : null, text });
const numHead = (text) => el("th", { scope: "col", class: "seklik-num", text });
const row = (label, value) => [el("dt", { text: label }), el("dd", {}, value)];

function options(select, items, keep = true) {
  const before = select.value;
  select.replaceChildren(...items.map(([value, text]) => el("option", { value, text })));
  if (keep && items.some(([value]) => value === before)) select.value = before;
}

// A short-lived download link (the letter, a proof file): the browser downloads it and stays here.
async function download(path, note) {
  note.textContent = "Menyiapkan unduhan …";
  try {
    const link = await api("GET", path);
    note.textContent = "Unduhan dimulai.";
    location.assign(link.url);
  } catch (error) {
    if (error.status === 401) return toLogin();
    note.textContent = error.message;
  }
}

function slotWhen(slot) {
  return slot.starts_on === slot.ends_on
    ? showDate(slot.starts_on)
    : `antara ${showDate(slot.starts_on)} dan ${showDate(slot.ends_on)}`;
}

function materialView(material) {
  if (material.url) return el("a", { href: material.url, text: material.title });
  return document.createTextNode(material.title);
}

// Verified partners with their ids (staff only). Null when the list cannot be read: the id is then typed.
async function verifiedPartners() {
  try {
    return (await api("GET", "/partners")).partners;
  } catch (_) {
    return null;
  }
}

// A list to choose a partner from, filling the company-id box it stands beside.
function offerPartners(box, input, partners) {
  const select = box.querySelector("select");
  if (!partners || !partners.length) return;
  options(select, [["", "— Pilih mitra —"], ...partners.map((p) => [p.id, `${p.media_name} (${p.legal_name})`])], false);
  const sync = () => {
    const typed = input.value.trim();
    select.value = partners.some((p) => p.id === typed) ? typed : "";
  };
  sync();
  box.hidden = false;
  select.addEventListener("change", () => {
    if (!select.value) return;
    input.value = select.value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  input.addEventListener("input", sync);
}

function partnerName(partners, companyId) {
  return partners?.find((p) => p.id === companyId)?.media_name || companyId;
}

function renderThread(list, thread, productName) {
  list.replaceChildren(...thread.map((step) => el("li", {},
    el("p", {}, el("strong", { text: step.side === "mitra" ? "Mitra" : "Staf" }),
      ` ${STEPS[step.action] || step.action}, ${showTime(step.at)}`),
    el("ul", {}, ...Object.entries(step.lines).map(([code, price]) => el("li", { text: `${productName(code)}: ${rupiah(price)}` }))),
    step.message ? el("blockquote", { text: step.message }) : null)));
}

// ================================================================================
// Staff console
// ================================================================================

// -- catalogue (admin) ------------------------------------------------------------------

async function catalogPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, STAFF);
  if (!user) return;
  const admin = may(user, "admin");
  const sshForm = part("ssh-form");
  const productForm = part("product-form");
  let products = [];

  async function reload(message) {
    try {
      ({ products } = await api("GET", "/catalog/products"));
    } catch (error) {
      return loadFailed(error, status);
    }
    const years = [...new Set(products.flatMap((p) => Object.keys(p.ssh)))].sort();
    const table = el("table", { class: "seklik-table" },
      el("caption", { class: "md-visually-hidden", text: "Produk dan SSH per tahun anggaran" }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: "Produk" }), el("th", { scope: "col", text: "Satuan" }),
        el("th", { scope: "col", text: "Jenis media" }), ...years.map((y) => numHead(`SSH ${y}`)))),
      el("tbody", {}, ...products.map((p) => el("tr", { "data-product": p.code },
        el("th", { scope: "row" }, p.name, el("br"), el("small", { text: p.code })),
        cell(p.unit), cell(p.media_types.map((m) => MEDIA_TYPES[m] || m).join(", ")),
        ...years.map((y) => cell(p.ssh[y] ? rupiah(p.ssh[y]) : "—", true))))));
    panel.querySelector("[data-field=products]").replaceChildren(table);
    part("products").hidden = false;
    options(sshForm.querySelector("[name=code]"), products.map((p) => [p.code, `${p.name} (${p.unit})`]));
    part("ssh").hidden = !admin || products.length === 0;
    part("add").hidden = !admin;
    status.textContent = message || (products.length ? `${products.length} produk.` : "Katalog masih kosong.");
  }

  const year = sshForm.querySelector("[name=year]");
  year.value = String(thisYear());
  wire(sshForm, async () => {
    const values = nestedValues(sshForm);
    const product = products.find((p) => p.code === values.code);
    if (!product) throw problem("Pilih produk.", "code");
    const { product: saved } = await api("POST", `/catalog/products/${encode(product.code)}/ssh`,
      { year: values.year, ceiling: values.ceiling, version: product.version });
    sshForm.querySelector("[name=ceiling]").value = "";
    await reload(`SSH ${saved.name} tahun ${values.year}: ${rupiah(saved.ssh[values.year])} ${saved.unit}.`);
  });
  wire(productForm, async () => {
    const values = nestedValues(productForm);
    const body = {
      code: values.code ?? "", name: values.name ?? "", unit: values.unit ?? "",
      media_types: [...productForm.querySelectorAll("[name=media_types]:checked")].map((box) => box.value),
    };
    if (!body.media_types.length) {
      throw problem("Pilih paling sedikit satu jenis media.", "media_types", "Pilih jenis media produk ini.");
    }
    const { product } = await api("POST", "/catalog/products", body);
    productForm.reset();
    await reload(`Produk ${product.name} ditambahkan. Tetapkan SSH-nya sebelum mitra mengajukan tarif.`);
  });
  await reload();
}

// -- budgets (finance; orders and admin read) ---------------------------------------------------

async function budgetPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const year = yearParam();
  part("year-form").querySelector("[name=year]").value = String(year);
  const user = await signedIn(status, ["finance", "orders", "admin"]);
  if (!user) return;
  const table = part("lines").querySelector("table");

  // A line's pagu, changed with a reason; the API refuses a pagu below what orders have reserved.
  function ceilingItem(line, n) {
    const amount = el("input", { name: "ceiling", type: "text", inputmode: "numeric", required: true, autocomplete: "off" });
    const reason = el("input", { name: "reason", type: "text", required: true, maxlength: "500", autocomplete: "off" });
    const form = el("form", { class: "seklik-form", novalidate: true });
    form.append(summaryBox(),
      fieldBox(`c-ceiling-${n}`, "Pagu baru (rupiah)", amount,
        `Sekarang ${rupiah(line.ceiling)}; sudah dicadangkan ${rupiah(line.reserved)}. Pagu tidak boleh di bawah yang sudah dicadangkan.`),
      fieldBox(`c-reason-${n}`, "Alasan perubahan", reason, "Misalnya nomor dokumen pergeseran atau perubahan anggaran; tercatat di jejak audit."),
      el("button", { type: "submit", class: "md-button md-button--primary", text: `Simpan pagu ${line.code}` }),
      statusLine());
    wire(form, async () => {
      const { line: saved } = await api("POST", `/budgets/${year}/lines/${encode(line.code)}/ceiling`,
        { ceiling: amount.value.trim() === "" ? "" : rupiahValue(amount.value), version: line.version, reason: reason.value.trim() });
      await reload(`Pagu ${saved.code} kini ${rupiah(saved.ceiling)}; sisa ${rupiah(saved.remaining)}.`);
    });
    return el("li", { class: "seklik-checklist__item", "data-ceiling": line.code },
      el("details", {}, el("summary", { text: `Ubah pagu ${line.code} ${line.name}` }), form));
  }

  async function reload(message) {
    let budget;
    try {
      budget = await api("GET", `/budgets/${year}`);
    } catch (error) {
      return loadFailed(error, status);
    }
    const lines = budget.lines;
    panel.querySelector("[data-field=caption]").textContent = `Anggaran tahun ${year}`;
    table.tBodies[0].replaceChildren(...lines.map((line) => el("tr", { "data-line": line.code },
      el("th", { scope: "row", text: line.code }), cell(line.name), cell(rupiah(line.ceiling), true),
      cell(rupiah(line.reserved), true), cell(rupiah(line.remaining), true))));
    const sum = (key) => rupiah(lines.reduce((total, line) => total + line[key], 0));
    table.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "2", text: "Jumlah" }),
      cell(sum("ceiling"), true), cell(sum("reserved"), true), cell(sum("remaining"), true)));
    part("lines").hidden = lines.length === 0;
    part("add").hidden = !may(user, "finance");
    if (may(user, "finance")) panel.querySelector("[data-field=ceilings]").replaceChildren(...lines.map(ceilingItem));
    part("ceilings").hidden = !may(user, "finance") || lines.length === 0;
    status.textContent = message || (lines.length
      ? `${lines.length} kode rekening tahun ${year}.`
      : `Belum ada kode rekening untuk tahun ${year}.`);
  }

  const form = part("line-form");
  wire(form, async () => {
    const { line } = await api("POST", `/budgets/${year}/lines`, nestedValues(form));
    form.reset();
    await reload(`Kode rekening ${line.code} ditambahkan dengan pagu ${rupiah(line.ceiling)}.`);
  });
  await reload();
}

// -- the books (finance, admin, orders) ------------------------------------------------------------

async function ledgerPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  if (!(await signedIn(status, ["finance", "admin", "orders"]))) return;
  let books;
  try {
    books = await api("GET", "/ledger");
  } catch (error) {
    return loadFailed(error, status);
  }
  const names = Object.fromEntries(books.accounts.map((a) => [a.code, a.name]));
  const accounts = part("accounts").querySelector("table");
  accounts.tBodies[0].replaceChildren(...books.accounts.map((a) => {
    const balance = a.normal === "debit" ? a.debit - a.credit : a.credit - a.debit;
    return el("tr", { "data-account": a.code },
      el("th", { scope: "row", text: a.code }), cell(`${a.name} (saldo normal ${a.normal === "debit" ? "debit" : "kredit"})`),
      cell(rupiah(a.debit), true), cell(rupiah(a.credit), true), cell(rupiah(balance), true));
  }));
  accounts.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "2", text: "Jumlah" }),
    cell(rupiah(books.total_debit), true), cell(rupiah(books.total_credit), true), cell("")));
  panel.querySelector("[data-field=balance]").textContent = books.total_debit === books.total_credit
    ? "Jumlah debit sama dengan jumlah kredit: buku seimbang."
    : `Buku tidak seimbang: selisih ${rupiah(Math.abs(books.total_debit - books.total_credit))}. Laporkan kepada administrator.`;
  const entries = part("entries").querySelector("tbody");
  entries.replaceChildren(...books.entries.flatMap((entry) => entry.lines.map((line, n) => el("tr", {},
    cell(n === 0 ? showTime(entry.posted_at) : ""), cell(n === 0 ? entry.description : ""),
    cell(`${line.account} ${names[line.account] || ""}`),
    cell(line.debit ? rupiah(line.debit) : "", true), cell(line.credit ? rupiah(line.credit) : "", true)))));
  part("accounts").hidden = false;
  part("entries").hidden = books.entries.length === 0;
  status.textContent = books.entries.length ? `${books.entries.length} jurnal terbaru.` : "Belum ada jurnal.";
}

// -- negotiation and agreement (orders) ------------------------------------------------------------

async function negotiationPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const params = new URLSearchParams(location.search);
  const companyId = (params.get("company") || "").trim();
  const year = yearParam();
  const chooser = part("choose");
  if (companyId) chooser.querySelector("[name=company]").value = companyId;
  const yearBox = chooser.querySelector("[name=year]");
  if (!yearBox.value) yearBox.value = String(year);
  const user = await signedIn(status, STAFF);
  if (!user) return;
  const acts = may(user, "orders");
  verifiedPartners().then((partners) => offerPartners(part("partner-pick"), chooser.querySelector("[name=company]"), partners));
  if (!companyId) {
    status.textContent = "Pilih mitra dan tahun anggaran, lalu tekan Tampilkan.";
    return;
  }
  const base = `/offers/${encode(companyId)}/${year}`;
  const form = part("lines-form");
  const agreementForm = part("agreement-form");
  let offer = null;
  let agreement = null;
  let products = [];
  const productName = (code) => products.find((p) => p.code === code)?.name || code;

  function lineItem(line, n) {
    const product = products.find((p) => p.code === line.product_code);
    const unit = product ? ` ${product.unit}` : "";
    const ssh = product?.ssh[String(year)];
    const item = el("li", { class: "seklik-checklist__item", "data-product": line.product_code },
      el("h3", { text: productName(line.product_code) }),
      el("p", {}, el("strong", { text: `${rupiah(line.price)}${unit}` }), ` — ${line.status_label}`),
      el("p", { class: "seklik-hint", text: ssh ? `SSH ${year}: ${rupiah(ssh)}${unit}` : `SSH ${year} belum ditetapkan.` }),
      line.note ? el("p", { text: `Catatan mitra: ${line.note}` }) : null);
    if (acts && line.status === "PROPOSED") {
      item.append(
        checkBox(`n-accept-${n}`, `Setujui ${rupiah(line.price)}`,
          el("input", { type: "checkbox", name: "products", value: line.product_code })),
        fieldBox(`n-price-${n}`, "Tawaran balik (rupiah)",
          el("input", { name: `lines.${line.product_code}`, type: "text", inputmode: "numeric", autocomplete: "off", "data-type": "rupiah" })));
    }
    return item;
  }

  function showAgreement(agreements) {
    agreement = agreements.find((a) => a.year === year) || null;
    const view = field("agreement");
    const agreed = Object.entries(offer.agreed);
    if (agreement) {
      view.replaceChildren(
        ...row("Nomor", agreement.number),
        ...row("Status", agreement.status_label),
        ...row("Masa berlaku", `${showDate(agreement.starts_on)} – ${showDate(agreement.ends_on)}`),
        ...row("Nilai PKS", rupiah(agreement.ceiling)),
        ...row("Dicadangkan", rupiah(agreement.reserved)),
        ...row("Sisa", rupiah(agreement.remaining)),
        ...row("Tarif", el("ul", {}, ...Object.entries(agreement.rates).map(([code, price]) =>
          el("li", { text: `${productName(code)}: ${rupiah(price)}` })))),
        ...row("Dokumen bertanda tangan", agreement.signed_document
          ? `${agreement.signed_document.filename} (SHA-256 ${agreement.signed_document.sha256.slice(0, 12)}…)`
          : "Belum diunggah"));
    }
    view.hidden = !agreement;
    const draft = acts && agreement?.status === "DRAFT";
    part("signed-link").hidden = !agreement?.signed_document;
    part("signed-form").hidden = !draft;
    part("signed-form").querySelector("button[type=submit]").textContent = agreement?.signed_document ? "Ganti dokumen PKS" : "Unggah PKS";
    part("activate").hidden = !(draft && agreement.signed_document);
    part("close").hidden = !(acts && agreement?.status === "ACTIVE");
    agreementForm.hidden = !(acts && !agreement);
    field("agreed").textContent = agreed.length
      ? `Tarif yang disepakati dan akan menjadi tarif PKS: ${agreed.map(([code, price]) => `${productName(code)} ${rupiah(price)}`).join("; ")}.`
      : "Belum ada tarif yang disepakati. PKS dibuat dari tarif yang sudah disepakati.";
    part("agreement").hidden = !agreement && !acts;
  }

  async function reload(message) {
    let company;
    let agreements;
    try {
      [{ company }, { products }, offer, { agreements }] = await Promise.all([
        api("GET", `/media/${encode(companyId)}`),
        api("GET", "/catalog/products"),
        api("GET", base),
        api("GET", `/media/${encode(companyId)}/agreements`),
      ]);
    } catch (error) {
      return loadFailed(error, status);
    }
    field("media_name").textContent = `${company.profile.media_name} — ${company.profile.legal_name}`;
    field("status_label").textContent = company.status_label;
    part("company").hidden = false;
    const lines = [...offer.lines].sort((a, b) => productName(a.product_code).localeCompare(productName(b.product_code), "id"));
    field("lines").replaceChildren(...lines.map(lineItem));
    const waiting = lines.filter((line) => line.status === "PROPOSED").length;
    field("lines-note").textContent = !lines.length
      ? `Mitra belum mengajukan tarif untuk tahun ${year}.`
      : waiting && acts
        ? `${waiting} baris menunggu jawaban Anda: centang untuk menyetujui, atau isi harga tawaran balik.`
        : "Tidak ada baris yang menunggu jawaban staf.";
    part("answer").hidden = !(acts && waiting);
    part("lines").hidden = false;
    renderThread(field("thread"), offer.thread, productName);
    part("thread").hidden = offer.thread.length === 0;
    showAgreement(agreements);
    status.textContent = message || `Tarif ${company.profile.media_name} tahun ${year}.`;
  }

  wire(form, async (action) => {
    const data = new FormData(form);
    const message = String(data.get("message") || "").trim() || null;
    if (action === "accept") {
      const chosen = data.getAll("products");
      if (!chosen.length) throw problem("Centang baris yang Anda setujui.", "products", "Centang paling sedikit satu baris.");
      await api("POST", `${base}/accept`, { products: chosen, message, version: offer.version });
      form.querySelector("[name=message]").value = "";
      await reload("Baris terpilih disetujui; tarifnya kini disepakati.");
      return;
    }
    const lines = nestedValues(form).lines || {};
    if (!Object.keys(lines).length) {
      const first = form.querySelector('input[name^="lines."]');
      throw problem("Isi harga tawaran balik pada baris yang ingin ditawar.", first?.name, "Isi harga tawaran balik.");
    }
    await api("POST", `${base}/counter`, { lines, message, version: offer.version });
    form.querySelector("[name=message]").value = "";
    await reload("Tawaran balik terkirim ke mitra.");
  });

  agreementForm.querySelector("[name=starts_on]").value = `${year}-01-01`;
  agreementForm.querySelector("[name=ends_on]").value = `${year}-12-31`;
  wire(agreementForm, async () => {
    const body = { company_id: companyId, year, ...nestedValues(agreementForm) };
    const { agreement: created } = await api("POST", "/agreements", body);
    await reload(`PKS ${created.number} dibuat sebagai draf. Unggah PKS yang sudah ditandatangani, lalu aktifkan.`);
  });
  part("signed-button").addEventListener("click", () =>
    download(`/agreements/${encode(agreement.id)}/document`, part("agreement-status")));
  const signedForm = part("signed-form");
  const progress = signedForm.querySelector("progress");
  wire(signedForm, async (_, note) => {
    const chosen = signedForm.querySelector("[name=file]").files[0];
    if (!chosen) throw problem("Pilih file PDF PKS yang sudah ditandatangani.", "file", "Pilih file.");
    progress.hidden = false;
    progress.value = 0;
    note.textContent = `Mengunggah ${chosen.name} …`;
    try {
      const grant = await api("POST", `/agreements/${encode(agreement.id)}/document/uploads`,
        { filename: chosen.name, content_type: chosen.type || "application/octet-stream", size: chosen.size });
      await uploadToStorage(grant, chosen, progress);
      note.textContent = "Memeriksa file …";
      await api("POST", `/agreements/${encode(agreement.id)}/document/uploads/${encode(grant.upload_id)}/confirm`);
    } catch (error) {
      progress.hidden = true;
      if (error instanceof ApiError) {
        error.details = error.details.map((d) => (["content_type", "size", "filename"].includes(d.field) ? { ...d, field: "file" } : d));
      }
      throw error;
    }
    progress.hidden = true;
    signedForm.reset();
    note.textContent = "";
    await reload("Dokumen PKS bertanda tangan tersimpan. PKS kini dapat diaktifkan.");
  });
  const activate = part("activate-button");
  activate.addEventListener("click", async () => {
    const note = part("agreement-status");
    activate.disabled = true;
    note.textContent = "Mengaktifkan …";
    try {
      const { agreement: active } = await api("POST", `/agreements/${encode(agreement.id)}/activate`, { version: agreement.version });
      note.textContent = "";
      await reload(`PKS ${active.number} berlaku. Pesanan media dapat diterbitkan.`);
    } catch (error) {
      note.textContent = error.message;
    } finally {
      activate.disabled = false;
    }
  });
  const closeForm = part("close-form");
  wire(closeForm, async () => {
    const { agreement: closed } = await api("POST", `/agreements/${encode(agreement.id)}/close`,
      { version: agreement.version, reason: closeForm.querySelector("[name=reason]").value.trim() });
    closeForm.reset();
    await reload(`PKS ${closed.number} ditutup. Pesanan baru tidak dapat lagi diterbitkan atas PKS ini.`);
  });
  await reload();
}

// -- orders: issue and list (orders; other staff read) ---------------------------------------------

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

async function releaseList() {
  // The newsroom publishes the list of releases beside its pages.
  try {
    const response = await fetch(siteUrl("releases.json"), { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).releases : [];
  } catch (_) {
    return [];
  }
}

async function ordersConsole(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, STAFF);
  if (!user) return;
  const partners = await verifiedPartners();
  const detail = (id) => `${siteUrl("konsol/rincian-pesanan/")}?id=${encode(id)}`;

  // The list.
  const filters = part("filters");
  const listStatus = part("list-status");
  const table = part("table");
  async function loadList(message) {
    const query = new URLSearchParams();
    const chosen = new FormData(filters).get("status");
    if (chosen) query.set("status", chosen);
    listStatus.textContent = "Memuat pesanan …";
    let orders;
    try {
      ({ orders } = await api("GET", `/orders?${query}`));
    } catch (error) {
      return loadFailed(error, listStatus);
    }
    table.querySelector("tbody").replaceChildren(...orders.map((order) => {
      const note = el("span", { class: "seklik-status", role: "status", "aria-live": "polite" });
      const letter = el("button", { type: "button", class: "md-button", text: "Unduh surat", "aria-label": `Unduh surat pesanan ${order.number}` });
      letter.addEventListener("click", () => download(`/orders/${encode(order.id)}/letter`, note));
      return el("tr", { "data-order": order.id },
        el("th", { scope: "row" }, el("a", { href: detail(order.id), text: order.number })),
        cell(order.partner_name || partnerName(partners, order.company_id)), cell(order.product_name),
        cell(`${order.quantity} × ${rupiah(order.unit_price)}`, true), cell(rupiah(order.total), true),
        cell(order.status_label), el("td", {}, letter, note));
    }));
    table.hidden = orders.length === 0;
    part("orders").hidden = false;
    listStatus.textContent = message || (orders.length ? `${orders.length} pesanan, terbaru di atas.` : "Tidak ada pesanan.");
  }
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    loadList();
  });

  if (may(user, "orders")) {
    const releases = await releaseList();
    await orderForm(part("order-form"), partners, releases, loadList);
    await bulkForm(part("bulk-form"), part("bulk-results"), partners, releases, loadList);
  }
  part("issue").hidden = !may(user, "orders");
  part("bulk").hidden = !may(user, "orders");
  status.textContent = may(user, "orders")
    ? "Isi formulir untuk menerbitkan pesanan, satu mitra atau beberapa sekaligus; pesanan yang sudah terbit ada di daftar."
    : "Daftar pesanan media. Hanya staf media order yang menerbitkan pesanan.";
  await loadList();
}

// The years an order may be for, in a select: last year, this year (chosen) and next year.
function yearOptions(select) {
  const now = thisYear();
  options(select, [now - 1, now, now + 1].map((y) => [String(y), String(y)]));
  select.value = String(now);
}

// Release: a slug typed or chosen from the newsroom's list, with its title shown.
function releasePicker(form, list, releaseTitle, releases) {
  const release = form.querySelector("[name=release_slug]");
  list.replaceChildren(...releases.slice(0, 300).map((r) => el("option", { value: r.slug, text: r.title })));
  release.addEventListener("input", () => {
    const slug = release.value.trim();
    const found = releases.find((r) => r.slug === slug);
    releaseTitle.textContent = !slug ? "" : found
      ? `Siaran pers: ${found.title} (${showDate(found.date.slice(0, 10))})`
      : "Slug ini tidak ada dalam daftar siaran pers yang terbit.";
  });
}

// Slots: days one by one, or a number of times within a window. `prefix` makes the ids,
// `words(n)` names the n-th date box and its remove button; `changed` runs on every change.
function slotPicker(form, prefix, words, changed) {
  const dates = form.querySelector("[data-field=dates]");
  let fiscal = thisYear();
  function renumber() {
    [...dates.children].forEach((item, n) => {
      const [label, removeText] = words(n + 1);
      const input = item.querySelector("input");
      input.name = `slots.dates.${n}`;
      input.id = `${prefix}-date-${n}`;
      item.querySelector("label").setAttribute("for", input.id);
      item.querySelector("label").textContent = label;
      item.querySelector(".seklik-field-error").id = `${prefix}-date-${n}-error`;
      const remove = item.querySelector("button");
      remove.hidden = dates.children.length === 1;
      remove.textContent = removeText;
    });
  }
  function addDate(focus) {
    const input = el("input", { type: "date", min: `${fiscal}-01-01`, max: `${fiscal}-12-31` });
    const remove = el("button", { type: "button", class: "md-button" });
    const item = el("li", { class: "seklik-field" }, el("label"), input, el("p", { class: "seklik-field-error", hidden: true }), remove);
    remove.addEventListener("click", () => {
      item.remove();
      renumber();
      dates.querySelector("input")?.focus();
      changed();
    });
    input.addEventListener("change", changed);
    dates.append(item);
    renumber();
    if (focus) input.focus();
  }
  addDate(false);
  form.querySelector("[data-role=add-date]").addEventListener("click", () => addDate(true));
  const mode = () => form.querySelector("[name=slot_mode]:checked").value;
  for (const radio of form.querySelectorAll("[name=slot_mode]")) {
    radio.addEventListener("change", () => {
      form.querySelector("[data-role=dates]").hidden = mode() !== "dates";
      form.querySelector("[data-role=window]").hidden = mode() !== "window";
      changed();
    });
  }
  form.querySelector("[name='slots.quantity']").addEventListener("input", changed);
  return {
    // Dates outside the fiscal year cannot be picked.
    year(value) {
      fiscal = value;
      for (const input of form.querySelectorAll("input[type=date]")) {
        input.min = `${value}-01-01`;
        input.max = `${value}-12-31`;
      }
    },
    count() {
      if (mode() === "dates") return [...dates.querySelectorAll("input")].filter((i) => i.value).length;
      const quantity = form.querySelector("[name='slots.quantity']").value.trim();
      return /^\d+$/.test(quantity) ? Number(quantity) : 0;
    },
    // The `slots` of the API's request, from the form's values.
    body(values) {
      const slots = {};
      if (mode() === "dates") slots.dates = (values.slots?.dates ? Object.values(values.slots.dates) : []);
      else Object.assign(slots, { date_from: values.slots?.date_from, date_to: values.slots?.date_to, quantity: values.slots?.quantity });
      if (slots.quantity !== undefined) slots.quantity = /^\d+$/.test(String(slots.quantity)) ? Number(slots.quantity) : slots.quantity;
      if (mode() === "dates" && !slots.dates.length) throw problem("Isi paling sedikit satu tanggal tayang.", "slots.dates.0", "Isi tanggal tayang.");
      return slots;
    },
    // Where the API's slot messages go on this form.
    aliases: () => ({ slots: mode() === "dates" ? "slots.dates.0" : "slots.date_from", "slots.dates": "slots.dates.0" }),
  };
}

async function orderForm(form, partners, releases, loadList) {
  const company = form.querySelector("[name=company_id]");
  const year = form.querySelector("[data-role=year]");
  const product = form.querySelector("[name=product_code]");
  const budget = form.querySelector("[name=budget_line]");
  const agreementNote = form.querySelector("[data-field=agreement]");
  const totalNote = form.querySelector("[data-field=total]");
  offerPartners(form.querySelector("[data-role=partner-pick]"), company, partners);

  yearOptions(year);
  let products = [];
  let agreement = null;
  let key = newKey();
  form.addEventListener("input", () => { key = newKey(); });
  form.addEventListener("change", () => { key = newKey(); });
  releasePicker(form, form.querySelector("#o-releases"), form.querySelector("[data-field=release-title]"), releases);
  const slots = slotPicker(form, "o", (n) => [`Tanggal tayang ${n}`, `Hapus tanggal ${n}`], () => preview());

  function preview() {
    const price = agreement?.rates[product.value];
    const count = slots.count();
    totalNote.textContent = price && count ? `Nilai pesanan: ${count} × ${rupiah(price)} = ${rupiah(count * price)}.` : "";
  }
  product.addEventListener("change", preview);

  // What the chosen partner and year allow: the active agreement's products, the year's budget lines.
  let asked = 0;
  async function context() {
    const mine = ++asked; // only the latest question may fill the form
    const id = company.value.trim();
    const fiscal = Number(year.value);
    slots.year(fiscal);
    try {
      if (!products.length) ({ products } = await api("GET", "/catalog/products"));
      const [{ lines }, found] = await Promise.all([
        api("GET", `/budgets/${fiscal}`),
        id.length === 26 ? api("GET", `/media/${encode(id)}/agreements`).then((r) => r.agreements).catch(() => null) : null,
      ]);
      if (mine !== asked) return;
      agreement = found?.find((a) => a.year === fiscal && a.status === "ACTIVE") || null;
      budgetOptions(budget, lines, fiscal);
      const offered = agreement ? products.filter((p) => p.code in agreement.rates) : products;
      options(product, offered.map((p) => [p.code, agreement
        ? `${p.name}: ${rupiah(agreement.rates[p.code])} ${p.unit}` : `${p.name} (${p.unit})`]));
      if (!id) agreementNote.textContent = "Pilih mitra untuk melihat PKS-nya.";
      else if (id.length !== 26) agreementNote.textContent = "ID perusahaan terdiri dari 26 karakter.";
      else if (!found) agreementNote.textContent = "Mitra dengan ID ini tidak ditemukan.";
      else if (!agreement) agreementNote.textContent = `Mitra ini tidak memiliki PKS yang berlaku untuk tahun ${fiscal}.`;
      else {
        agreementNote.textContent = `PKS ${agreement.number}, berlaku ${showDate(agreement.starts_on)} – ${showDate(agreement.ends_on)}; `
          + `sisa nilai ${rupiah(agreement.remaining)} dari ${rupiah(agreement.ceiling)}.`;
      }
    } catch (error) {
      if (error.status === 401) return toLogin();
      agreementNote.textContent = error.message;
    }
    preview();
  }
  company.addEventListener("change", context);
  company.addEventListener("input", () => {
    if ([0, 26].includes(company.value.trim().length)) context();
  });
  year.addEventListener("change", context);
  await context();

  wire(form, async (_, status) => {
    const values = nestedValues(form);
    const body = {
      company_id: values.company_id ?? "", product_code: values.product_code ?? "", budget_line: values.budget_line ?? "",
      release_slug: values.release_slug, title: values.title, text: values.text, slots: slots.body(values),
    };
    const { order } = await api("POST", "/orders", body, { "Idempotency-Key": key });
    key = newKey();
    await loadList(`Pesanan ${order.number} terbit untuk ${order.product_name}: ${order.quantity} × ${rupiah(order.unit_price)} = ${rupiah(order.total)}.`);
    await context();
    status.textContent = `Pesanan ${order.number} terbit (${rupiah(order.total)}). Surat pesanan dapat diunduh dari daftar pesanan.`;
  }, slots.aliases);
}

function budgetOptions(select, lines, fiscal) {
  options(select, lines.length
    ? lines.map((line) => [line.code, `${line.code} ${line.name} (sisa ${rupiah(line.remaining)})`])
    : [["", `Belum ada kode rekening tahun ${fiscal}`]]);
}

// One release to several partners: one order each, all-or-nothing per partner; the table says
// which were issued (number and total) and which were refused (the API's reason).
async function bulkForm(form, results, partners, releases, loadList) {
  const year = form.querySelector("[data-role=year]");
  const product = form.querySelector("[name=product_code]");
  const budget = form.querySelector("[name=budget_line]");
  const box = form.querySelector("[data-field=partners]");
  const partnersNote = form.querySelector("[data-field=partners-note]");
  const detail = (id) => `${siteUrl("konsol/rincian-pesanan/")}?id=${encode(id)}`;

  // The partners, one checkbox each; the group's message sits under the last one.
  const list = partners || [];
  box.replaceChildren(...list.map((p, n) => el("div", { class: "seklik-field seklik-field--check" },
    el("input", { type: "checkbox", id: `m-partner-${n}`, name: "company_ids", value: p.id }),
    el("label", { for: `m-partner-${n}`, text: `${p.media_name} (${p.legal_name})` }))),
  el("p", { class: "seklik-field-error", id: "m-partner-0-error", hidden: true }));
  partnersNote.textContent = partners === null
    ? "Daftar mitra terverifikasi tidak dapat dimuat. Muat ulang halaman."
    : list.length ? "Centang mitra yang menerima pesanan." : "Belum ada mitra terverifikasi.";

  yearOptions(year);
  releasePicker(form, form.querySelector("#m-releases"), form.querySelector("[data-field=bulk-release-title]"), releases);
  // From a release's delivery log (konsol/distribusi/): the same release and partners, ready to order.
  const asked = new URLSearchParams(location.search);
  if (asked.get("rilis")) {
    const release = form.querySelector("[name=release_slug]");
    release.value = asked.get("rilis");
    release.dispatchEvent(new Event("input"));
    const ids = new Set((asked.get("mitra") || "").split(","));
    for (const input of box.querySelectorAll("[name=company_ids]")) input.checked = ids.has(input.value);
  }
  const slots = slotPicker(form, "m", (n) => [`Tayang ke-${n}`, `Hapus tayang ke-${n}`], () => {});

  async function context() {
    const fiscal = Number(year.value);
    slots.year(fiscal);
    try {
      const [{ products }, { lines }] = await Promise.all([api("GET", "/catalog/products"), api("GET", `/budgets/${fiscal}`)]);
      options(product, products.map((p) => [p.code, `${p.name} (${p.unit})`]));
      budgetOptions(budget, lines, fiscal);
    } catch (error) {
      if (error.status === 401) return toLogin();
      partnersNote.textContent = error.message;
    }
  }
  year.addEventListener("change", context);
  await context();

  function show(outcomes) {
    results.querySelector("tbody").replaceChildren(...outcomes.map((r) => {
      const name = r.order?.partner_name || partnerName(partners, r.company_id);
      if (r.ok) {
        const order = r.order;
        return el("tr", { "data-company": r.company_id },
          el("th", { scope: "row", text: name }), cell("Terbit"),
          el("td", {}, el("a", { href: detail(order.id), text: order.number })),
          cell(rupiah(order.total), true), cell(`${order.quantity} × ${rupiah(order.unit_price)}`));
      }
      const more = r.error.details.map((d) => d.message).filter((m) => m && m !== r.error.message);
      return el("tr", { "data-company": r.company_id },
        el("th", { scope: "row", text: name }), cell("Ditolak"), cell("—"), cell("—", true),
        cell([r.error.message, ...more].join(" ")));
    }));
    results.hidden = false;
  }

  wire(form, async (_, status) => {
    const values = nestedValues(form);
    const chosen = [...box.querySelectorAll("[name=company_ids]:checked")].map((input) => input.value);
    if (!chosen.length) throw problem("Centang paling sedikit satu mitra penerima.", "company_ids", "Centang mitra penerima.");
    const body = {
      company_ids: chosen, product_code: values.product_code ?? "", budget_line: values.budget_line ?? "",
      release_slug: values.release_slug ?? "", slots: slots.body(values),
    };
    const { results: outcomes } = await api("POST", "/orders/bulk", body);
    show(outcomes);
    // Partners whose order was issued are unticked, so sending again reaches only the refused ones.
    for (const outcome of outcomes.filter((o) => o.ok)) {
      const input = box.querySelector(`[value="${CSS.escape(outcome.company_id)}"]`);
      if (input) input.checked = false;
    }
    const issued = outcomes.filter((o) => o.ok);
    const refused = outcomes.length - issued.length;
    const total = issued.reduce((sum, o) => sum + o.order.total, 0);
    const summary = `${issued.length} dari ${outcomes.length} pesanan terbit`
      + (issued.length ? ` (jumlah ${rupiah(total)})` : "")
      + (refused ? `; ${refused} ditolak, alasannya di tabel hasil. Mitra yang pesanannya terbit tidak lagi dicentang.` : ".");
    await loadList(summary);
    await context();
    status.textContent = summary;
  }, () => ({ ...slots.aliases(), company_ids: "company_ids" }));
}

// -- one order: details, proofs and their review, cancellation ----------------------------------------

function proofView(orderId, slot, n) {
  const proof = slot.proof;
  if (!proof) return null;
  const note = statusLine();
  return el("div", { class: "seklik-proof" },
    el("p", { text: `Bukti dikirim ${showTime(proof.submitted_at)}.` }),
    proof.urls.length ? el("ul", {}, ...proof.urls.map((url) => el("li", {}, el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url })))) : null,
    proof.files.length ? el("div", { class: "seklik-actions" }, ...proof.files.map((file, f) => {
      const open = el("button", { type: "button", class: "md-button", text: `Buka ${file.filename}` });
      open.addEventListener("click", () => download(`/orders/${encode(orderId)}/proofs/${n}/files/${f}`, note));
      return open;
    })) : null,
    proof.note ? el("p", { text: `Catatan mitra: ${proof.note}` }) : null,
    note);
}

async function orderDetail(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const id = new URLSearchParams(location.search).get("id");
  const user = await signedIn(status, STAFF);
  if (!user) return;
  if (!id) {
    status.textContent = "Pilih pesanan dari daftar pesanan.";
    return;
  }
  const partners = await verifiedPartners();
  let order = null;

  function slotItem(slot, n) {
    const item = el("li", { class: "seklik-checklist__item", "data-slot": String(n) },
      el("h3", { text: `Tayang ${slotWhen(slot)}` }),
      el("p", {}, el("strong", { text: slot.status_label }), slot.review_reason ? ` — alasan: ${slot.review_reason}` : ""),
      proofView(order.id, slot, n));
    if (may(user, "verifier") && order.status === "ACCEPTED" && slot.status === "SUBMITTED") {
      const form = el("form", { class: "seklik-form", novalidate: true });
      const reason = el("input", { name: "reason", type: "text", maxlength: "500", autocomplete: "off" });
      form.append(summaryBox(),
        fieldBox(`r-reason-${n}`, "Alasan penolakan (wajib jika ditolak)", reason),
        el("div", { class: "seklik-actions" },
          el("button", { type: "submit", class: "md-button md-button--primary", value: "accepted", text: "Terima bukti" }),
          el("button", { type: "submit", class: "md-button", value: "rejected", text: "Tolak bukti" })),
        statusLine());
      wire(form, async (decision) => {
        if (decision === "rejected" && !reason.value.trim()) {
          throw problem("Tuliskan alasan penolakan bukti tayang.", "reason", "Tuliskan alasannya.");
        }
        const { order: reviewed } = await api("POST", `/orders/${encode(order.id)}/proofs/${n}/review`,
          { decision, reason: reason.value.trim() || null, version: order.version });
        await reload(`Bukti tayang ${slotWhen(slot)} ${decision === "accepted" ? "diterima" : "ditolak"}.`
          + (reviewed.status === "COMPLETED" ? " Semua bukti diterima: pesanan selesai dan siap ditagihkan." : ""));
      });
      item.append(form);
    }
    return item;
  }

  async function reload(message) {
    try {
      ({ order } = await api("GET", `/orders/${encode(id)}`));
    } catch (error) {
      return loadFailed(error, status);
    }
    field("number").textContent = `Pesanan ${order.number}`;
    field("status_label").textContent = order.status_label + (order.status_reason ? ` — alasan: ${order.status_reason}` : "");
    field("details").replaceChildren(
      ...row("Mitra", order.partner_name || partnerName(partners, order.company_id)),
      ...row("Produk", `${order.product_name} (${order.unit})`),
      ...row("Materi", materialView(order.material)),
      ...row("Jumlah", `${order.quantity} × ${rupiah(order.unit_price)}`),
      ...row("Nilai", rupiah(order.total)),
      ...row("Kode rekening", order.budget_line),
      ...row("Terbit", showTime(order.issued_at)));
    field("slots").replaceChildren(...order.slots.map(slotItem));
    part("order").hidden = false;
    part("slots").hidden = false;
    const cancellable = ["ISSUED", "ACCEPTED"].includes(order.status) && order.slots.every((s) => s.status === "PENDING");
    part("cancel").hidden = !(may(user, "orders") && cancellable);
    const waiting = order.slots.filter((s) => s.status === "SUBMITTED").length;
    status.textContent = message || (waiting
      ? `${waiting} bukti tayang menunggu pemeriksaan.`
      : `Status: ${order.status_label}.`);
  }

  part("letter").addEventListener("click", () => download(`/orders/${encode(id)}/letter`, part("letter-status")));
  const cancel = part("cancel-form");
  wire(cancel, async () => {
    await api("POST", `/orders/${encode(id)}/cancel`, { reason: cancel.querySelector("[name=reason]").value.trim(), version: order.version });
    cancel.reset();
    await reload("Pesanan dibatalkan; nilainya kembali ke sisa PKS dan pagu.");
  });
  await reload();
}

// -- proofs waiting for review (verifier) ------------------------------------------------------------

async function proofQueue(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  if (!(await signedIn(status, STAFF))) return;
  let orders;
  try {
    ({ orders } = await api("GET", "/orders?status=ACCEPTED"));
  } catch (error) {
    return loadFailed(error, status);
  }
  const partners = await verifiedPartners();
  const waiting = orders
    .map((order) => ({ order, slots: order.slots.filter((s) => s.status === "SUBMITTED") }))
    .filter((w) => w.slots.length)
    .map((w) => ({ ...w, since: w.slots.map((s) => s.proof.submitted_at).sort()[0] }))
    .sort((a, b) => a.since.localeCompare(b.since));
  const wrapper = panel.querySelector("[data-role=table]");
  wrapper.querySelector("tbody").replaceChildren(...waiting.map(({ order, slots, since }) => el("tr", { "data-order": order.id },
    el("th", { scope: "row" }, el("a", { href: `${siteUrl("konsol/rincian-pesanan/")}?id=${encode(order.id)}`, text: order.number })),
    cell(order.partner_name || partnerName(partners, order.company_id)), cell(order.product_name), cell(String(slots.length), true), cell(showTime(since)))));
  wrapper.hidden = waiting.length === 0;
  status.textContent = waiting.length
    ? `${waiting.length} pesanan dengan bukti tayang menunggu, yang paling lama di atas.`
    : "Tidak ada bukti tayang yang menunggu pemeriksaan.";
}

// ================================================================================
// Partner pages
// ================================================================================

async function partnerUser(status) {
  const user = await signedIn(status, ["media"]);
  if (user && !user.company_id) {
    status.textContent = "Akun ini bukan akun mitra media.";
    return null;
  }
  return user;
}

// -- orders received ---------------------------------------------------------------------------------

function proofForm(order, slot, n, refresh) {
  const id = `proof-${order.id}-${n}`;
  const form = el("form", { class: "seklik-form seklik-upload", novalidate: true });
  const urls = el("textarea", { name: "urls", rows: "3", inputmode: "url", spellcheck: "false" });
  const files = el("input", { name: "files", type: "file", multiple: true, accept: "image/png,image/jpeg,application/pdf" });
  const note = el("input", { name: "note", type: "text", maxlength: "1000", autocomplete: "off" });
  const progress = el("progress", { max: "100", value: "0", hidden: true, "aria-label": `Kemajuan unggah bukti tayang ${slotWhen(slot)}` });
  form.append(summaryBox(),
    fieldBox(`${id}-urls`, "Tautan berita atau tayangan", urls, "Satu tautan per baris, misalnya https://media.example.id/berita/123."),
    fieldBox(`${id}-files`, "Tangkapan layar atau kliping (opsional)", files, "PNG, JPEG, atau PDF, paling besar 10 MB per file; paling banyak 10 file."),
    fieldBox(`${id}-note`, "Catatan (opsional)", note),
    el("button", { type: "submit", class: "md-button md-button--primary", text: "Kirim bukti" }),
    progress, statusLine());
  wire(form, async (_, status) => {
    const links = urls.value.split("\n").map((u) => u.trim()).filter(Boolean);
    const chosen = [...files.files];
    if (!links.length && !chosen.length) {
      throw problem("Isi tautan berita atau tayangan, atau pilih tangkapan layar.", "urls", "Isi tautan, atau pilih file.");
    }
    const uploads = [];
    try {
      for (const [k, file] of chosen.entries()) {
        progress.hidden = false;
        progress.value = 0;
        status.textContent = `Mengunggah ${file.name}${chosen.length > 1 ? ` (${k + 1} dari ${chosen.length})` : ""} …`;
        const grant = await api("POST", `/orders/${encode(order.id)}/proofs/uploads`,
          { filename: file.name, content_type: file.type || "application/octet-stream", size: file.size });
        await uploadToStorage(grant, file, progress);
        uploads.push(grant.upload_id);
      }
      status.textContent = "Mengirim bukti …";
      await api("POST", `/orders/${encode(order.id)}/proofs/${n}`,
        { urls: links, upload_ids: uploads, note: note.value.trim() || null, version: order.version });
    } catch (error) {
      progress.hidden = true;
      // The API names content_type/size/filename; on this form they are about the chosen files.
      if (error instanceof ApiError) {
        error.details = error.details.map((d) => (["content_type", "size", "filename"].includes(d.field) ? { ...d, field: "files" } : d));
      }
      throw error;
    }
    await refresh(`Bukti tayang ${slotWhen(slot)} terkirim dan menunggu pemeriksaan.`);
  });
  return form;
}

function answerForms(order, refresh) {
  const box = el("div", { class: "seklik-answer" });
  const acceptNote = statusLine();
  const accept = el("button", { type: "button", class: "md-button md-button--primary", text: "Terima pesanan" });
  accept.addEventListener("click", async () => {
    accept.disabled = true;
    acceptNote.textContent = "Memproses …";
    try {
      await api("POST", `/orders/${encode(order.id)}/accept`, { version: order.version });
      await refresh(`Pesanan ${order.number} Anda terima. Kirim bukti tayang setelah materi tayang.`);
    } catch (error) {
      acceptNote.textContent = error.message;
      accept.disabled = false;
    }
  });
  const decline = el("form", { class: "seklik-form", novalidate: true });
  decline.append(summaryBox(),
    fieldBox(`decline-${order.id}`, "Alasan menolak (wajib jika menolak)", el("input", { name: "reason", type: "text", maxlength: "500", autocomplete: "off" })),
    el("button", { type: "submit", class: "md-button", text: "Tolak pesanan" }), statusLine());
  wire(decline, async () => {
    await api("POST", `/orders/${encode(order.id)}/decline`, { reason: decline.querySelector("[name=reason]").value.trim(), version: order.version });
    await refresh(`Pesanan ${order.number} Anda tolak.`);
  });
  box.append(el("div", { class: "seklik-actions" }, accept), acceptNote,
    el("details", {}, el("summary", { text: "Tolak pesanan ini" }), decline));
  return box;
}

function partnerOrder(order, refresh) {
  const letterNote = statusLine();
  const letter = el("button", { type: "button", class: "md-button", text: "Unduh surat pesanan" });
  letter.addEventListener("click", () => download(`/orders/${encode(order.id)}/letter`, letterNote));
  const item = el("li", { class: "seklik-checklist__item", "data-order": order.id },
    el("h2", { text: `Pesanan ${order.number}` }),
    el("p", {}, "Status: ", el("strong", { text: order.status_label }), order.status_reason ? ` — alasan: ${order.status_reason}` : ""),
    el("dl", { class: "seklik-account" },
      ...row("Produk", `${order.product_name} (${order.unit})`),
      ...row("Materi", materialView(order.material)),
      ...row("Nilai", `${order.quantity} × ${rupiah(order.unit_price)} = ${rupiah(order.total)}`),
      ...row("Terbit", showTime(order.issued_at))),
    order.material.text ? el("details", {}, el("summary", { text: "Naskah materi" }), el("p", { class: "seklik-material", text: order.material.text })) : null,
    el("div", { class: "seklik-actions" }, letter), letterNote);
  if (order.status === "ISSUED") item.append(answerForms(order, refresh));
  if (["ACCEPTED", "COMPLETED"].includes(order.status)) {
    item.append(el("h3", { text: "Jadwal dan bukti tayang" }), el("ol", { class: "seklik-slots" }, ...order.slots.map((slot, n) => {
      const proof = slot.proof;
      const li = el("li", { "data-slot": String(n) },
        el("p", {}, el("strong", { text: `Tayang ${slotWhen(slot)}` }), ` — ${slot.status_label}`,
          slot.review_reason ? `. Alasan: ${slot.review_reason}` : ""));
      if (proof && slot.status !== "REJECTED") {
        li.append(el("ul", {},
          ...proof.urls.map((url) => el("li", {}, el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url }))),
          ...proof.files.map((file) => el("li", { text: `${file.filename} (${Math.max(1, Math.round(file.size / 1024))} KB)` }))));
      }
      if (order.status === "ACCEPTED" && ["PENDING", "REJECTED"].includes(slot.status)) li.append(proofForm(order, slot, n, refresh));
      return li;
    })));
  }
  return item;
}

async function partnerOrders(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const list = panel.querySelector("[data-field=orders]");
  if (!(await partnerUser(status))) return;

  async function refresh(message) {
    let orders;
    try {
      ({ orders } = await api("GET", "/orders"));
    } catch (error) {
      return loadFailed(error, status);
    }
    orders.sort((a, b) => b.issued_at.localeCompare(a.issued_at));
    list.replaceChildren(...orders.map((order) => partnerOrder(order, refresh)));
    const waiting = orders.filter((o) => o.status === "ISSUED").length;
    status.textContent = message || (!orders.length
      ? "Belum ada pesanan untuk perusahaan Anda."
      : `${orders.length} pesanan${waiting ? `, ${waiting} menunggu jawaban Anda` : ""}.`);
  }
  await refresh();
}

// -- rates -----------------------------------------------------------------------------------------------

async function partnerRates(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const year = yearParam();
  part("year-form").querySelector("[name=year]").value = String(year);
  const user = await partnerUser(status);
  if (!user) return;
  const base = `/offers/${encode(user.company_id)}/${year}`;
  const form = part("rates-form");
  let offer = null;
  let products = [];
  const productName = (code) => products.find((p) => p.code === code)?.name || code;

  function lineItem(product, n) {
    const line = offer.lines.find((l) => l.product_code === product.code);
    const ssh = product.ssh[String(year)];
    const item = el("li", { class: "seklik-checklist__item", "data-product": product.code },
      el("h3", { text: product.name }),
      el("p", { class: "seklik-hint", text: ssh ? `SSH ${year}: ${rupiah(ssh)} ${product.unit}` : `SSH ${year} belum ditetapkan; harga belum dapat diajukan.` }),
      line ? el("p", {}, el("strong", { text: `${rupiah(line.price)} ${product.unit}` }), ` — ${line.status_label}`) : null);
    if (line?.status === "AGREED" || !ssh) return item;
    if (line?.status === "COUNTERED") {
      item.append(checkBox(`t-accept-${n}`, `Setujui tawaran staf ${rupiah(line.price)}`,
        el("input", { type: "checkbox", name: "products", value: product.code })));
    }
    item.append(
      fieldBox(`t-price-${n}`, line ? "Harga baru (rupiah)" : "Harga usulan (rupiah)",
        el("input", { name: `lines.${product.code}`, type: "text", inputmode: "numeric", autocomplete: "off", "data-type": "rupiah" }),
        line?.status === "PROPOSED" ? "Kosongkan bila harga yang diajukan tetap." : `Per satuan (${product.unit}); kosongkan bila tidak dilayani.`),
      fieldBox(`t-note-${n}`, "Catatan (opsional)",
        el("input", { name: `notes.${product.code}`, type: "text", maxlength: "500", autocomplete: "off" })));
    return item;
  }

  async function reload(message) {
    let overview;
    try {
      [overview, { products }, offer] = await Promise.all([
        api("GET", `/media/${encode(user.company_id)}`),
        api("GET", "/catalog/products"),
        api("GET", base),
      ]);
    } catch (error) {
      return loadFailed(error, status);
    }
    const company = overview.company;
    const mine = products.filter((p) => p.media_types.includes(company.profile.media_type));
    field("heading").textContent = `Tarif ${company.profile.media_name} tahun ${year}`;
    field("lines").replaceChildren(...mine.map(lineItem));
    const countered = offer.lines.some((l) => l.status === "COUNTERED");
    const open = form.querySelector('[name^="lines."]') !== null;
    part("accept").hidden = !countered;
    part("propose").hidden = !open;
    form.querySelector("[name=message]").closest(".seklik-field").hidden = !(open || countered);
    part("rates").hidden = false;
    renderThread(field("thread"), offer.thread, productName);
    part("thread").hidden = offer.thread.length === 0;
    const agreed = Object.keys(offer.agreed).length;
    status.textContent = message || (company.status !== "VERIFIED"
      ? `Hanya mitra terverifikasi yang dapat bernegosiasi; status perusahaan Anda "${company.status_label}".`
      : !mine.length ? "Belum ada produk dalam katalog untuk jenis media Anda."
        : agreed ? `${agreed} tarif sudah disepakati untuk tahun ${year}.` : `Ajukan tarif Anda untuk tahun ${year}.`);
  }

  wire(form, async (action) => {
    const values = nestedValues(form);
    const message = values.message || null;
    if (action === "accept") {
      const chosen = new FormData(form).getAll("products");
      if (!chosen.length) throw problem("Centang tawaran staf yang Anda setujui.", "products", "Centang paling sedikit satu tawaran.");
      await api("POST", `${base}/accept`, { products: chosen, message, version: offer.version });
      form.querySelector("[name=message]").value = "";
      await reload("Tawaran staf Anda setujui; tarifnya kini disepakati.");
      return;
    }
    const lines = values.lines || {};
    if (!Object.keys(lines).length) {
      throw problem("Isi harga paling sedikit satu produk.", form.querySelector('[name^="lines."]')?.name, "Isi harga.");
    }
    const notes = Object.fromEntries(Object.entries(values.notes || {}).filter(([code]) => code in lines));
    await api("POST", `${base}/propose`, { lines, notes, message, version: offer.version });
    form.querySelector("[name=message]").value = "";
    await reload("Tarif terkirim. Staf media order akan menyetujui atau menawar balik.");
  });
  await reload();
}

register("catalog", catalogPage);
register("budget", budgetPage);
register("ledger", ledgerPage);
register("negotiation", negotiationPage);
register("orders-console", ordersConsole);
register("order-detail", orderDetail);
register("proof-queue", proofQueue);
register("partner-orders", partnerOrders);
register("partner-rates", partnerRates);

// Shared with tagihan.js (invoices, taxes and reports use the same form and page helpers).
export { cell, checkBox, download, encode, fieldBox, loadFailed, numHead, partnerUser, problem, row, signedIn, statusLine, summaryBox, wire };
