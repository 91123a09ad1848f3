// Rate negotiation and agreements (PKS) on the staff side (konsol/negosiasi/).

import { api, ApiError, el, nestedValues, register, showDate, uploadToStorage } from "./seklik.js";
import {
  checkBox, download, encode, fieldBox, loadFailed, may, offerPartners, problem, renderThread, row, rupiah, signedIn,
  verifiedPartners, wire, workingYear,
} from "./bersama.js";

async function negotiationPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const params = new URLSearchParams(location.search);
  const companyId = (params.get("company") || "").trim();
  const chooser = part("choose");
  if (companyId) chooser.querySelector("[name=company]").value = companyId;
  const user = await signedIn(status, "konsol/negosiasi/");
  if (!user) return;
  const year = await workingYear();
  const yearBox = chooser.querySelector("[name=year]");
  if (!yearBox.value) yearBox.value = String(year);
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

register("negotiation", negotiationPage);
