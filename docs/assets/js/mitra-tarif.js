// The partner's rates (mitra/tarif/): propose, answer a counter, see the agreements.

import { api, el, nestedValues, register } from "./seklik.js";
import {
  checkBox, encode, fieldBox, loadFailed, partnerUser, problem, renderThread, rupiah, wire, workingYear,
} from "./bersama.js";

async function partnerRates(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const field = (name) => panel.querySelector(`[data-field=${name}]`);
  const user = await partnerUser(status);
  if (!user) return;
  const year = await workingYear();
  part("year-form").querySelector("[name=year]").value = String(year);
  const base = `/offers/${encode(user.company_id)}/${year}`;
  const form = part("rates-form");
  let offer = null;
  let products = [];
  const productName = (code) => products.find((p) => p.code === code)?.name || code;

  function lineItem(product, n) {
    const line = offer.lines.find((l) => l.product_code === product.code);
    const ssh = product.ssh[String(year)];
    const item = el("li", { class: "seklik-checklist__item", "data-product": product.code },
      el("h3", { text: product.name }),
      el("p", { class: "seklik-hint", text: ssh ? `SSH ${year}: ${rupiah(ssh)} ${product.unit}` : `SSH ${year} belum ditetapkan; harga belum dapat diajukan.` }),
      line ? el("p", {}, el("strong", { text: `${rupiah(line.price)} ${product.unit}` }), ` — ${line.status_label}`) : null);
    if (line?.status === "AGREED" || !ssh) return item;
    if (line?.status === "COUNTERED") {
      item.append(checkBox(`t-accept-${n}`, `Setujui tawaran staf ${rupiah(line.price)}`,
        el("input", { type: "checkbox", name: "products", value: product.code })));
    }
    item.append(
      fieldBox(`t-price-${n}`, line ? "Harga baru (rupiah)" : "Harga usulan (rupiah)",
        el("input", { name: `lines.${product.code}`, type: "text", inputmode: "numeric", autocomplete: "off", "data-type": "rupiah" }),
        line?.status === "PROPOSED" ? "Kosongkan bila harga yang diajukan tetap." : `Per satuan (${product.unit}); kosongkan bila tidak dilayani.`),
      fieldBox(`t-note-${n}`, "Catatan (opsional)",
        el("input", { name: `notes.${product.code}`, type: "text", maxlength: "500", autocomplete: "off" })));
    return item;
  }

  async function reload(message) {
    let overview;
    try {
      [overview, { products }, offer] = await Promise.all([
        api("GET", `/media/${encode(user.company_id)}`),
        api("GET", "/catalog/products"),
        api("GET", base),
      ]);
    } catch (error) {
      return loadFailed(error, status);
    }
    const company = overview.company;
    const mine = products.filter((p) => p.media_types.includes(company.profile.media_type));
    field("heading").textContent = `Tarif ${company.profile.media_name} tahun ${year}`;
    field("lines").replaceChildren(...mine.map(lineItem));
    const countered = offer.lines.some((l) => l.status === "COUNTERED");
    const open = form.querySelector('[name^="lines."]') !== null;
    part("accept").hidden = !countered;
    part("propose").hidden = !open;
    form.querySelector("[name=message]").closest(".seklik-field").hidden = !(open || countered);
    part("rates").hidden = false;
    renderThread(field("thread"), offer.thread, productName);
    part("thread").hidden = offer.thread.length === 0;
    const agreed = Object.keys(offer.agreed).length;
    status.textContent = message || (company.status !== "VERIFIED"
      ? `Hanya mitra terverifikasi yang dapat bernegosiasi; status perusahaan Anda "${company.status_label}".`
      : !mine.length ? "Belum ada produk dalam katalog untuk jenis media Anda."
        : agreed ? `${agreed} tarif sudah disepakati untuk tahun ${year}.` : `Ajukan tarif Anda untuk tahun ${year}.`);
  }

  wire(form, async (action) => {
    const values = nestedValues(form);
    const message = values.message || null;
    if (action === "accept") {
      const chosen = new FormData(form).getAll("products");
      if (!chosen.length) throw problem("Centang tawaran staf yang Anda setujui.", "products", "Centang paling sedikit satu tawaran.");
      await api("POST", `${base}/accept`, { products: chosen, message, version: offer.version });
      form.querySelector("[name=message]").value = "";
      await reload("Tawaran staf Anda setujui; tarifnya kini disepakati.");
      return;
    }
    const lines = values.lines || {};
    if (!Object.keys(lines).length) {
      throw problem("Isi harga paling sedikit satu produk.", form.querySelector('[name^="lines."]')?.name, "Isi harga.");
    }
    const notes = Object.fromEntries(Object.entries(values.notes || {}).filter(([code]) => code in lines));
    await api("POST", `${base}/propose`, { lines, notes, message, version: offer.version });
    form.querySelector("[name=message]").value = "";
    await reload("Tarif terkirim. Staf media order akan menyetujui atau menawar balik.");
  });
  await reload();
}

register("partner-rates", partnerRates);
