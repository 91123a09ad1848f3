// The books: balances and journal entries (konsol/buku-besar/).

import { api, el, register, showTime } from "./seklik.js";
import { cell, loadFailed, rupiah, signedIn } from "./bersama.js";

async function ledgerPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  if (!(await signedIn(status, ["finance", "admin", "orders"]))) return;
  let books;
  try {
    books = await api("GET", "/ledger");
  } catch (error) {
    return loadFailed(error, status);
  }
  const names = Object.fromEntries(books.accounts.map((a) => [a.code, a.name]));
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
  const entries = part("entries").querySelector("tbody");
  entries.replaceChildren(...books.entries.flatMap((entry) => entry.lines.map((line, n) => el("tr", {},
    cell(n === 0 ? showTime(entry.posted_at) : ""), cell(n === 0 ? entry.description : ""),
    cell(`${line.account} ${names[line.account] || ""}`),
    cell(line.debit ? rupiah(line.debit) : "", true), cell(line.credit ? rupiah(line.credit) : "", true)))));
  part("accounts").hidden = false;
  part("entries").hidden = books.entries.length === 0;
  status.textContent = books.entries.length ? `${books.entries.length} jurnal terbaru.` : "Belum ada jurnal.";
}

register("ledger", ledgerPage);
