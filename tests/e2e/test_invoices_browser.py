"""The money cycle in a real browser: the partner invoices its completed orders with uploaded attachments, sees
the invoice returned and sends it again; finance approves it and records SPP, SPM and SP2D on the console; the
partner sees it paid; finance records the tax deposit and downloads the reports as XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import samples
from tests.cooperation import BUDGET_CODE, YEAR
from tests.e2e.test_partner_browser import log_in

pytestmark = pytest.mark.browser
CAST_PASSWORD = "kata-sandi-pemeran"


def pdf(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(samples.PDF)
    return path


def test_an_invoice_goes_from_the_partner_to_sp2d_on_the_pages(browser, web, billable, tmp_path):
    partner_page = browser.new_context(locale="id-ID").new_page()
    finance_page = browser.new_context(locale="id-ID", accept_downloads=True).new_page()
    account = billable["data"]["account"]

    # The partner bills its three completed orders.
    log_in(partner_page, web, account["email"], account["password"])
    partner_page.goto(f"{web}/mitra/tagihan/")
    form = partner_page.locator("[data-role=new-invoice]")
    expect(partner_page.locator("[data-role=page-status]")).to_contain_text("3 pesanan selesai siap ditagihkan")
    for box in form.get_by_role("checkbox").all()[:3]:
        box.check()
    form.get_by_label("Nomor tagihan Anda").fill("INV/OGN/2027/021")
    form.get_by_label("Nomor seri faktur pajak (NSFP)").fill("04002500000000123")
    form.get_by_label("DPP / harga jual pada faktur (rupiah)").fill("5.000.000")
    form.get_by_label("PPN pada faktur (rupiah)").fill("550.000")
    form.get_by_label("Kuitansi sudah bermeterai").check()
    for code, label in (("surat_tagihan", "Surat tagihan"), ("kuitansi", "Kuitansi bertanda tangan"),
                        ("faktur_pajak", "Faktur pajak (e-Faktur)")):
        form.get_by_label(label, exact=False).set_input_files(str(pdf(tmp_path, code)))
    form.get_by_role("button", name="Ajukan tagihan").click()
    expect(partner_page.locator("[data-role=page-status]")).to_contain_text("Tagihan terkirim")
    item = partner_page.locator("[data-field=invoices] li").first
    expect(item).to_contain_text("Diajukan")
    expect(item).to_contain_text("Rp4.900.000")

    # Finance sends it back with a reason; the partner fixes and sends it again.
    log_in(finance_page, web, "cast-finance@example.go.id", CAST_PASSWORD)
    finance_page.goto(f"{web}/konsol/tagihan/")
    invoice = finance_page.locator("[data-field=invoices] li").first
    expect(invoice).to_contain_text("INV/OGN/2027/021")
    invoice.get_by_label("Yang harus diperbaiki mitra").fill("Kuitansi belum ditandatangani direktur.")
    invoice.get_by_role("button", name="Kembalikan ke mitra").click()
    expect(finance_page.locator("[data-role=page-status]")).to_contain_text("tersimpan")

    partner_page.reload()
    item = partner_page.locator("[data-field=invoices] li").first
    expect(item).to_contain_text("Kuitansi belum ditandatangani direktur.")
    item.get_by_label("Kuitansi bertanda tangan", exact=False).set_input_files(str(pdf(tmp_path, "kuitansi-ttd")))
    item.get_by_label("Kuitansi sudah bermeterai").check()
    item.get_by_label("Nomor seri faktur pajak (NSFP)").fill("04002500000000123")
    item.get_by_label("DPP / harga jual pada faktur (rupiah)").fill("5000000")
    item.get_by_label("PPN pada faktur (rupiah)").fill("550000")
    item.get_by_role("button", name="Ajukan kembali").click()
    expect(partner_page.locator("[data-role=page-status]")).to_contain_text("diajukan kembali")

    # Approval, then SPP, SPM and SP2D with their PDFs.
    finance_page.reload()
    invoice = finance_page.locator("[data-field=invoices] li").first
    invoice.get_by_role("button", name="Setujui tagihan").click()
    expect(finance_page.locator("[data-role=page-status]")).to_contain_text("disetujui")
    for status, label, number in (("APPROVED", "SPP-LS", "00123/SPP-LS/2027"), ("SPP_FILED", "SPM", "00123/SPM-LS/2027"),
                                  ("SPM_ISSUED", "SP2D", "00456/SP2D/2027")):
        finance_page.get_by_label("Status").select_option(status)
        invoice = finance_page.locator("[data-field=invoices] li").first
        invoice.get_by_label(f"Nomor {label}").fill(number)
        invoice.get_by_label(f"PDF {label}", exact=True).set_input_files(str(pdf(tmp_path, label)))
        if label == "SP2D":
            expect(invoice.get_by_label("Nilai ditransfer ke mitra (rupiah)")).to_have_value("4900000")
        invoice.get_by_role("button", name=f"Simpan {label}").click()
        expect(finance_page.locator("[data-role=page-status]")).to_contain_text(f"{label} tercatat")

    partner_page.reload()
    item = partner_page.locator("[data-field=invoices] li").first
    expect(item).to_contain_text("SP2D terbit (dibayar)")
    expect(item).to_contain_text("SP2D 00456/SP2D/2027")

    # The taxes are deposited on their page, and the reports come as one workbook.
    finance_page.goto(f"{web}/konsol/pajak/")
    expect(finance_page.locator("[data-role=page-status]")).to_contain_text("2 pajak belum disetor")
    finance_page.get_by_label("Pilih PPN dipungut", exact=False).check()
    finance_page.get_by_label("Kode billing").fill("123456789012345")
    finance_page.get_by_label("NTPN").fill("0A1B2C3D4E5F6A7B")
    finance_page.get_by_label("Tanggal setor").fill(finance_page.evaluate("new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Jakarta'}).format(new Date())"))
    finance_page.get_by_role("button", name="Simpan setoran").click()
    expect(finance_page.locator("[data-role=page-status]")).to_contain_text("Setoran tercatat")

    finance_page.goto(f"{web}/konsol/laporan/?")
    finance_page.get_by_label("Tahun anggaran (realisasi)").fill(str(YEAR))
    finance_page.get_by_role("button", name="Tampilkan").click()
    expect(finance_page.locator("[data-field=realisation]")).to_contain_text(BUDGET_CODE)
    expect(finance_page.locator("[data-field=realisation]")).to_contain_text("Rp5.550.000")
    with finance_page.expect_download() as info:
        finance_page.get_by_role("button", name="Unduh semua (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames[0] == f"Realisasi {YEAR}"
    rows = {r[0]: r for r in book[f"Realisasi {YEAR}"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rows[BUDGET_CODE][5] == 5_550_000  # realised by the SP2D
