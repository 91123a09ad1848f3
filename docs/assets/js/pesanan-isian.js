// The order forms' pickers: releases, slots (dates or a range), fiscal years, budget lines.

import { el, showDate, siteUrl } from "./seklik.js";
import { fiscalYears, options, problem, rupiah, thisYear } from "./bersama.js";

export async function releaseList() {
  // The newsroom publishes the list of releases beside its pages.
  try {
    const response = await fetch(siteUrl("releases.json"), { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).releases : [];
  } catch (_) {
    return [];
  }
}

// The years an order may be for, in a select: last, this and next year, each with what is planned in it,
// the one the API suggests chosen (the year in the address, ?year=2027, if it is one of them).
export async function yearOptions(select) {
  const { current, default: chosen, years } = await fiscalYears();
  const found = years.length ? years : [current - 1, current, current + 1].map((year) => ({ year }));
  const planned = (y) => y.budget_lines == null ? ""
    : ` (${y.budget_lines} kode rekening, ${y.agreements} PKS)`;
  options(select, found.map((y) => [String(y.year), `${y.year}${planned(y)}`]));
  const asked = new URLSearchParams(location.search).get("year");
  select.value = found.some((y) => String(y.year) === asked) ? asked : String(chosen);
}

// Release: a slug typed or chosen from the newsroom's list, with its title shown.
export function releasePicker(form, list, releaseTitle, releases) {
  const release = form.querySelector("[name=release_slug]");
  list.replaceChildren(...releases.slice(0, 300).map((r) => el("option", { value: r.slug, text: r.title })));
  release.addEventListener("input", () => {
    const slug = release.value.trim();
    const found = releases.find((r) => r.slug === slug);
    releaseTitle.textContent = !slug ? "" : found
      ? `Siaran pers: ${found.title} (${showDate(found.date.slice(0, 10))})`
      : "Slug ini tidak ada dalam daftar siaran pers yang terbit.";
  });
}

// Slots: days one by one, or a number of times within a window. `prefix` makes the ids,
// `words(n)` names the n-th date box and its remove button; `changed` runs on every change.
export function slotPicker(form, prefix, words, changed) {
  const dates = form.querySelector("[data-field=dates]");
  let fiscal = thisYear();
  function renumber() {
    [...dates.children].forEach((item, n) => {
      const [label, removeText] = words(n + 1);
      const input = item.querySelector("input");
      input.name = `slots.dates.${n}`;
      input.id = `${prefix}-date-${n}`;
      item.querySelector("label").setAttribute("for", input.id);
      item.querySelector("label").textContent = label;
      item.querySelector(".seklik-field-error").id = `${prefix}-date-${n}-error`;
      const remove = item.querySelector("button");
      remove.hidden = dates.children.length === 1;
      remove.textContent = removeText;
    });
  }
  function addDate(focus) {
    const input = el("input", { type: "date", min: `${fiscal}-01-01`, max: `${fiscal}-12-31` });
    const remove = el("button", { type: "button", class: "md-button" });
    const item = el("li", { class: "seklik-field" }, el("label"), input, el("p", { class: "seklik-field-error", hidden: true }), remove);
    remove.addEventListener("click", () => {
      item.remove();
      renumber();
      dates.querySelector("input")?.focus();
      changed();
    });
    input.addEventListener("change", changed);
    dates.append(item);
    renumber();
    if (focus) input.focus();
  }
  addDate(false);
  form.querySelector("[data-role=add-date]").addEventListener("click", () => addDate(true));
  const mode = () => form.querySelector("[name=slot_mode]:checked").value;
  for (const radio of form.querySelectorAll("[name=slot_mode]")) {
    radio.addEventListener("change", () => {
      form.querySelector("[data-role=dates]").hidden = mode() !== "dates";
      form.querySelector("[data-role=window]").hidden = mode() !== "window";
      changed();
    });
  }
  form.querySelector("[name='slots.quantity']").addEventListener("input", changed);
  return {
    // Dates outside the fiscal year cannot be picked.
    year(value) {
      fiscal = value;
      for (const input of form.querySelectorAll("input[type=date]")) {
        input.min = `${value}-01-01`;
        input.max = `${value}-12-31`;
      }
    },
    count() {
      if (mode() === "dates") return [...dates.querySelectorAll("input")].filter((i) => i.value).length;
      const quantity = form.querySelector("[name='slots.quantity']").value.trim();
      return /^\d+$/.test(quantity) ? Number(quantity) : 0;
    },
    // The `slots` of the API's request, from the form's values.
    body(values) {
      const slots = {};
      if (mode() === "dates") slots.dates = (values.slots?.dates ? Object.values(values.slots.dates) : []);
      else Object.assign(slots, { date_from: values.slots?.date_from, date_to: values.slots?.date_to, quantity: values.slots?.quantity });
      if (slots.quantity !== undefined) slots.quantity = /^\d+$/.test(String(slots.quantity)) ? Number(slots.quantity) : slots.quantity;
      if (mode() === "dates" && !slots.dates.length) throw problem("Isi paling sedikit satu tanggal tayang.", "slots.dates.0", "Isi tanggal tayang.");
      return slots;
    },
    // Where the API's slot messages go on this form.
    aliases: () => ({ slots: mode() === "dates" ? "slots.dates.0" : "slots.date_from", "slots.dates": "slots.dates.0" }),
  };
}

export function budgetOptions(select, lines, fiscal) {
  options(select, lines.length
    ? lines.map((line) => [line.code, `${line.code} ${line.name} (sisa ${rupiah(line.remaining)})`])
    : [["", `Belum ada kode rekening tahun ${fiscal}`]]);
}
