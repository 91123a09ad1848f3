// The account page (akun/): who is signed in, what needs their attention (with counts, one click from where it
// is done), the places their roles work in (bersama.js PAGES, which the pages' own gates read), and signing out.

import { api, el, register, signOut, siteUrl } from "./seklik.js";
import { placesOf, signedIn } from "./bersama.js";

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
  const user = await signedIn(status);
  if (!user) return;
  const list = panel.querySelector(".seklik-account");
  list.querySelector("[data-field=name]").textContent = user.name;
  list.querySelector("[data-field=email]").textContent = user.email;
  list.querySelector("[data-field=roles]").textContent = user.role_labels.join(", ");
  list.hidden = false;
  status.textContent = `Anda masuk sebagai ${user.name}.`;
  const links = panel.querySelector("[data-field=places]");
  const found = placesOf(user);
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
