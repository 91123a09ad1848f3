// The finance reports and their files (konsol/laporan/).

import { api, el, register, showDate, toLogin } from "./seklik.js";
import { cell, download, encode, rupiah, signedIn, todayWib } from "./bersama.js";

async function reportsPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, "konsol/laporan/");
  if (!user) return;
  const form = panel.querySelector("[data-role=period]");
  const year = () => form.querySelector("[name=year]").value;
  const period = () => `from=${encode(form.querySelector("[name=from]").value)}&to=${encode(form.querySelector("[name=to]").value)}`;
  if (!form.querySelector("[name=to]").value) form.querySelector("[name=to]").value = todayWib();
  if (!form.querySelector("[name=from]").value) form.querySelector("[name=from]").value = `${todayWib().slice(0, 4)}-01-01`;
  if (!year()) form.querySelector("[name=year]").value = todayWib().slice(0, 4);

  function bookRows(book) {
    return book.lines.map((line) => el("tr", {}, cell(String(line.number), true), cell(showDate(line.date)), cell(line.description),
      cell(line.budget_line), cell(rupiah(line.increase), true), cell(rupiah(line.decrease), true), cell(rupiah(line.balance), true)));
  }

  let asked = 0;
  async function show() {
    const mine = ++asked;  // only the latest question may fill the page: a slow first load must not overwrite it
    status.textContent = "Memuat laporan …";
    let realisation, cash, ppn, pph, yearEnd;
    try {
      [realisation, cash, ppn, pph, yearEnd] = await Promise.all([
        api("GET", `/reports/realisation/${encode(year())}`), api("GET", `/reports/cash-book?${period()}`),
        api("GET", `/reports/tax-book/PPN?${period()}`), api("GET", `/reports/tax-book/PPH23?${period()}`),
        api("GET", `/reports/year-end/${encode(year())}`)]);
    } catch (error) {
      if (mine !== asked) return;
      if (error.status === 401) return toLogin();
      status.textContent = error.message;
      return;
    }
    if (mine !== asked) return;
    panel.querySelector("[data-field=realisation]").replaceChildren(...realisation.lines.map((r) => el("tr", {},
      cell(r.code), cell(r.name), cell(rupiah(r.ceiling), true), cell(rupiah(r.committed), true), cell(rupiah(r.payable), true),
      cell(rupiah(r.realised), true), cell(rupiah(r.remaining), true), cell(`${r.percent.toLocaleString("id-ID")} %`, true))));
    panel.querySelector("[data-field=cash]").replaceChildren(...bookRows(cash));
    panel.querySelector("[data-field=cash-summary]").textContent =
      `Saldo awal ${rupiah(cash.opening)}, penerimaan ${rupiah(cash.increases)}, pengeluaran ${rupiah(cash.decreases)}, saldo akhir ${rupiah(cash.closing)}.`;
    panel.querySelector("[data-field=tax-summary]").textContent =
      `PPN: dipungut ${rupiah(ppn.increases)}, disetor ${rupiah(ppn.decreases)}, belum disetor ${rupiah(ppn.closing)}. ` +
      `PPh 23: dipotong ${rupiah(pph.increases)}, disetor ${rupiah(pph.decreases)}, belum disetor ${rupiah(pph.closing)}.`;
    const { totals } = yearEnd;
    panel.querySelector("[data-field=year-end]").textContent =
      `Tahun ${yearEnd.year}: pesanan belum selesai ${yearEnd.open_orders.length} (${rupiah(totals.open_orders)}, komitmennya gugur bila tidak selesai), ` +
      `pesanan selesai belum ditagihkan ${yearEnd.unbilled_orders.length} (${rupiah(totals.unbilled_orders)}), ` +
      `tagihan disetujui belum dibayar ${yearEnd.unpaid_invoices.length} (${rupiah(totals.unpaid_invoices)}).`;
    panel.querySelector("[data-field=year-end-list]").replaceChildren(
      ...yearEnd.open_orders.map((o) => el("li", { text: `${o.number} — ${o.partner_name}: ${o.status_label}, ${rupiah(o.total)}` })),
      ...yearEnd.unbilled_orders.map((o) => el("li", { text: `${o.number} — ${o.partner_name}: selesai, belum ditagihkan, ${rupiah(o.total)}` })),
      ...yearEnd.unpaid_invoices.map((i) => el("li", { text: `Tagihan ${i.partner_invoice_number} — ${i.partner_name}: ${i.status_label}, ${rupiah(i.gross)}` })));
    for (const part of panel.querySelectorAll("[data-role=report]")) part.hidden = false;
    status.textContent = `Laporan ${showDate(form.querySelector("[name=from]").value)} s.d. ${showDate(form.querySelector("[name=to]").value)}; realisasi tahun ${year()}.`;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  for (const button of panel.querySelectorAll("[data-export]")) {
    const note = panel.querySelector("[data-role=export-status]");
    button.addEventListener("click", () => download(`/exports/${button.dataset.export}?format=${button.dataset.format}&year=${encode(year())}&${period()}`, note));
  }
  await show();
}

register("reports", reportsPage);
