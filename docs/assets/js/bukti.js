// Proofs of publication waiting for a verifier (konsol/bukti/).

import { el, register, showTime, siteUrl } from "./seklik.js";
import { cell, encode, loadFailed, partnerName, signedIn, verifiedPartners } from "./bersama.js";
import { allOrders } from "./daftar.js";

async function proofQueue(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  if (!(await signedIn(status, "konsol/bukti/"))) return;
  let orders;
  try {
    orders = await allOrders({ status: "ACCEPTED" });
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

register("proof-queue", proofQueue);
