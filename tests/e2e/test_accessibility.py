"""Accessibility checked, not assumed: axe-core (pinned in package.json) on every page type, in the browser, with
the page's data loaded; no serious or critical violation. Each page is also photographed 375 px wide, as a phone
shows it, into build/screenshots/ (the test artefacts), to be looked at.

axe is injected as a script, which the pages' Content-Security-Policy would refuse: these contexts bypass it
(the policy itself is tested in test_csp_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_partner_browser import log_in
from seklik.stack import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
PUBLIC = ["/", "/rilis/", "/cari/?q=imunisasi", "/mitra/", "/mitra/daftar/", "/masuk/", "/transparansi/",
          "/langganan/", "/tentang/", "/kontak/", "/tidak-ada/"]  # the last: the not-found page
PARTNER = ["/akun/", "/mitra/portal/", "/mitra/profil/", "/mitra/pesanan/", "/mitra/tarif/", "/mitra/tagihan/"]


def console_pages() -> list[str]:
    return sorted(f"/konsol/{p.stem}/" for p in (ROOT / "docs" / "konsol").glob("*.md"))


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The page itself was checked, not the sign-in page it could have sent the browser to.
    assert page.url == url, f"{url} led to {page.url}"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    }""")
    return [f"{url}: {v}" for v in found]


# Every photo loaded now (a lazy one waits until it nears the viewport, which a full-page shot never scrolls to),
# then decoded: a screenshot taken earlier shows a blank box where the home page's large photo is.
LOAD_EVERY_IMAGE = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
}"""
EVERY_IMAGE_DRAWN = "[...document.images].every((img) => img.complete && img.naturalWidth > 0)"


# What sticks out past the right edge of the window, outside anything that scrolls by itself (a wide table in its
# scrolling wrapper is fine; a page that scrolls sideways on a phone is not: WCAG 1.4.10, reflow).
WIDER_THAN_THE_WINDOW = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const scrolls = (e) => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX; if (x === "auto" || x === "scroll" || x === "hidden") return true; }
    return false; };
  return [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > edge && e.getClientRects().length && !scrolls(e))
    .filter((e, _, all) => !all.some((o) => o !== e && e.contains(o)))
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ")[0] : ""}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px): ${(e.textContent || "").trim().slice(0, 40)}`);
}"""


def photograph(page, url: str, name: str) -> list[str]:
    """The page at 375 px into build/screenshots/; returns what makes it scroll sideways, if anything does."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(LOAD_EVERY_IMAGE)
    page.wait_for_function(EVERY_IMAGE_DRAWN, timeout=15_000)  # a photo that never loads fails the test here
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    wide = [f"{url} at 375 px: {what}" for what in page.evaluate(WIDER_THAN_THE_WINDOW)]
    page.set_viewport_size({"width": 1280, "height": 900})
    return wide


def slug(url: str) -> str:
    return url.split("?")[0].strip("/").replace("/", "-") or "beranda"


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="id-ID", bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def test_public_pages_have_no_serious_accessibility_violation(context, web, published):
    page = context.new_page()
    release = "/" + published[0]["url"].split("/", 3)[3]  # the newest release page
    found = []
    for url in [*PUBLIC, release]:
        found += violations(page, f"{web}{url}")
        found += photograph(page, f"{web}{url}", slug(url))
    assert not found, "\n".join(found)


def test_the_partners_and_the_staffs_pages_have_no_serious_accessibility_violation(context, web, billable, make_user):
    """With work on them: three completed orders, one invoiced, the books moved; the detail pages of an order and
    of the company open on their ids."""
    from tests.integration.test_invoices_flow import invoice_body

    invoice = billable["partner"].post("/api/v1/invoices", invoice_body(billable))
    assert invoice.status == 201, invoice
    order = billable["orders"][0]["id"]
    details = {"/konsol/rincian-pesanan/": f"?id={order}", "/konsol/perusahaan/": f"?id={billable['company_id']}"}
    page = context.new_page()
    account = billable["data"]["account"]
    log_in(page, web, account["email"], account["password"])
    found = []
    for url in PARTNER:
        found += violations(page, f"{web}{url}")
        found += photograph(page, f"{web}{url}", "akun-mitra" if url == "/akun/" else slug(url))
    staff, password = make_user(roles=("admin", "verifier", "orders", "finance", "editor"), name="Staf Lengkap")
    log_in(page, web, staff.email, password)
    for path in ["/akun/", *console_pages()]:
        url = path + details.get(path, "")
        found += violations(page, f"{web}{url}")
        found += photograph(page, f"{web}{url}", "akun-staf" if path == "/akun/" else slug(path))
    assert not found, "\n".join(found)
