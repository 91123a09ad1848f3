// Lists of orders, which the API gives in pages: the orders console, the partner's orders, the proof queue and
// the orders a partner bills.

import { api, el, toLogin } from "./seklik.js";

// Orders come in pages (GET /orders: `limit`, `after` → `next`, null on the last). Every page, for a page that
// works on the whole of a list (a queue, the orders to bill).
export async function allOrders(filter = {}) {
  const found = [];
  let after = null;
  do {
    const query = new URLSearchParams({ ...filter, limit: "200", ...(after ? { after } : {}) });
    const page = await api("GET", `/orders?${query}`);
    found.push(...page.orders);
    after = page.next;
  } while (after);
  return found;
}

// A list of orders shown a page at a time: `load(filter)` shows the first page; the button under the list (made
// here, after `list`) adds the next one while there is one. `show(orders, more)` draws a page (more: added below).
export function ordersInPages(list, show, label = "Tampilkan pesanan berikutnya") {
  const more = el("button", { type: "button", class: "md-button", text: label, hidden: true });
  list.after(more);
  let filter = {};
  let after = null;
  async function page(first) {
    const query = new URLSearchParams({ ...filter, ...(after && !first ? { after } : {}) });
    const answer = await api("GET", `/orders?${query}`);
    after = answer.next;
    more.hidden = !after;
    show(answer.orders, !first);
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
