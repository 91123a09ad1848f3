// The orders console (konsol/pesanan/): the order list, and the forms to issue one order or a bulk.

import { api, el, nestedValues, newKey, register, showDate, siteUrl, toLogin } from "./seklik.js";
import {
  cell, download, encode, loadFailed, may, offerPartners, options, partnerName, rupiah, signedIn,
  verifiedPartners, wire,
} from "./bersama.js";
import { ordersInPages } from "./daftar.js";
import { budgetOptions, releaseList, releasePicker, slotPicker, yearOptions } from "./pesanan-isian.js";
import { bulkForm } from "./pesanan-massal.js";

async function ordersConsole(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, "konsol/pesanan/");
  if (!user) return;
  const partners = await verifiedPartners();
  const detail = (id) => `${siteUrl("konsol/rincian-pesanan/")}?id=${encode(id)}`;

  // The list.
  const filters = part("filters");
  const listStatus = part("list-status");
  const table = part("table");
  const body = table.querySelector("tbody");
  const orderRow = (order) => {
    const note = el("span", { class: "seklik-status", role: "status", "aria-live": "polite" });
    const letter = el("button", { type: "button", class: "md-button", text: "Unduh surat", "aria-label": `Unduh surat pesanan ${order.number}` });
    letter.addEventListener("click", () => download(`/orders/${encode(order.id)}/letter`, note));
    return el("tr", { "data-order": order.id },
      el("th", { scope: "row" }, el("a", { href: detail(order.id), text: order.number })),
      cell(order.partner_name || partnerName(partners, order.company_id)), cell(order.product_name),
      cell(`${order.quantity} × ${rupiah(order.unit_price)}`, true), cell(rupiah(order.total), true),
      cell(order.status_label), el("td", {}, letter, note));
  };
  let message = null;
  const pages = ordersInPages(table, (orders, more) => {
    if (more) body.append(...orders.map(orderRow));
    else body.replaceChildren(...orders.map(orderRow));
    const shown = body.rows.length;
    table.hidden = shown === 0;
    part("orders").hidden = false;
    listStatus.textContent = message || (shown
      ? `${shown} pesanan${pages.hasMore() ? " pertama" : ""}, yang terakhir berubah di atas.` : "Tidak ada pesanan.");
    message = null;
  });
  async function loadList(note) {
    const chosen = new FormData(filters).get("status");
    listStatus.textContent = "Memuat pesanan …";
    message = note || null;
    try {
      await pages.load(chosen ? { status: chosen } : {});
    } catch (error) {
      return loadFailed(error, listStatus);
    }
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

async function orderForm(form, partners, releases, loadList) {
  const company = form.querySelector("[name=company_id]");
  const year = form.querySelector("[data-role=year]");
  const product = form.querySelector("[name=product_code]");
  const budget = form.querySelector("[name=budget_line]");
  const agreementNote = form.querySelector("[data-field=agreement]");
  const totalNote = form.querySelector("[data-field=total]");
  offerPartners(form.querySelector("[data-role=partner-pick]"), company, partners);

  await yearOptions(year);
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

register("orders-console", ordersConsole);
