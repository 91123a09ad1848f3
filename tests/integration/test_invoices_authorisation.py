"""Who may call which invoice, tax, report and export route: every route × every role, anonymous callers, missing CSRF tokens and
another partner — each refusal changes nothing. The route list is checked against the routes the app declares."""

from __future__ import annotations

from tests.conftest import ApiClient, all_items
from tests.cooperation import client
from tests.integration.test_invoices_flow import invoice_body
from tests.integration.test_registration_flow import register

ROLES = ("media", "verifier", "orders", "finance", "editor", "admin", "auditor")
READERS = {"media", "finance", "auditor", "admin"}
ACCESS: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/invoices/uploads"): {"media"},
    ("POST", "/api/v1/invoices"): {"media"},
    ("POST", "/api/v1/invoices/kuitansi"): {"media"},
    ("GET", "/api/v1/invoices"): READERS,
    ("GET", "/api/v1/invoices/{invoice_id}"): READERS,
    ("POST", "/api/v1/invoices/{invoice_id}/resubmit"): {"media"},
    ("POST", "/api/v1/invoices/{invoice_id}/return"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/approve"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/cancel"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/documents/uploads"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/spp"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/spm"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/sp2d"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/sp2d/returned"): {"finance"},
    ("POST", "/api/v1/invoices/{invoice_id}/withholding-slip"): {"finance"},
    ("GET", "/api/v1/invoices/{invoice_id}/files/{code}"): READERS,
    ("GET", "/api/v1/invoices/{invoice_id}/papers/{kind}"): READERS,
    ("GET", "/api/v1/invoices/{invoice_id}/evidence"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/reports/year-end/{year}"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/taxes/outstanding"): {"finance", "auditor", "admin"},
    ("POST", "/api/v1/taxes/deposits"): {"finance"},
    ("GET", "/api/v1/taxes/deposits"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/reports/realisation/{year}"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/reports/cash-book"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/reports/tax-book/{kind}"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/reports/partners/{company_id}/{year}"): READERS,
    ("GET", "/api/v1/exports/{report}"): {"finance", "auditor", "admin"},
    ("GET", "/api/v1/exports/journal"): {"finance", "orders", "auditor", "admin"},
}
# A body each route would accept from its role, so a refusal is about who asks, not what is sent.
UNKNOWN = "01HZZZZZZZZZZZZZZZZZZZZZZZ"
FILE = {"filename": "a.pdf", "content_type": "application/pdf", "size": 10}
STEP = {"number": "001/SPP/2027", "issued_on": "2026-12-01", "upload_id": UNKNOWN, "version": 1}
BODIES = {
    "/api/v1/invoices/uploads": {**FILE, "code": "kuitansi"},
    "/api/v1/invoices": {"order_ids": [UNKNOWN], "partner_invoice_number": "X", "partner_invoice_date": "2026-12-01"},
    "/api/v1/invoices/kuitansi": {"order_ids": [UNKNOWN]},
    "/resubmit": {"partner_invoice_number": "X", "partner_invoice_date": "2026-12-01", "version": 1},
    "/return": {"reasons": {"kuitansi": "Belum ditandatangani"}, "version": 1},
    "/approve": {"version": 1},
    "/cancel": {"reason": "Uji hak akses", "version": 1},
    "/documents/uploads": {**FILE, "step": "spp"},
    "/spp": STEP, "/spm": STEP, "/sp2d": {**STEP, "amount": 1},
    "/sp2d/returned": {"reason": "Uji hak akses", "version": 1},
    "/withholding-slip": {"number": "2500012345", "upload_id": UNKNOWN, "version": 1},
    "/api/v1/taxes/deposits": {"kind": "PPN", "invoice_ids": [UNKNOWN], "billing_code": "123456789012345",
                               "ntpn": "0A1B2C3D4E5F6A7B", "deposited_on": "2026-12-01"},
}


def body_for(path: str) -> dict:
    return next(body for end, body in sorted(BODIES.items(), key=lambda kv: -len(kv[0])) if path.endswith(end))


def test_the_list_covers_every_invoice_route_with_its_roles(chalice_app):
    from chalicelib.api.http import Routes

    declared = {(method, path): {r.value for r in allowed} for (path, method), allowed in Routes.declared.items()
                if path.startswith(("/api/v1/invoices", "/api/v1/taxes", "/api/v1/reports", "/api/v1/exports"))}
    assert declared == ACCESS


def test_every_role_anonymous_caller_csrf_less_write_and_other_partner_is_refused_and_changes_nothing(
        billable, make_user, chalice_app, table_name):
    invoice = billable["partner"].post("/api/v1/invoices", invoice_body(billable)).json["invoice"]
    people = {"media": billable["partner"], "verifier": billable["verifier"], "orders": billable["staff"],
              "finance": billable["finance"], "admin": billable["admin"]}
    for role in ("editor", "auditor"):
        user, password = make_user(roles=(role,), name=f"Uji {role}")
        people[role] = client(chalice_app)
        assert people[role].login(user.email, password).status == 200
    stranger = client(chalice_app)  # another partner, with a company of its own
    register(stranger, 77)
    anonymous = ApiClient(client(chalice_app).client)

    before = sorted(map(repr, all_items(table_name)))
    for (method, path), allowed in ACCESS.items():
        url = path.replace("{invoice_id}", invoice["id"]).replace("{code}", "kuitansi").replace(
            "{year}", "2027").replace("{kind}", "PPN" if "tax-book" in path else "kuitansi").replace("{report}", "realisation").replace(
            "{company_id}", billable["company_id"])
        body = body_for(path) if method == "POST" else None
        answer = anonymous.request(method, url, body)
        assert answer.status == 401, (method, path, answer)
        for role in set(ROLES) - allowed:
            answer = people[role].request(method, url, body)
            assert (answer.status, answer.error_code) == (403, "FORBIDDEN"), (role, method, path, answer)
        if method == "POST":
            for role in allowed:
                answer = people[role].request(method, url, body, csrf=False)
                assert (answer.status, answer.error_code) == (403, "CSRF_FAILED"), (role, method, path, answer)
        if "media" in allowed and ("{invoice_id}" in path or "{company_id}" in path):
            answer = stranger.request(method, url, body)
            assert answer.status in (403, 404), (method, path, answer)
    assert stranger.get("/api/v1/invoices").json["invoices"] == []
    assert people["auditor"].get(f"/api/v1/invoices/{invoice['id']}").status == 200  # reads everything
    assert sorted(map(repr, all_items(table_name))) == before, "a refused request changed the table"
