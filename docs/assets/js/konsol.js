// Staff console pages: the verification queue and a company's verification page.

import { api, el, MEDIA_TYPES, register, showDate, showTime, siteUrl, toLogin, wireForm } from "./seklik.js";

const ACTIONS = {
  "company.registered": "Mendaftar",
  "company.updated": "Mengubah profil",
  "company.submitted": "Mengajukan verifikasi",
  "company.verified": "Memverifikasi perusahaan",
  "company.revision_requested": "Meminta perbaikan",
  "company.rejected": "Menolak perusahaan",
  "company.verification_expiring": "Peringatan: verifikasi segera berakhir",
  "company.verification_expired": "Masa verifikasi berakhir",
  "document.uploaded": "Mengunggah dokumen",
  "document.accepted": "Menerima dokumen",
  "document.rejected": "Menolak dokumen",
  "document.expiring": "Peringatan: dokumen segera kedaluwarsa",
  "document.expired": "Dokumen kedaluwarsa",
};

function handleLoad(error, status) {
  if (error.status === 401) return toLogin();
  status.textContent = error.status === 403
    ? "Halaman ini hanya untuk verifikator. Masuk dengan akun verifikator."
    : error.message;
}

// -- the queue -----------------------------------------------------------------------

function verificationQueue(panel) {
  const filters = panel.querySelector("[data-role=filters]");
  const status = panel.querySelector("[data-role=page-status]");
  const table = panel.querySelector("table");
  const more = panel.querySelector("[data-role=more]");
  let cursor = null;

  async function load(append) {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(filters)) if (value) query.set(name, value);
    if (append && cursor) query.set("after", cursor);
    status.textContent = "Memuat antrean …";
    let page;
    try {
      page = await api("GET", `/verification/queue?${query}`);
    } catch (error) {
      return handleLoad(error, status);
    }
    const rows = page.companies.map((c) => el("tr", {},
      el("td", {}, el("a", { href: `${siteUrl("konsol/perusahaan/")}?id=${encodeURIComponent(c.id)}`, text: c.media_name }),
        c.identity_clashes.length ? el("span", { class: "seklik-hint", text: ` (sama dengan perusahaan lain: ${c.identity_clashes.join(", ")})` }) : ""),
      el("td", { text: c.legal_name }),
      el("td", { text: MEDIA_TYPES[c.media_type] || c.media_type }),
      el("td", { text: showTime(c.status_since) })));
    if (append) table.tBodies[0].append(...rows);
    else table.tBodies[0].replaceChildren(...rows);
    cursor = page.next;
    more.hidden = !cursor;
    const count = table.tBodies[0].rows.length;
    table.hidden = count === 0;
    status.textContent = count ? `${count} perusahaan, yang paling lama menunggu di atas.` : "Tidak ada perusahaan dengan status ini.";
  }

  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    load(false);
  });
  more.addEventListener("click", () => load(true));
  load(false);
}

// -- one company -------------------------------------------------------------------------

const PROFILE_ROWS = [
  ["Badan hukum", (p) => `${p.legal_form} — ${p.legal_name}`],
  ["Jenis media", (p) => MEDIA_TYPES[p.media_type] || p.media_type],
  ["Situs", (p) => p.website],
  ["NPWP", (p) => p.npwp + (p.pkp ? " (PKP)" : "")],
  ["NIB / KBLI", (p) => `${p.nib} / ${p.kbli}`],
  ["Akta", (p) => `No. ${p.deed_number}, ${showDate(p.deed_date)}; SK ${p.sk_kemenkumham}`],
  ["Berdiri", (p) => showDate(p.established)],
  ["Alamat redaksi", (p) => `${p.address.street}, ${p.address.district}, ${p.address.regency}, ${p.address.province} ${p.address.postal_code}`],
  ["Telepon / email", (p) => `${p.phone} / ${p.email}`],
  ["Pemimpin redaksi", (p) => `${p.editor_in_chief.name} (UKW ${p.editor_in_chief.ukw_level}, ${p.editor_in_chief.ukw_certificate})`],
  ["Dewan Pers", (p) => p.dewan_pers_status + (p.dewan_pers_certificate ? ` — ${p.dewan_pers_certificate}, ${showDate(p.dewan_pers_date)}` : "")],
  ["Jangkauan", (p) => `${p.reach.toLocaleString("id-ID")}${p.reach_area ? ` — ${p.reach_area}` : ""}`],
  ["Rekening", (p) => `${p.bank_account.bank} ${p.bank_account.number} a.n. ${p.bank_account.holder}`],
  ["Narahubung", (p) => `${p.contact_person.name}, ${p.contact_person.phone}, ${p.contact_person.email}`],
];

function documentRow(companyId, item, submitted, reload) {
  const doc = item.document;
  const li = el("li", { class: "seklik-checklist__item", "data-doc-type": item.doc_type },
    el("h3", { text: item.label + (item.required ? "" : " (opsional)") }));
  if (!doc) {
    li.append(el("p", { text: item.required ? "Belum diunggah." : "Tidak diunggah." }));
    return li;
  }
  const open = el("button", { type: "button", class: "md-button", text: `Buka ${doc.filename}` });
  const note = el("p", { class: "seklik-status", role: "status", "aria-live": "polite" });
  open.addEventListener("click", async () => {
    try {
      const link = await api("GET", `/media/${companyId}/documents/${doc.id}/download`);
      location.assign(link.url); // an attachment: the browser downloads it and stays here
    } catch (error) {
      note.textContent = error.message;
    }
  });
  li.append(
    el("p", {}, el("strong", { text: doc.status_label }),
      ` — diunggah ${showTime(doc.uploaded_at)}, ${(doc.size / 1024).toFixed(0)} KB`,
      doc.expires_on ? `, berlaku sampai ${showDate(doc.expires_on)}` : "",
      doc.review_reason ? `. Alasan: ${doc.review_reason}` : ""),
    el("p", { class: "seklik-hint", text: `SHA-256 ${doc.sha256}` }),
    open);
  if (submitted) {
    const reasonId = `reason-${item.doc_type}`;
    const reason = el("input", { id: reasonId, type: "text", maxlength: "500" });
    const accept = el("button", { type: "button", class: "md-button md-button--primary", text: "Terima" });
    const reject = el("button", { type: "button", class: "md-button", text: "Tolak" });
    const decide = async (decision) => {
      accept.disabled = reject.disabled = true;
      try {
        await api("POST", `/verification/${companyId}/documents/${doc.id}`, { decision, reason: reason.value || null, version: doc.version });
        await reload(`${item.label}: ${decision === "accepted" ? "diterima" : "ditolak"}.`);
      } catch (error) {
        note.textContent = error.message;
        accept.disabled = reject.disabled = false;
      }
    };
    accept.addEventListener("click", () => decide("accepted"));
    reject.addEventListener("click", () => decide("rejected"));
    li.append(el("div", { class: "seklik-field" },
      el("label", { for: reasonId, text: "Alasan penolakan (wajib jika ditolak)" }), reason), accept, reject);
  }
  li.append(note);
  return li;
}

function changeText(changes) {
  return Object.entries(changes || {})
    .map(([name, c]) => `${name}: ${c.before ?? "—"} → ${c.after ?? "—"}`)
    .join("; ");
}

async function verificationCompany(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const id = new URLSearchParams(location.search).get("id");
  if (!id) {
    status.textContent = "Pilih perusahaan dari antrean verifikasi.";
    return;
  }
  const form = part("decision-form");
  let version = null;

  async function reload(message) {
    let view;
    try {
      view = await api("GET", `/verification/${encodeURIComponent(id)}`);
    } catch (error) {
      return handleLoad(error, status);
    }
    const company = view.company;
    version = company.version;
    const p = company.profile;
    field("media_name").textContent = p.media_name;
    field("status_label").textContent = company.status_label
      + (company.verified_until ? ` sampai ${showDate(company.verified_until)}` : "");
    // Identifiers another company holds: told only here, never to the registrant; it cannot be verified so.
    const clashes = field("clashes");
    clashes.hidden = !view.identity_clashes.length;
    clashes.replaceChildren(
      el("p", { class: "admonition-title", text: "Data sama dengan perusahaan lain yang terdaftar" }),
      el("ul", {}, ...view.identity_clashes.map((c) => el("li", {},
        `${c.label}: `,
        c.holder
          ? el("a", { href: `${siteUrl("konsol/perusahaan/")}?id=${encodeURIComponent(c.holder.id)}`,
            text: `${c.holder.media_name} (${c.holder.legal_name}, ${c.holder.status_label})` })
          : "tidak lagi dipakai perusahaan lain; tanda ini hilang saat mitra menyimpan profilnya lagi"))),
      el("p", { text: "Perusahaan ini tidak dapat diverifikasi sebelum datanya diperbaiki. Minta perbaikan, atau tolak bila ini pendaftaran ganda." }));
    field("profile").replaceChildren(...PROFILE_ROWS.flatMap(([label, show]) => [el("dt", { text: label }), el("dd", { text: show(p) })]));
    const submitted = company.status === "SUBMITTED";
    field("checklist").replaceChildren(...view.checklist.map((item) => documentRow(company.id, item, submitted, reload)));
    part("audit").querySelector("tbody").replaceChildren(...view.audit.map((e) => el("tr", {},
      el("td", { text: showTime(e.at) }),
      el("td", { text: e.actor }),
      el("td", { text: ACTIONS[e.action] || e.action }),
      el("td", { text: changeText(e.changes) }),
      el("td", { text: e.reason || "" }))));
    for (const role of ["profile", "documents", "audit"]) part(role).hidden = false;
    part("decision").hidden = !submitted;
    status.textContent = message || (submitted ? "Periksa setiap dokumen, lalu ambil keputusan." : `Status: ${company.status_label}.`);
  }

  wireForm(form, async () => {
    const data = new FormData(form);
    const body = {
      decision: data.get("decision"),
      reasons: String(data.get("reasons") || "").split("\n").map((r) => r.trim()).filter(Boolean),
      version,
    };
    if (data.get("verified_until")) body.verified_until = data.get("verified_until");
    await api("POST", `/verification/${encodeURIComponent(id)}/decision`, body);
    form.reset();
    await reload("Keputusan tersimpan dan email pemberitahuan dikirim ke mitra.");
  });
  await reload();
}

register("verification-queue", verificationQueue);
register("verification-company", verificationCompany);
