// The partner's orders (mitra/pesanan/): accept or decline, then prove each slot.

import { api, ApiError, el, register, showDate, showTime, uploadToStorage } from "./seklik.js";
import {
  download, encode, fieldBox, loadFailed, materialView, partnerUser, problem, row, rupiah,
  slotWhen, statusLine, summaryBox, todayWib, wire,
} from "./bersama.js";
import { allOrders, ordersInPages } from "./daftar.js";

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
      if (order.status === "ACCEPTED" && ["PENDING", "REJECTED"].includes(slot.status)) {
        // The API takes a proof only from the slot's first day (WIB); before it, say when instead of a form.
        li.append(slot.starts_on > todayWib()
          ? el("p", { class: "seklik-hint", text: `Bukti tayang dapat dikirim mulai ${showDate(slot.starts_on)}, tanggal tayangnya.` })
          : proofForm(order, slot, n, refresh));
      }
      return li;
    })));
  }
  return item;
}

async function partnerOrders(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const list = panel.querySelector("[data-field=orders]");
  if (!(await partnerUser(status))) return;

  // Newest first, a page at a time; what waits for an answer is counted over all of them.
  let note = null;
  const pages = ordersInPages(list, (orders, more) => {
    const items = orders.map((order) => partnerOrder(order, refresh));
    if (more) list.append(...items);
    else list.replaceChildren(...items);
    const shown = list.children.length;
    status.textContent = note || (!shown
      ? "Belum ada pesanan untuk perusahaan Anda."
      : `${shown} pesanan${pages.hasMore() ? " terbaru" : ""}${waiting ? `, ${waiting} menunggu jawaban Anda` : ""}.`);
    note = null;
  });
  let waiting = 0;
  async function refresh(message) {
    note = message || null;
    try {
      waiting = (await allOrders({ status: "ISSUED" })).length;
      await pages.load();
    } catch (error) {
      return loadFailed(error, status);
    }
  }
  await refresh();
}

register("partner-orders", partnerOrders);
