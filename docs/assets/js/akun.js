// The account page (akun/): who is signed in, what needs their attention (with counts, one click from where it
// is done), the places their roles work in, and signing out.

import { api, el, register, signOut, siteUrl } from "./seklik.js";

// Where each role works: one link per workplace the account may enter.
function places(user) {
  const found = [];
  const roles = user.roles;
  if (user.company_id) {
    found.push(["mitra/portal/", "Portal mitra"], ["mitra/pesanan/", "Pesanan masuk"], ["mitra/tarif/", "Tarif dan negosiasi"],
      ["mitra/tagihan/", "Tagihan"]);
  }
  if (roles.includes("verifier")) found.push(["konsol/verifikasi/", "Antrean verifikasi"], ["konsol/bukti/", "Bukti tayang"]);
  if (roles.includes("orders")) found.push(["konsol/pesanan/", "Pesanan media"], ["konsol/negosiasi/", "Negosiasi tarif"]);
  if (roles.includes("finance")) {
    found.push(["konsol/tagihan/", "Tagihan"], ["konsol/pajak/", "Pajak"], ["konsol/laporan/", "Laporan keuangan"],
      ["konsol/anggaran/", "Anggaran"], ["konsol/buku-besar/", "Buku besar"]);
  }
  if (roles.includes("auditor")) found.push(["konsol/tagihan/", "Tagihan"], ["konsol/laporan/", "Laporan keuangan"]);
  if (roles.includes("admin")) found.push(["konsol/katalog/", "Katalog produk"]);
  if (roles.includes("editor") || roles.includes("orders")) found.push(["konsol/distribusi/", "Distribusi siaran pers"]);
  if (["admin", "orders", "editor", "verifier", "finance"].some((r) => roles.includes(r))) {
    found.push(["konsol/surel/", "Surel keluar"]);
  }
  return [...new Map(found).entries()];
}

// What waits, the largest first; what is empty is said too, greyed, so "nothing waiting" is visible.
async function showTasks(section) {
  let tasks;
  try {
    ({ tasks } = await api("GET", "/dashboard"));
  } catch (error) {
    section.querySelector("[data-field=tasks-note]").textContent = `Daftar pekerjaan tidak dapat dimuat: ${error.message}`;
    section.hidden = false;
    return;
  }
  const waiting = tasks.filter((t) => t.count > 0);
  section.querySelector("ul").replaceChildren(...[...waiting, ...tasks.filter((t) => t.count === 0)].map((task) =>
    el("li", { "data-task": task.key, class: task.count ? "seklik-task" : "seklik-task seklik-task--none" },
      el("a", { href: siteUrl(task.path) }, el("strong", { class: "seklik-task__count", text: String(task.count) }),
        ` ${task.label}`),
      task.note ? el("span", { class: "seklik-hint", text: ` — ${task.note}` }) : null)));
  section.querySelector("[data-field=tasks-note]").textContent = waiting.length
    ? "" : "Tidak ada yang menunggu Anda saat ini.";
  section.hidden = tasks.length === 0;
}

async function accountPage(panel) {
  const status = panel.querySelector(".seklik-status");
  let me;
  try {
    me = await api("GET", "/auth/me");
  } catch (error) {
    if (error.status === 401) {
      location.assign(`${siteUrl("masuk/")}?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    status.textContent = error.message;
    return;
  }
  const list = panel.querySelector(".seklik-account");
  list.querySelector("[data-field=name]").textContent = me.user.name;
  list.querySelector("[data-field=email]").textContent = me.user.email;
  list.querySelector("[data-field=roles]").textContent = me.user.role_labels.join(", ");
  list.hidden = false;
  status.textContent = `Anda masuk sebagai ${me.user.name}.`;
  const links = panel.querySelector("[data-field=places]");
  const found = places(me.user);
  links.replaceChildren(...found.map(([path, label]) => el("li", {}, el("a", { href: siteUrl(path), text: label }))));
  panel.querySelector("[data-field=places-section]").hidden = found.length === 0;
  const logout = panel.querySelector("[data-seklik=logout]");
  logout.hidden = false;
  logout.addEventListener("click", async () => {
    try {
      await signOut();
    } catch (error) {
      status.textContent = `Gagal keluar: ${error.message}`;
      return;
    }
    location.assign(siteUrl("masuk/"));
  });
  await showTasks(panel.querySelector("[data-field=tasks]"));
}

register("account", accountPage);
