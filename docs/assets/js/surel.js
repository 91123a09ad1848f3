// The delivery log of Seklik's mail (konsol/surel/): what was sent, what failed and why, and a resend.

import { api, el, register, showTime } from "./seklik.js";
import { cell, loadFailed, signedIn } from "./bersama.js";

const RESENDABLE = new Set(["FAILED", "BOUNCED", "SUPPRESSED"]);

function resendButtons(message, refresh, status) {
  if (!RESENDABLE.has(message.status)) return el("td", { text: "—" });
  const send = async (lift) => {
    status.textContent = "Memproses …";
    try {
      await api("POST", `/outbox/${encodeURIComponent(message.id)}/resend`, { version: message.version, lift_suppression: lift });
      await refresh(`Surel "${message.subject}" masuk antrean lagi.`);
    } catch (error) {
      status.textContent = error.message;
    }
  };
  const button = (text, label, lift) => {
    const node = el("button", { type: "button", class: "md-button", text, "aria-label": label });
    node.addEventListener("click", () => send(lift));
    return node;
  };
  const buttons = [button("Kirim ulang", `Kirim ulang surel ${message.subject} ke ${message.to}`, false)];
  if (message.status !== "FAILED") {
    buttons.push(button("Hapus tanda memantul lalu kirim ulang", `Hapus tanda memantul ${message.to} lalu kirim ulang`, true));
  }
  return el("td", {}, ...buttons);
}

async function outboxPage(panel) {
  const status = panel.querySelector("[data-role=page-status]");
  const user = await signedIn(status, "konsol/surel/");
  if (!user) return;
  const filter = panel.querySelector("[data-role=filter]");
  const chosen = () => filter.querySelector("[name=status]").value;
  const body = panel.querySelector("[data-field=messages]");
  async function refresh(message) {
    let answer;
    try {
      answer = await api("GET", `/outbox?status=${encodeURIComponent(chosen())}`);
    } catch (error) {
      return loadFailed(error, status);
    }
    body.replaceChildren(...answer.messages.map((m) => el("tr", { "data-id": m.id },
      cell(showTime(m.updated_at)), cell(m.to), cell(m.subject), cell(String(m.attempts), true),
      cell(m.last_error || "—"), resendButtons(m, refresh, status))));
    panel.querySelector("[data-role=table]").hidden = answer.messages.length === 0;
    const label = filter.querySelector(`option[value=${chosen()}]`).textContent;
    status.textContent = message || (answer.messages.length
      ? `${answer.messages.length} surel berstatus "${label}" (paling baru lebih dahulu).`
      : `Tidak ada surel berstatus "${label}".`);
  }
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  await refresh();
}

register("outbox", outboxPage);
