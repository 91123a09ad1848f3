// Sending a release to the press (konsol/distribusi/): choose the recipients, preview, send,
// and follow the delivery log as the outbox worker sends; resend what failed; go on to order.

import { api, el, nestedValues, register, showTime, siteUrl } from "./seklik.js";
import { cell, encode, loadFailed, problem, signedIn, wire } from "./bersama.js";

const POLL_MS = 3000;
const STATUS = { QUEUED: "Dalam antrean", SENT: "Terkirim", FAILED: "Gagal dikirim", SUPPRESSED: "Tidak dikirim", BOUNCED: "Memantul" };

async function publishedReleases() {
  try {
    const response = await fetch(siteUrl("releases.json"), { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).releases : [];
  } catch {
    return [];
  }
}

// The recipients as the API takes them, from the form's choice.
function recipients(form) {
  const way = form.querySelector("[name=way]:checked").value;
  const checked = (name) => [...form.querySelectorAll(`[name=${name}]:checked`)].map((i) => i.value);
  if (way === "all") return { all_partners: true };
  if (way === "types") {
    const types = checked("media_types");
    if (!types.length) throw problem("Centang paling sedikit satu jenis media.", "way", "Centang jenis media.");
    return { media_types: types };
  }
  if (way === "list") {
    const id = form.querySelector("[name=list_id]").value;
    if (!id) throw problem("Belum ada daftar tersimpan; pilih mitra lalu beri nama daftarnya.", "way");
    return { list_id: id };
  }
  const ids = checked("company_ids");
  if (!ids.length) throw problem("Centang paling sedikit satu mitra penerima.", "way", "Centang mitra penerima.");
  return { company_ids: ids };
}

function shareLink(release) {
  const text = `${release.title} ${release.url}`;
  return el("a", { href: `https://wa.me/?text=${encode(text)}`, rel: "noopener", target: "_blank", class: "md-button",
    text: "Bagikan lewat WhatsApp" });
}

async function distributionPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, "konsol/distribusi/");
  if (!user) return;
  const part = (name) => panel.querySelector(`[data-role=${name}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const releaseForm = part("release-form");
  const sendForm = part("send-form");
  const published = await publishedReleases();
  panel.querySelector("#d-releases").replaceChildren(...published.slice(0, 300).map((r) => el("option", { value: r.slug, text: r.title })));
  releaseForm.hidden = false;
  status.textContent = "Pilih siaran pers yang akan dikirim atau yang log pengirimannya ingin dilihat.";

  // The radio choice shows its own options.
  for (const radio of sendForm.querySelectorAll("[name=way]")) {
    radio.addEventListener("change", () => {
      for (const way of ["types", "list", "picked"]) part(way).hidden = sendForm.querySelector("[name=way]:checked").value !== way;
    });
  }
  panel.querySelector("#d-find").addEventListener("input", (event) => {
    const wanted = event.target.value.trim().toLowerCase();
    for (const box of field("partners").children) box.hidden = wanted && !box.textContent.toLowerCase().includes(wanted);
  });

  let slug = null;
  let timer = null;

  async function loadLists() {
    const { lists } = await api("GET", "/recipient-lists");
    sendForm.querySelector("[name=list_id]").replaceChildren(...lists.map((l) => el("option", { value: l.id, text: `${l.name} (${l.company_ids.length} mitra)` })));
  }

  async function loadPartners() {
    // Every verified partner, by name, from the preview of "all partners" (nothing is written).
    const { recipients: all } = await api("POST", `/releases/${encode(slug)}/distributions/preview`, { recipients: { all_partners: true } });
    field("partners").replaceChildren(...all.map((r, n) => el("div", { class: "seklik-field seklik-field--check" },
      el("input", { type: "checkbox", id: `d-partner-${n}`, name: "company_ids", value: r.company_id }),
      el("label", { for: `d-partner-${n}`, text: `${r.media_name} (${r.email})${r.already_sent_at ? " — sudah dikirimi" : ""}` }))));
  }

  async function loadLog() {
    const logStatus = part("log-status");
    let log;
    try {
      log = await api("GET", `/releases/${encode(slug)}/distributions`);
    } catch (error) {
      return loadFailed(error, logStatus);
    }
    const lines = log.distributions;
    field("log").replaceChildren(...lines.map((d) => el("tr", { "data-company": d.company_id },
      el("th", { scope: "row", text: d.media_name }), cell(d.email), cell(d.variant === "embargoed" ? "Berembargo" : "Publik"),
      cell(showTime(d.at)), cell(d.mail ? d.mail.status_label : "—"), cell(d.mail?.sent_at ? showTime(d.mail.sent_at) : "—"),
      cell(d.mail?.last_error || "—"))));
    part("log").hidden = lines.length === 0;
    const counts = log.counts;
    const waiting = counts.QUEUED || 0;
    logStatus.textContent = lines.length
      ? `${lines.length} penerima: ${Object.entries(counts).filter(([, n]) => n).map(([s, n]) => `${n} ${STATUS[s].toLowerCase()}`).join(", ")}.`
      : "Rilis ini belum dikirim ke mitra mana pun.";
    part("resend").hidden = !((counts.FAILED || 0) + (counts.BOUNCED || 0));
    const orderLink = part("order-link");
    orderLink.hidden = lines.length === 0 || !user.roles.includes("orders");
    orderLink.href = `${siteUrl("konsol/pesanan/")}?rilis=${encode(slug)}&mitra=${lines.map((d) => encode(d.company_id)).join(",")}#pesanan-massal`;
    clearTimeout(timer);
    if (waiting) timer = setTimeout(loadLog, POLL_MS); // the worker is still sending: follow it
  }

  wire(releaseForm, async (_, formStatus) => {
    const wanted = releaseForm.querySelector("[name=slug]").value.trim();
    if (!wanted) throw problem("Pilih atau ketik slug siaran pers.", "slug", "Wajib diisi.");
    let log;
    try {
      log = await api("GET", `/releases/${encode(wanted)}/distributions`);
    } catch (error) {
      if (error.status === 404) throw problem(error.message, "slug", error.message);
      throw error;
    }
    slug = wanted;
    const release = log.release;
    const onNewsroom = published.some((r) => r.slug === slug);
    field("title").textContent = release ? release.title : slug;
    field("release-note").textContent = !release
      ? "Rilis ini tidak lagi dapat dikirim (kembali menjadi draf atau dihapus); lognya tetap ada."
      : onNewsroom ? `Terbit di newsroom: ${release.url}`
      : release.embargo_until ? `Berembargo hingga ${showTime(release.embargo_until)}: hanya dikirim ke mitra terverifikasi, dengan banner EMBARGO.`
      : "Belum terbit di newsroom.";
    // No public share before the page exists: an embargo is a promise to the partners.
    field("share").replaceChildren(...(release && onNewsroom ? [shareLink(release)] : []));
    part("release").hidden = false;
    part("preview").hidden = true;
    formStatus.textContent = "";
    await Promise.all([loadLog(), loadLists(), release ? loadPartners().catch(() => {}) : null]);
  }, { slug: "slug" });

  wire(sendForm, async (action, formStatus) => {
    const chosen = recipients(sendForm);
    const listName = nestedValues(sendForm).list_name;
    if (action === "preview") {
      const preview = await api("POST", `/releases/${encode(slug)}/distributions/preview`, { recipients: chosen });
      const fresh = preview.recipients.filter((r) => !r.already_sent_at).length;
      field("preview-summary").textContent = `${preview.recipients.length} penerima; ${fresh} akan dikirimi, ${preview.recipients.length - fresh} sudah pernah menerima rilis ini.`
        + (preview.embargoed ? " Surel memuat banner EMBARGO." : "");
      field("subject").textContent = preview.mail.subject;
      field("html").srcdoc = preview.mail.html;
      field("text").textContent = preview.mail.text;
      part("preview").hidden = false;
      formStatus.textContent = "Pratinjau di bawah. Tekan Kirim bila sudah sesuai.";
      return;
    }
    if (listName && chosen.company_ids) {
      await api("POST", "/recipient-lists", { name: listName, company_ids: chosen.company_ids });
      await loadLists();
    }
    const sent = await api("POST", `/releases/${encode(slug)}/distributions`, { recipients: chosen });
    formStatus.textContent = `${sent.queued.length} surel masuk antrean`
      + (sent.already.length ? `; ${sent.already.length} mitra sudah pernah menerima rilis ini dan tidak dikirimi lagi.` : ".");
    await loadLog();
  }, { "recipients": "way", "recipients.company_ids": "way", "recipients.list_id": "way", "recipients.media_types": "way" });

  part("resend").addEventListener("click", async () => {
    const logStatus = part("log-status");
    try {
      const { queued_again: again } = await api("POST", `/releases/${encode(slug)}/distributions/resend`);
      await loadLog();
      logStatus.textContent = `${again} surel masuk antrean lagi. ${logStatus.textContent}`;
    } catch (error) {
      logStatus.textContent = error.message;
    }
  });

  const asked = new URLSearchParams(location.search).get("rilis");
  if (asked) {
    releaseForm.querySelector("[name=slug]").value = asked;
    releaseForm.requestSubmit();
  }
}

register("distribution", distributionPage);
