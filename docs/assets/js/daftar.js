// Lists the API gives in pages (`limit`, `after` → `next`, null on the last): orders and invoices. A page shows
// one page at a time with a button for the next; a page that works on the whole of a list reads every page.

import { api, el, toLogin } from "./seklik.js";

// Every item of a list (`field` of each answer): for a queue, or the orders a partner bills.
export async function everyPage(path, field, filter = {}) {
  const found = [];
  let after = null;
  do {
    const query = new URLSearchParams({ ...filter, limit: "200", ...(after ? { after } : {}) });
    const page = await api("GET", `${path}?${query}`);
    found.push(...page[field]);
    after = page.next;
  } while (after);
  return found;
}

// A list shown a page at a time: `load(filter)` shows the first page; the button under `list` (made here) adds
// the next one while there is one. `show(items, more)` draws a page (more: added below what is shown). Only the
// latest `load` draws: an answer to an older filter, or a "next" asked for before it, is dropped.
export function inPages(list, path, field, show, label) {
  const more = el("button", { type: "button", class: "md-button", text: label, hidden: true });
  list.after(more);
  let filter = {};
  let after = null;
  let generation = 0;
  async function page(first) {
    const mine = first ? ++generation : generation;
    if (first) {
      after = null;
      more.hidden = true;
      more.textContent = label;
    }
    const query = new URLSearchParams({ ...filter, ...(after ? { after } : {}) });
    const answer = await api("GET", `${path}?${query}`);
    if (mine !== generation) return;
    after = answer.next;
    more.hidden = !after;
    show(answer[field], !first);
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      await page(false);
      more.textContent = label;
    } catch (error) {
      if (error.status === 401) return toLogin();
      more.textContent = `${error.message} Coba lagi.`;
    } finally {
      more.disabled = false;
    }
  });
  return { load: (chosen = {}) => { filter = chosen; return page(true); }, hasMore: () => Boolean(after) };
}

export const allOrders = (filter) => everyPage("/orders", "orders", filter);
export const ordersInPages = (list, show) => inPages(list, "/orders", "orders", show, "Tampilkan pesanan berikutnya");
