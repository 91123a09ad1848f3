"""The order pages' other forms in a real browser: one release ordered from several partners at
once (each order all-or-nothing, each refusal with its reason), a pagu changed with a reason
(never below what is reserved), and an active PKS closed with a reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cooperation import BUDGET_CODE, YEAR, verified_partner
from tests.e2e import test_orders_browser as orders_pages
from tests.e2e.test_orders_browser import NUMBER, SEED, issued_order, ready_for_orders
from tests.e2e.test_partner_browser import log_in

pytestmark = pytest.mark.browser
scene = orders_pages.scene  # the same fixture: a verified partner with an agreed rate, a product, and staff


def label(data: dict) -> str:
    return f"{data['profile']['media_name']} ({data['profile']['legal_name']})"


def issued_id(scene) -> str:
    return scene["orders"]["api"].get("/api/v1/orders").json["orders"][0]["id"]


def test_staff_order_one_release_from_two_partners_and_see_which_were_refused(page, web, scene, chalice_app):
    ready_for_orders(scene)  # the first partner has an active PKS
    _, other_id, other = verified_partner(chalice_app, scene["verifier"]["api"])  # the second has none
    log_in(page, web, scene["orders"]["email"], scene["orders"]["password"])
    page.goto(f"{web}/konsol/pesanan/")

    form = page.locator("[data-role=bulk-form]")
    expect(form).to_be_hidden()  # the list comes first; the forms open from their buttons
    page.get_by_text("Buat pesanan massal dari siaran pers").click()
    form.get_by_label("Tahun", exact=True).select_option(str(YEAR))
    form.get_by_label("Produk yang dipesan").select_option(scene["product"])
    form.get_by_label("Rekening belanja").select_option(BUDGET_CODE)
    form.get_by_label("Siaran pers", exact=True).fill(SEED)
    expect(form.locator("[data-field=bulk-release-title]")).to_contain_text("Siaran pers:")
    form.get_by_label("Tayang ke-1").fill(f"{YEAR}-03-02")
    form.get_by_role("button", name="Tambah hari tayang").click()
    form.get_by_label("Tayang ke-2").fill(f"{YEAR}-03-09")

    # No partner ticked yet: the message points at the list.
    form.get_by_role("button", name="Terbitkan untuk mitra terpilih").click()
    expect(form.get_by_role("alert")).to_contain_text("mitra penerima")
    expect(form.locator("[name=company_ids]").first).to_have_attribute("aria-invalid", "true")

    form.get_by_label(label(scene["data"]), exact=True).check()
    form.get_by_label(label(other), exact=True).check()
    form.get_by_role("button", name="Terbitkan untuk mitra terpilih").click()

    results = page.locator("[data-role=bulk-results]")
    issued = results.locator(f"[data-company='{scene['company_id']}']")
    expect(issued).to_contain_text("Terbit")
    expect(issued).to_contain_text(NUMBER)
    expect(issued).to_contain_text("Rp3.000.000")
    expect(issued.get_by_role("link", name=NUMBER)).to_have_attribute("href", f"/konsol/rincian-pesanan/?id={issued_id(scene)}")
    refused = results.locator(f"[data-company='{other_id}']")
    expect(refused).to_contain_text("Ditolak")
    expect(refused).to_contain_text(f"tidak memiliki PKS yang berlaku untuk tahun {YEAR}")
    expect(form.locator(".seklik-status")).to_contain_text("1 dari 2 pesanan terbit")

    # Only the refused partner stays ticked, so sending again cannot order twice from the other.
    expect(form.get_by_label(label(scene["data"]), exact=True)).not_to_be_checked()
    expect(form.get_by_label(label(other), exact=True)).to_be_checked()

    # The order list was refreshed with the new order.
    rows = page.locator("[data-role=table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NUMBER)
    orders = scene["orders"]["api"].get("/api/v1/orders").json["orders"]
    assert [(o["company_id"], o["total"]) for o in orders] == [(scene["company_id"], 3_000_000)]


def test_finance_cannot_lower_a_pagu_below_what_is_reserved_and_then_raises_it(page, web, scene):
    issued_order(scene)  # reserves Rp1.500.000 of the Rp50.000.000 pagu
    log_in(page, web, scene["finance"]["email"], scene["finance"]["password"])
    page.goto(f"{web}/konsol/anggaran/?year={YEAR}")

    item = page.locator(f"[data-ceiling='{BUDGET_CODE}']")
    item.get_by_text(f"Ubah pagu {BUDGET_CODE}").click()
    amount = item.get_by_label("Pagu baru (rupiah)")
    amount.fill("1.000.000")
    item.get_by_label("Alasan perubahan").fill("Pergeseran anggaran")
    item.get_by_role("button", name=f"Simpan pagu {BUDGET_CODE}").click()
    expect(item.get_by_role("alert")).to_contain_text("Pagu tidak boleh di bawah")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(item.locator("#c-ceiling-0-error")).to_contain_text("Rp1.500.000")  # beside the field
    expect(page.locator(f"[data-line='{BUDGET_CODE}']")).to_contain_text("Rp50.000.000")

    amount.fill("60.000.000")
    item.get_by_role("button", name=f"Simpan pagu {BUDGET_CODE}").click()
    expect(page.locator("[data-role=page-status]")).to_contain_text("Pagu 5.1.02.02.01.0026 kini Rp60.000.000")
    line = page.locator(f"[data-line='{BUDGET_CODE}']")
    expect(line).to_contain_text("Rp60.000.000")
    expect(line).to_contain_text("Rp58.500.000")
    lines = scene["finance"]["api"].get(f"/api/v1/budgets/{YEAR}").json["lines"]
    assert [(x["ceiling"], x["reserved"]) for x in lines] == [(60_000_000, 1_500_000)]


def test_staff_close_an_active_pks_with_a_reason(page, web, scene):
    ready_for_orders(scene)
    company_id = scene["company_id"]
    log_in(page, web, scene["orders"]["email"], scene["orders"]["password"])
    page.goto(f"{web}/konsol/negosiasi/?company={company_id}&year={YEAR}")
    expect(page.locator("[data-field=agreement] dd").nth(1)).to_have_text("Berlaku")

    page.get_by_text("Tutup PKS ini").click()
    form = page.locator("[data-role=close-form]")
    form.get_by_role("button", name="Tutup PKS", exact=True).click()  # the reason is required
    expect(form.get_by_role("alert")).to_contain_text("Wajib diisi")
    expect(form.get_by_label("Alasan penutupan")).to_have_attribute("aria-invalid", "true")

    form.get_by_label("Alasan penutupan").fill("Kerja sama diakhiri atas permintaan mitra")
    form.get_by_role("button", name="Tutup PKS", exact=True).click()
    expect(page.locator("[data-field=agreement] dd").nth(1)).to_have_text("Ditutup")
    expect(page.locator("[data-role=page-status]")).to_contain_text("ditutup")
    expect(page.locator("[data-role=close]")).to_be_hidden()
    agreements = scene["orders"]["api"].get(f"/api/v1/media/{company_id}/agreements").json["agreements"]
    assert [a["status"] for a in agreements] == ["CLOSED"]
