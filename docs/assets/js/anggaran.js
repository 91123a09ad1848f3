// Budget lines (kode rekening) and their pagu (konsol/anggaran/).

import { api, el, nestedValues, register, rupiahValue } from "./seklik.js";
import {
  cell, encode, fieldBox, loadFailed, may, rupiah, signedIn, statusLine, summaryBox, wire, workingYear,
} from "./bersama.js";

async function budgetPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, "konsol/anggaran/");
  if (!user) return;
  const year = await workingYear();
  part("year-form").querySelector("[name=year]").value = String(year);
  const table = part("lines").querySelector("table");

  // A line's pagu, changed with a reason; the API refuses a pagu below what orders have reserved.
  function ceilingItem(line, n) {
    const amount = el("input", { name: "ceiling", type: "text", inputmode: "numeric", required: true, autocomplete: "off" });
    const reason = el("input", { name: "reason", type: "text", required: true, maxlength: "500", autocomplete: "off" });
    const form = el("form", { class: "seklik-form", novalidate: true });
    form.append(summaryBox(),
      fieldBox(`c-ceiling-${n}`, "Pagu baru (rupiah)", amount,
        `Sekarang ${rupiah(line.ceiling)}; sudah dicadangkan ${rupiah(line.reserved)}. Pagu tidak boleh di bawah yang sudah dicadangkan.`),
      fieldBox(`c-reason-${n}`, "Alasan perubahan", reason, "Misalnya nomor dokumen pergeseran atau perubahan anggaran; tercatat di jejak audit."),
      el("button", { type: "submit", class: "md-button md-button--primary", text: `Simpan pagu ${line.code}` }),
      statusLine());
    wire(form, async () => {
      const { line: saved } = await api("POST", `/budgets/${year}/lines/${encode(line.code)}/ceiling`,
        { ceiling: amount.value.trim() === "" ? "" : rupiahValue(amount.value), version: line.version, reason: reason.value.trim() });
      await reload(`Pagu ${saved.code} kini ${rupiah(saved.ceiling)}; sisa ${rupiah(saved.remaining)}.`);
    });
    return el("li", { class: "seklik-checklist__item", "data-ceiling": line.code },
      el("details", {}, el("summary", { text: `Ubah pagu ${line.code} ${line.name}` }), form));
  }

  async function reload(message) {
    let budget;
    try {
      budget = await api("GET", `/budgets/${year}`);
    } catch (error) {
      return loadFailed(error, status);
    }
    const lines = budget.lines;
    panel.querySelector("[data-field=caption]").textContent = `Anggaran tahun ${year}`;
    table.tBodies[0].replaceChildren(...lines.map((line) => el("tr", { "data-line": line.code },
      el("th", { scope: "row", text: line.code }), cell(line.name), cell(rupiah(line.ceiling), true),
      cell(rupiah(line.reserved), true), cell(rupiah(line.remaining), true))));
    const sum = (key) => rupiah(lines.reduce((total, line) => total + line[key], 0));
    table.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "2", text: "Jumlah" }),
      cell(sum("ceiling"), true), cell(sum("reserved"), true), cell(sum("remaining"), true)));
    part("lines").hidden = lines.length === 0;
    part("add").hidden = !may(user, "finance");
    if (may(user, "finance")) panel.querySelector("[data-field=ceilings]").replaceChildren(...lines.map(ceilingItem));
    part("ceilings").hidden = !may(user, "finance") || lines.length === 0;
    status.textContent = message || (lines.length
      ? `${lines.length} kode rekening tahun ${year}.`
      : `Belum ada kode rekening untuk tahun ${year}.`);
  }

  const form = part("line-form");
  wire(form, async () => {
    const { line } = await api("POST", `/budgets/${year}/lines`, nestedValues(form));
    form.reset();
    await reload(`Kode rekening ${line.code} ditambahkan dengan pagu ${rupiah(line.ceiling)}.`);
  });
  await reload();
}

register("budget", budgetPage);
