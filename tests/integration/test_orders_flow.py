"""The order cycle through the HTTP API on the real local servers.

negotiate → agreement → budget → issue an order for the seed release →
letter PDF → partner accepts → proof → verifier accepts → COMPLETED, with
the reserved and released amounts in a balanced journal.
"""

from __future__ import annotations

import io

import pytest
import requests
from pypdf import PdfReader

from tests import samples
from tests.conftest import count_items
from tests.cooperation import BUDGET_CODE, YEAR, active_agreement, agree, budget_line, client, product, verified_partner

SEED = "humas-dprd-muba-belajar-tata-kelola-komunikasi-publik"


@pytest.fixture
def cast(chalice_app, make_user, published, services):
    """Staff of each role, and one verified partner with agreed rates and an active agreement."""
    admin = client(chalice_app, make_user, ("admin",), "Ahmad Admin")
    verifier = client(chalice_app, make_user, ("verifier",), "Vera Verifikator")
    staff = client(chalice_app, make_user, ("orders",), "Oki Order")
    finance = client(chalice_app, make_user, ("finance",), "Fina Keuangan")
    partner, company_id, data = verified_partner(chalice_app, verifier)
    code = product(admin)
    return {"admin": admin, "verifier": verifier, "staff": staff, "finance": finance, "partner": partner,
            "company_id": company_id, "data": data, "product": code}


def order_body(company_id, code, dates=None, **changes):
    body = {"company_id": company_id, "product_code": code, "budget_line": BUDGET_CODE, "release_slug": SEED,
            "slots": {"dates": dates or [f"{YEAR}-03-02", f"{YEAR}-03-09"]}}
    body.update(changes)
    return body


def letter_text(client, order_id) -> str:
    pdf = requests.get(client.get(f"/api/v1/orders/{order_id}/letter").json["url"], timeout=10)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)


def assert_books_balance(finance):
    books = finance.get("/api/v1/ledger").json
    assert books["total_debit"] == books["total_credit"]
    for entry in books["entries"]:
        assert sum(line["debit"] for line in entry["lines"]) == sum(line["credit"] for line in entry["lines"])
    return books


def test_the_order_cycle_from_negotiation_to_a_completed_order(cast, outbox, slots_come):
    staff, partner, finance, verifier = cast["staff"], cast["partner"], cast["finance"], cast["verifier"]
    company_id, code = cast["company_id"], cast["product"]

    # Negotiation: over the SSH is refused; a counter, then the partner accepts.
    over = partner.post(f"/api/v1/offers/{company_id}/{YEAR}/propose", {"lines": {code: 2_500_000}, "version": None})
    assert over.status == 422 and over.error_code == "PRICE_NOT_ALLOWED"
    assert "melebihi SSH" in over.json["error"]["details"][0]["message"]
    proposed = partner.post(f"/api/v1/offers/{company_id}/{YEAR}/propose",
                            {"lines": {code: 1_900_000}, "notes": {code: "Termasuk foto"}, "version": None})
    countered = staff.post(f"/api/v1/offers/{company_id}/{YEAR}/counter",
                           {"lines": {code: 1_500_000}, "message": "Sesuai anggaran", "version": proposed.json["version"]})
    assert countered.status == 200, countered
    accepted = partner.post(f"/api/v1/offers/{company_id}/{YEAR}/accept",
                            {"products": [code], "version": countered.json["version"]})
    assert accepted.status == 200 and accepted.json["agreed"] == {code: 1_500_000}
    assert [step["action"] for step in accepted.json["thread"]] == ["proposed", "countered", "accepted"]

    agreement = active_agreement(staff, company_id, ceiling=10_000_000)
    assert agreement["rates"] == {code: 1_500_000} and agreement["status"] == "ACTIVE"
    budget_line(finance, ceiling=50_000_000)

    issued = staff.post("/api/v1/orders", order_body(company_id, code))
    assert issued.status == 201, issued
    order = issued.json["order"]
    assert order["number"] == f"000.9.2/001/MO/DISKOMINFO/{YEAR}"
    assert order["total"] == 3_000_000 and order["material"]["title"]
    assert order["partner_name"].startswith(cast["data"]["profile"]["media_name"])
    told = outbox()[-1]  # the partner hears of it by email
    assert told["To"] == cast["data"]["account"]["email"] and order["number"] in told["Subject"]
    assert "Rp3.000.000" in told.get_content()
    assert order["material"]["url"].endswith(f"/{SEED}/")
    line = finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]
    assert (line["reserved"], line["remaining"]) == (3_000_000, 47_000_000)

    # The letter, read back.
    link = partner.get(f"/api/v1/orders/{order['id']}/letter").json["url"]
    pdf = requests.get(link, timeout=10)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert order["number"] in text and "Rp3.000.000" in text and "tiga juta rupiah" in text.lower()
    assert cast["data"]["profile"]["legal_name"] in text

    # The partner accepts and proves both slots; the verifier accepts one and rejects the other, then accepts it.
    accepted = partner.post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]})
    assert accepted.status == 200 and accepted.json["order"]["status"] == "ACCEPTED"
    grant = partner.post(f"/api/v1/orders/{order['id']}/proofs/uploads",
                         {"filename": "tayang.png", "content_type": "image/png", "size": len(samples.png())}).json
    assert samples.post_to_s3(grant, samples.png(), "tayang.png", "image/png").status_code in (200, 204)
    version = accepted.json["order"]["version"]
    first = partner.post(f"/api/v1/orders/{order['id']}/proofs/0",
                         {"urls": ["https://ogannews.example.co.id/berita/1"], "upload_ids": [grant["upload_id"]],
                          "version": version})
    assert first.status == 200, first
    second = partner.post(f"/api/v1/orders/{order['id']}/proofs/1",
                          {"urls": ["ogannews.example.co.id/berita/2"], "version": first.json["order"]["version"]})
    assert second.status == 200, second
    version = second.json["order"]["version"]
    ok = verifier.post(f"/api/v1/orders/{order['id']}/proofs/0/review", {"decision": "accepted", "version": version})
    bad = verifier.post(f"/api/v1/orders/{order['id']}/proofs/1/review",
                        {"decision": "rejected", "reason": "Tautan tidak memuat berita", "version": ok.json["order"]["version"]})
    assert bad.json["order"]["slots"][1]["status"] == "REJECTED"
    again = partner.post(f"/api/v1/orders/{order['id']}/proofs/1",
                         {"urls": ["https://ogannews.example.co.id/berita/2-benar"], "version": bad.json["order"]["version"]})
    done = verifier.post(f"/api/v1/orders/{order['id']}/proofs/1/review",
                         {"decision": "accepted", "version": again.json["order"]["version"]})
    assert done.status == 200 and done.json["order"]["status"] == "COMPLETED"

    books = assert_books_balance(finance)
    commitments = {a["code"]: a for a in books["accounts"]}
    assert commitments["8100"]["debit"] == 3_000_000 and commitments["8200"]["credit"] == 3_000_000


def test_cancelling_releases_exactly_what_was_reserved(cast, table_name):
    staff, partner, finance = cast["staff"], cast["partner"], cast["finance"]
    agree(partner, staff, cast["company_id"], cast["product"], 1_250_000)
    agreement = active_agreement(staff, cast["company_id"], ceiling=5_000_000)
    budget_line(finance, ceiling=4_000_000)
    first = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"])).json["order"]
    second = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], [f"{YEAR}-05-01"])).json["order"]
    assert (first["total"], second["total"]) == (2_500_000, 1_250_000)

    # The pagu has 250,000 left: a third order of 1,250,000 is refused cleanly and leaves nothing.
    items = count_items(table_name)
    refused = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], [f"{YEAR}-06-01"]))
    assert refused.status == 409 and refused.error_code == "CEILING_EXCEEDED", refused
    assert count_items(table_name) == items

    issued_letter = letter_text(staff, first["id"])
    cancelled = staff.post(f"/api/v1/orders/{first['id']}/cancel", {"version": first["version"], "reason": "Jadwal berubah"})
    assert cancelled.status == 200 and cancelled.json["order"]["status"] == "CANCELLED"
    assert "DIBATALKAN" not in issued_letter
    # The signature line prints the configured id as it is ("NIP. …"), not "NIP NIP. …".
    assert "NIP. 000000000000000000" in issued_letter and "NIP NIP" not in issued_letter
    marked = letter_text(staff, first["id"])  # the copy handed out now says so, with the reason
    assert "PESANAN INI DIBATALKAN" in marked and "Jadwal berubah" in marked
    declined = partner.post(f"/api/v1/orders/{second['id']}/decline", {"version": second["version"], "reason": "Redaksi penuh"})
    assert declined.status == 200 and declined.json["order"]["status"] == "DECLINED"
    refusal = letter_text(staff, second["id"])
    assert "DITOLAK MITRA" in refusal and "Redaksi penuh" in refusal
    line = finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]
    assert line["reserved"] == 0 and line["remaining"] == 4_000_000
    assert staff.get(f"/api/v1/agreements/{agreement['id']}").json["agreement"]["reserved"] == 0
    books = assert_books_balance(finance)
    accounts = {a["code"]: a for a in books["accounts"]}
    assert accounts["8100"]["debit"] - accounts["8100"]["credit"] == 0
    assert accounts["8100"]["debit"] == 3_750_000  # both reservations, each released in full

    # Numbers stay gap-free: the next order is number 3 (cancelled ones keep theirs).
    third = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], [f"{YEAR}-06-01"]))
    assert third.status == 201 and third.json["order"]["number"].startswith("000.9.2/003/")


def test_partners_see_only_their_own_orders_and_only_staff_issue(cast, chalice_app):
    staff, partner, verifier = cast["staff"], cast["partner"], cast["verifier"]
    agree(partner, staff, cast["company_id"], cast["product"], 1_000_000)
    active_agreement(staff, cast["company_id"], ceiling=5_000_000)
    budget_line(cast["finance"], ceiling=5_000_000)
    order = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"])).json["order"]

    other, other_id, _ = verified_partner(chalice_app, verifier)
    assert other.get(f"/api/v1/orders/{order['id']}").status == 404
    assert other.get("/api/v1/orders").json["orders"] == []
    assert other.get(f"/api/v1/orders/{order['id']}/letter").status == 404
    assert other.post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]}).status == 404
    assert partner.get("/api/v1/orders").json["orders"][0]["id"] == order["id"]
    assert partner.post("/api/v1/orders", order_body(cast["company_id"], cast["product"])).status == 403
    assert verifier.post("/api/v1/orders", order_body(cast["company_id"], cast["product"])).status == 403
    assert staff.post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]}).status == 403


def test_an_order_needs_a_published_release_and_an_active_agreement(cast):
    staff, partner = cast["staff"], cast["partner"]
    agree(partner, staff, cast["company_id"], cast["product"], 1_000_000)
    budget_line(cast["finance"], ceiling=5_000_000)
    no_agreement = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"]))
    assert no_agreement.status == 409 and no_agreement.error_code == "NO_ACTIVE_AGREEMENT"
    active_agreement(staff, cast["company_id"], ceiling=5_000_000)
    unknown = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], release_slug="tidak-ada"))
    assert unknown.status == 422 and unknown.json["error"]["details"][0]["field"] == "release_slug"
    outside = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], [f"{YEAR + 1}-01-05"]))
    assert outside.status in (409, 422)


def test_bulk_orders_from_a_release_report_each_partner(cast, chalice_app):
    staff, verifier = cast["staff"], cast["verifier"]
    agree(cast["partner"], staff, cast["company_id"], cast["product"], 1_000_000)
    active_agreement(staff, cast["company_id"], ceiling=5_000_000)
    budget_line(cast["finance"], ceiling=5_000_000)
    _, without_agreement, _ = verified_partner(chalice_app, verifier)
    result = staff.post("/api/v1/orders/bulk", {
        "company_ids": [cast["company_id"], without_agreement], "product_code": cast["product"],
        "budget_line": BUDGET_CODE, "release_slug": SEED, "slots": {"date_from": f"{YEAR}-04-01",
                                                                    "date_to": f"{YEAR}-04-30", "quantity": 3}})
    assert result.status == 200, result
    outcome = {r["company_id"]: r for r in result.json["results"]}
    assert outcome[cast["company_id"]]["ok"] and outcome[cast["company_id"]]["order"]["total"] == 3_000_000
    assert not outcome[without_agreement]["ok"]
    assert outcome[without_agreement]["error"]["code"] == "NO_ACTIVE_AGREEMENT"


def test_an_agreement_takes_effect_only_with_its_signed_pdf(cast):
    staff, partner = cast["staff"], cast["partner"]
    agree(partner, staff, cast["company_id"], cast["product"], 1_000_000)
    created = staff.post("/api/v1/agreements", {
        "company_id": cast["company_id"], "year": YEAR, "number": f"PKS/001/{YEAR}",
        "starts_on": f"{YEAR}-01-01", "ends_on": f"{YEAR}-12-31", "ceiling": 5_000_000}).json["agreement"]
    unsigned = staff.post(f"/api/v1/agreements/{created['id']}/activate", {"version": created["version"]})
    assert unsigned.status == 409 and unsigned.error_code == "AGREEMENT_NOT_SIGNED"

    image = staff.post(f"/api/v1/agreements/{created['id']}/document/uploads",
                       {"filename": "pks.png", "content_type": "image/png", "size": 100})
    assert image.status == 422 and image.json["error"]["details"][0]["field"] == "content_type"
    grant = staff.post(f"/api/v1/agreements/{created['id']}/document/uploads",
                       {"filename": "pks.pdf", "content_type": "application/pdf", "size": len(samples.png())}).json
    samples.post_to_s3(grant, samples.png(), "pks.pdf")  # a PNG passed off as the PDF
    spoofed = staff.post(f"/api/v1/agreements/{created['id']}/document/uploads/{grant['upload_id']}/confirm")
    assert spoofed.status == 422 and spoofed.error_code == "FILE_TYPE_MISMATCH"
    assert staff.get(f"/api/v1/agreements/{created['id']}").json["agreement"]["signed_document"] is None

    grant = staff.post(f"/api/v1/agreements/{created['id']}/document/uploads",
                       {"filename": "pks.pdf", "content_type": "application/pdf", "size": len(samples.PDF)}).json
    samples.post_to_s3(grant, samples.PDF, "pks.pdf")
    signed = staff.post(f"/api/v1/agreements/{created['id']}/document/uploads/{grant['upload_id']}/confirm")
    assert signed.status == 200 and signed.json["agreement"]["signed_document"]["filename"] == "pks.pdf"
    link = partner.get(f"/api/v1/agreements/{created['id']}/document").json["url"]
    assert requests.get(link, timeout=10).content == samples.PDF
    active = staff.post(f"/api/v1/agreements/{created['id']}/activate",
                        {"version": signed.json["agreement"]["version"]})
    assert active.status == 200 and active.json["agreement"]["status"] == "ACTIVE"


def test_an_order_is_accepted_only_under_an_agreement_still_in_force(cast):
    staff, partner = cast["staff"], cast["partner"]
    agree(partner, staff, cast["company_id"], cast["product"], 1_000_000)
    agreement = active_agreement(staff, cast["company_id"], ceiling=5_000_000)
    budget_line(cast["finance"], ceiling=5_000_000)
    order = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"])).json["order"]
    closed = staff.post(f"/api/v1/agreements/{agreement['id']}/close",
                        {"version": agreement["version"], "reason": "Anggaran dialihkan"})
    assert closed.status == 200, closed
    refused = partner.post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]})
    assert refused.status == 409 and refused.error_code == "AGREEMENT_STATE"
    assert partner.get(f"/api/v1/orders/{order['id']}").json["order"]["status"] == "ISSUED"
