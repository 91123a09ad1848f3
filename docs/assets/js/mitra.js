// Partner pages: registration, profile editing, the portal (documents with
// upload progress, submission) and the public list of verified partners.

import {
  api, ApiError, el, fillForm, MEDIA_TYPES, nestedValues, newKey, register, showDate, showErrors, siteUrl, toLogin,
  uploadToStorage, wireForm,
} from "./seklik.js";

async function myCompany() {
  const me = await api("GET", "/auth/me");
  if (!me.user.company_id) {
    throw new ApiError(404, {
      error: { code: "NO_COMPANY", message: "Akun ini bukan akun mitra media. Portal mitra hanya untuk perusahaan pers yang terdaftar." },
    });
  }
  return api("GET", `/media/${me.user.company_id}`);
}

// The legal forms the API accepts come from its configuration, not this page.
async function offerLegalForms(form) {
  const select = form.querySelector('[name="profile.legal_form"]');
  try {
    const options = await api("GET", "/public/registration-options");
    select.replaceChildren(...options.legal_forms.map((f) => el("option", { value: f, text: f })));
  } catch (_) {
    // Keep the page's own list (PT); the API still says what it accepts.
  }
}

// The partner's company, or null after saying why (or after sending to the login page).
async function myCompanyOr(status) {
  try {
    return await myCompany();
  } catch (error) {
    if (error.status === 401) toLogin();
    else status.textContent = error.message;
    return null;
  }
}

// -- registration --------------------------------------------------------------

function registerForm(form) {
  offerLegalForms(form);
  // One key per filled-in form: a retry after a lost answer cannot register twice.
  let key = newKey();
  form.addEventListener("input", () => { key = newKey(); });
  wireForm(
    form,
    async (values) => {
      const response = await fetch("/api/v1/media", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": key },
        body: JSON.stringify(values),
        credentials: "same-origin",
      }).catch(() => null);
      const data = response ? await response.json().catch(() => null) : null;
      if (!response || !response.ok) throw new ApiError(response ? response.status : 0, data);
      // The account exists only once the link mailed to the address is followed.
      const done = el("div", { class: "admonition success", role: "status", tabindex: "-1" },
        el("p", { class: "admonition-title", text: "Periksa kotak masuk Anda" }),
        el("p", { text: data.message }),
        el("p", { text: `Surel dikirim ke ${values.account.email}.` }));
      form.replaceWith(done);
      done.focus();
    },
    nestedValues,
  );
}

// -- profile ---------------------------------------------------------------------

async function profileForm(form) {
  const pageStatus = form.parentElement.querySelector("[data-role=page-status]");
  const overview = await myCompanyOr(pageStatus);
  if (!overview) return;
  const company = overview.company;
  if (!company.editable) {
    pageStatus.textContent = `Profil tidak dapat diubah saat berstatus "${company.status_label}".`;
    return;
  }
  await offerLegalForms(form);
  fillForm(form, { profile: company.profile });
  pageStatus.textContent = "";
  form.hidden = false;
  let version = company.version;
  wireForm(
    form,
    async (values) => {
      const updated = await api("PUT", `/media/${company.id}`, { version, profile: values.profile });
      version = updated.company.version;
      form.querySelector(".seklik-status").textContent = "Profil tersimpan.";
    },
    nestedValues,
  );
}

// -- portal ------------------------------------------------------------------------

function checklistItem(company, item, refresh) {
  const doc = item.document;
  const id = `doc-${item.doc_type}`;
  const status = doc ? doc.status_label : item.required ? "Belum diunggah" : "Opsional, belum diunggah";
  const li = el("li", { class: "seklik-checklist__item", "data-doc-type": item.doc_type },
    el("h3", { text: item.label + (item.required ? "" : " (opsional)") }),
    el("p", {}, el("strong", { text: status }),
      doc ? ` — ${doc.filename}${doc.expires_on ? `, berlaku sampai ${showDate(doc.expires_on)}` : ""}` : ""),
    item.problem ? el("p", { class: "seklik-problem", text: item.problem }) : null);
  if (!company.editable) return li;

  const form = el("form", { class: "seklik-form seklik-upload", novalidate: true });
  const summary = el("div", { class: "seklik-error-summary", role: "alert", tabindex: "-1", hidden: true });
  const file = el("input", { id: `${id}-file`, name: "file", type: "file", accept: "application/pdf,image/jpeg,image/png" });
  const fileField = el("div", { class: "seklik-field" },
    el("label", { for: `${id}-file`, text: doc ? "Ganti dengan file baru" : "Pilih file" }), file,
    el("p", { class: "seklik-field-error", id: `${id}-file-error`, hidden: true }));
  form.append(summary, fileField);
  let expiry = null;
  if (item.asks_expiry) {
    expiry = el("input", { id: `${id}-expires`, name: "expires_on", type: "date" });
    form.append(el("div", { class: "seklik-field" },
      el("label", { for: `${id}-expires`, text: "Berlaku sampai (jika ada)" }), expiry,
      el("p", { class: "seklik-field-error", id: `${id}-expires-error`, hidden: true })));
  }
  const progress = el("progress", { max: "100", value: "0", hidden: true, "aria-label": `Kemajuan unggah ${item.label}` });
  const button = el("button", { type: "submit", class: "md-button", text: "Unggah" });
  const note = el("p", { class: "seklik-status", role: "status", "aria-live": "polite" });
  form.append(button, progress, note);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    summary.hidden = true;
    const chosen = file.files[0];
    if (!chosen) {
      showErrors(form, new ApiError(422, { error: { message: "Pilih file dokumen terlebih dahulu.", details: [{ field: "file", message: "Pilih file." }] } }));
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    note.textContent = `Mengunggah ${chosen.name} …`;
    try {
      const body = { doc_type: item.doc_type, filename: chosen.name, content_type: chosen.type || "application/octet-stream", size: chosen.size };
      if (expiry && expiry.value) body.expires_on = expiry.value;
      const grant = await api("POST", `/media/${company.id}/documents/uploads`, body);
      await uploadToStorage(grant, chosen, progress);
      note.textContent = "Memeriksa file …";
      await api("POST", `/media/${company.id}/documents/uploads/${grant.upload_id}/confirm`);
      note.textContent = "Dokumen tersimpan.";
      await refresh(`${item.label}: dokumen tersimpan.`);
    } catch (error) {
      note.textContent = "";
      progress.hidden = true;
      const problem = error instanceof ApiError ? error : new ApiError(0, null);
      // The API names content_type/size; on this form both are about the chosen file.
      problem.details = problem.details.map((d) => (["content_type", "size", "doc_type"].includes(d.field) ? { ...d, field: "file" } : d));
      showErrors(form, problem);
    } finally {
      button.disabled = false;
    }
  });
  li.append(form);
  return li;
}

async function partnerPortal(panel) {
  const pageStatus = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);

  async function refresh(message) {
    const overview = await myCompanyOr(pageStatus);
    if (!overview) return;
    const company = overview.company;
    field("media_name").textContent = `${company.profile.media_name} — ${company.profile.legal_name}`;
    field("status_label").textContent = company.status_label;
    field("verified_until").textContent = company.verified_until ? `, sampai ${showDate(company.verified_until)}` : "";
    const reasons = [...company.decision_reasons];
    for (const item of overview.checklist) if (item.problem && item.document) reasons.push(`${item.label}: ${item.problem}`);
    field("reasons").replaceChildren(...reasons.map((r) => el("li", { text: r })));
    part("reasons").hidden = !(company.status === "REVISION_REQUESTED" || company.status === "REJECTED") || !reasons.length;
    part("edit-link").hidden = !company.editable;
    field("checklist").replaceChildren(...overview.checklist.map((item) => checklistItem(company, item, refresh)));
    part("summary").hidden = false;
    part("documents").hidden = false;

    const submit = part("submit");
    submit.hidden = !company.editable;
    field("missing").textContent = overview.missing.length
      ? `Belum bisa diajukan. Lengkapi dulu: ${overview.missing.join("; ")}.`
      : "Semua dokumen wajib sudah ada. Periksa kembali data Anda, lalu ajukan verifikasi.";
    const button = part("submit-button");
    button.disabled = !overview.can_submit;
    button.onclick = async () => {
      button.disabled = true;
      const note = part("submit-status");
      note.textContent = "Mengajukan …";
      try {
        await api("POST", `/media/${company.id}/submit`, { version: company.version });
        await refresh("Pengajuan terkirim. Verifikator akan memeriksa data dan dokumen Anda.");
      } catch (error) {
        note.textContent = error.message;
        button.disabled = false;
      }
    };
    pageStatus.textContent = message || `Anda masuk sebagai pengelola ${company.profile.media_name}.`;
  }
  await refresh();
}

// -- public list -------------------------------------------------------------------

async function partnerList(panel) {
  const status = panel.querySelector(".seklik-status");
  const table = panel.querySelector("table");
  try {
    const { partners } = await api("GET", "/public/partners");
    const rows = partners.map((p) => {
      const link = el("a", { href: p.website, rel: "noopener", text: p.website.replace(/^https?:\/\//, "") });
      return el("tr", {},
        el("td", {}, el("strong", { text: p.media_name }), el("br"), el("small", { text: p.legal_name })),
        el("td", { text: MEDIA_TYPES[p.media_type] || p.media_type }),
        el("td", {}, link),
        el("td", { text: showDate(p.verified_until) }));
    });
    table.tBodies[0].replaceChildren(...rows);
    table.hidden = rows.length === 0;
    status.textContent = rows.length ? `${rows.length} mitra terverifikasi.` : "Belum ada mitra terverifikasi.";
  } catch (error) {
    status.textContent = error.message;
  }
}

// -- activation (the link in the registration mail) ---------------------------------

function activationPage(panel) {
  const form = panel.querySelector("form");
  const token = new URLSearchParams(location.search).get("token") || "";
  if (!token) {
    form.querySelector(".seklik-status").textContent = "Tautan ini tidak lengkap. Buka tautan dari surel pendaftaran apa adanya.";
    form.querySelector("button").disabled = true;
    return;
  }
  // A form, not an automatic request: a mail scanner that opens links activates nothing, and the password
  // proves the registrant is the one who filled in the form.
  wireForm(form, async (values) => {
    const { company } = await api("POST", "/media/activations", { token, password: values.password });
    const login = el("a", { href: `${siteUrl("masuk/")}?next=${encodeURIComponent(siteUrl("mitra/portal/"))}`,
      class: "md-button md-button--primary", text: "Masuk ke portal mitra" });
    const done = el("div", { role: "status" }, el("p", { text: `Akun ${company.profile.media_name} aktif. Masuk ` +
      "dengan email dan kata sandi yang Anda daftarkan untuk mengunggah dokumen dan mengajukan verifikasi." }), login);
    form.replaceWith(done);
  });
}

register("register-form", registerForm);
register("registration-activation", activationPage);
register("profile-form", profileForm);
register("partner-portal", partnerPortal);
register("partner-list", partnerList);
