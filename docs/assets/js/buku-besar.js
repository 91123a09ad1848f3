// The books: balances, and the numbered journal of a period and kode rekening, with its export
// (konsol/buku-besar/).

import { api, el, register, showDate } from "./seklik.js";
import {
  cell, download, encode, fiscalYears, loadFailed, may, options, pageRoles, rupiah, signedIn, todayWib,
} from "./bersama.js";

const PAGE = "konsol/buku-besar/";

async function ledgerPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, PAGE);
  if (!user) return;
  let books;
  try {
    books = await api("GET", "/ledger");
  } catch (error) {
    return loadFailed(error, status);
  }
  const accounts = part("accounts").querySelector("table");
  accounts.tBodies[0].replaceChildren(...books.accounts.map((a) => {
    const balance = a.normal === "debit" ? a.debit - a.credit : a.credit - a.debit;
    return el("tr", { "data-account": a.code },
      el("th", { scope: "row", text: a.code }), cell(`${a.name} (saldo normal ${a.normal === "debit" ? "debit" : "kredit"})`),
      cell(rupiah(a.debit), true), cell(rupiah(a.credit), true), cell(rupiah(balance), true));
  }));
  accounts.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "2", text: "Jumlah" }),
    cell(rupiah(books.total_debit), true), cell(rupiah(books.total_credit), true), cell("")));
  panel.querySelector("[data-field=balance]").textContent = books.total_debit === books.total_credit
    ? "Jumlah debit sama dengan jumlah kredit: buku seimbang."
    : `Buku tidak seimbang: selisih ${rupiah(Math.abs(books.total_debit - books.total_credit))}. Laporkan kepada administrator.`;
  part("accounts").hidden = false;
  status.textContent = "";
  await journalSection(part, user);
}

// The journal of the period and kode rekening in the address (?from=&to=&kode=), this year to today by default.
// Its form stays whatever the answer, so a period the API refuses can be corrected where it was chosen.
async function journalSection(part, user) {
  const form = part("journal-form");
  const note = part("journal-status");
  const asked = new URLSearchParams(location.search);
  const today = todayWib();
  const from = asked.get("from") || `${today.slice(0, 4)}-01-01`;
  const to = asked.get("to") || today;
  const code = asked.get("kode") || "";
  form.querySelector("[name=from]").value = from;
  form.querySelector("[name=to]").value = to;
  note.textContent = "Memuat jurnal …";
  part("entries").hidden = false;
  const lineBox = form.querySelector("[name=kode]");
  // Entries are posted in one year for orders of its fiscal year or the next: offer the codes of both, and the
  // code asked for even if neither year has it, so the box shows the filter the table is read with.
  const years = [...new Set([from.slice(0, 4), String((await fiscalYears()).default)])];
  const found = await Promise.all(years.map((y) => api("GET", `/budgets/${encode(y)}`).then((b) => b.lines, () => [])));
  const codes = new Map(found.flat().map((l) => [l.code, `${l.code} ${l.name}`]));
  if (code && !codes.has(code)) codes.set(code, code);
  options(lineBox, [["", "Semua"], ...[...codes].sort()], false);
  lineBox.value = code;
  const query = new URLSearchParams({ from, to });
  if (code) query.set("budget_line", code);
  let journal;
  try {
    journal = await api("GET", `/ledger/journal?${query}`);
  } catch (error) {
    part("journal-table").hidden = true;
    part("exports").hidden = true;
    return journalFailed(error, form, note);
  }
  const table = part("journal-table").querySelector("table");
  // An entry's number, date and description head all its lines (rowspan), so each line has its row header.
  table.tBodies[0].replaceChildren(...journal.entries.flatMap((entry) => entry.lines.map((line, n) => {
    const span = String(entry.lines.length);
    const head = n === 0 ? [el("th", { scope: "row", rowspan: span, text: entry.number }),
      el("td", { rowspan: span, text: showDate(entry.date) }), el("td", { rowspan: span, text: entry.description })] : [];
    return el("tr", n === 0 ? { "data-entry": entry.number } : {}, ...head,
      cell(`${line.account} ${line.name}`), cell(line.debit ? rupiah(line.debit) : "", true),
      cell(line.credit ? rupiah(line.credit) : "", true));
  })));
  table.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "4", text: "Jumlah" }),
    cell(rupiah(journal.total), true), cell(rupiah(journal.total), true)));
  part("journal-table").hidden = journal.entries.length === 0;
  const scope = code ? ` pada kode rekening ${code}` : "";
  note.textContent = journal.entries.length
    ? `${journal.entries.length} jurnal ${showDate(from)} – ${showDate(to)}${scope}, terlama di atas.`
    : `Tidak ada jurnal ${showDate(from)} – ${showDate(to)}${scope}.`;
  const exports = part("exports");
  // The API lets the page's readers download the journal too.
  exports.hidden = !may(user, ...pageRoles(PAGE)) || journal.entries.length === 0;
  for (const button of exports.querySelectorAll("button")) {
    button.addEventListener("click", () => download(`/exports/journal?${query}&format=${button.value}`,
      exports.querySelector(".seklik-status")));
  }
}

// The journal refused (a period backwards or across years): say why beside the form and mark the boxes to correct.
function journalFailed(error, form, note) {
  if (error.status === 401 || error.status === 403) return loadFailed(error, note);
  note.textContent = [error.message, ...error.details.map((d) => d.message)].join(" ");
  for (const detail of error.details) {
    const box = form.querySelector(`[name="${CSS.escape(detail.field === "budget_line" ? "kode" : detail.field)}"]`);
    box?.setAttribute("aria-invalid", "true");
    box?.setAttribute("aria-describedby", note.id);
  }
}

register("ledger", ledgerPage);
