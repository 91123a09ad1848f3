// The product catalogue and its SSH ceilings (konsol/katalog/).

import { api, el, MEDIA_TYPES, nestedValues, register } from "./seklik.js";
import {
  cell, encode, loadFailed, may, numHead, options, problem, rupiah, signedIn, wire, workingYear,
} from "./bersama.js";

async function catalogPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const user = await signedIn(status, "konsol/katalog/");
  if (!user) return;
  const admin = may(user, "admin");
  const sshForm = part("ssh-form");
  const productForm = part("product-form");
  let products = [];

  async function reload(message) {
    try {
      ({ products } = await api("GET", "/catalog/products"));
    } catch (error) {
      return loadFailed(error, status);
    }
    const years = [...new Set(products.flatMap((p) => Object.keys(p.ssh)))].sort();
    const table = el("table", { class: "seklik-table" },
      el("caption", { class: "md-visually-hidden", text: "Produk dan SSH per tahun anggaran" }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: "Produk" }), el("th", { scope: "col", text: "Satuan" }),
        el("th", { scope: "col", text: "Jenis media" }), ...years.map((y) => numHead(`SSH ${y}`)))),
      el("tbody", {}, ...products.map((p) => el("tr", { "data-product": p.code },
        el("th", { scope: "row" }, p.name, el("br"), el("small", { text: p.code })),
        cell(p.unit), cell(p.media_types.map((m) => MEDIA_TYPES[m] || m).join(", ")),
        ...years.map((y) => cell(p.ssh[y] ? rupiah(p.ssh[y]) : "—", true))))));
    panel.querySelector("[data-field=products]").replaceChildren(table);
    part("products").hidden = false;
    options(sshForm.querySelector("[name=code]"), products.map((p) => [p.code, `${p.name} (${p.unit})`]));
    part("ssh").hidden = !admin || products.length === 0;
    part("add").hidden = !admin;
    status.textContent = message || (products.length ? `${products.length} produk.` : "Katalog masih kosong.");
  }

  const year = sshForm.querySelector("[name=year]");
  year.value = String(await workingYear());  // the SSH of the year being planned
  wire(sshForm, async () => {
    const values = nestedValues(sshForm);
    const product = products.find((p) => p.code === values.code);
    if (!product) throw problem("Pilih produk.", "code");
    const { product: saved } = await api("POST", `/catalog/products/${encode(product.code)}/ssh`,
      { year: values.year, ceiling: values.ceiling, version: product.version });
    sshForm.querySelector("[name=ceiling]").value = "";
    await reload(`SSH ${saved.name} tahun ${values.year}: ${rupiah(saved.ssh[values.year])} ${saved.unit}.`);
  });
  wire(productForm, async () => {
    const values = nestedValues(productForm);
    const body = {
      code: values.code ?? "", name: values.name ?? "", unit: values.unit ?? "",
      media_types: [...productForm.querySelectorAll("[name=media_types]:checked")].map((box) => box.value),
    };
    if (!body.media_types.length) {
      throw problem("Pilih paling sedikit satu jenis media.", "media_types", "Pilih jenis media produk ini.");
    }
    const { product } = await api("POST", "/catalog/products", body);
    productForm.reset();
    await reload(`Produk ${product.name} ditambahkan. Tetapkan SSH-nya sebelum mitra mengajukan tarif.`);
  });
  await reload();
}

register("catalog", catalogPage);
