// The public spending page (transparansi/): one fiscal year's media spending from /public/spending, drawn as
// totals, a sortable and searchable table of partners (the source of truth), two charts with their text
// alternatives, the budget lines, the dated corrections, and the open-data files. Anonymous: no session needed.

import { api, el, MEDIA_TYPES, register, showDate, showTime } from "./seklik.js";

const SVG = "http://www.w3.org/2000/svg";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
const MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
  "Oktober", "November", "Desember"];
const FILE_LABELS = {
  "mitra.csv": "Tabel mitra (CSV)",
  "kode-rekening.csv": "Tabel kode rekening (CSV)",
  "belanja.xlsx": "Semua tabel (XLSX)",
  "ocds.json": "Open Contracting Data Standard 1.1 (JSON)",
};
// The partner table's columns: [key, header, value of a partner, is money].
const COLUMNS = [
  ["media", "Mitra", (p) => p.media_name.toLocaleLowerCase("id-ID"), false],
  ["agreement", "Nomor PKS", (p) => p.agreement.number, false],
  ["ceiling", "Nilai PKS", (p) => p.agreement.ceiling, true],
  ["orders", "Pesanan", (p) => p.orders, false],
  ["ordered", "Nilai pesanan", (p) => p.ordered, true],
  ["completed", "Pesanan selesai", (p) => p.completed, true],
  ["invoiced", "Ditagihkan", (p) => p.invoiced, true],
  ["paid", "Dibayar (bruto)", (p) => p.paid, true],
  ["ppn_withheld", "PPN dipungut", (p) => p.ppn_withheld, true],
  ["pph23_withheld", "PPh 23 dipotong", (p) => p.pph23_withheld, true],
];

function rupiah(amount) {
  const sign = amount < 0 ? "−" : "";
  return `${sign}Rp${Math.abs(Number(amount)).toLocaleString("id-ID")}`;
}

function percent(part, whole) {
  return whole ? `${((part / whole) * 100).toLocaleString("id-ID", { maximumFractionDigits: 1 })}%` : "0%";
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// A chart the screen reader hears as one image with a summary; its figures are in the list beside it.
function chart(id, title, summary, width, height, ...shapes) {
  return svg("svg", {
    class: "seklik-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`, preserveAspectRatio: "xMidYMid meet",
  }, svg("title", { id: `${id}-title`, text: title }), svg("desc", { id: `${id}-desc`, text: summary }), ...shapes);
}

function monthLabel(key) {
  const [year, month] = key.split("-");
  return `${MONTH_NAMES[Number(month) - 1]} ${year}`;
}

function monthlyChart(figures) {
  const months = figures.monthly;
  const values = months.map((m) => m.paid);
  const top = Math.max(0, ...values);
  const bottom = Math.min(0, ...values);
  const span = top - bottom || 1;
  const width = 640, height = 240, left = 8, plot = 200, step = (width - left * 2) / months.length;
  const zero = 10 + (top / span) * plot;
  const shapes = [svg("line", { x1: left, x2: width - left, y1: zero, y2: zero, class: "seklik-chart__axis" })];
  months.forEach((m, i) => {
    const x = left + i * step;
    const size = (Math.abs(m.paid) / span) * plot;
    const y = m.paid >= 0 ? zero - size : zero;
    shapes.push(svg("rect", {
      x: x + step * 0.15, y, width: step * 0.7, height: Math.max(size, m.paid ? 1 : 0),
      class: m.paid < 0 ? "seklik-chart__bar seklik-chart__bar--negative" : "seklik-chart__bar",
    }, svg("title", { text: `${monthLabel(m.month)}: ${rupiah(m.paid)}` })));
    const [year, month] = m.month.split("-");
    const label = Number(year) === figures.year ? MONTHS[Number(month) - 1] : `${MONTHS[Number(month) - 1]} ${year.slice(2)}`;
    shapes.push(svg("text", { x: x + step / 2, y: height - 8, "text-anchor": "middle", class: "seklik-chart__label", text: label }));
  });
  const paidMonths = months.filter((m) => m.paid);
  const busiest = paidMonths.reduce((a, b) => (b.paid > a.paid ? b : a), paidMonths[0]);
  const summary = paidMonths.length
    ? `Pembayaran ${paidMonths.length} bulan, paling besar ${monthLabel(busiest.month)} (${rupiah(busiest.paid)}).`
    : "Belum ada pembayaran pada tahun anggaran ini.";
  const list = el("ul", { class: "seklik-chart__figures" },
    ...months.map((m) => el("li", { text: `${monthLabel(m.month)}: ${rupiah(m.paid)}` })));
  return el("figure", { class: "seklik-chart-figure" },
    chart("grafik-bulanan", `Pembayaran per bulan, tahun anggaran ${figures.year}`, summary, width, height, ...shapes),
    el("figcaption", { text: `Pembayaran (SP2D, bruto) per bulan. ${summary}` }),
    el("details", {}, el("summary", { text: "Angka per bulan" }), list));
}

function shareChart(figures) {
  const total = figures.totals.paid;
  const partners = [...figures.partners].sort((a, b) => b.paid - a.paid);
  const row = 34, width = 640, height = Math.max(row * partners.length, row) + 8, labelWidth = 200;
  const most = Math.max(1, ...partners.map((p) => p.paid));
  const shapes = [];
  partners.forEach((p, i) => {
    const y = 4 + i * row;
    const size = (Math.max(p.paid, 0) / most) * (width - labelWidth - 120);
    shapes.push(svg("text", { x: 0, y: y + row / 2 + 5, class: "seklik-chart__label", text: p.media_name.slice(0, 26) }));
    shapes.push(svg("rect", { x: labelWidth, y: y + 6, width: Math.max(size, p.paid ? 1 : 0), height: row - 12, class: "seklik-chart__bar" },
      svg("title", { text: `${p.media_name}: ${rupiah(p.paid)} (${percent(p.paid, total)})` })));
    shapes.push(svg("text", { x: labelWidth + size + 6, y: y + row / 2 + 5, class: "seklik-chart__label", text: percent(p.paid, total) }));
  });
  const summary = total
    ? `${partners[0].media_name} menerima bagian terbesar: ${percent(partners[0].paid, total)} dari ${rupiah(total)}.`
    : "Belum ada pembayaran kepada mitra pada tahun anggaran ini.";
  const list = el("ul", { class: "seklik-chart__figures" },
    ...partners.map((p) => el("li", { text: `${p.media_name}: ${rupiah(p.paid)} (${percent(p.paid, total)})` })));
  return el("figure", { class: "seklik-chart-figure" },
    chart("grafik-mitra", `Bagian pembayaran per mitra, tahun anggaran ${figures.year}`, summary, width, height, ...shapes),
    el("figcaption", { text: `Bagian setiap mitra dari pembayaran tahun ini. ${summary}` }),
    el("details", {}, el("summary", { text: "Angka per mitra" }), list));
}

function totalsList(figures) {
  const t = figures.totals;
  const item = (label, value, field) => [el("div", {}, el("dt", { text: label }), el("dd", { "data-total": field, text: value }))];
  return el("dl", { class: "seklik-totals" },
    ...item("Mitra ber-PKS", String(t.partners), "partners"),
    ...item("Nilai PKS", rupiah(t.ceiling), "ceiling"),
    ...item("Pesanan", `${t.orders} (${rupiah(t.ordered)})`, "ordered"),
    ...item("Ditagihkan", rupiah(t.invoiced), "invoiced"),
    ...item("Dibayar (bruto)", rupiah(t.paid), "paid"),
    ...item("Diterima mitra (neto)", rupiah(t.paid_net), "paid_net"),
    ...item("PPN dipungut", rupiah(t.ppn_withheld), "ppn_withheld"),
    ...item("PPh 23 dipotong", rupiah(t.pph23_withheld), "pph23_withheld"),
    ...item("Pagu anggaran", rupiah(t.budget), "budget"),
    ...item("Realisasi anggaran", `${rupiah(t.realised)} (${percent(t.realised, t.budget)})`, "realised"));
}

function partnerRow(p) {
  const cells = COLUMNS.slice(1).map(([key, , value, money]) =>
    el("td", { class: key === "agreement" ? undefined : "seklik-num", "data-column": key,
      text: money ? rupiah(value(p)) : String(value(p)) }));
  const media = el("th", { scope: "row", "data-column": "media" },
    el("strong", { text: p.media_name }), el("br"),
    el("small", { text: `${p.legal_name} · ${MEDIA_TYPES[p.media_type] || p.media_type}` }));
  return el("tr", { "data-company": p.company_id }, media, ...cells);
}

// The table of partners: click a header to sort (again to reverse); type to filter by name.
function partnerTable(figures) {
  const state = { key: "paid", descending: true, query: "" };
  const body = el("tbody");
  const headers = COLUMNS.map(([key, label, , money]) => {
    const button = el("button", { type: "button", class: "seklik-sort", text: label });
    const th = el("th", { scope: "col", class: money || key === "orders" ? "seklik-num" : undefined, "data-column": key }, button);
    button.addEventListener("click", () => {
      state.descending = state.key === key ? !state.descending : COLUMNS.find((c) => c[0] === key)[3];
      state.key = key;
      draw();
    });
    return th;
  });
  const t = figures.totals;
  const foot = el("tr", {}, el("th", { scope: "row", text: "Jumlah semua mitra" }), el("td"),
    ...["ceiling", "orders", "ordered", "completed", "invoiced", "paid", "ppn_withheld", "pph23_withheld"].map((key) =>
      el("td", { class: "seklik-num", text: key === "orders" ? String(t.orders) : rupiah(t[key]) })));
  const search = el("input", { type: "search", id: "cari-mitra", autocomplete: "off", placeholder: "Nama media atau badan usaha" });
  const count = el("p", { class: "seklik-hint", "aria-live": "polite", "data-role": "table-count" });
  search.addEventListener("input", () => { state.query = search.value.trim().toLocaleLowerCase("id-ID"); draw(); });

  function draw() {
    const [, , value] = COLUMNS.find((c) => c[0] === state.key);
    const shown = figures.partners
      .filter((p) => !state.query || `${p.media_name} ${p.legal_name}`.toLocaleLowerCase("id-ID").includes(state.query))
      .sort((a, b) => {
        const x = value(a), y = value(b);
        const order = typeof x === "string" ? x.localeCompare(y, "id-ID") : x - y;
        return state.descending ? -order : order;
      });
    body.replaceChildren(...shown.map(partnerRow));
    for (const th of headers) {
      th.setAttribute("aria-sort", th.dataset.column === state.key ? (state.descending ? "descending" : "ascending") : "none");
    }
    count.textContent = state.query
      ? `${shown.length} dari ${figures.partners.length} mitra cocok dengan “${search.value.trim()}”.`
      : `${figures.partners.length} mitra.`;
  }
  draw();
  const table = el("table", { class: "seklik-table" },
    el("caption", { text: `Mitra media tahun anggaran ${figures.year}, urut menurut kolom yang dipilih` }),
    el("thead", {}, el("tr", {}, ...headers)), body, el("tfoot", {}, foot));
  return el("div", {},
    el("div", { class: "seklik-filters seklik-no-print" }, el("label", { for: "cari-mitra", text: "Cari mitra" }), search),
    count,
    el("div", { class: "seklik-scroll", tabindex: "0", role: "region", "aria-label": "Tabel mitra (dapat digeser)" }, table));
}

function budgetTable(figures) {
  const heads = ["Kode rekening", "Uraian", "Pagu", "Komitmen (pesanan)", "Utang (tagihan disetujui)", "Realisasi (SP2D)", "Sisa pagu"];
  const rows = figures.budget_lines.map((b) => el("tr", {},
    el("th", { scope: "row", text: b.code }), el("td", { text: b.name }),
    ...[b.ceiling, b.committed, b.payable, b.realised, b.remaining].map((v) => el("td", { class: "seklik-num", text: rupiah(v) }))));
  if (!rows.length) return el("p", { text: "Belum ada kode rekening untuk tahun anggaran ini." });
  return el("div", { class: "seklik-scroll", tabindex: "0", role: "region", "aria-label": "Tabel kode rekening (dapat digeser)" },
    el("table", { class: "seklik-table", "data-role": "budget" },
      el("caption", { text: `Kode rekening belanja media tahun anggaran ${figures.year}` }),
      el("thead", {}, el("tr", {}, ...heads.map((h, i) => el("th", { scope: "col", class: i > 1 ? "seklik-num" : undefined, text: h })))),
      el("tbody", {}, ...rows)));
}

function changesList(figures) {
  if (!figures.changes.length) {
    return el("p", { text: "Tidak ada koreksi: setiap pembayaran yang tercatat masih berlaku." });
  }
  return el("ul", { "data-role": "changes" }, ...figures.changes.map((c) => el("li", {},
    el("strong", { text: `${showDate(c.date)} · ${c.media_name}: ${rupiah(c.amount)}` }), el("br"),
    el("span", { text: c.description }))));
}

function filesList(figures) {
  return el("ul", { "data-role": "files" }, ...Object.entries(figures.files).map(([name, href]) =>
    el("li", {}, el("a", { href, download: `belanja-media-${figures.year}-${name}`, text: FILE_LABELS[name] || name }))));
}

function section(title, ...content) {
  return el("section", { class: "seklik-section" }, el("h2", { text: title }), ...content);
}

function wantedYear(years, current) {
  const asked = Number(new URLSearchParams(location.search).get("tahun"));
  return years.includes(asked) ? asked : current;
}

async function spendingPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const content = panel.querySelector("[data-role=content]");
  const select = panel.querySelector("select[name=tahun]");
  let offered;
  try {
    offered = await api("GET", "/public/spending");
  } catch (error) {
    status.textContent = error.message;
    return;
  }
  select.replaceChildren(...offered.years.map((y) => el("option", { value: String(y), text: String(y) })));
  select.value = String(wantedYear(offered.years, offered.current));
  select.closest("form").hidden = offered.years.length < 2;

  async function show(year) {
    status.textContent = `Memuat data tahun anggaran ${year} …`;
    content.setAttribute("aria-busy", "true");
    try {
      const figures = await api("GET", `/public/spending/${year}`);
      const note = `Data per ${showTime(figures.as_of)}, langsung dari buku besar Seklik.` +
        (figures.closed ? " Tahun anggaran ini sudah ditutup; koreksi sesudahnya tampil sebagai perubahan bertanggal." : "");
      content.replaceChildren(
        el("h2", { text: `Tahun anggaran ${figures.year}` }),
        el("p", { class: "seklik-hint", text: note }),
        totalsList(figures),
        section("Mitra", figures.partners.length ? partnerTable(figures)
          : el("p", { text: "Belum ada PKS yang berlaku pada tahun anggaran ini." })),
        section("Pembayaran per bulan", monthlyChart(figures)),
        ...(figures.partners.length ? [section("Bagian per mitra", shareChart(figures))] : []),
        section("Kode rekening", budgetTable(figures)),
        section("Koreksi", changesList(figures)),
        section("Data terbuka", el("p", { text: "Tabel yang sama untuk diolah sendiri, dan paket Open Contracting Data Standard untuk dibandingkan antardaerah." }), filesList(figures)));
      status.textContent = `Tahun anggaran ${figures.year}: ${figures.partners.length} mitra, dibayar ${rupiah(figures.totals.paid)}.`;
      document.title = `Transparansi belanja media ${figures.year} - ${document.title.split(" - ").pop()}`;
    } catch (error) {
      status.textContent = error.message;
    } finally {
      content.removeAttribute("aria-busy");
    }
  }

  select.closest("form").addEventListener("submit", (event) => event.preventDefault());
  select.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("tahun", select.value);
    history.replaceState(null, "", url);
    show(Number(select.value));
  });
  await show(Number(select.value));
}

register("spending", spendingPage);
