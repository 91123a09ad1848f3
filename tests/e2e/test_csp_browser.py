"""Every page runs under a strict script policy with no violation, and a script slipped into a page does not run."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
import requests

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
# Every page of the site's own sections, as built (the newsroom's release pages are sampled below).
SECTIONS = ("konsol", "mitra", "langganan", "transparansi", "referensi-api", "panduan-editor")
TABS = 6
PAGES = ["/", "/rilis/", "/cari/?q=pemerintah", "/masuk/", "/akun/"]


def test_every_page_runs_with_no_policy_violation(page, web, site_dir):
    releases = json.loads((site_dir / "releases.json").read_text(encoding="utf-8"))["releases"]
    sections = sorted(f"/{p.parent.relative_to(site_dir).as_posix()}/" for section in SECTIONS
                      for p in (site_dir / section).rglob("index.html"))
    assert {"/konsol/bukti/", "/mitra/tarif/", "/mitra/aktifkan/", "/langganan/berhenti/"} <= set(sections)
    pages = PAGES + sections + [urlparse(r["url"]).path for r in releases[:2]]
    loaded = {}
    # A few tabs at a time: their waits for a quiet network overlap (one tab after another took 26 s).
    for start in range(0, len(pages), TABS):
        tabs = []
        for path in pages[start:start + TABS]:
            tab = page.context.new_page()
            tab.add_init_script(RECORD_VIOLATIONS)
            seen = {"errors": [], "scripts": set()}
            tab.on("pageerror", lambda error, seen=seen: seen["errors"].append(str(error)))
            tab.on("request", lambda request, seen=seen: seen["scripts"].add(
                urlparse(request.url).path.rsplit("/", 1)[-1]) if "/assets/js/" in request.url else None)
            tab.goto(f"{web}{path}", wait_until="commit")
            tabs.append((path, tab, seen))
        for path, tab, seen in tabs:
            tab.wait_for_load_state("networkidle")
            if path.startswith("/cari/"):
                tab.wait_for_selector(".pagefind-ui__result", timeout=15_000)  # Pagefind's WebAssembly ran
            assert tab.evaluate("window.__violations") == [], path
            assert seen["errors"] == [], (path, seen["errors"])  # every page module imported and started
            loaded[path] = seen["scripts"]
            policy = tab.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
            assert policy.startswith("script-src 'self'") and "'unsafe-inline'" not in policy, path
            tab.close()
    # Each page loads seklik.js and only the modules of what it shows.
    assert loaded["/"] == {"seklik.js"}
    assert loaded["/konsol/pesanan/"] == {"seklik.js", "bersama.js", "pesanan.js", "pesanan-isian.js",
                                          "pesanan-massal.js", "daftar.js"}
    assert loaded["/mitra/tagihan/"] == {"seklik.js", "bersama.js", "mitra-tagihan.js", "tagihan-isian.js",
                                         "daftar.js"}
    header = requests.get(f"{web}/", timeout=10).headers
    assert "frame-ancestors 'none'" in header["content-security-policy"]
    assert "object-src 'none'" in header["content-security-policy"] and "base-uri 'none'" in header["content-security-policy"]
    assert "camera=()" in header["permissions-policy"]


def test_a_script_slipped_into_a_page_does_not_run(page, web):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{web}/")
    page.evaluate("""() => {
        window.__ran = false;
        const injected = document.createElement("script");
        injected.textContent = "window.__ran = true;";
        document.body.append(injected);
        const attribute = document.createElement("img");
        attribute.setAttribute("onerror", "window.__ran = true;");
        attribute.src = "data:,x";
        document.body.append(attribute);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is False
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
