"""The public spending figures (issue 11) from the books, through the domain service: a paid invoice, then the
bank's return of its SP2D, which must show as a dated correction and never as a silent rewrite."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from chalicelib.services.exports import xlsx
from chalicelib.services.open_data import ocds_package, tables
from tests.cooperation import YEAR
from tests.integration.test_invoices_flow import pay


def test_a_paid_invoice_and_its_returned_sp2d_are_public_figures_with_the_return_dated(billable):
    services = billable["services"]
    invoice = pay(billable)
    figures = services.transparency.spending(YEAR)
    (partner,) = figures.partners
    statement = billable["finance"].get(f"/api/v1/reports/partners/{billable['company_id']}/{YEAR}").json["statement"]
    assert (partner.invoiced, partner.paid, partner.paid_net, partner.ppn_withheld, partner.pph23_withheld) == (
        statement["invoiced"], statement["paid_gross"], statement["paid_net"], statement["ppn_withheld"],
        statement["pph23_withheld"]) == (5_550_000, 5_550_000, 4_900_000, 550_000, 100_000)
    assert sum(amount for _, amount in figures.monthly) == partner.paid
    sheets = load_workbook(io.BytesIO(xlsx(tables(figures)))).sheetnames
    assert sheets == [f"Mitra {YEAR}", f"Kode rekening {YEAR}", f"Bulanan {YEAR}", f"Perubahan {YEAR}"]
    (release,) = ocds_package(services.publisher, figures, "http://127.0.0.1:8000/")["releases"]
    assert [t["value"]["amount"] for t in release["contracts"][0]["implementation"]["transactions"]] == [5_550_000]

    returned = billable["finance"].post(f"/api/v1/invoices/{invoice['id']}/sp2d/returned",
                                        {"reason": "Rekening tujuan ditutup", "version": invoice["version"]})
    assert returned.status == 200, returned
    figures = services.transparency.spending(YEAR)
    (partner,) = figures.partners
    assert partner.paid == 0 and [p.amount for p in partner.payments] == [5_550_000, -5_550_000]
    (change,) = figures.changes
    assert change.amount == -5_550_000 and "dikembalikan bank" in change.description
    (release,) = ocds_package(services.publisher, figures, "http://127.0.0.1:8000/")["releases"]
    assert [t["value"]["amount"] for t in release["contracts"][0]["implementation"]["transactions"]] == [
        5_550_000, -5_550_000]
