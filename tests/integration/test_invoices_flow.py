"""The money cycle over HTTP on the real servers, as the research file's case A: three completed orders of
Rp1.850.000 from a PKP partner are invoiced (Rp5.550.000), returned, fixed, approved, then SPP, SPM and an SP2D
of Rp4.900.000 — with the books, the budget line's buckets and the taxes checked at every step, and every
refusal changing nothing."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date

import pytest

from chalicelib.domain.clock import today_wib, utc_now
from tests import samples
from tests.conftest import all_items
from tests.cooperation import BUDGET_CODE, YEAR
from tests.scenes import PRICE
from tests.integration.test_orders_flow import order_body
TODAY = today_wib(utc_now()).isoformat()  # the office's day: approval and SP2D dates are in WIB


def attach(api, code: str, content: bytes = samples.PDF) -> str:
    grant = api.post("/api/v1/invoices/uploads", {"code": code, "filename": f"{code}.pdf",
                                                  "content_type": "application/pdf", "size": len(content)})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, content, f"{code}.pdf").status_code in (200, 204)
    return grant.json["upload_id"]


def invoice_body(cast, orders=None, **changes) -> dict:
    partner = cast["partner"]
    body = {"order_ids": [o["id"] for o in (orders or cast["orders"])], "partner_invoice_number": "INV/OGN/2027/014",
            "partner_invoice_date": TODAY, "kuitansi_meterai": True,
            "faktur": {"number": "04002500000000123", "tax_base": 5_000_000, "vat": 550_000},
            "attachments": {code: attach(partner, code) for code in ("surat_tagihan", "kuitansi", "faktur_pajak")}}
    body.update(changes)
    return body


def step_pdf(finance, invoice_id: str, step: str) -> str:
    grant = finance.post(f"/api/v1/invoices/{invoice_id}/documents/uploads",
                         {"step": step, "filename": f"{step}.pdf", "content_type": "application/pdf",
                          "size": len(samples.PDF)})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, samples.PDF, f"{step}.pdf").status_code in (200, 204)
    return grant.json["upload_id"]


@contextmanager
def nothing_changes(table_name: str):
    before = sorted(map(repr, all_items(table_name)))
    yield
    assert sorted(map(repr, all_items(table_name))) == before, "a refused request changed the table"


def books(finance) -> dict[str, tuple[int, int]]:
    ledger = finance.get("/api/v1/ledger").json
    assert ledger["total_debit"] == ledger["total_credit"]
    return {a["code"]: (a["debit"], a["credit"]) for a in ledger["accounts"]}


def net(balances, code) -> int:
    debit, credit = balances[code]
    return debit - credit


def line(finance) -> dict:
    (found,) = [x for x in finance.get(f"/api/v1/budgets/{YEAR}").json["lines"] if x["code"] == BUDGET_CODE]
    assert found["ceiling"] == found["remaining"] + found["committed"] + found["payable"] + found["realised"]
    return found


def test_an_invoice_from_completed_orders_to_sp2d_with_the_books_at_every_step(billable, outbox):
    partner, finance, table = billable["partner"], billable["finance"], billable["table"]
    gross = 3 * PRICE
    assert line(finance)["committed"] == gross

    first = invoice_body(billable)
    submitted = partner.post("/api/v1/invoices", first, headers={"Idempotency-Key": "tagihan-0001"})
    assert submitted.status == 201, submitted
    invoice = submitted.json["invoice"]
    replayed = partner.post("/api/v1/invoices", first, headers={"Idempotency-Key": "tagihan-0001"})
    assert replayed.status == 201 and replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json["invoice"]["id"] == invoice["id"]
    assert (invoice["status"], invoice["gross"]) == ("SUBMITTED", 5_550_000)
    assert invoice["taxes"] == {"gross": 5_550_000, "base": 5_000_000, "ppn": 550_000, "ppn_collected": True,
                                "ppn_withheld": 550_000, "pph23": 100_000, "pph23_object_code": "24-104-34",
                                "net": 4_900_000, "needs_meterai": True, "rule_from": "2025-01-01"}
    assert invoice["bank_account"]["holder"] == billable["data"]["profile"]["bank_account"]["holder"]
    assert net(books(finance), "5101") == 0  # nothing is recognised before approval
    assert "Tagihan INV/OGN/2027/014 diterima" in outbox()[-1]["Subject"]

    # The same key again is the same invoice; the same orders again are refused.
    again = partner.post("/api/v1/invoices", invoice_body(billable), headers={"Idempotency-Key": "tagihan-0001"})
    assert again.status == 422 and again.error_code == "IDEMPOTENCY_KEY_REUSED"  # new upload ids: another body
    body = invoice_body(billable, partner_invoice_number="INV/OGN/2027/015")
    with nothing_changes(table):
        twice = partner.post("/api/v1/invoices", body)
    assert twice.status == 409 and twice.error_code == "ORDER_ALREADY_INVOICED", twice
    assert len(twice.json["error"]["details"]) == 3

    # Returned with a reason per item, fixed by the partner, sent again.
    returned = finance.post(f"/api/v1/invoices/{invoice['id']}/return",
                            {"reasons": {"attachments.kuitansi": "Kuitansi belum ditandatangani direktur."},
                             "version": invoice["version"]})
    assert returned.status == 200 and returned.json["invoice"]["status"] == "RETURNED", returned
    assert "belum ditandatangani" in outbox()[-1].get_body().get_content()
    with nothing_changes(table):
        refused = finance.post(f"/api/v1/invoices/{invoice['id']}/approve",
                               {"version": returned.json["invoice"]["version"]})
    assert refused.status == 409 and refused.error_code == "INVOICE_STATE"
    fixed = partner.post(f"/api/v1/invoices/{invoice['id']}/resubmit", {
        "partner_invoice_number": "INV/OGN/2027/014", "partner_invoice_date": TODAY, "kuitansi_meterai": True,
        "faktur": {"number": "04002500000000123", "tax_base": 5_000_000, "vat": 550_000},
        "attachments": {"kuitansi": attach(partner, "kuitansi")}, "version": returned.json["invoice"]["version"]})
    assert fixed.status == 200 and fixed.json["invoice"]["status"] == "SUBMITTED", fixed
    assert fixed.json["invoice"]["return_reasons"] == {}

    # Approval: the commitment is realised and the expense and the payable recognised, once.
    version = fixed.json["invoice"]["version"]
    approved = finance.post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": version})
    assert approved.status == 200 and approved.json["invoice"]["status"] == "APPROVED", approved
    stale = finance.post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": version})
    assert stale.status == 409 and stale.error_code == "STALE_VERSION"
    balances = books(finance)
    assert (net(balances, "8100"), net(balances, "5101"), -net(balances, "2101")) == (0, gross, gross)
    assert (line(finance)["committed"], line(finance)["payable"], line(finance)["realised"]) == (0, gross, 0)

    # SPP, then SPM, each with its PDF; the SP2D must carry exactly the net.
    invoice = approved.json["invoice"]
    spp = finance.post(f"/api/v1/invoices/{invoice['id']}/spp", {
        "number": "00123/SPP-LS/1.02/2027", "issued_on": TODAY, "upload_id": step_pdf(finance, invoice["id"], "spp"),
        "version": invoice["version"]})
    assert spp.status == 200 and spp.json["invoice"]["status"] == "SPP_FILED", spp
    with nothing_changes(table):
        early = finance.post(f"/api/v1/invoices/{invoice['id']}/cancel",
                             {"reason": "Salah tagih", "version": spp.json["invoice"]["version"]})
    assert early.status == 409 and early.error_code == "INVOICE_STATE"  # no cancelling once the SPP is filed
    spm = finance.post(f"/api/v1/invoices/{invoice['id']}/spm", {
        "number": "00123/SPM-LS/1.02/2027", "issued_on": TODAY, "upload_id": step_pdf(finance, invoice["id"], "spm"),
        "version": spp.json["invoice"]["version"]})
    assert spm.status == 200 and spm.json["invoice"]["status"] == "SPM_ISSUED", spm
    version = spm.json["invoice"]["version"]
    sp2d_pdf = step_pdf(finance, invoice["id"], "sp2d")
    with nothing_changes(table):
        wrong = finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d", {
            "number": "00456/SP2D/2027", "issued_on": TODAY, "amount": 5_550_000, "upload_id": sp2d_pdf,
            "version": version})
    assert wrong.status == 422 and wrong.error_code == "SP2D_AMOUNT_MISMATCH", wrong
    assert "Rp4.900.000" in wrong.json["error"]["message"] and "lebih Rp650.000" in wrong.json["error"]["message"]
    paid = finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d", {
        "number": "00456/SP2D/2027", "issued_on": TODAY, "amount": 4_900_000, "upload_id": sp2d_pdf,
        "version": version})
    assert paid.status == 200 and paid.json["invoice"]["status"] == "PAID", paid
    assert paid.json["invoice"]["payment"]["net"] == 4_900_000
    balances = books(finance)
    assert net(balances, "2101") == 0  # the partner is paid in full
    assert (-net(balances, "2102"), -net(balances, "2103"), -net(balances, "1101")) == (550_000, 100_000, 4_900_000)
    assert (line(finance)["payable"], line(finance)["realised"]) == (0, gross)
    assert "Dibayarkan ke rekening Anda: Rp4.900.000" in outbox()[-1].get_body().get_content()

    # The partner sees its invoice with its history, and the documents of every step can be opened.
    history = partner.get(f"/api/v1/invoices/{invoice['id']}").json["history"]
    assert [h["action"] for h in history] == ["invoice.paid", "invoice.spm_recorded", "invoice.spp_recorded",
                                              "invoice.approved", "invoice.resubmitted", "invoice.returned",
                                              "invoice.submitted"]
    assert history[0]["by"] == "Fina Keuangan" and "belum ditandatangani" in history[5]["reason"]
    mine = partner.get("/api/v1/invoices").json["invoices"]
    assert [i["status"] for i in mine] == ["PAID"]
    assert partner.get(f"/api/v1/invoices/{invoice['id']}/files/sp2d").status == 200
    assert partner.get(f"/api/v1/invoices/{invoice['id']}/files/kuitansi").status == 200


def test_an_sp2d_returned_by_the_bank_is_reversed_and_a_new_one_follows(billable):
    finance = billable["finance"]
    invoice = paid = pay(billable)
    back = finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d/returned",
                        {"reason": "Rekening tujuan ditutup", "version": paid["version"]})
    assert back.status == 200 and back.json["invoice"]["status"] == "SPM_ISSUED", back
    balances = books(finance)
    assert (-net(balances, "2101"), net(balances, "1101"), net(balances, "2102")) == (5_550_000, 0, 0)
    assert (line(finance)["payable"], line(finance)["realised"]) == (5_550_000, 0)
    again = finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d", {
        "number": "002/SP2D/2027", "issued_on": TODAY, "amount": 4_900_000,
        "upload_id": step_pdf(finance, invoice["id"], "sp2d"), "version": back.json["invoice"]["version"]})
    assert again.status == 200 and again.json["invoice"]["sp2d"]["number"] == "002/SP2D/2027", again
    assert net(books(finance), "2101") == 0


def test_a_cancelled_approved_invoice_gives_its_approval_back_and_its_orders_can_be_billed_again(billable):
    partner, finance = billable["partner"], billable["finance"]
    invoice = partner.post("/api/v1/invoices", invoice_body(billable)).json["invoice"]
    approved = finance.post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": invoice["version"]}).json
    cancelled = finance.post(f"/api/v1/invoices/{invoice['id']}/cancel",
                             {"reason": "Nilai faktur salah ketik", "version": approved["invoice"]["version"]})
    assert cancelled.status == 200 and cancelled.json["invoice"]["status"] == "CANCELLED", cancelled
    balances = books(finance)
    assert (net(balances, "8100"), net(balances, "5101"), net(balances, "2101")) == (5_550_000, 0, 0)
    assert (line(finance)["committed"], line(finance)["payable"]) == (5_550_000, 0)
    anew = partner.post("/api/v1/invoices", invoice_body(billable))
    assert anew.status == 201, anew  # the same orders and number are free again


def test_what_an_invoice_refuses_changes_nothing(billable, make_user):
    partner, staff, table = billable["partner"], billable["staff"], billable["table"]
    open_order = staff.post("/api/v1/orders", order_body(billable["company_id"], billable["product"],
                                                         dates=[f"{YEAR}-04-06"])).json["order"]
    cases = [
        (invoice_body(billable, orders=[*billable["orders"], open_order]), 422, "order_not_completed"),
        (invoice_body(billable, faktur=None), 422, "faktur_missing"),
        (invoice_body(billable, faktur={"number": "04002500000000123", "tax_base": 4_900_000, "vat": 650_000}),
         422, "faktur_mismatch"),
        (invoice_body(billable, kuitansi_meterai=False), 422, "meterai_required"),
        (invoice_body(billable, partner_invoice_date="2999-01-01"), 422, "in_future"),
        ({**invoice_body(billable), "attachments": {"kuitansi": attach(partner, "kuitansi")}}, 422,
         "attachment_missing"),
        (invoice_body(billable, order_ids=["01HZZZZZZZZZZZZZZZZZZZZZZZ"]), 422, "unknown_order"),
    ]
    for body, status, code in cases:
        before = sorted(repr(i) for i in all_items(table) if i.get("type") != "UPLOAD")
        refused = partner.post("/api/v1/invoices", body)
        assert refused.status == status, (code, refused)
        assert code in [d["code"] for d in refused.json["error"]["details"]], (code, refused)
        assert sorted(repr(i) for i in all_items(table) if i.get("type") != "UPLOAD") == before, code
    for amount in (True, 1.5, -1, "4900000", 10 ** 40):  # amounts are integer rupiah at the edge
        body = invoice_body(billable)
        body["faktur"] = {**body["faktur"], "vat": amount}
        assert partner.post("/api/v1/invoices", body).status in (400, 422)


def test_sixteen_partners_tabs_invoicing_the_same_orders_make_one_invoice(billable):
    from tests.cooperation import clone

    bodies = [invoice_body(billable, partner_invoice_number=f"INV/{n}") for n in range(16)]
    tabs = [clone(billable["chalice_app"], billable["partner"]) for _ in bodies]
    from chalicelib.services.invoices import InvoiceRequest
    from chalicelib.domain.taxes import Faktur
    from chalicelib.errors import SeklikError
    from chalicelib.wiring import get_services

    service = get_services().invoices
    user = get_services().accounts.find_user_by_email(billable["data"]["account"]["email"])
    results, start = [], threading.Barrier(len(bodies))

    def work(body):
        request = InvoiceRequest(tuple(body["order_ids"]), body["partner_invoice_number"],
                                 date.fromisoformat(body["partner_invoice_date"]), body["attachments"],
                                 body["faktur"]["number"], Faktur(5_000_000, 550_000), True)
        start.wait()
        try:
            results.append(service.submit(user, request)[0].id)
        except SeklikError as error:
            results.append(error.code)

    threads = [threading.Thread(target=work, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(tabs) == 16
    created = [r for r in results if len(r) == 26]
    assert len(created) == 1 and len(results) == 16, results
    assert set(results) - set(created) <= {"ORDER_ALREADY_INVOICED", "CONCURRENT_REQUEST"}
    assert len(billable["partner"].get("/api/v1/invoices").json["invoices"]) == 1


def test_eight_finance_staff_approving_at_once_make_one_approval_and_one_entry(billable):
    from chalicelib.errors import SeklikError
    from chalicelib.wiring import get_services

    invoice = billable["partner"].post("/api/v1/invoices", invoice_body(billable)).json["invoice"]
    service = get_services().invoices
    user = billable["finance"].user
    results, start = [], threading.Barrier(8)

    def work():
        start.wait()
        try:
            results.append(service.approve(user, invoice["id"], invoice["version"]).status.value)
        except SeklikError as error:
            results.append(error.code)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["APPROVED"] + ["STALE_VERSION"] * 7
    entries = [e for e in billable["finance"].get("/api/v1/ledger").json["entries"] if e["source"].endswith(invoice["id"])]
    assert len(entries) == 1


def pay(billable) -> dict:
    """An invoice of the three orders, approved and paid (SP2D today)."""
    partner, finance = billable["partner"], billable["finance"]
    invoice = partner.post("/api/v1/invoices", invoice_body(billable)).json["invoice"]
    invoice = finance.post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": invoice["version"]}).json["invoice"]
    for step in ("spp", "spm"):
        invoice = finance.post(f"/api/v1/invoices/{invoice['id']}/{step}", {
            "number": f"001/{step.upper()}/2027", "issued_on": TODAY, "upload_id": step_pdf(finance, invoice["id"], step),
            "version": invoice["version"]}).json["invoice"]
    return finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d", {
        "number": "001/SP2D/2027", "issued_on": TODAY, "amount": 4_900_000,
        "upload_id": step_pdf(finance, invoice["id"], "sp2d"), "version": invoice["version"]}).json["invoice"]


def test_the_taxes_of_a_paid_invoice_are_deposited_and_the_bukti_potong_reaches_the_partner(billable):
    partner, finance, table = billable["partner"], billable["finance"], billable["table"]
    invoice = pay(billable)
    due = finance.get("/api/v1/taxes/outstanding").json["outstanding"]
    assert sorted((d["kind"], d["amount"]) for d in due) == [("PPH23", 100_000), ("PPN", 550_000)]
    assert all(d["due_on"].endswith("-15") and not d["overdue"] for d in due)

    body = {"kind": "PPN", "invoice_ids": [invoice["id"]], "billing_code": "123456789012345",
            "ntpn": "0A1B2C3D4E5F6A7B", "deposited_on": TODAY}
    with nothing_changes(table):
        for wrong in ({"billing_code": "12345"}, {"ntpn": "pendek-sekali-xx"}, {"deposited_on": "2999-01-01"}):
            refused = finance.post("/api/v1/taxes/deposits", {**body, **wrong})
            assert refused.status == 422, (wrong, refused)
    ppn = finance.post("/api/v1/taxes/deposits", body, headers={"Idempotency-Key": "setoran-ppn-0001"})
    assert ppn.status == 201 and ppn.json["deposit"]["amount"] == 550_000, ppn
    again = finance.post("/api/v1/taxes/deposits", body, headers={"Idempotency-Key": "setoran-ppn-0001"})
    assert again.headers.get("idempotent-replayed") == "true" and again.json["deposit"]["id"] == ppn.json["deposit"]["id"]
    with nothing_changes(table):
        again = finance.post("/api/v1/taxes/deposits", {**body, "ntpn": "0A1B2C3D4E5F6A7C"})
        assert again.status == 422 and again.json["error"]["details"][0]["code"] == "nothing_to_deposit"
        reused = finance.post("/api/v1/taxes/deposits", {**body, "kind": "PPH23"})
        assert reused.status == 422 and reused.json["error"]["details"][0]["code"] == "ntpn_taken"
    pph = finance.post("/api/v1/taxes/deposits", {**body, "kind": "PPH23", "ntpn": "0A1B2C3D4E5F6A7C"})
    assert pph.status == 201 and pph.json["deposit"]["amount"] == 100_000, pph
    assert finance.get("/api/v1/taxes/outstanding").json["outstanding"] == []
    balances = books(finance)
    assert (net(balances, "2101"), net(balances, "2102"), net(balances, "2103")) == (0, 0, 0)  # all settled
    assert -net(balances, "1101") == 5_550_000  # cash fell by exactly the gross
    assert net(balances, "5101") == 5_550_000 and net(balances, "8100") == 0

    # The bank cannot take back an SP2D whose taxes are deposited.
    with nothing_changes(table):
        late = finance.post(f"/api/v1/invoices/{invoice['id']}/sp2d/returned",
                            {"reason": "Rekening ditutup", "version": invoice["version"] + 2})
    assert late.status == 409 and late.error_code == "TAXES_ALREADY_DEPOSITED", late

    current = finance.get(f"/api/v1/invoices/{invoice['id']}").json["invoice"]
    slip = finance.post(f"/api/v1/invoices/{invoice['id']}/withholding-slip", {
        "number": "2500012345", "upload_id": step_pdf(finance, invoice["id"], "bukti_potong"),
        "version": current["version"]})
    assert slip.status == 200 and slip.json["invoice"]["settled"] is True, slip
    link = partner.get(f"/api/v1/invoices/{invoice['id']}/files/bukti_potong")
    assert link.status == 200 and link.json["url"]
    assert [d["ntpn"] for d in finance.get("/api/v1/taxes/deposits").json["deposits"]] == \
        ["0A1B2C3D4E5F6A7B", "0A1B2C3D4E5F6A7C"]


def pdf_text(api, path: str | None, link=None) -> str:
    import io

    import requests
    from pypdf import PdfReader

    link = link or api.get(path)
    assert link.status == 200, link
    content = requests.get(link.json["url"], timeout=10).content
    reader = PdfReader(io.BytesIO(content))
    assert samples.embedded_fonts(reader) <= {"LiberationSans", "LiberationSansBold", "LiberationSansItalic"}
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_kuitansi_bast_and_spp_sheet_carry_the_invoices_figures_and_words(billable):
    partner, finance = billable["partner"], billable["finance"]
    order_ids = [o["id"] for o in billable["orders"]]
    link = partner.post("/api/v1/invoices/kuitansi", {"order_ids": order_ids})  # to sign before invoicing
    assert link.status == 200 and "KUITANSI" in pdf_text(partner, None, link)
    invoice = partner.post("/api/v1/invoices", invoice_body(billable)).json["invoice"]
    kuitansi = pdf_text(partner, f"/api/v1/invoices/{invoice['id']}/papers/kuitansi")
    assert "KUITANSI" in kuitansi and "Rp5.550.000" in kuitansi and "Meterai" in kuitansi
    assert "lima juta lima ratus lima puluh ribu rupiah" in kuitansi.lower()
    assert "diterima bersih Rp4.900.000" in kuitansi
    bast = pdf_text(finance, f"/api/v1/invoices/{invoice['id']}/papers/bast")
    squeezed = "".join(bast.split())  # numbers wrap inside their table cells
    assert "BERITA ACARA SERAH TERIMA" in bast and all(o["number"] in squeezed for o in billable["orders"])
    assert "https://ogannews.example.co.id/berita/1" in squeezed and "Pejabat Pelaksana Teknis Kegiatan" in bast
    sheet = pdf_text(finance, f"/api/v1/invoices/{invoice['id']}/papers/spp_sheet")
    assert "Rp5.000.000" in sheet and "Rp550.000" in sheet and "Rp100.000" in sheet and "Rp4.900.000" in sheet
    assert "empat juta sembilan ratus ribu rupiah" in sheet.lower()
    assert finance.get(f"/api/v1/invoices/{invoice['id']}/papers/surat").status == 422


def test_a_closed_fiscal_year_takes_no_invoice_and_nothing_changes(billable):
    import copy
    from datetime import datetime, timezone

    from chalicelib.domain.taxes import Faktur
    from chalicelib.errors import SeklikError
    from chalicelib.services.invoices import InvoiceRequest
    from chalicelib.wiring import get_services

    service = copy.copy(get_services().invoices)  # the same service, on the day after the year closed
    service.clock = lambda: datetime(YEAR + 1, 1, 1, 0, 30, tzinfo=timezone.utc)  # 07:30 WIB, 1 January
    user = get_services().accounts.find_user_by_email(billable["data"]["account"]["email"])
    request = InvoiceRequest(tuple(o["id"] for o in billable["orders"]), "INV/LAMA/1", date(YEAR, 12, 30), {},
                             "04002500000000123", Faktur(5_000_000, 550_000), True)
    with nothing_changes(billable["table"]):
        with pytest.raises(SeklikError) as refused:
            service.submit(user, request)
    assert refused.value.code == "FISCAL_YEAR_CLOSED" and f"{YEAR}-12-31" in refused.value.message


def test_invoice_lists_come_in_pages_the_office_status_by_status_and_each_partner_its_own(spending_year):
    finance, first, second = spending_year["finance"], spending_year["partner"], spending_year["second"]["partner"]
    paid = spending_year["paid_invoice"]["id"]

    def walk(api, query: str = "") -> list[list[tuple[str, str]]]:
        pages, after = [], None
        while True:
            answer = api.get(f"/api/v1/invoices?limit=1{query}" + (f"&after={after}" if after else ""))
            assert answer.status == 200, answer
            pages.append([(i["id"], i["status"]) for i in answer.json["invoices"]])
            after = answer.json["next"]
            if after is None:
                return pages

    # The office's: in the workflow's order (approved before paid), one a page, each once.
    office = walk(finance)
    assert [[status for _, status in page] for page in office] == [["APPROVED"], ["PAID"]]
    assert walk(finance, "&status=PAID") == [[(paid, "PAID")]]
    # Each partner its own, never the other's.
    assert walk(first) == [[(paid, "PAID")]]
    assert [[status for _, status in page] for page in walk(second)] == [["APPROVED"]]
    approved_cursor = finance.get("/api/v1/invoices?limit=1").json["next"]  # names APPROVED
    partner_cursor = first.get("/api/v1/invoices?limit=1").json["next"]  # None: one invoice
    assert partner_cursor is None
    for bad in ("limit=0", "after=UEFJRHwy", "after=%%%", f"status=PAID&after={approved_cursor}"):
        refused = finance.get(f"/api/v1/invoices?{bad}")
        assert refused.status == 422 and refused.json["error"]["details"][0]["field"] in ("limit", "after"), refused
    assert first.get(f"/api/v1/invoices?after={approved_cursor}").status == 422  # the office's, to a partner
