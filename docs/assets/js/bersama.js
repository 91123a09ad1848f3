// What the console and portal pages share beyond seklik.js: who is signed in, the order cycle's
// forms (fields, errors at their fields), tables, downloads, partners and rate threads.

import { api, ApiError, clearErrors, el, showDate, showErrors, showTime, toLogin, wireForm } from "./seklik.js";

const ROLE_NAMES = {
  media: "mitra media",
  verifier: "verifikator",
  orders: "staf media order",
  finance: "staf keuangan",
  editor: "editor siaran pers",
  admin: "administrator",
  auditor: "pemeriksa",
};
const STAFF = ["orders", "verifier", "finance", "admin"];
const STEPS = { proposed: "mengajukan tarif", countered: "menawar balik", accepted: "menyetujui" };

// Where each role works: every portal and console page with the roles the API lets read what it shows (the role
// sets of functions/chalicelib/api/*.py). The pages' gates (signedIn) and the account page's list of places
// both read this table, so they cannot drift apart. Pages without a label are reached from another page (a
// company from the queue, an order from the list); `partner`: the account must belong to a press company.
export const PAGES = {
  "mitra/portal/": { label: "Portal mitra", roles: ["media"], partner: true },
  "mitra/pesanan/": { label: "Pesanan masuk", roles: ["media"], partner: true },
  "mitra/tarif/": { label: "Tarif dan negosiasi", roles: ["media"], partner: true },
  "mitra/tagihan/": { label: "Tagihan", roles: ["media"], partner: true },
  "konsol/verifikasi/": { label: "Antrean verifikasi", roles: ["verifier"] },
  "konsol/perusahaan/": { roles: ["verifier"] },
  "konsol/pesanan/": { label: "Pesanan media", roles: STAFF },
  "konsol/rincian-pesanan/": { roles: STAFF },
  "konsol/negosiasi/": { label: "Negosiasi tarif", roles: STAFF },
  "konsol/bukti/": { label: "Bukti tayang", roles: STAFF },
  "konsol/distribusi/": { label: "Distribusi siaran pers", roles: ["editor", "orders"] },
  "konsol/anggaran/": { label: "Anggaran", roles: ["finance", "orders", "admin"] },
  "konsol/tagihan/": { label: "Tagihan", roles: ["finance", "auditor", "admin"] },
  "konsol/pajak/": { label: "Pajak", roles: ["finance", "auditor", "admin"] },
  "konsol/laporan/": { label: "Laporan keuangan", roles: ["finance", "auditor", "admin"] },
  "konsol/buku-besar/": { label: "Buku besar", roles: ["finance", "admin", "orders", "auditor"] },
  // Anyone signed in may read the catalogue; its page is for the staff who plan and order with it.
  "konsol/katalog/": { label: "Katalog produk", roles: STAFF },
  "konsol/surel/": { label: "Surel keluar", roles: ["admin", "orders", "editor", "verifier", "finance"] },
  "konsol/pengguna/": { label: "Pengguna dan peran", roles: ["admin"] },
  "panduan-editor/": { label: "Panduan editor siaran pers", roles: ["editor"] },
};

export function pageRoles(path) {
  if (!PAGES[path]) throw new Error(`${path} is not in PAGES`);
  return PAGES[path].roles;
}

// The pages the account may use, in the table's order: [path, label].
export function placesOf(user) {
  return Object.entries(PAGES)
    .filter(([, p]) => p.label && may(user, ...p.roles) && (!p.partner || user.company_id))
    .map(([path, p]) => [path, p.label]);
}

export function rupiah(amount) {
  return `Rp${Number(amount).toLocaleString("id-ID")}`;
}

// Today in WIB as YYYY-MM-DD (dates are compared as text), and its year.
const WIB_DAY = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Jakarta", year: "numeric", month: "2-digit", day: "2-digit" });

export function todayWib() {
  const part = Object.fromEntries(WIB_DAY.formatToParts(new Date()).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day}`;
}

export function thisYear() {
  return Number(todayWib().slice(0, 4));
}

// What is planned in last, this and next year, and the year pages open on (this year if anything is
// planned in it, else the nearest year that has something); only this year if the API cannot say.
export async function fiscalYears() {
  try {
    return await api("GET", "/fiscal-years");
  } catch (_) {
    const now = thisYear();
    return { current: now, default: now, years: [] };
  }
}

// The fiscal year a page shows: the one in the address (?year=2027), else the API's default. Ask once signed in.
export async function workingYear() {
  const raw = new URLSearchParams(location.search).get("year") || "";
  return /^\d{4}$/.test(raw) ? Number(raw) : (await fiscalYears()).default;
}

function listText(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} atau ${items.at(-1)}` : items[0];
}

export function may(user, ...roles) {
  return roles.some((role) => user.roles.includes(role));
}

// The signed-in user if the page is for one of `roles` (a page of PAGES, "konsol/pajak/", or a list of roles; none:
// anyone signed in); otherwise say why not (or go to login) and return null.
export async function signedIn(status, roles) {
  const allowed = typeof roles === "string" ? pageRoles(roles) : roles;
  let me;
  try {
    me = await api("GET", "/auth/me");
  } catch (error) {
    if (error.status === 401) toLogin();
    else status.textContent = error.message;
    return null;
  }
  if (allowed && !may(me.user, ...allowed)) {
    status.textContent = `Halaman ini untuk ${listText(allowed.map((r) => ROLE_NAMES[r]))}. Masuk dengan akun yang sesuai.`;
    return null;
  }
  return me.user;
}

export function loadFailed(error, status) {
  if (error.status === 401) return toLogin();
  status.textContent = error.status === 403 ? "Akun Anda tidak berhak membuka data ini." : error.message;
}

export const encode = encodeURIComponent;

// -- forms ----------------------------------------------------------------------------

export function problem(message, field, detail) {
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
export function wire(form, submit, aliases) {
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

export function fieldBox(id, label, control, hint) {
  control.id = id;
  const parts = [el("label", { for: id, text: label })];
  if (hint) {
    parts.push(el("p", { class: "seklik-hint", id: `${id}-hint`, text: hint }));
    control.setAttribute("aria-describedby", `${id}-hint`);
  }
  parts.push(control, el("p", { class: "seklik-field-error", id: `${id}-error`, hidden: true }));
  return el("div", { class: "seklik-field" }, ...parts);
}

export function checkBox(id, label, control) {
  control.id = id;
  return el("div", { class: "seklik-field seklik-field--check" }, control, el("label", { for: id, text: label }),
    el("p", { class: "seklik-field-error", id: `${id}-error`, hidden: true }));
}

export const summaryBox = () => el("div", { class: "seklik-error-summary", role: "alert", tabindex: "-1", hidden: true });
export const statusLine = () => el("p", { class: "seklik-status", role: "status", "aria-live": "polite" });
export const cell = (text, numeric) => el("td", { class: numeric ? "seklik-num" : null, text });
export const numHead = (text) => el("th", { scope: "col", class: "seklik-num", text });
export const row = (label, value) => [el("dt", { text: label }), el("dd", {}, value)];

export function options(select, items, keep = true) {
  const before = select.value;
  select.replaceChildren(...items.map(([value, text]) => el("option", { value, text })));
  if (keep && items.some(([value]) => value === before)) select.value = before;
}

// A short-lived download link (the letter, a proof file): the browser downloads it and stays here.
export async function download(path, note) {
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

export function slotWhen(slot) {
  return slot.starts_on === slot.ends_on
    ? showDate(slot.starts_on)
    : `antara ${showDate(slot.starts_on)} dan ${showDate(slot.ends_on)}`;
}

export function materialView(material) {
  if (material.url) return el("a", { href: material.url, text: material.title });
  return document.createTextNode(material.title);
}

// Verified partners with their ids (staff only). Null when the list cannot be read: the id is then typed.
export async function verifiedPartners() {
  try {
    return (await api("GET", "/partners")).partners;
  } catch (_) {
    return null;
  }
}

// A search box to find a partner by its media or legal name (a datalist of the verified partners), filling the
// company-id box it stands beside; the id box stays for a partner not in the list. The two boxes never name two
// partners (an order is money): a name that no longer names one partner empties the id, an id of another partner
// or of none replaces or empties the name, and the note in the box (aria-live) says which partner is chosen.
export function offerPartners(box, input, partners) {
  const search = box.querySelector("input");
  const list = box.querySelector("datalist");
  const note = box.querySelector("[data-role=partner-note]");
  if (!partners || !partners.length) return;
  const label = (p) => `${p.media_name} (${p.legal_name})`;
  const say = (text) => { if (note) note.textContent = text; };
  const chosen = (p) => `Mitra terpilih: ${label(p)}, ID ${p.id}.`;
  list.replaceChildren(...partners.map((p) => el("option", { value: label(p) })));
  const setId = (id) => {
    if (input.value === id) return;
    input.value = id;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  // From the id box: the name of its partner, or none.
  const sync = () => {
    const id = input.value.trim();
    const found = partners.find((p) => p.id === id);
    search.value = found ? label(found) : "";
    say(found ? chosen(found) : id ? "ID ini tidak ada dalam daftar mitra terverifikasi." : "");
  };
  sync();
  box.hidden = false;
  search.addEventListener("input", () => {
    const typed = search.value.trim().toLowerCase();
    const exact = partners.find((p) => label(p).toLowerCase() === typed);
    const matching = typed ? partners.filter((p) => label(p).toLowerCase().includes(typed)) : [];
    const found = exact || (typed.length >= 3 && matching.length === 1 ? matching[0] : null);
    setId(found ? found.id : "");
    if (found) say(chosen(found));
    else if (!typed) say("");
    else if (matching.length > 1) say(`${matching.length} mitra cocok; ketik lebih lengkap atau pilih dari daftar.`);
    else say(matching.length ? "Ketik lebih lengkap atau pilih dari daftar." : "Tidak ada mitra terverifikasi dengan nama itu.");
  });
  input.addEventListener("input", sync);
}

export function partnerName(partners, companyId) {
  return partners?.find((p) => p.id === companyId)?.media_name || companyId;
}

export function renderThread(list, thread, productName) {
  list.replaceChildren(...thread.map((step) => el("li", {},
    el("p", {}, el("strong", { text: step.side === "mitra" ? "Mitra" : "Staf" }),
      ` ${STEPS[step.action] || step.action}, ${showTime(step.at)}`),
    el("ul", {}, ...Object.entries(step.lines).map(([code, price]) => el("li", { text: `${productName(code)}: ${rupiah(price)}` }))),
    step.message ? el("blockquote", { text: step.message }) : null)));
}

// The signed-in partner (media role with a company), or null with the reason shown in `status`.
export async function partnerUser(status) {
  const user = await signedIn(status, ["media"]);
  if (user && !user.company_id) {
    status.textContent = "Akun ini bukan akun mitra media.";
    return null;
  }
  return user;
}
