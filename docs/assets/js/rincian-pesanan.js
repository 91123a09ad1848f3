// One order for staff (konsol/rincian-pesanan/): its material, slots, proofs, letter, cancel.

import { api, el, register, showTime } from "./seklik.js";
import {
  download, encode, fieldBox, loadFailed, materialView, may, partnerName, problem, row, rupiah, signedIn, slotWhen,
  statusLine, summaryBox, verifiedPartners, wire,
} from "./bersama.js";

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
  const user = await signedIn(status, "konsol/rincian-pesanan/");
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

register("order-detail", orderDetail);
