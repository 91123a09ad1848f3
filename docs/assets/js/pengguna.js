// Accounts and roles (konsol/pengguna/), for administrators: every account with its roles and status, a staff
// account made with its one-time password, an account disabled (its sessions end at once) or enabled again, and
// another account's password reset. The signed-in administrator's own row offers neither: the API refuses both.

import { api, ApiError, clearErrors, el, register, siteUrl } from "./seklik.js";
import { cell, encode, loadFailed, problem, signedIn, wire } from "./bersama.js";

// The API's shape of an address (domain/accounts.py), checked here only so that every problem shows at once.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

// What each action on another account says before it is done.
const ACTIONS = {
  disable: {
    title: (u) => `Nonaktifkan akun ${u.name} (${u.email})?`,
    text: "Akun yang dinonaktifkan langsung berhenti: semua sesinya berakhir saat ini juga, dan pemiliknya tidak "
      + "dapat masuk sampai akun diaktifkan kembali.",
    button: "Ya, nonaktifkan akun",
    reason: true,
  },
  enable: {
    title: (u) => `Aktifkan kembali akun ${u.name} (${u.email})?`,
    text: "Pemiliknya dapat masuk lagi dengan kata sandinya yang sekarang. Sesi yang berakhir saat akun "
      + "dinonaktifkan tidak hidup kembali.",
    button: "Ya, aktifkan kembali",
    reason: true,
  },
  reset: {
    title: (u) => `Atur ulang kata sandi ${u.name} (${u.email})?`,
    text: "Kata sandi lama langsung tidak berlaku dan semua sesi akun ini berakhir. Kata sandi baru ditampilkan "
      + "sekali di halaman ini, untuk Anda serahkan kepada pemiliknya.",
    button: "Ya, atur ulang kata sandi",
    reason: false,
  },
};

function button(text, label, action, onClick) {
  const node = el("button", { type: "button", class: "md-button", text, "aria-label": label, "data-action": action });
  node.addEventListener("click", () => onClick(node));
  return node;
}

function userRow(user, me, ask) {
  const who = `${user.name} (${user.email})`;
  let actions;
  if (user.id === me.id) {
    actions = el("td", {}, "Akun Anda sendiri: gunakan ",
      el("a", { href: `${siteUrl("akun/")}#ganti-kata-sandi`, text: "Ganti kata sandi" }), " di halaman Akun saya.");
  } else {
    const toggle = user.disabled
      ? button("Aktifkan kembali", `Aktifkan kembali akun ${who}`, "status", (b) => ask("enable", user, b))
      : button("Nonaktifkan", `Nonaktifkan akun ${who}`, "status", (b) => ask("disable", user, b));
    const reset = button("Atur ulang kata sandi", `Atur ulang kata sandi ${who}`, "reset", (b) => ask("reset", user, b));
    actions = el("td", {}, el("div", { class: "seklik-actions" }, toggle, reset));
  }
  return el("tr", { "data-id": user.id },
    el("th", { scope: "row", text: user.name }), cell(user.email), cell(user.role_labels.join(", ")),
    cell(user.disabled ? "Nonaktif" : "Aktif"), actions);
}

function summary(users) {
  const partners = users.filter((u) => u.roles.includes("media")).length;
  const disabled = users.filter((u) => u.disabled).length;
  return `${users.length} akun: ${users.length - partners} staf dan ${partners} mitra media`
    + `${disabled ? `; ${disabled} nonaktif` : ""}. Urut menurut email.`;
}

// The one place a new password appears: shown once, copied if wanted, hidden when handed over.
function secretBox(section, afterHiding) {
  const heading = section.querySelector("[data-field=secret-title]");
  const value = section.querySelector("[data-field=password]");
  const note = section.querySelector("[data-role=secret-status]");
  const hide = () => {
    value.textContent = "";
    note.textContent = "";
    section.hidden = true;
  };
  section.querySelector("[data-role=copy]").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value.textContent);
      note.textContent = "Kata sandi disalin. Tempelkan hanya di saluran yang aman.";
    } catch (_) {
      note.textContent = "Tidak dapat menyalin otomatis. Pilih kata sandi di atas, lalu salin.";
    }
  });
  section.querySelector("[data-role=forget]").addEventListener("click", () => {
    hide();
    afterHiding();
  });
  return {
    show(title, password) {
      heading.textContent = title;
      value.textContent = password;
      note.textContent = "";
      section.hidden = false;
      heading.focus();
    },
  };
}

// The confirmation step of an action on another account: what it does, a reason where the audit trail takes one.
function confirmBox(section, done) {
  const form = section.querySelector("[data-role=confirm-form]");
  const reason = form.querySelector("[name=reason]");
  const heading = section.querySelector("[data-field=confirm-title]");
  let pending = null;
  const close = (refocus) => {
    section.hidden = true;
    form.querySelector(".seklik-status").textContent = "";
    if (refocus) pending?.opener.focus();
    pending = null;
  };
  section.querySelector("[data-role=confirm-cancel]").addEventListener("click", () => close(true));
  section.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close(true);
  });
  wire(form, async () => {
    const { kind, user } = pending;
    if (kind === "reset") {
      const answer = await api("POST", `/users/${encode(user.id)}/password`);
      close(false);
      return done(kind, answer);
    }
    const why = reason.value.trim();
    if (!why) throw problem("Tuliskan alasan perubahan status akun.", "reason", "Tuliskan alasannya.");
    const answer = await api("POST", `/users/${encode(user.id)}/status`, { disabled: kind === "disable", reason: why });
    close(false);
    return done(kind, answer);
  });
  return (kind, user, opener) => {
    const action = ACTIONS[kind];
    pending = { kind, user, opener };
    form.reset();
    clearErrors(form);
    form.querySelector("[data-role=reason]").hidden = !action.reason;
    heading.textContent = action.title(user);
    section.querySelector("[data-field=confirm-text]").textContent = action.text;
    form.querySelector("[data-field=confirm-button]").textContent = action.button;
    section.hidden = false;
    heading.focus();
  };
}

// The new staff account: name, email and roles, each problem at its field; the one-time password once made.
function createForm(form, created) {
  const field = (name) => form.querySelector(`[name=${name}]`);
  wire(form, async (_, status) => {
    const body = {
      name: field("name").value.trim(),
      email: field("email").value.trim(),
      roles: [...form.querySelectorAll("[name=roles]:checked")].map((box) => box.value),
    };
    const details = [];
    if (!body.name) details.push({ field: "name", message: "Wajib diisi." });
    if (!EMAIL.test(body.email)) {
      details.push({ field: "email", message: "Alamat email tidak valid. Contoh yang benar: nama@contoh.go.id." });
    }
    if (!body.roles.length) details.push({ field: "roles", message: "Pilih paling sedikit satu peran." });
    if (details.length) {
      throw new ApiError(422, { error: { code: "VALIDATION_FAILED", details,
        message: "Data yang dikirim tidak valid. Periksa isian yang ditandai lalu kirim ulang." } });
    }
    let answer;
    try {
      answer = await api("POST", "/users", body);
    } catch (error) {
      if (error.code === "EMAIL_TAKEN") throw problem(error.message, "email");
      throw error;
    }
    form.reset();
    status.textContent = `Akun ${answer.user.name} dibuat.`;
    await created(answer);
  });
}

async function usersConsole(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const part = (role) => panel.querySelector(`[data-role=${role}]`);
  const me = await signedIn(status, "konsol/pengguna/");
  if (!me) return;
  const listStatus = part("list-status");
  const body = panel.querySelector("[data-field=users]");
  const listHeading = panel.querySelector("#u-accounts-title");
  const secret = secretBox(part("secret"), () => listHeading.focus());

  async function reload(message, focus) {
    let answer;
    try {
      answer = await api("GET", "/users");
    } catch (error) {
      return loadFailed(error, listStatus);
    }
    body.replaceChildren(...answer.users.map((u) => userRow(u, me, ask)));
    part("accounts").hidden = false;
    listStatus.textContent = message || summary(answer.users);
    if (focus) body.querySelector(`tr[data-id="${CSS.escape(focus)}"] [data-action=status]`)?.focus();
  }

  const ask = confirmBox(part("confirm"), async (kind, { user, password }) => {
    if (kind === "reset") {
      await reload(`Kata sandi ${user.name} diatur ulang; semua sesinya berakhir. `
        + "Kata sandi barunya tampil di bawah daftar, sekali ini saja.");
      secret.show(`Kata sandi baru untuk ${user.name} (${user.email})`, password);
      return;
    }
    await reload(user.disabled
      ? `Akun ${user.name} dinonaktifkan; semua sesinya sudah berakhir.`
      : `Akun ${user.name} aktif kembali; pemiliknya dapat masuk dengan kata sandinya.`, user.id);
  });

  createForm(part("create-form"), async ({ user, password }) => {
    await reload(`Akun ${user.name} dibuat dengan peran ${user.role_labels.join(", ")}. `
      + "Kata sandi awalnya tampil di bawah daftar, sekali ini saja.");
    secret.show(`Kata sandi awal untuk ${user.name} (${user.email})`, password);
  });
  part("create").hidden = false;
  status.textContent = "Akun staf baru dibuat dari tombol \"Tambah akun staf\" di bawah daftar.";
  await reload();
}

register("users-console", usersConsole);
