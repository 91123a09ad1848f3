"""The public spending page in a real browser, as anyone reads it: two partners' year shows the finance reports'
figures, the table sorts and filters, the charts say what they show, the year can be changed, and the page fits a
phone and prints without its controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cooperation import YEAR

pytestmark = pytest.mark.browser


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def test_the_spending_page_shows_both_partners_with_the_finance_reports_figures(browser, web, spending_year):
    finance = spending_year["finance"]
    first, second = spending_year["company_id"], spending_year["second"]["company_id"]
    statements = {c: finance.get(f"/api/v1/reports/partners/{c}/{YEAR}").json["statement"] for c in (first, second)}
    page = browser.new_context(locale="id-ID").new_page()  # nobody signed in

    page.goto(f"{web}/transparansi/?tahun={YEAR}")
    expect(page.locator("[data-role=page-status]")).to_contain_text(f"Tahun anggaran {YEAR}: 2 mitra")
    paid = sum(s["paid_gross"] for s in statements.values())
    expect(page.locator("[data-total=paid]")).to_have_text(rupiah(paid))
    expect(page.locator("[data-total=invoiced]")).to_have_text(rupiah(sum(s["invoiced"] for s in statements.values())))
    expect(page.locator("[data-total=paid_net]")).to_have_text(rupiah(sum(s["paid_net"] for s in statements.values())))
    expect(page.locator("[data-total=partners]")).to_have_text("2")

    rows = page.locator("table.seklik-table tbody tr[data-company]")
    expect(rows).to_have_count(2)
    for company_id, statement in statements.items():
        row = page.locator(f"tr[data-company='{company_id}']")
        for column, key in (("invoiced", "invoiced"), ("paid", "paid_gross"), ("ppn_withheld", "ppn_withheld"),
                            ("pph23_withheld", "pph23_withheld"), ("ordered", "ordered")):
            expect(row.locator(f"[data-column={column}]")).to_have_text(rupiah(statement[key]))
        expect(row.locator("[data-column=agreement]")).to_have_text(statement["agreements"][0]["number"])

    # Sorted by what was paid, most first; a header click sorts by it, a second reverses.
    assert rows.first.get_attribute("data-company") == first
    header = page.locator("th[data-column=ordered]")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert rows.first.get_attribute("data-company") == first  # Rp5.550.000 before Rp3.330.000
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_have_attribute("data-company", second)

    # Searching by name keeps the matching partner and says how many match.
    page.get_by_label("Cari mitra").fill("OganNews 77")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-company", second)
    expect(page.locator("[data-role=table-count]")).to_contain_text("1 dari 2 mitra")
    page.get_by_label("Cari mitra").fill("")
    expect(rows).to_have_count(2)

    # The charts are images with a title and a summary a screen reader hears; their figures are listed too.
    monthly = page.get_by_role("img", name=f"Pembayaran per bulan, tahun anggaran {YEAR}")
    expect(monthly).to_be_visible()
    assert monthly.locator("rect").count() >= 12
    share = page.get_by_role("img", name=f"Bagian pembayaran per mitra, tahun anggaran {YEAR}")
    expect(share.locator("desc")).to_contain_text("100%")
    expect(page.locator("figcaption").nth(1)).to_contain_text("menerima bagian terbesar")
    expect(page.locator("[data-role=files] a")).to_have_count(4)
    expect(page.locator("[data-role=budget] tbody tr")).to_have_count(1)

    # Another year from the selector: the address follows, and a year with no PKS says so.
    page.get_by_label("Tahun anggaran", exact=True).select_option(str(YEAR - 1))
    expect(page.locator("[data-role=page-status]")).to_contain_text(f"Tahun anggaran {YEAR - 1}: 0 mitra")
    expect(page.get_by_text("Belum ada PKS yang berlaku pada tahun anggaran ini.")).to_be_visible()
    assert page.url.endswith(f"?tahun={YEAR - 1}")


def test_the_spending_page_fits_a_phone_and_prints_without_its_controls(browser, web, spending_year):
    page = browser.new_context(locale="id-ID", viewport={"width": 375, "height": 740}).new_page()
    page.goto(f"{web}/transparansi/?tahun={YEAR}")
    expect(page.locator("tr[data-company]")).to_have_count(2)
    # The wide table scrolls inside its own region; the page itself does not scroll sideways.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert page.evaluate("(() => { const r = document.querySelector('.seklik-scroll'); "
                         "return r.scrollWidth > r.clientWidth; })()")
    page.emulate_media(media="print")
    expect(page.get_by_label("Cari mitra")).to_be_hidden()
    expect(page.locator("tr[data-company]").first).to_be_visible()
