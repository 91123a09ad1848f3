// Seklik's browser code: the API client and the behaviour of the forms on
// the site's pages. No dependencies, no build step: an ES module served as is.
//
// The session cookie is HttpOnly, so this code never sees it. The CSRF token
// that every write must carry comes in the JSON of /auth/login and /auth/me;
// it is kept in sessionStorage (per tab, gone when the tab closes).

const API = "/api/v1";
const CSRF_KEY = "seklik.csrf";

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `Permintaan gagal (HTTP ${status}).`);
    this.status = status;
    this.code = error.code || "UNKNOWN";
    this.details = error.details || [];
  }
}

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (_) {
    throw new ApiError(0, {
      error: {
        code: "NETWORK_ERROR",
        message: "Tidak dapat menghubungi server. Periksa koneksi internet Anda, lalu coba lagi.",
      },
    });
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401) sessionStorage.removeItem(CSRF_KEY);
    throw new ApiError(response.status, data);
  }
  if (data && data.csrf_token) sessionStorage.setItem(CSRF_KEY, data.csrf_token);
  return data;
}

// -- forms: one error summary at the top, one message under each field ------

export function clearErrors(form) {
  const summary = form.querySelector(".seklik-error-summary");
  if (!summary) return;
  summary.hidden = true;
  summary.replaceChildren();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const note = document.getElementById(`${input.id}-error`);
    if (!note) continue;
    note.hidden = true;
    note.textContent = "";
    // Keep the hint, drop the old error, so screen readers do not repeat it.
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== note.id);
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

// What a field is called in the error summary: its label, or for a group of checkboxes or radio buttons (whose
// message sits with the first box) the group's legend, not the first box's own label.
function fieldLabel(form, input) {
  const group = ["checkbox", "radio"].includes(input.type)
    && form.querySelectorAll(`[name="${CSS.escape(input.name)}"]`).length > 1;
  const legend = group ? input.closest("fieldset")?.querySelector("legend") : null;
  return (legend || form.querySelector(`label[for="${input.id}"]`))?.textContent;
}

export function showErrors(form, error) {
  const summary = form.querySelector(".seklik-error-summary");
  const title = document.createElement("p");
  title.className = "seklik-error-title";
  title.textContent = error.message;
  summary.replaceChildren(title);
  const list = document.createElement("ul");
  for (const detail of error.details) {
    const input = form.querySelector(`[name="${CSS.escape(detail.field)}"]`);
    const item = document.createElement("li");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const note = document.getElementById(`${input.id}-error`);
      if (note) {
        note.textContent = detail.message;
        note.hidden = false;
        input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
      }
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = `${fieldLabel(form, input) || detail.field}: ${detail.message}`;
      item.append(link);
    } else {
      item.textContent = detail.message;
    }
    list.append(item);
  }
  if (list.childElementCount) summary.append(list);
  summary.hidden = false;
  summary.focus();
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// Nested JSON from inputs named by their API path ("profile.address.street").
// data-type: "number", "boolean" (checkbox) or text; an empty optional box is
// left out, so the API sees "not given" rather than an empty string.
export function nestedValues(form) {
  const result = {};
  for (const input of form.querySelectorAll("[name]")) {
    if (input.type === "radio" && !input.checked) continue;
    let value;
    if (input.dataset.type === "boolean") value = input.checked;
    else if (input.value.trim() === "") {
      if (!input.required) continue;
      value = "";
    } else if (input.dataset.type === "number") value = Number(input.value);
    else if (input.dataset.type === "rupiah") value = rupiahValue(input.value);
    else value = input.value.trim();
    const path = input.name.split(".");
    let node = result;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path.at(-1)] = value;
  }
  return result;
}

// A rupiah amount as typed: "1.500.000", "Rp 1.500.000" and "1500000" are all
// 1500000. Anything else goes to the API as typed, so its answer says what is wrong.
export function rupiahValue(text) {
  const typed = String(text).trim();
  const plain = typed.replace(/^rp\.?\s*/i, "").replace(/[.\s]/g, "");
  return /^\d+$/.test(plain) ? Number(plain) : typed;
}

// Fill inputs named by path from a nested object (the inverse of nestedValues).
export function fillForm(form, data, prefix = "") {
  for (const [key, value] of Object.entries(data || {})) {
    const name = prefix + key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      fillForm(form, value, `${name}.`);
      continue;
    }
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input) continue;
    if (input.dataset.type === "boolean") input.checked = Boolean(value);
    else input.value = value ?? "";
  }
}

export function wireForm(form, submit, values = formValues) {
  const button = form.querySelector("button[type=submit]");
  const status = form.querySelector(".seklik-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    button.disabled = true;
    status.textContent = "Memproses …";
    try {
      await submit(values(form));
    } catch (error) {
      status.textContent = "";
      showErrors(form, error instanceof ApiError ? error : new ApiError(0, null));
    } finally {
      button.disabled = false;
    }
  });
}

function safeNext() {
  // Only a page of this site: resolve `next` as the browser would and compare
  // origins, so tricks such as "//evil" or "/\\evil" cannot leave the site.
  const next = new URLSearchParams(location.search).get("next");
  if (next) {
    try {
      const target = new URL(next, location.origin);
      if (target.origin === location.origin) return target.pathname + target.search + target.hash;
    } catch (_) {
      // not a URL at all: fall through to the account page
    }
  }
  return siteUrl("akun/");
}

export function siteUrl(path) {
  // Pages are served under the site's base path (from Material's config).
  const base = document.querySelector("[data-md-component=logo]")?.getAttribute("href") || "/";
  return new URL(path, new URL(base, location.href)).pathname;
}

// -- shared words and keys ----------------------------------------------------------

export const MEDIA_TYPES = { siber: "Siber", cetak: "Cetak", televisi: "Televisi", radio: "Radio" };

// One Idempotency-Key per filled-in form: a retry after a lost answer cannot create twice.
export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

// -- uploads -------------------------------------------------------------------

export function uploadToStorage(grant, file, progress) {
  // XMLHttpRequest, not fetch: only it reports upload progress.
  return new Promise((resolve, reject) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) data.append(name, value);
    data.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", grant.url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      const tooLarge = /EntityTooLarge/.test(request.responseText);
      reject(new ApiError(request.status, {
        error: {
          code: tooLarge ? "FILE_TOO_LARGE" : "UPLOAD_REFUSED",
          message: tooLarge
            ? "File lebih besar dari 10 MB. Perkecil file lalu unggah ulang."
            : "Penyimpanan menolak file ini. Pastikan file berformat PDF, JPEG, atau PNG, lalu coba lagi.",
        },
      }));
    });
    request.addEventListener("error", () => reject(new ApiError(0, {
      error: { code: "NETWORK_ERROR", message: "Unggahan terputus. Periksa koneksi internet Anda, lalu coba lagi." },
    })));
    request.send(data);
  });
}

// -- pages ---------------------------------------------------------------------

function loginPage(form) {
  wireForm(form, async (values) => {
    await api("POST", "/auth/login", { email: values.email.trim(), password: values.password });
    form.querySelector(".seklik-status").textContent = "Berhasil masuk. Mengalihkan …";
    location.assign(safeNext());
  });
}

function passwordForm(form) {
  wireForm(form, async (values) => {
    await api("POST", "/auth/password", values);
    form.reset();
    form.querySelector(".seklik-status").textContent =
      "Kata sandi baru tersimpan. Sesi lain akun ini telah diakhiri.";
  });
}

function copyLink(button) {
  const status = button.parentElement.querySelector(".seklik-share__status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.link);
      status.textContent = button.closest("[lang]")?.lang === "en" ? "Link copied." : "Tautan disalin.";
    } catch (_) {
      // No clipboard (old browser, plain http): show the link to copy by hand.
      status.textContent = button.dataset.link;
    }
  });
}

function search(element) {
  // Pagefind's own UI, from the index that `seklik site build` writes to /pagefind/.
  const bundle = siteUrl("pagefind/");
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = `${bundle}pagefind-ui.css`;
  document.head.append(style);
  const script = document.createElement("script");
  script.src = `${bundle}pagefind-ui.js`;
  script.onload = () => {
    // eslint-disable-next-line no-undef
    // The filters open, so a reader sees the categories and years to narrow by.
    new PagefindUI({
      element, bundlePath: bundle, showSubResults: true, showImages: false, openFilters: ["kategori", "tahun"],
    });
    const query = new URLSearchParams(location.search).get("q");
    const input = element.querySelector("input");
    if (input) {
      input.setAttribute("aria-label", "Kata pencarian");
      if (query) {
        input.value = query;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      input.focus();
    }
  };
  script.onerror = () => {
    element.textContent = "Indeks pencarian tidak tersedia. Telusuri daftar semua siaran pers.";
  };
  document.body.append(script);
}

// Signing out: the session's CSRF token is forgotten with it.
export async function signOut() {
  try {
    await api("POST", "/auth/logout");
  } catch (error) {
    if (error.status !== 401) throw error;  // 401: the session had already ended, which is what was wanted
  }
  sessionStorage.removeItem(CSRF_KEY);
}

// Where to go when a page needs a signed-in user and there is none.
export function toLogin() {
  location.assign(`${siteUrl("masuk/")}?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const WIB = new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeStyle: "short", timeZone: "Asia/Jakarta" });
const DAY = new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeZone: "UTC" });

export function showTime(iso) {
  return iso ? `${WIB.format(new Date(iso))} WIB` : "";
}

export function showDate(isoDay) {
  return isoDay ? DAY.format(new Date(`${isoDay}T00:00:00Z`)) : "";
}

const behaviours = {
  search,
  "copy-link": copyLink,
  "login-form": loginPage,
  "password-form": passwordForm,
};

// The page modules (one per console or portal page) register their behaviours here; the site build adds to
// each page the modules of the behaviours it shows (seklik/newsroom/page_scripts.py). All start once the
// document is parsed, after every module of the page has registered.
export function register(name, behaviour) {
  behaviours[name] = behaviour;
}

// Signed in (in this tab), the navigation's "Masuk" leads to the account page and its work instead.
function accountInNavigation() {
  if (!sessionStorage.getItem(CSRF_KEY)) return;
  for (const link of document.querySelectorAll(".md-nav__link[href$='masuk/'], .md-tabs__link[href$='masuk/']")) {
    link.href = siteUrl("akun/");
    const label = link.querySelector(".md-ellipsis") || link;
    label.textContent = "Akun saya";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  accountInNavigation();
  for (const element of document.querySelectorAll("[data-seklik]")) {
    behaviours[element.dataset.seklik]?.(element);
  }
});
