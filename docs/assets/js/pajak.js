// The taxes to deposit and their NTPN (konsol/pajak/).

import { api, el, nestedValues, register, showDate } from "./seklik.js";
import { cell, loadFailed, problem, rupiah, signedIn, wire } from "./bersama.js";

async function taxesPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, "konsol/pajak/");
  if (!user) return;
  const body = panel.querySelector("[data-field=outstanding]");
  const form = panel.querySelector("[data-role=deposit]");
  async function refresh(message) {
    let outstanding;
    try {
      ({ outstanding } = await api("GET", "/taxes/outstanding"));
    } catch (error) {
      return loadFailed(error, status);
    }
    body.replaceChildren(...outstanding.map((d, n) => el("tr", {},
      el("td", {}, el("input", { type: "checkbox", name: "invoice_ids", value: d.invoice_id, "data-kind": d.kind, "aria-label": `Pilih ${d.kind_label} tagihan ${d.partner_invoice_number}`, id: `t-${n}` })),
      cell(d.kind_label), cell(`${d.partner_name} — ${d.partner_invoice_number}`), cell(d.sp2d_number), cell(d.masa),
      cell(rupiah(d.amount), true), cell(`${showDate(d.due_on)}${d.overdue ? " (lewat jatuh tempo)" : ""}`))));
    panel.querySelector("[data-role=table]").hidden = outstanding.length === 0;
    form.hidden = !user.roles.includes("finance") || outstanding.length === 0;
    const soon = outstanding.filter((d) => d.overdue || (new Date(`${d.due_on}T00:00:00+07:00`) - new Date()) < 7 * 864e5);
    status.textContent = message || (outstanding.length
      ? `${outstanding.length} pajak belum disetor${soon.length ? `; ${soon.length} jatuh tempo dalam seminggu atau sudah lewat` : ""}.`
      : "Semua pajak yang dipungut dan dipotong sudah disetor.");
  }
  wire(form, async () => {
    const chosen = [...panel.querySelectorAll("[name=invoice_ids]:checked")];
    if (!chosen.length) throw problem("Centang pajak yang disetor.", "kind", "Centang paling sedikit satu baris.");
    const kinds = new Set(chosen.map((c) => c.dataset.kind));
    if (kinds.size > 1) throw problem("Satu setoran untuk satu jenis pajak.", "kind", "Pilih PPN saja atau PPh 23 saja.");
    const values = nestedValues(form);
    await api("POST", "/taxes/deposits", { kind: [...kinds][0], invoice_ids: chosen.map((c) => c.value),
      billing_code: values.billing_code || "", ntpn: values.ntpn || "", deposited_on: values.deposited_on || "" });
    form.reset();
    await refresh("Setoran tercatat.");
  }, { invoice_ids: "kind" });
  await refresh();
}

register("taxes", taxesPage);
