"""Order staff send a published release to a partner from "Distribusi siaran pers", watch the delivery log
fill, share it on WhatsApp, and go on to a bulk order for the same release and partner."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_partner_browser import log_in

pytestmark = pytest.mark.browser
CAST_PASSWORD = "kata-sandi-pemeran"
SLUG = "pekan-imunisasi-anak"


def test_a_release_is_previewed_sent_followed_and_ordered_from_the_console(page, web, cast, press_kits, outbox):
    log_in(page, web, "cast-staff@example.go.id", CAST_PASSWORD)
    page.goto(f"{web}/konsol/distribusi/?rilis={SLUG}")
    log_status = page.locator("[data-role=log-status]")
    expect(log_status).to_contain_text("belum dikirim")
    expect(page.get_by_role("heading", name="Pekan Imunisasi Anak")).to_be_visible()
    share = page.get_by_role("link", name="Bagikan lewat WhatsApp")
    assert share.get_attribute("href").startswith("https://wa.me/?text=")
    assert SLUG in share.get_attribute("href")

    page.get_by_label("Mitra yang dipilih").check()
    page.get_by_label("Cari mitra").fill(cast["data"]["profile"]["media_name"])
    page.get_by_label(cast["data"]["profile"]["media_name"], exact=False).check()
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("[data-field=preview-summary]")).to_contain_text("1 penerima; 1 akan dikirimi")
    expect(page.locator("[data-field=subject]")).to_contain_text("Pekan Imunisasi Anak")
    frame = page.frame_locator("iframe[title='Pratinjau surel (HTML)']")
    expect(frame.get_by_role("heading", name="Pekan Imunisasi Anak Digelar di Seluruh Posyandu")).to_be_visible()

    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator("[data-role=send-form] .seklik-status")).to_contain_text("1 surel masuk antrean")
    expect(log_status).to_contain_text("1 dalam antrean")
    assert [m for m in outbox() if "Pekan Imunisasi" in m["Subject"]]  # the worker sends; the page follows
    expect(log_status).to_contain_text("1 terkirim", timeout=10_000)
    row = page.locator("[data-field=log] tr").first
    expect(row).to_contain_text(cast["data"]["profile"]["email"])
    expect(row).to_contain_text("Terkirim")

    page.get_by_role("link", name="Pesan publikasi dari mitra penerima").click()
    bulk = page.locator("[data-role=bulk-form]")
    expect(bulk).to_be_visible()  # the form the link was followed for is open, the rest of the page closed
    expect(page.locator("[data-role=order-form]")).to_be_hidden()
    expect(bulk.locator("[name=release_slug]")).to_have_value(SLUG)
    expect(bulk.locator(f"[name=company_ids][value='{cast['company_id']}']")).to_be_checked()
