// The bulk order form on the orders console: one release to several partners, one order each, all-or-nothing
// per partner; the table says which were issued (number and total) and which were refused (the API's reason).

import { api, el, nestedValues, siteUrl, toLogin } from "./seklik.js";
import { cell, encode, options, partnerName, problem, rupiah, wire } from "./bersama.js";
import { budgetOptions, releasePicker, slotPicker, yearOptions } from "./pesanan-isian.js";

export async function bulkForm(form, results, partners, releases, loadList) {
  const year = form.querySelector("[data-role=year]");
  const product = form.querySelector("[name=product_code]");
  const budget = form.querySelector("[name=budget_line]");
  const box = form.querySelector("[data-field=partners]");
  const partnersNote = form.querySelector("[data-field=partners-note]");
  const detail = (id) => `${siteUrl("konsol/rincian-pesanan/")}?id=${encode(id)}`;

  // The partners, one checkbox each; the group's message sits under the last one.
  const list = partners || [];
  box.replaceChildren(...list.map((p, n) => el("div", { class: "seklik-field seklik-field--check" },
    el("input", { type: "checkbox", id: `m-partner-${n}`, name: "company_ids", value: p.id }),
    el("label", { for: `m-partner-${n}`, text: `${p.media_name} (${p.legal_name})` }))),
  el("p", { class: "seklik-field-error", id: "m-partner-0-error", hidden: true }));
  partnersNote.textContent = partners === null
    ? "Daftar mitra terverifikasi tidak dapat dimuat. Muat ulang halaman."
    : list.length ? "Centang mitra yang menerima pesanan." : "Belum ada mitra terverifikasi.";

  await yearOptions(year);
  releasePicker(form, form.querySelector("#m-releases"), form.querySelector("[data-field=bulk-release-title]"), releases);
  // From a release's delivery log (konsol/distribusi/): the same release and partners, ready to order.
  const asked = new URLSearchParams(location.search);
  if (asked.get("rilis")) {
    const release = form.querySelector("[name=release_slug]");
    release.value = asked.get("rilis");
    release.dispatchEvent(new Event("input"));
    const ids = new Set((asked.get("mitra") || "").split(","));
    for (const input of box.querySelectorAll("[name=company_ids]")) input.checked = ids.has(input.value);
    form.closest("details").open = true;  // the form the link was followed for, open
  }
  const slots = slotPicker(form, "m", (n) => [`Tayang ke-${n}`, `Hapus tayang ke-${n}`], () => {});

  async function context() {
    const fiscal = Number(year.value);
    slots.year(fiscal);
    try {
      const [{ products }, { lines }] = await Promise.all([api("GET", "/catalog/products"), api("GET", `/budgets/${fiscal}`)]);
      options(product, products.map((p) => [p.code, `${p.name} (${p.unit})`]));
      budgetOptions(budget, lines, fiscal);
    } catch (error) {
      if (error.status === 401) return toLogin();
      partnersNote.textContent = error.message;
    }
  }
  year.addEventListener("change", context);
  await context();

  function show(outcomes) {
    results.querySelector("tbody").replaceChildren(...outcomes.map((r) => {
      const name = r.order?.partner_name || partnerName(partners, r.company_id);
      if (r.ok) {
        const order = r.order;
        return el("tr", { "data-company": r.company_id },
          el("th", { scope: "row", text: name }), cell("Terbit"),
          el("td", {}, el("a", { href: detail(order.id), text: order.number })),
          cell(rupiah(order.total), true), cell(`${order.quantity} × ${rupiah(order.unit_price)}`));
      }
      const more = r.error.details.map((d) => d.message).filter((m) => m && m !== r.error.message);
      return el("tr", { "data-company": r.company_id },
        el("th", { scope: "row", text: name }), cell("Ditolak"), cell("—"), cell("—", true),
        cell([r.error.message, ...more].join(" ")));
    }));
    results.hidden = false;
  }

  wire(form, async (_, status) => {
    const values = nestedValues(form);
    const chosen = [...box.querySelectorAll("[name=company_ids]:checked")].map((input) => input.value);
    if (!chosen.length) throw problem("Centang paling sedikit satu mitra penerima.", "company_ids", "Centang mitra penerima.");
    const body = {
      company_ids: chosen, product_code: values.product_code ?? "", budget_line: values.budget_line ?? "",
      release_slug: values.release_slug ?? "", slots: slots.body(values),
    };
    const { results: outcomes } = await api("POST", "/orders/bulk", body);
    show(outcomes);
    // Partners whose order was issued are unticked, so sending again reaches only the refused ones.
    for (const outcome of outcomes.filter((o) => o.ok)) {
      const input = box.querySelector(`[value="${CSS.escape(outcome.company_id)}"]`);
      if (input) input.checked = false;
    }
    const issued = outcomes.filter((o) => o.ok);
    const refused = outcomes.length - issued.length;
    const total = issued.reduce((sum, o) => sum + o.order.total, 0);
    const summary = `${issued.length} dari ${outcomes.length} pesanan terbit`
      + (issued.length ? ` (jumlah ${rupiah(total)})` : "")
      + (refused ? `; ${refused} ditolak, alasannya di tabel hasil. Mitra yang pesanannya terbit tidak lagi dicentang.` : ".");
    await loadList(summary);
    await context();
    status.textContent = summary;
  }, () => ({ ...slots.aliases(), company_ids: "company_ids" }));
}
