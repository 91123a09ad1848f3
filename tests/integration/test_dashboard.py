"""What the account page shows first: the work waiting for the signed-in person, with counts (GET /api/v1/dashboard)."""

from __future__ import annotations

from datetime import date

from tests.cooperation import YEAR, client, slots_due
from tests.integration.test_invoices_flow import invoice_body
from tests.integration.test_orders_flow import order_body
from tests.integration.test_registration_flow import register, upload_all


def counts(api) -> dict[str, int]:
    answer = api.get("/api/v1/dashboard")
    assert answer.status == 200, answer
    return {task["key"]: task["count"] for task in answer.json["tasks"]}


def test_each_staff_role_sees_its_own_queues_with_their_counts(ready):
    verifier, staff, finance, admin = ready["verifier"], ready["staff"], ready["finance"], ready["admin"]
    assert counts(verifier) == {"verifications": 0, "proofs_to_review": 0}
    assert counts(staff) == {"orders_unanswered": 0}
    assert counts(finance) == {"invoices_to_verify": 0, "invoices_to_file": 0, "taxes_to_deposit": 0}
    assert set(counts(admin)) == {"mail_failed"}

    newcomer = client(ready["chalice_app"])
    company_id, _ = register(newcomer, 31)
    upload_all(newcomer, company_id)
    version = newcomer.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    assert newcomer.post(f"/api/v1/media/{company_id}/submit", {"version": version}).status == 200
    issued = staff.post("/api/v1/orders", order_body(ready["company_id"], ready["product"], dates=[f"{YEAR}-03-02"]))
    assert issued.status == 201, issued
    assert counts(verifier)["verifications"] == 1
    assert counts(staff) == {"orders_unanswered": 1}

    order = ready["partner"].post(f"/api/v1/orders/{issued.json['order']['id']}/accept",
                                  {"version": issued.json["order"]["version"]}).json["order"]
    assert counts(staff) == {"orders_unanswered": 0}
    with slots_due(date(YEAR, 3, 2)):
        proven = ready["partner"].post(f"/api/v1/orders/{order['id']}/proofs/0",
                                       {"urls": ["https://ogannews.example.co.id/berita/1"],
                                        "version": order["version"]})
        assert proven.status == 200, proven
    assert counts(verifier)["proofs_to_review"] == 1
    # Each link leads to the page the work is done on.
    links = {t["key"]: t["path"] for t in verifier.get("/api/v1/dashboard").json["tasks"]}
    assert links == {"verifications": "konsol/verifikasi/", "proofs_to_review": "konsol/bukti/"}


def test_finance_sees_the_invoices_waiting_for_it(billable):
    partner, finance = billable["partner"], billable["finance"]
    submitted = partner.post("/api/v1/invoices", invoice_body(billable))
    assert submitted.status == 201, submitted
    assert counts(finance)["invoices_to_verify"] == 1
    assert "invoices_to_verify" not in counts(billable["staff"])  # not order staff's queue


def test_a_partner_sees_what_it_must_do_and_when_a_proof_becomes_due(ready):
    partner, staff = ready["partner"], ready["staff"]
    assert counts(partner) == {"orders_to_answer": 0, "proofs_due": 0, "proofs_returned": 0, "invoices_returned": 0,
                               "documents_expiring": 0}
    issued = staff.post("/api/v1/orders", order_body(ready["company_id"], ready["product"],
                                                     dates=[f"{YEAR}-03-02", f"{YEAR}-03-09"])).json["order"]
    assert counts(partner)["orders_to_answer"] == 1
    order = partner.post(f"/api/v1/orders/{issued['id']}/accept", {"version": issued["version"]}).json["order"]
    assert counts(partner)["orders_to_answer"] == 0
    assert counts(partner)["proofs_due"] == 0  # both slots are months ahead
    with slots_due(date(YEAR, 3, 2)):
        assert counts(partner)["proofs_due"] == 1  # the first slot's day has come, not the second's
        proven = partner.post(f"/api/v1/orders/{order['id']}/proofs/0",
                              {"urls": ["https://ogannews.example.co.id/berita/1"], "version": order["version"]})
        rejected = ready["verifier"].post(f"/api/v1/orders/{order['id']}/proofs/0/review", {
            "decision": "rejected", "reason": "Tautan mati", "version": proven.json["order"]["version"]})
        assert rejected.status == 200, rejected
        assert (counts(partner)["proofs_due"], counts(partner)["proofs_returned"]) == (0, 1)


def test_anonymous_callers_are_asked_to_sign_in(cast):
    answer = client(cast["chalice_app"]).get("/api/v1/dashboard")
    assert answer.status == 401 and answer.error_code == "NOT_AUTHENTICATED"


def test_finance_counts_the_paid_invoices_whose_taxes_wait_until_both_are_deposited(billable):
    from tests.integration.test_invoices_flow import TODAY, pay

    finance = billable["finance"]
    invoice = pay(billable)
    assert counts(finance)["taxes_to_deposit"] == 1
    deposit = {"invoice_ids": [invoice["id"]], "billing_code": "123456789012345", "deposited_on": TODAY}
    assert finance.post("/api/v1/taxes/deposits", {**deposit, "kind": "PPN", "ntpn": "0A1B2C3D4E5F6A7B"}).status == 201
    assert counts(finance)["taxes_to_deposit"] == 1  # its PPh 23 still waits
    assert [d["kind"] for d in finance.get("/api/v1/taxes/outstanding").json["outstanding"]] == ["PPH23"]
    assert finance.post("/api/v1/taxes/deposits", {**deposit, "kind": "PPH23", "ntpn": "0A1B2C3D4E5F6A7C"}).status == 201
    assert counts(finance)["taxes_to_deposit"] == 0
    assert finance.get("/api/v1/taxes/outstanding").json["outstanding"] == []


def test_a_partner_counts_only_its_own_work(spending_year):
    first, second = spending_year["partner"], spending_year["second"]["partner"]
    # The second partner has an order waiting for its answer; the first has none, and sees none of the other's.
    assert counts(second)["orders_to_answer"] == 1
    assert counts(first)["orders_to_answer"] == 0
    assert counts(spending_year["staff"]) == {"orders_unanswered": 1}
