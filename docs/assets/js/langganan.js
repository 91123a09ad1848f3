// The newsroom's email alerts (langganan/): subscribe, confirm from the mail's link, and stop.

import { api, el, register, siteUrl, wireForm } from "./seklik.js";

async function categories() {
  try {
    const response = await fetch(siteUrl("releases.json"), { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).categories || [] : [];
  } catch {
    return [];
  }
}

async function subscribePage(panel) {
  const form = panel.querySelector("form");
  const box = panel.querySelector("[data-field=categories]");
  box.replaceChildren(...(await categories()).map((name, n) => el("div", { class: "seklik-field seklik-field--check" },
    el("input", { type: "checkbox", id: `s-category-${n}`, name: "categories", value: name }),
    el("label", { for: `s-category-${n}`, text: name }))));
  wireForm(form, async () => {
    const chosen = [...form.querySelectorAll("[name=categories]:checked")].map((input) => input.value);
    const answer = await api("POST", "/subscriptions", {
      email: form.querySelector("[name=email]").value.trim(),
      categories: chosen,
      frequency: form.querySelector("[name=frequency]:checked").value,
    });
    form.querySelector(".seklik-status").textContent = answer.message;
  });
}

const token = () => new URLSearchParams(location.search).get("token") || "";

async function confirmPage(panel) {
  const status = panel.querySelector(".seklik-status");
  const button = panel.querySelector("button");
  if (!token()) {
    status.textContent = "Tautan ini tidak lengkap. Buka tautan dari surel konfirmasi apa adanya.";
    return;
  }
  // A button, not an automatic request: mail scanners that open links must not confirm for the reader.
  status.textContent = "Tekan tombol untuk memulai langganan.";
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const { subscription } = await api("POST", "/subscriptions/confirm", { token: token() });
      const what = subscription.categories.length ? subscription.categories.join(", ") : "semua kategori";
      status.textContent = `Langganan aktif: ${what}, ${subscription.frequency_label}. Setiap surel memuat tautan untuk berhenti.`;
      button.hidden = true;
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
}

async function unsubscribePage(panel) {
  const status = panel.querySelector(".seklik-status");
  const button = panel.querySelector("button");
  if (!token()) {
    status.textContent = "Tautan ini tidak lengkap. Buka tautan \"berhenti berlangganan\" dari surel kami apa adanya.";
    button.hidden = true;
    return;
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api("POST", "/subscriptions/unsubscribe", { token: token() });
      status.textContent = "Anda tidak lagi berlangganan, dan alamat surel Anda sudah dihapus.";
      button.hidden = true;
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
}

register("subscribe", subscribePage);
register("subscription-confirm", confirmPage);
register("unsubscribe", unsubscribePage);
