"""Reports and their files equal the books: realisation, the cash book, the tax books and a partner's statement
are recomputed here from every journal line, and the XLSX is opened back and compared with the API."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import requests
from openpyxl import load_workbook

from tests.conftest import all_items
from tests.cooperation import BUDGET_CODE, YEAR
from tests.integration.test_invoices_flow import TODAY, invoice_body, pay


def journal(table_name: str) -> list[dict]:
    return [i for i in all_items(table_name) if i.get("type") == "JOURNAL_LINE"]


def test_the_reports_equal_the_journal_and_the_xlsx_equals_the_reports(billable):
    finance, partner, table = billable["finance"], billable["partner"], billable["table"]
    invoice = pay(billable)
    assert finance.post("/api/v1/taxes/deposits", {
        "kind": "PPN", "invoice_ids": [invoice["id"]], "billing_code": "123456789012345", "ntpn": "0A1B2C3D4E5F6A7B",
        "deposited_on": TODAY}).status == 201
    lines = journal(table)
    per_account = defaultdict(lambda: [0, 0])
    for line in lines:
        per_account[line["account"]][0] += int(line["debit"])
        per_account[line["account"]][1] += int(line["credit"])

    # Realisation: the budget line's buckets are what the journal says of it.
    report = finance.get(f"/api/v1/reports/realisation/{YEAR}").json
    (row,) = [r for r in report["lines"] if r["code"] == BUDGET_CODE]
    on_line = [x for x in lines if (x.get("dimensions") or {}).get("budget_line") == BUDGET_CODE]
    committed = sum(int(x["debit"]) - int(x["credit"]) for x in on_line if x["account"] == "8100")
    paid = sum(int(x["debit"]) for x in on_line if x["account"] == "2101")
    approved = sum(int(x["credit"]) for x in on_line if x["account"] == "2101")
    assert (row["committed"], row["payable"], row["realised"]) == (committed, approved - paid, paid)
    assert row["ceiling"] == row["remaining"] + row["committed"] + row["payable"] + row["realised"]
    assert row["realised"] == 5_550_000 and row["percent"] == round(100 * 5_550_000 / row["ceiling"], 2)

    # The cash book and the tax books: every movement of their account, balances running.
    cash = finance.get(f"/api/v1/reports/cash-book?from={YEAR - 1}-01-01&to={TODAY}").json
    debit, credit = per_account["1101"]
    assert (cash["increases"], cash["decreases"], cash["closing"]) == (debit, credit, debit - credit)
    assert [line["decrease"] for line in cash["lines"]] == [4_900_000, 550_000]
    assert cash["lines"][-1]["balance"] == -5_450_000 and "SP2D" in cash["lines"][0]["description"]
    for kind, account, owed in (("PPN", "2102", 0), ("PPH23", "2103", 100_000)):
        book = finance.get(f"/api/v1/reports/tax-book/{kind}?from={YEAR - 1}-01-01&to={TODAY}").json
        debit, credit = per_account[account]
        assert (book["increases"], book["decreases"]) == (credit, debit)
        assert book["closing"] == credit - debit == owed  # what is still to deposit
    later = finance.get(f"/api/v1/reports/cash-book?from={YEAR + 1}-01-01&to={YEAR + 1}-01-31").json
    assert (later["opening"], later["lines"]) == (-5_450_000, [])  # a later period opens where this one closed

    # A partner's statement, which the partner can read too.
    statement = partner.get(f"/api/v1/reports/partners/{billable['company_id']}/{YEAR}").json["statement"]
    assert (statement["ordered"], statement["invoiced"], statement["paid_net"], statement["ppn_withheld"],
            statement["pph23_withheld"]) == (5_550_000, 5_550_000, 4_900_000, 550_000, 100_000)

    # The workbook: one sheet per report, the same figures.
    link = finance.get(f"/api/v1/exports/books?from={YEAR - 1}-01-01&to={TODAY}&year={YEAR}")
    assert link.status == 200, link
    book = load_workbook(io.BytesIO(requests.get(link.json["url"], timeout=10).content))
    assert book.sheetnames == [f"Realisasi {YEAR}", "BKU", "PPN", "PPh 23"]
    sheet = book[f"Realisasi {YEAR}"]
    assert sheet.freeze_panes == "A2" and sheet["C2"].number_format == '"Rp"#,##0'
    by_code = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert by_code[BUDGET_CODE][2:7] == (row["ceiling"], row["committed"], row["payable"], row["realised"],
                                         row["remaining"])
    bku = [r for r in book["BKU"].iter_rows(min_row=2, values_only=True) if r and isinstance(r[0], int)]
    assert [(r[6], r[7]) for r in bku] == [(x["decrease"], x["balance"]) for x in cash["lines"]]
    text = requests.get(finance.get(f"/api/v1/exports/cash-book?format=csv&from={YEAR - 1}-01-01&to={TODAY}")
                        .json["url"], timeout=10).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("No;Tanggal;Uraian") and "4900000" in text


def test_the_evidence_pack_holds_every_paper_behind_the_payment(billable):
    import zipfile

    finance, partner = billable["finance"], billable["partner"]
    invoice = pay(billable)
    assert partner.get(f"/api/v1/invoices/{invoice['id']}/evidence").status == 403  # for staff and auditors
    link = finance.get(f"/api/v1/invoices/{invoice['id']}/evidence")
    assert link.status == 200, link
    pack = zipfile.ZipFile(io.BytesIO(requests.get(link.json["url"], timeout=10).content))
    names = pack.namelist()
    for expected in ("lampiran/kuitansi-kuitansi.pdf", "lampiran/faktur_pajak-faktur_pajak.pdf", "dokumen/bast.pdf",
                     "dokumen/kuitansi.pdf", "dokumen/spp_sheet.pdf", "pembayaran/sp2d-001-SP2D-2027.pdf",
                     "jejak-audit.csv"):
        assert expected in names, (expected, names)
    for order in billable["orders"]:
        folder = "pesanan/" + "".join(c if c.isalnum() or c in "-_." else "-" for c in order["number"]).strip("-")
        assert f"{folder}/surat-pesanan.pdf" in names and f"{folder}/bukti-1.txt" in names
        assert pack.read(f"{folder}/surat-pesanan.pdf").startswith(b"%PDF")
    trail = pack.read("jejak-audit.csv").decode("utf-8-sig")
    assert "invoice.paid" in trail and "order.issued" in trail


def test_the_year_end_report_lists_what_would_lapse_or_carry_over(billable):
    from tests.integration.test_orders_flow import order_body

    finance, staff, partner = billable["finance"], billable["staff"], billable["partner"]
    open_order = staff.post("/api/v1/orders", order_body(billable["company_id"], billable["product"],
                                                         dates=[f"{YEAR}-05-04"])).json["order"]
    faktur = {"number": "04002500000000124", "tax_base": 3_333_333, "vat": 366_667}  # G 3.700.000, H = ⌊G × 100/111⌋
    invoice = partner.post("/api/v1/invoices", invoice_body(billable, orders=billable["orders"][:2],
                                                            faktur=faktur)).json["invoice"]
    finance.post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": invoice["version"]})
    report = finance.get(f"/api/v1/reports/year-end/{YEAR}").json
    assert [o["id"] for o in report["open_orders"]] == [open_order["id"]]
    assert [o["id"] for o in report["unbilled_orders"]] == [billable["orders"][2]["id"]]
    assert [i["id"] for i in report["unpaid_invoices"]] == [invoice["id"]]
    assert report["totals"] == {"open_orders": 1_850_000, "unbilled_orders": 1_850_000, "unpaid_invoices": 3_700_000}
    assert partner.get(f"/api/v1/reports/year-end/{YEAR}").status == 403


def post_entry(services, at, amount: int, budget_line: str, description: str) -> None:
    from chalicelib.domain.clock import new_id
    from chalicelib.domain.ledger import commitment_entry

    entry = commitment_entry(new_id(), at, amount, description, f"ORDER#{new_id()}",
                             {"budget_line": budget_line, "year": YEAR})
    services.table.transact(services.stores.ledger.entry_elements(entry))


def test_the_journal_is_numbered_within_its_year_filtered_by_period_and_budget_line_and_exported(cast, services):
    from datetime import datetime, timezone

    finance = cast["finance"]
    y = YEAR
    # Recorded in this order, dated otherwise: numbers follow the recording within the year of each date (WIB),
    # the journal follows the dates. 10.00 UTC on 31 Dec is still that day in WIB; 17.00 UTC on 31 Jan is 1 Feb.
    post_entry(services, datetime(y, 1, 20, 3, tzinfo=timezone.utc), 2_000, "5.1.02.02.01.0099", "Januari B")
    post_entry(services, datetime(y - 1, 12, 31, 10, tzinfo=timezone.utc), 100, BUDGET_CODE, "Tahun lalu")
    post_entry(services, datetime(y, 1, 5, 3, tzinfo=timezone.utc), 1_000, BUDGET_CODE, "Januari A")
    post_entry(services, datetime(y, 3, 1, 3, tzinfo=timezone.utc), 4_000, BUDGET_CODE, "Maret")
    post_entry(services, datetime(y, 1, 31, 17, tzinfo=timezone.utc), 3_000, BUDGET_CODE, "Awal Februari")

    whole = finance.get(f"/api/v1/ledger/journal?from={y}-01-01&to={y}-12-31").json
    assert [(e["number"], e["description"], e["date"]) for e in whole["entries"]] == [
        (f"JU/{y}/00002", "Januari A", f"{y}-01-05"), (f"JU/{y}/00001", "Januari B", f"{y}-01-20"),
        (f"JU/{y}/00004", "Awal Februari", f"{y}-02-01"), (f"JU/{y}/00003", "Maret", f"{y}-03-01")]
    assert whole["total"] == 10_000
    assert [(line["account"], line["debit"], line["credit"]) for line in whole["entries"][0]["lines"]] == [
        ("8100", 1_000, 0), ("8200", 0, 1_000)]
    last_year = finance.get(f"/api/v1/ledger/journal?from={y - 1}-12-01&to={y - 1}-12-31").json
    assert [e["number"] for e in last_year["entries"]] == [f"JU/{y - 1}/00001"]

    # A period later in the year keeps the year's numbers; one kode rekening keeps its entries' numbers.
    february = finance.get(f"/api/v1/ledger/journal?from={y}-02-01&to={y}-02-28").json
    assert [e["number"] for e in february["entries"]] == [f"JU/{y}/00004"]
    one_line = finance.get(f"/api/v1/ledger/journal?from={y}-01-01&to={y}-12-31&budget_line=5.1.02.02.01.0099").json
    assert [(e["number"], e["budget_lines"]) for e in one_line["entries"]] == [
        (f"JU/{y}/00001", ["5.1.02.02.01.0099"])]
    assert one_line["total"] == 2_000

    # Recorded later and dated earlier (an SP2D dated the 10th, recorded after March): the next number, in its
    # place by date; what was printed or exported before keeps its numbers.
    post_entry(services, datetime(y, 1, 10, 5, tzinfo=timezone.utc), 500, BUDGET_CODE, "SP2D bertanggal lebih awal")
    again = finance.get(f"/api/v1/ledger/journal?from={y}-01-01&to={y}-12-31").json
    assert [e["number"] for e in again["entries"]] == [
        f"JU/{y}/00002", f"JU/{y}/00005", f"JU/{y}/00001", f"JU/{y}/00004", f"JU/{y}/00003"]

    across = finance.get(f"/api/v1/ledger/journal?from={y - 1}-12-01&to={y}-01-31")
    assert across.status == 422 and across.json["error"]["details"][0]["code"] == "across_years"
    bad = finance.get(f"/api/v1/ledger/journal?from=kemarin&to={y}-13-01")
    assert bad.status == 422 and {d["field"] for d in bad.json["error"]["details"]} == {"from", "to"}
    # The calendar's edges overflow in WIB: refused, not a server error.
    for query in ("from=0001-01-01&to=0001-01-31", "from=9999-01-01&to=9999-12-31"):
        for path in ("/api/v1/ledger/journal", "/api/v1/exports/journal", "/api/v1/reports/cash-book"):
            edge = finance.get(f"{path}?{query}")
            assert edge.status == 422 and edge.json["error"]["details"][0]["code"] == "invalid_date", (path, edge)
    too_long = finance.get(f"/api/v1/ledger/journal?budget_line={'9' * 41}")
    assert too_long.status == 422 and too_long.json["error"]["details"][0]["field"] == "budget_line"

    link = finance.get(f"/api/v1/exports/journal?from={y}-01-01&to={y}-12-31&budget_line={BUDGET_CODE}"
                       "&format=xlsx")
    assert link.status == 200, link
    sheet = load_workbook(io.BytesIO(requests.get(link.json["url"], timeout=10).content))["Jurnal"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("JU/")]
    assert [row[0] for row in rows] == [f"JU/{y}/00002", f"JU/{y}/00005", f"JU/{y}/00004", f"JU/{y}/00003"]
    csv_link = finance.get(f"/api/v1/exports/journal?from={y}-03-01&to={y}-03-31&format=csv").json["url"]
    text = requests.get(csv_link, timeout=10).content.decode("utf-8-sig")
    assert f"JU/{y}/00003" in text and "8100 Komitmen pesanan media" in text
    assert all(f"JU/{y}/0000{n}" not in text for n in (1, 2, 4, 5))
    # Order staff read and download the books too; a partner does neither.
    assert cast["staff"].get(f"/api/v1/exports/journal?from={y}-03-01&to={y}-03-31").status == 200
    assert cast["partner"].get(f"/api/v1/exports/journal?from={y}-03-01&to={y}-03-31").status == 403


def test_readers_at_once_give_each_journal_number_once(cast, services):
    from concurrent.futures import ThreadPoolExecutor
    from datetime import datetime, timezone

    # More than one transaction's worth (99), so readers race over two batches.
    for n in range(105):
        post_entry(services, datetime(YEAR, 4, n % 30 + 1, 3, tzinfo=timezone.utc), 100 + n, BUDGET_CODE, f"April {n}")
    with ThreadPoolExecutor(4) as pool:
        given = sum(pool.map(lambda _: services.ledger.number_entries(), range(4)))
    assert given == 105
    journal = services.ledger.journal(date(YEAR, 4, 1), date(YEAR, 4, 30))
    assert sorted(e.number for e in journal.entries) == [f"JU/{YEAR}/{n:05d}" for n in range(1, 106)]
    # In the order they were recorded.
    assert [e.description for e in sorted(journal.entries, key=lambda e: e.number)] == [f"April {n}" for n in range(105)]
