"""The order cycle in a real browser: staff issue an order, the partner accepts it and proves
publication with an uploaded screenshot, a verifier reviews the proof; rates are negotiated and
the agreement made on the pages; the catalogue and the budget are kept on theirs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from chalicelib.domain.clock import today_wib, utc_now
from playwright.sync_api import expect

from tests import samples
from tests.cooperation import (
    BUDGET_CODE, YEAR, active_agreement, agree, budget_line, client, product, slots_due, verified_partner,
)
from tests.e2e.test_partner_browser import log_in

pytestmark = pytest.mark.browser

SEED = "humas-dprd-muba-belajar-tata-kelola-komunikasi-publik"
NUMBER = f"000.9.2/001/MO/DISKOMINFO/{YEAR}"

# Every value the page gives a <progress> element, kept for the test to read.
RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver((records) => {
  for (const r of records) if (r.target.tagName === "PROGRESS") window.__progress.push(r.target.getAttribute("value"));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["value"] });
"""


def staff_member(chalice_app, make_user, roles, name):
    """A staff account: its API client and the password to type into the login page."""
    user, password = make_user(roles=roles, name=name)
    api = client(chalice_app)
    assert api.login(user.email, password).status == 200
    return {"api": api, "email": user.email, "password": password}


@pytest.fixture
def scene(chalice_app, make_user, published, services, web):
    """A verified partner with an agreed rate and an active agreement, a budget line, and staff."""
    admin = staff_member(chalice_app, make_user, ("admin",), "Ahmad Admin")
    verifier = staff_member(chalice_app, make_user, ("verifier",), "Vera Verifikator")
    orders = staff_member(chalice_app, make_user, ("orders",), "Oki Order")
    finance = staff_member(chalice_app, make_user, ("finance",), "Fina Keuangan")
    partner, company_id, data = verified_partner(chalice_app, verifier["api"])
    code = product(admin["api"])
    return {"admin": admin, "verifier": verifier, "orders": orders, "finance": finance, "partner": partner,
            "company_id": company_id, "data": data, "product": code}


def ready_for_orders(scene):
    agree(scene["partner"], scene["orders"]["api"], scene["company_id"], scene["product"], 1_500_000)
    active_agreement(scene["orders"]["api"], scene["company_id"], ceiling=10_000_000)
    budget_line(scene["finance"]["api"], ceiling=50_000_000)


def issued_order(scene) -> dict:
    ready_for_orders(scene)
    issued = scene["orders"]["api"].post("/api/v1/orders", {
        "company_id": scene["company_id"], "product_code": scene["product"], "budget_line": BUDGET_CODE,
        "release_slug": SEED, "slots": {"dates": [f"{YEAR}-03-02"]}})
    assert issued.status == 201, issued
    return issued.json["order"]


def test_order_staff_issue_an_order_and_download_its_letter(page, web, scene):
    ready_for_orders(scene)
    log_in(page, web, scene["orders"]["email"], scene["orders"]["password"])
    page.get_by_role("link", name="Pesanan media").click()
    page.wait_for_url(f"{web}/konsol/pesanan/")
    page.get_by_text("Buat pesanan baru").click()

    profile = scene["data"]["profile"]
    page.get_by_label("Mitra terverifikasi").fill(profile["media_name"][:7])  # part of its name
    expect(page.locator("#o-partners option").first).to_have_attribute(
        "value", f"{profile['media_name']} ({profile['legal_name']})")
    page.get_by_label("Mitra terverifikasi").fill(f"{profile['media_name']} ({profile['legal_name']})")  # chosen
    expect(page.get_by_label("ID perusahaan mitra")).to_have_value(scene["company_id"])
    # The only budget line and PKS are next year's: the form opens on that year, and says why.
    expect(page.get_by_label("Tahun anggaran")).to_have_value(str(YEAR))
    expect(page.get_by_label("Tahun anggaran").locator("option:checked")).to_have_text(
        f"{YEAR} (1 kode rekening, 1 PKS)")
    expect(page.get_by_label("Tahun anggaran").locator(f"option[value='{YEAR - 1}']")).to_have_text(
        f"{YEAR - 1} (0 kode rekening, 0 PKS)")
    expect(page.locator("[data-field=agreement]")).to_contain_text(f"PKS/{scene['company_id'][-6:]}/{YEAR}")
    page.get_by_label("Produk", exact=True).select_option(scene["product"])
    page.get_by_label("Kode rekening").select_option(BUDGET_CODE)
    page.get_by_label("Slug siaran pers").fill(SEED)
    expect(page.locator("[data-field=release-title]")).to_contain_text("Siaran pers:")

    # The same day twice first: the API's message lands beside the dates.
    page.get_by_label("Tanggal tayang 1").fill(f"{YEAR}-03-02")
    page.get_by_role("button", name="Tambah tanggal").click()
    page.get_by_label("Tanggal tayang 2").fill(f"{YEAR}-03-02")
    page.get_by_role("button", name="Terbitkan pesanan").click()
    expect(page.get_by_role("alert").first).to_contain_text("tidak boleh sama")
    expect(page.get_by_label("Tanggal tayang 1")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Tanggal tayang 2").fill(f"{YEAR}-03-09")
    expect(page.locator("[data-field=total]")).to_contain_text("2 × Rp1.500.000 = Rp3.000.000")
    page.get_by_role("button", name="Terbitkan pesanan").click()
    expect(page.locator("[data-role=order-form] .seklik-status")).to_contain_text(NUMBER)

    row = page.locator("[data-role=table] tbody tr").first
    expect(row).to_contain_text(NUMBER)
    expect(row).to_contain_text("Rp3.000.000")
    expect(row).to_contain_text("Terbit, menunggu jawaban mitra")
    with page.expect_download() as info:
        row.get_by_role("button", name=f"Unduh surat pesanan {NUMBER}").click()
    letter = info.value
    assert letter.suggested_filename.startswith("surat-pesanan-") and letter.suggested_filename.endswith(".pdf")
    assert Path(letter.path()).read_bytes().startswith(b"%PDF-")

    # The reservation shows in the budget (which opens on next year, the one planned) and, balanced, in the books.
    page.goto(f"{web}/konsol/anggaran/")
    expect(page.get_by_label("Tahun anggaran")).to_have_value(str(YEAR))
    expect(page.locator(f"[data-line='{BUDGET_CODE}']")).to_contain_text("Rp47.000.000")
    page.goto(f"{web}/konsol/buku-besar/")
    expect(page.locator("[data-account='8100']")).to_contain_text("Rp3.000.000")
    expect(page.locator("[data-field=balance]")).to_contain_text("buku seimbang")
    posted = today_wib(utc_now()).year  # entries carry the day (WIB) they were posted, whatever the fiscal year
    entry = page.locator(f"[data-entry='JU/{posted}/00001']")
    expect(entry).to_contain_text(f"Pesanan media {NUMBER}")
    expect(page.locator("[data-role=exports]")).to_be_visible()  # the books' readers download the journal too

    # Finance filters the journal by kode rekening and downloads it.
    log_in(page, web, scene["finance"]["email"], scene["finance"]["password"])
    page.goto(f"{web}/konsol/buku-besar/")
    page.get_by_label("Kode rekening").select_option(BUDGET_CODE)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"**/konsol/buku-besar/?*kode={BUDGET_CODE}*")
    expect(page.locator(f"[data-entry='JU/{posted}/00001']")).to_be_visible()
    expect(page.locator("[data-role=journal-status]")).to_contain_text("1 jurnal")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_the_partner_accepts_an_order_and_submits_a_proof_with_a_screenshot(page, web, scene, tmp_path):
    order = issued_order(scene)
    page.add_init_script(RECORD_PROGRESS)
    account = scene["data"]["account"]
    log_in(page, web, account["email"], account["password"])
    # Signed in, the partner sees first what waits for it, one click from where it is done.
    waiting = page.locator("[data-task=orders_to_answer]")
    expect(waiting).to_have_text("1 pesanan menunggu jawaban Anda")
    expect(page.locator("[data-task=proofs_due]")).to_contain_text("0 bukti tayang")
    waiting.get_by_role("link").click()
    page.wait_for_url(f"{web}/mitra/pesanan/")

    card = page.locator(f"[data-order='{order['id']}']")
    expect(card).to_contain_text(NUMBER)
    expect(card).to_contain_text("Terbit, menunggu jawaban mitra")
    card.get_by_role("button", name="Terima pesanan").click()
    expect(card).to_contain_text("Diterima mitra")

    slot = card.locator("[data-slot='0']")
    expect(slot).to_contain_text("Belum ada bukti")
    # Months before the slot's day the page says when a proof can be sent, and offers no form.
    expect(slot).to_contain_text(f"Bukti tayang dapat dikirim mulai 2 Maret {YEAR}")
    expect(slot.get_by_role("button", name="Kirim bukti")).to_have_count(0)

    # On the day (the browser's clock and the API's), the form is there.
    page.clock.set_fixed_time(f"{YEAR}-03-02T09:00:00+07:00")
    with slots_due(date(YEAR, 3, 2)):
        page.reload()
        prove_on_the_page(page, card.locator("[data-slot='0']"), tmp_path)
    proof = scene["partner"].get(f"/api/v1/orders/{order['id']}").json["order"]["slots"][0]["proof"]
    assert [f["filename"] for f in proof["files"]] == ["tayang.png"]


def prove_on_the_page(page, slot, tmp_path):
    shot = tmp_path / "tayang.png"
    shot.write_bytes(samples.png())
    slot.get_by_label("Tautan berita atau tayangan").fill("https://ogannews.example.co.id/berita/1")
    slot.get_by_label("Tangkapan layar atau kliping (opsional)").set_input_files(str(shot))
    slot.get_by_role("button", name="Kirim bukti").click()

    expect(slot).to_contain_text("Bukti menunggu pemeriksaan")
    expect(slot).to_contain_text("tayang.png")
    expect(slot).to_contain_text("https://ogannews.example.co.id/berita/1")
    expect(slot.get_by_role("button", name="Kirim bukti")).to_have_count(0)
    assert "100" in page.evaluate("window.__progress")  # the upload reported its progress to the end


def test_a_verifier_opens_the_proof_and_accepts_it(page, web, scene, slots_come):
    order = issued_order(scene)
    partner = scene["partner"]
    accepted = partner.post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]}).json["order"]
    grant = partner.post(f"/api/v1/orders/{order['id']}/proofs/uploads",
                         {"filename": "tayang.png", "content_type": "image/png", "size": len(samples.png())}).json
    assert samples.post_to_s3(grant, samples.png(), "tayang.png", "image/png").status_code in (200, 204)
    proved = partner.post(f"/api/v1/orders/{order['id']}/proofs/0",
                          {"urls": ["https://ogannews.example.co.id/berita/1"], "upload_ids": [grant["upload_id"]],
                           "version": accepted["version"]})
    assert proved.status == 200, proved

    log_in(page, web, scene["verifier"]["email"], scene["verifier"]["password"])
    expect(page.locator("[data-task=proofs_to_review]")).to_have_text("1 bukti tayang menunggu pemeriksaan")
    expect(page.locator("[data-task=verifications]")).to_have_text("0 perusahaan menunggu verifikasi")
    page.get_by_role("link", name="Bukti tayang", exact=True).click()
    page.wait_for_url(f"{web}/konsol/bukti/")
    page.get_by_role("link", name=NUMBER).click()
    page.wait_for_url(f"{web}/konsol/rincian-pesanan/?id={order['id']}")
    slot = page.locator("[data-slot='0']")
    expect(slot).to_contain_text("Bukti menunggu pemeriksaan")
    with page.expect_download() as info:
        slot.get_by_role("button", name="Buka tayang.png").click()
    assert Path(info.value.path()).read_bytes() == samples.png()

    slot.get_by_role("button", name="Tolak bukti").click()  # a rejection needs its reason
    expect(slot.get_by_role("alert")).to_contain_text("alasan")
    slot.get_by_role("button", name="Terima bukti").click()
    expect(page.locator("[data-field=status_label]")).to_have_text("Selesai, siap ditagihkan")
    expect(page.locator("[data-slot='0']")).to_contain_text("Bukti diterima")


def test_rates_are_negotiated_and_the_agreement_made_on_the_pages(page, browser, web, scene, tmp_path):
    company_id, code = scene["company_id"], scene["product"]
    account = scene["data"]["account"]
    log_in(page, web, account["email"], account["password"])
    page.goto(f"{web}/mitra/tarif/")  # opens on next year: the product's SSH is for it alone
    expect(page.get_by_label("Tahun anggaran")).to_have_value(str(YEAR))
    item = page.locator(f"[data-product='{code}']")
    item.get_by_label("Harga usulan (rupiah)").fill("2.500.000")
    page.get_by_role("button", name="Ajukan tarif").click()
    expect(page.get_by_role("alert").first).to_contain_text("melebihi SSH")
    expect(item.get_by_label("Harga usulan (rupiah)")).to_have_attribute("aria-invalid", "true")
    item.get_by_label("Harga usulan (rupiah)").fill("1.900.000")
    item.get_by_label("Catatan (opsional)").fill("Termasuk foto")
    page.get_by_role("button", name="Ajukan tarif").click()
    expect(page.locator(f"[data-product='{code}']")).to_contain_text("Rp1.900.000 per artikel — Diajukan mitra")

    staff = browser.new_context(locale="id-ID").new_page()
    try:
        log_in(staff, web, scene["orders"]["email"], scene["orders"]["password"])
        staff.get_by_role("link", name="Negosiasi tarif").click()
        staff.wait_for_url(f"{web}/konsol/negosiasi/")
        staff.get_by_label("ID perusahaan").fill(company_id)
        staff.get_by_label("Tahun anggaran").fill(str(YEAR))
        staff.get_by_role("button", name="Tampilkan").click()
        staff.wait_for_url(f"{web}/konsol/negosiasi/?company={company_id}&year={YEAR}")
        line = staff.locator(f"[data-product='{code}']")
        expect(line).to_contain_text("Catatan mitra: Termasuk foto")
        line.get_by_label("Tawaran balik (rupiah)").fill("1.500.000")
        staff.get_by_label("Pesan untuk mitra (opsional)").fill("Sesuai anggaran")
        staff.get_by_role("button", name="Kirim tawaran balik").click()
        expect(staff.locator(f"[data-product='{code}']")).to_contain_text("Ditawar balik")

        page.reload()
        page.get_by_label("Setujui tawaran staf Rp1.500.000").check()
        page.get_by_role("button", name="Setujui tawaran terpilih").click()
        expect(page.locator(f"[data-product='{code}']")).to_contain_text("Disepakati")
        expect(page.locator("[data-field=thread]")).to_contain_text("Sesuai anggaran")

        staff.reload()
        expect(staff.locator("[data-field=agreed]")).to_contain_text("Rp1.500.000")
        staff.get_by_label("Nomor PKS").fill(f"PKS/001/{YEAR}")
        staff.get_by_label("Nilai PKS (rupiah)").fill("10.000.000")
        staff.get_by_role("button", name="Buat PKS").click()
        expect(staff.locator("[data-field=agreement]")).to_contain_text("Draf")
        expect(staff.get_by_role("button", name="Aktifkan PKS")).to_be_hidden()  # not before the signed PDF

        # The signed PKS: a PNG is refused by its content, the PDF is kept.
        fake = tmp_path / "pks.pdf"
        fake.write_bytes(samples.png())
        staff.get_by_label("PKS bertanda tangan (PDF)").set_input_files(str(fake))
        staff.get_by_role("button", name="Unggah PKS").click()
        expect(staff.locator("[data-role=signed-form]").get_by_role("alert")).to_contain_text("PNG")
        signed = tmp_path / "pks-ttd.pdf"
        signed.write_bytes(samples.PDF)
        staff.get_by_label("PKS bertanda tangan (PDF)").set_input_files(str(signed))
        staff.get_by_role("button", name="Unggah PKS").click()
        expect(staff.locator("[data-field=agreement]")).to_contain_text("pks-ttd.pdf")
        staff.get_by_role("button", name="Aktifkan PKS").click()
        expect(staff.locator("[data-field=agreement] dd").nth(1)).to_have_text("Berlaku")
    finally:
        staff.context.close()
    agreements = scene["partner"].get(f"/api/v1/media/{company_id}/agreements").json["agreements"]
    assert [(a["status"], a["rates"], a["ceiling"]) for a in agreements] == [("ACTIVE", {code: 1_500_000}, 10_000_000)]


def test_the_catalogue_and_the_budget_are_kept_on_their_pages(page, web, scene):
    log_in(page, web, scene["admin"]["email"], scene["admin"]["password"])
    page.get_by_role("link", name="Katalog produk").click()
    page.wait_for_url(f"{web}/konsol/katalog/")
    page.get_by_label("Kode produk").fill("spot-radio")
    page.get_by_label("Nama produk").fill("Spot iklan radio")
    page.get_by_label("Satuan", exact=True).fill("per 30 detik")
    page.get_by_role("button", name="Tambah produk").click()
    expect(page.get_by_role("alert").first).to_contain_text("jenis media")  # none chosen yet
    page.get_by_label("Radio").check()
    page.get_by_role("button", name="Tambah produk").click()
    expect(page.locator("[data-product='spot-radio']")).to_contain_text("Spot iklan radio")
    page.get_by_label("Produk", exact=True).select_option("spot-radio")
    page.get_by_label("Tahun anggaran").fill(str(YEAR))
    page.get_by_label("SSH per satuan (rupiah)").fill("Rp 750.000")
    page.get_by_role("button", name="Simpan SSH").click()
    expect(page.locator("[data-product='spot-radio']")).to_contain_text("Rp750.000")

    log_in(page, web, scene["finance"]["email"], scene["finance"]["password"])
    page.get_by_role("link", name="Anggaran").click()
    page.wait_for_url(f"{web}/konsol/anggaran/")
    page.goto(f"{web}/konsol/anggaran/?year={YEAR}")
    page.get_by_label("Kode rekening").fill(BUDGET_CODE)
    page.get_by_label("Uraian").fill("Belanja jasa iklan/reklame, film, dan pemotretan")
    page.get_by_label("Pagu (rupiah)").fill("50.000.000")
    page.get_by_role("button", name="Tambah kode rekening").click()
    expect(page.locator(f"[data-line='{BUDGET_CODE}']")).to_contain_text("Rp50.000.000")


def test_a_partner_signs_in_and_accepts_an_order_with_the_keyboard_alone(page, web, scene):
    """No mouse: Tab to each control, type, Enter or Space; every step can be reached and shows where focus is."""
    order = issued_order(scene)
    account = scene["data"]["account"]
    page.goto(f"{web}/masuk/")

    def tab_to(name: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => { const e = document.activeElement;
              return (e.labels && e.labels[0] ? e.labels[0].textContent : "") + "|" + (e.textContent || "") + "|" +
                     (e.getAttribute("aria-label") || ""); }""")
            if name in focused:
                return
        raise AssertionError(f"{name!r} cannot be reached with Tab")

    tab_to("Email")
    page.keyboard.type(account["email"])
    tab_to("Kata sandi")
    page.keyboard.type(account["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{web}/akun/")
    expect(page.locator("[data-task=orders_to_answer] a")).to_be_visible()  # the list is drawn once it is counted
    tab_to("pesanan menunggu jawaban Anda")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{web}/mitra/pesanan/")
    card = page.locator(f"[data-order='{order['id']}']")
    expect(card).to_contain_text("Terbit, menunggu jawaban mitra")
    expect(card.get_by_role("button", name="Terima pesanan")).to_be_visible()
    tab_to("Terima pesanan")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows that it has the focus"
    page.keyboard.press("Space")
    expect(card).to_contain_text("Diterima mitra")


def test_the_partner_and_its_id_never_name_two_partners(page, web, cast):
    """The order form's partner boxes: a name that no longer names one partner empties the id, an id of another
    partner replaces the name, an id of none empties it, and the note says which partner is chosen."""
    _, other_id, other = verified_partner(cast["chalice_app"], cast["verifier"], n=77)
    label = lambda p: f"{p['media_name']} ({p['legal_name']})"  # noqa: E731
    first, second = label(cast["data"]["profile"]), label(other["profile"])
    log_in(page, web, "cast-staff@example.go.id", "kata-sandi-pemeran")
    page.goto(f"{web}/konsol/pesanan/")
    page.get_by_text("Buat pesanan baru").click()
    name, company = page.get_by_label("Mitra terverifikasi"), page.get_by_label("ID perusahaan mitra")
    note = page.locator("[data-role=order-form] [data-role=partner-note]")
    expect(note).to_have_attribute("aria-live", "polite")

    name.fill(first)
    expect(company).to_have_value(cast["company_id"])
    expect(note).to_have_text(f"Mitra terpilih: {first}, ID {cast['company_id']}.")
    # Both partners' media names begin alike: the name box names neither, so the id box holds neither.
    name.fill(cast["data"]["profile"]["media_name"][:5])
    expect(company).to_have_value("")
    expect(note).to_have_text("2 mitra cocok; ketik lebih lengkap atau pilih dari daftar.")
    name.fill(second)
    expect(company).to_have_value(other_id)
    expect(note).to_have_text(f"Mitra terpilih: {second}, ID {other_id}.")
    name.fill("Harian Lain")
    expect(company).to_have_value("")
    expect(note).to_have_text("Tidak ada mitra terverifikasi dengan nama itu.")

    # The id box typed: another partner's id brings its name; an id of no partner in the list empties the name.
    company.fill(cast["company_id"])
    expect(name).to_have_value(first)
    expect(note).to_have_text(f"Mitra terpilih: {first}, ID {cast['company_id']}.")
    company.fill(other_id)
    expect(name).to_have_value(second)
    company.fill("01J00000000000000000000000")
    expect(name).to_have_value("")
    expect(note).to_have_text("ID ini tidak ada dalam daftar mitra terverifikasi.")


def test_the_journal_form_stays_to_correct_a_refused_period_and_each_line_has_its_entrys_number(page, web, ready):
    from tests.integration.test_orders_flow import order_body

    issued = ready["staff"].post("/api/v1/orders", order_body(ready["company_id"], ready["product"],
                                                                dates=[f"{YEAR}-03-02"]))
    assert issued.status == 201, issued
    posted = today_wib(utc_now()).year
    log_in(page, web, "cast-finance@example.go.id", "kata-sandi-pemeran")
    # A period backwards: the API refuses it; the form stays, with the dates as asked and the reason beside them.
    page.goto(f"{web}/konsol/buku-besar/?from={posted}-12-31&to={posted}-01-01")
    expect(page.locator("[data-account='8100']")).to_be_visible()
    note = page.locator("[data-role=journal-status]")
    expect(note).to_contain_text("Tanggal awal harus sebelum tanggal akhir.")
    start = page.get_by_label("Dari")
    expect(start).to_have_value(f"{posted}-12-31")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(start).to_have_attribute("aria-describedby", "j-status")
    expect(page.locator("[data-role=journal-table]")).to_be_hidden()
    expect(page.locator("[data-role=exports]")).to_be_hidden()

    start.fill(f"{posted}-01-01")
    page.get_by_label("Sampai").fill(f"{posted}-12-31")
    page.get_by_role("button", name="Tampilkan").click()
    number = f"JU/{posted}/00001"
    entry = page.locator(f"[data-entry='{number}']")
    expect(entry).to_contain_text("Pesanan media")
    # The entry's two lines (Dr 8100, Cr 8200) share its number, date and description, spanned over both rows,
    # so a screen reader names the second line by the entry's number too.
    head = entry.get_by_role("rowheader", name=number)
    expect(head).to_have_attribute("rowspan", "2")
    second = entry.locator("xpath=following-sibling::tr[1]")
    expect(second.locator("td")).to_have_count(3)
    expect(second).to_contain_text("8200")

    # A kode rekening the budget years do not offer: the box shows it, as the table is read with it.
    page.goto(f"{web}/konsol/buku-besar/?kode=9.9.99")
    expect(page.get_by_label("Kode rekening")).to_have_value("9.9.99")
    expect(note).to_contain_text("pada kode rekening 9.9.99")


def test_long_order_lists_show_a_page_and_the_next_one_on_request(page, web, cast):
    """Fifty orders a page (GET /orders comes in pages); the button under the list brings the rest."""
    from tests.integration.test_orders_flow import order_body

    agree(cast["partner"], cast["staff"], cast["company_id"], cast["product"], 10_000)
    active_agreement(cast["staff"], cast["company_id"], ceiling=1_000_000)
    budget_line(cast["finance"], ceiling=1_000_000)
    for n in range(52):
        issued = cast["staff"].post("/api/v1/orders", order_body(cast["company_id"], cast["product"],
                                                                   dates=[f"{YEAR}-03-{n % 28 + 1:02d}"]))
        assert issued.status == 201, issued

    def page_through(email: str, password: str, path: str, items: str, status: str, first: str, whole: str):
        """Fifty shown, the button brings the other two, then goes; each order once."""
        page.context.clear_cookies()
        log_in(page, web, email, password)
        page.goto(f"{web}{path}")
        shown = page.locator(items)
        more = page.get_by_role("button", name="Tampilkan pesanan berikutnya")
        expect(shown).to_have_count(50)
        expect(page.locator(status)).to_have_text(first)
        more.click()
        expect(shown).to_have_count(52)
        expect(more).to_be_hidden()
        expect(page.locator(status)).to_have_text(whole)
        assert len(set(shown.evaluate_all("items => items.map((i) => i.dataset.order)"))) == 52

    page_through("cast-staff@example.go.id", "kata-sandi-pemeran", "/konsol/pesanan/", "[data-role=table] tbody tr",
                 "[data-role=list-status]", "50 pesanan pertama, yang terakhir berubah di atas.",
                 "52 pesanan, yang terakhir berubah di atas.")
    account = cast["data"]["account"]
    page_through(account["email"], account["password"], "/mitra/pesanan/", "[data-field=orders] > *",
                 "[data-role=page-status]", "50 pesanan terbaru, 52 menunggu jawaban Anda.",
                 "52 pesanan, 52 menunggu jawaban Anda.")
