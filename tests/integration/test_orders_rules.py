"""The rules of the order cycle through the HTTP API, each refusal with its error code and nothing changed.

Negotiation (only a verified partner, prices within the SSH of the year and
for the partner's media type, each side answering only the lines waiting for
it, agreed lines closed, optimistic versions, the whole thread kept),
agreements (agreed rates, one per partner and year, unique numbers, a period
inside the year, DRAFT → ACTIVE → CLOSED once), budget lines (kode rekening,
unique, pagu never below what is reserved) and orders (slots, products of the
agreement, budget lines, Idempotency-Key, answers, cancellation, proofs and
their review). After each test that moves money the books balance and every
budget line and agreement has reserved exactly the totals of its orders that
still hold money.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone

import boto3

from tests import samples
from tests.conftest import all_items
from tests.cooperation import BUDGET_CODE, YEAR, active_agreement, agree, budget_line, client, product, slots_due
from tests.integration.test_orders_flow import order_body
from tests.integration.test_registration_flow import register

HOLDING_MONEY = {"ISSUED", "ACCEPTED", "COMPLETED"}


# -- helpers -----------------------------------------------------------------------------------

def refused(result, status: int, code: str, *fields: str):
    """The refusal, with its code and (when given) exactly the fields its details name."""
    assert (result.status, result.error_code) == (status, code), result
    if fields:
        assert [d["field"] for d in result.json["error"]["details"]] == list(fields), result
    return result


def detail_codes(result) -> list[str]:
    return [d["code"] for d in result.json["error"]["details"]]


@contextmanager
def nothing_changes(table_name: str):
    before = sorted(map(repr, all_items(table_name)))
    yield
    assert sorted(map(repr, all_items(table_name))) == before, "a refused request changed the table"


def assert_books_balance(cast) -> dict:
    """Debits equal credits, entry by entry and in total; each budget line and agreement has reserved exactly
    the totals of its orders in ISSUED/ACCEPTED/COMPLETED, and so has the commitment account."""
    finance, staff = cast["finance"], cast["staff"]
    books = finance.get("/api/v1/ledger").json
    assert books["total_debit"] == books["total_credit"]
    for entry in books["entries"]:
        assert sum(line["debit"] for line in entry["lines"]) == sum(line["credit"] for line in entry["lines"])
    orders = staff.get("/api/v1/orders").json["orders"]
    holding = [o for o in orders if o["status"] in HOLDING_MONEY]
    lines = finance.get(f"/api/v1/budgets/{YEAR}").json["lines"]
    for line in lines:
        assert line["reserved"] == sum(o["total"] for o in holding if o["budget_line"] == line["code"]), line
        assert 0 <= line["reserved"] <= line["ceiling"] and line["remaining"] == line["ceiling"] - line["reserved"]
    for agreement_id in {o["agreement_id"] for o in orders}:
        agreement = staff.get(f"/api/v1/agreements/{agreement_id}").json["agreement"]
        assert agreement["reserved"] == sum(o["total"] for o in holding if o["agreement_id"] == agreement_id)
        assert agreement["reserved"] <= agreement["ceiling"]
    accounts = {a["code"]: a for a in books["accounts"]}
    assert accounts["8100"]["debit"] - accounts["8100"]["credit"] == sum(o["total"] for o in holding)
    assert accounts["8200"]["credit"] - accounts["8200"]["debit"] == sum(o["total"] for o in holding)
    return books


def offers(company_id: str, year: int = YEAR) -> str:
    return f"/api/v1/offers/{company_id}/{year}"


def issue(cast, expected=201, **changes):
    result = cast["staff"].post("/api/v1/orders", order_body(cast["company_id"], cast["product"], **changes))
    assert result.status == expected, result
    return result.json["order"] if expected == 201 else result


def accept_order(cast, order):
    accepted = cast["partner"].post(f"/api/v1/orders/{order['id']}/accept", {"version": order["version"]})
    assert accepted.status == 200, accepted
    return accepted.json["order"]


def prove(cast, order, slot=0, url="https://ogannews.example.co.id/berita/1"):
    proven = cast["partner"].post(f"/api/v1/orders/{order['id']}/proofs/{slot}",
                                  {"urls": [url], "version": order["version"]})
    assert proven.status == 200, proven
    return proven.json["order"]


# -- negotiation ---------------------------------------------------------------------------------

def test_only_a_verified_partner_negotiates_and_gets_an_agreement_or_orders(cast):
    staff, table = cast["staff"], cast["table"]
    newcomer = client(cast["chalice_app"])
    newcomer_id, _ = register(newcomer)  # registered and signed in, still DRAFT
    assert newcomer.get(offers(newcomer_id)).status == 200  # reading is fine
    with nothing_changes(table):
        proposed = newcomer.post(f"{offers(newcomer_id)}/propose", {"lines": {cast["product"]: 1_000_000}})
        refused(proposed, 409, "PARTNER_NOT_VERIFIED")
        refused(staff.post(f"{offers(newcomer_id)}/counter", {"lines": {cast["product"]: 900_000}, "version": 1}),
                409, "PARTNER_NOT_VERIFIED")
        refused(staff.post(f"{offers(newcomer_id)}/accept", {"products": [cast["product"]], "version": 1}),
                409, "PARTNER_NOT_VERIFIED")
        refused(staff.post("/api/v1/agreements", {
            "company_id": newcomer_id, "year": YEAR, "number": f"PKS/9/{YEAR}", "starts_on": f"{YEAR}-01-01",
            "ends_on": f"{YEAR}-12-31", "ceiling": 1_000_000}), 409, "PARTNER_NOT_VERIFIED")
        refused(staff.post("/api/v1/orders", order_body(newcomer_id, cast["product"])), 409, "PARTNER_NOT_VERIFIED")


def test_a_price_over_the_ssh_is_refused_naming_the_line(cast):
    admin, partner, staff, table = cast["admin"], cast["partner"], cast["staff"], cast["table"]
    company_id, code = cast["company_id"], cast["product"]
    banner = product(admin, "banner-online", ssh=500_000)
    with nothing_changes(table):
        over = refused(partner.post(f"{offers(company_id)}/propose",
                                    {"lines": {code: 1_900_000, banner: 500_001}, "version": None}),
                       422, "PRICE_NOT_ALLOWED", f"lines.{banner}")
        assert detail_codes(over) == ["above_ssh"]
        assert "Rp500.001" in over.json["error"]["details"][0]["message"]
        assert "Rp500.000" in over.json["error"]["details"][0]["message"]

    card = partner.post(f"{offers(company_id)}/propose", {"lines": {code: 1_900_000, banner: 500_000}})
    assert card.status == 200, card
    with nothing_changes(table):
        counter = refused(staff.post(f"{offers(company_id)}/counter",
                                     {"lines": {code: 2_000_001}, "version": card.json["version"]}),
                          422, "PRICE_NOT_ALLOWED", f"lines.{code}")
        assert detail_codes(counter) == ["above_ssh"]

    # The SSH is lowered after the partner proposed: accepting the old price is refused too.
    lowered = admin.post(f"/api/v1/catalog/products/{code}/ssh", {"year": YEAR, "ceiling": 1_500_000, "version": 2})
    assert lowered.status == 200, lowered
    with nothing_changes(table):
        late = refused(staff.post(f"{offers(company_id)}/accept", {"products": [code, banner],
                                                                  "version": card.json["version"]}),
                       422, "PRICE_NOT_ALLOWED", f"lines.{code}")
        assert detail_codes(late) == ["above_ssh"]
    assert partner.get(offers(company_id)).json["agreed"] == {}


def test_a_price_needs_an_ssh_for_the_year_a_product_for_the_media_type_and_more_than_nothing(cast):
    admin, partner, table = cast["admin"], cast["partner"], cast["table"]
    company_id, code = cast["company_id"], cast["product"]
    printed = admin.post("/api/v1/catalog/products", {"code": "iklan-koran", "name": "Iklan koran 1/4 halaman",
                                                      "unit": "per tayang", "media_types": ["cetak"]})
    assert printed.status == 201, printed
    assert admin.post("/api/v1/catalog/products/iklan-koran/ssh",
                      {"year": YEAR, "ceiling": 5_000_000, "version": 1}).status == 200
    cases = [
        (YEAR + 1, {code: 1_000_000}, f"lines.{code}", "no_ssh"),  # no SSH set for that year
        (YEAR, {"iklan-koran": 1_000_000}, "lines.iklan-koran", "product_not_for_media"),  # a siber partner
        (YEAR, {"tidak-ada": 1_000_000}, "lines.tidak-ada", "unknown_product"),
        (YEAR, {code: 0}, f"lines.{code}", "price_too_low"),
        (YEAR, {code: -5}, f"lines.{code}", "price_too_low"),
    ]
    for year, lines, where, code_ in cases:
        with nothing_changes(table):
            result = refused(partner.post(f"{offers(company_id, year)}/propose", {"lines": lines}),
                             422, "PRICE_NOT_ALLOWED", where)
            assert detail_codes(result) == [code_], (lines, result)
    assert "SSH" in partner.post(f"{offers(company_id, YEAR + 1)}/propose",
                                 {"lines": {code: 1}}).json["error"]["details"][0]["message"]


def test_each_side_answers_only_the_lines_waiting_for_it_and_agreed_lines_stay_closed(cast):
    admin, partner, staff, table = cast["admin"], cast["partner"], cast["staff"], cast["table"]
    company_id, a = cast["company_id"], cast["product"]
    b = product(admin, "banner-online")
    version = partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_800_000, b: 900_000}}).json["version"]
    version = staff.post(f"{offers(company_id)}/counter", {"lines": {a: 1_500_000}, "version": version}).json["version"]
    # a is COUNTERED (waiting for the partner), b is PROPOSED (waiting for staff).
    with nothing_changes(table):
        refused(staff.post(f"{offers(company_id)}/counter", {"lines": {a: 1_400_000}, "version": version}),
                422, "VALIDATION_FAILED", f"lines.{a}")
        refused(staff.post(f"{offers(company_id)}/counter", {"lines": {"video-online": 1}, "version": version}),
                422, "VALIDATION_FAILED", "lines.video-online")
        refused(staff.post(f"{offers(company_id)}/accept", {"products": [a], "version": version}),
                422, "VALIDATION_FAILED", f"lines.{a}")
        refused(partner.post(f"{offers(company_id)}/accept", {"products": [b], "version": version}),
                422, "VALIDATION_FAILED", f"lines.{b}")
        refused(partner.post(f"{offers(company_id)}/accept", {"products": [a, b], "version": version}),
                422, "VALIDATION_FAILED", f"lines.{b}")

    version = partner.post(f"{offers(company_id)}/accept", {"products": [a], "version": version}).json["version"]
    version = staff.post(f"{offers(company_id)}/accept", {"products": [b], "version": version}).json["version"]
    card = partner.get(offers(company_id)).json
    assert card["agreed"] == {a: 1_500_000, b: 900_000} and card["version"] == version

    with nothing_changes(table):
        again = refused(partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_000_000}, "version": version}),
                        422, "VALIDATION_FAILED", f"lines.{a}")
        assert detail_codes(again) == ["already_agreed"]
        refused(staff.post(f"{offers(company_id)}/counter", {"lines": {b: 800_000}, "version": version}),
                422, "VALIDATION_FAILED", f"lines.{b}")
        refused(staff.post(f"{offers(company_id)}/accept", {"products": [b], "version": version}),
                422, "VALIDATION_FAILED", f"lines.{b}")
        refused(partner.post(f"{offers(company_id)}/accept", {"products": [a], "version": version}),
                422, "VALIDATION_FAILED", f"lines.{a}")


def test_a_stale_version_is_refused_at_every_step(cast):
    """A stale view hears STALE_VERSION, even when the line it acted on has moved on since."""
    admin, partner, staff, table = cast["admin"], cast["partner"], cast["staff"], cast["table"]
    company_id, a = cast["company_id"], cast["product"]
    b = product(admin, "banner-online")
    first = partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_800_000, b: 900_000}}).json["version"]
    with nothing_changes(table):
        refused(partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_700_000}, "version": None}),
                409, "STALE_VERSION")
        refused(partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_700_000}, "version": first + 1}),
                409, "STALE_VERSION")
    second = staff.post(f"{offers(company_id)}/counter", {"lines": {a: 1_500_000}, "version": first}).json["version"]
    assert second == first + 1
    with nothing_changes(table):
        # b is still PROPOSED: only the version is wrong.
        refused(staff.post(f"{offers(company_id)}/counter", {"lines": {b: 800_000}, "version": first}),
                409, "STALE_VERSION")
        refused(staff.post(f"{offers(company_id)}/accept", {"products": [b], "version": first}), 409, "STALE_VERSION")
        refused(partner.post(f"{offers(company_id)}/accept", {"products": [a], "version": first}),
                409, "STALE_VERSION")
        refused(partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_600_000}, "version": first}),
                409, "STALE_VERSION")
        # a was countered since the staff member (a colleague, say) loaded version 1.
        refused(staff.post(f"{offers(company_id)}/counter", {"lines": {a: 1_400_000}, "version": first}),
                409, "STALE_VERSION")
        refused(staff.post(f"{offers(company_id)}/accept", {"products": [a], "version": first}), 409, "STALE_VERSION")
    third = partner.post(f"{offers(company_id)}/accept", {"products": [a], "version": second}).json["version"]
    with nothing_changes(table):
        # a was agreed since the partner (in another tab) loaded version 2.
        refused(partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_000_000}, "version": second}),
                409, "STALE_VERSION")
        refused(partner.post(f"{offers(company_id)}/accept", {"products": [a], "version": second}),
                409, "STALE_VERSION")
    assert staff.post(f"{offers(company_id)}/accept", {"products": [b], "version": third}).status == 200


def test_the_thread_keeps_every_step_with_its_side_and_message(cast):
    admin, partner, staff = cast["admin"], cast["partner"], cast["staff"]
    company_id, a = cast["company_id"], cast["product"]
    b = product(admin, "banner-online")
    v = partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_900_000, b: 800_000},
                                                       "notes": {b: " Termasuk foto "},
                                                       "message": "  Tarif kami tahun ini  "}).json["version"]
    v = staff.post(f"{offers(company_id)}/counter", {"lines": {a: 1_500_000}, "message": "Sesuai anggaran",
                                                     "version": v}).json["version"]
    v = partner.post(f"{offers(company_id)}/propose", {"lines": {a: 1_700_000}, "message": "   ",
                                                       "version": v}).json["version"]
    v = staff.post(f"{offers(company_id)}/accept", {"products": [a, b], "message": "Disetujui",
                                                    "version": v}).json["version"]
    for reader in (partner, staff, cast["finance"]):
        card = reader.get(offers(company_id)).json
        steps = [(s["side"], s["action"], s["lines"], s["message"]) for s in card["thread"]]
        assert steps == [
            ("mitra", "proposed", {a: 1_900_000, b: 800_000}, "Tarif kami tahun ini"),
            ("staf", "countered", {a: 1_500_000}, "Sesuai anggaran"),
            ("mitra", "proposed", {a: 1_700_000}, None),
            ("staf", "accepted", {a: 1_700_000, b: 800_000}, "Disetujui"),
        ]
        assert [s["at"] for s in card["thread"]] == sorted(s["at"] for s in card["thread"])
        assert card["agreed"] == {a: 1_700_000, b: 800_000} and card["version"] == v == 4
        assert {line["product_code"]: line["note"] for line in card["lines"]}[b] == "Termasuk foto"


# -- agreements ----------------------------------------------------------------------------------

def agreement_body(company_id, **changes):
    body = {"company_id": company_id, "year": YEAR, "number": f"PKS/001/{YEAR}", "starts_on": f"{YEAR}-01-01",
            "ends_on": f"{YEAR}-12-31", "ceiling": 10_000_000}
    body.update(changes)
    return body


def test_an_agreement_needs_agreed_rates_and_a_period_inside_its_year(cast):
    partner, staff, table, company_id = cast["partner"], cast["staff"], cast["table"], cast["company_id"]
    with nothing_changes(table):
        refused(staff.post("/api/v1/agreements", agreement_body(company_id)), 422, "VALIDATION_FAILED", "rates")
    partner.post(f"{offers(company_id)}/propose", {"lines": {cast["product"]: 1_000_000}})  # proposed, not agreed
    with nothing_changes(table):
        refused(staff.post("/api/v1/agreements", agreement_body(company_id)), 422, "VALIDATION_FAILED", "rates")
    staff.post(f"{offers(company_id)}/accept", {"products": [cast["product"]], "version": 1})
    with nothing_changes(table):
        for starts_on, ends_on in [(f"{YEAR - 1}-12-31", f"{YEAR}-12-31"), (f"{YEAR}-01-01", f"{YEAR + 1}-01-01"),
                                   (f"{YEAR}-06-01", f"{YEAR}-05-31")]:
            result = refused(staff.post("/api/v1/agreements", agreement_body(company_id, starts_on=starts_on,
                                                                              ends_on=ends_on)),
                             422, "VALIDATION_FAILED", "ends_on")
            assert detail_codes(result) == ["invalid_period"]
        refused(staff.post("/api/v1/agreements", agreement_body(company_id, number="   ")), 422, "VALIDATION_FAILED",
                "number")
    created = staff.post("/api/v1/agreements", agreement_body(company_id, starts_on=f"{YEAR}-03-01",
                                                              ends_on=f"{YEAR}-03-01"))
    assert created.status == 201, created
    assert created.json["agreement"]["rates"] == {cast["product"]: 1_000_000}
    assert created.json["agreement"]["status"] == "DRAFT"


def test_one_agreement_per_partner_and_year_and_each_number_once(cast):
    admin, partner, staff, table = cast["admin"], cast["partner"], cast["staff"], cast["table"]
    company_id, code = cast["company_id"], cast["product"]
    agree(partner, staff, company_id, code, 1_000_000)
    first = staff.post("/api/v1/agreements", agreement_body(company_id, number="PKS/001"))
    assert first.status == 201, first
    with nothing_changes(table):
        refused(staff.post("/api/v1/agreements", agreement_body(company_id, number="PKS/002")), 409,
                "AGREEMENT_EXISTS")
        refused(staff.post("/api/v1/agreements", agreement_body(company_id, number="PKS/001")), 409,
                "AGREEMENT_EXISTS")

    # The next year: rates agreed again, but the number is the first agreement's.
    assert admin.post(f"/api/v1/catalog/products/{code}/ssh",
                      {"year": YEAR + 1, "ceiling": 2_000_000, "version": 2}).status == 200
    proposed = partner.post(f"{offers(company_id, YEAR + 1)}/propose", {"lines": {code: 1_100_000}})
    assert staff.post(f"{offers(company_id, YEAR + 1)}/accept",
                      {"products": [code], "version": proposed.json["version"]}).status == 200
    next_year = {"year": YEAR + 1, "starts_on": f"{YEAR + 1}-01-01", "ends_on": f"{YEAR + 1}-12-31"}
    with nothing_changes(table):
        refused(staff.post("/api/v1/agreements", agreement_body(company_id, number="PKS/001", **next_year)), 409,
                "AGREEMENT_NUMBER_TAKEN")
        refused(staff.post("/api/v1/agreements", agreement_body(company_id, number=" PKS/001 ", **next_year)), 409,
                "AGREEMENT_NUMBER_TAKEN")
    second = staff.post("/api/v1/agreements", agreement_body(company_id, number="PKS/002", **next_year))
    assert second.status == 201 and second.json["agreement"]["rates"] == {code: 1_100_000}, second
    listed = partner.get(f"/api/v1/media/{company_id}/agreements").json["agreements"]
    assert [(a["year"], a["number"]) for a in listed] == [(YEAR + 1, "PKS/002"), (YEAR, "PKS/001")]


def test_an_agreement_is_activated_once_closed_with_a_reason_and_orders_need_it_active(cast):
    partner, staff, table, company_id = cast["partner"], cast["staff"], cast["table"], cast["company_id"]
    agree(partner, staff, company_id, cast["product"], 1_000_000)
    budget_line(cast["finance"], ceiling=5_000_000)
    draft = staff.post("/api/v1/agreements", agreement_body(company_id)).json["agreement"]
    with nothing_changes(table):
        refused(staff.post("/api/v1/orders", order_body(company_id, cast["product"])), 409, "NO_ACTIVE_AGREEMENT")
        refused(staff.post(f"/api/v1/agreements/{draft['id']}/close",
                           {"version": draft["version"], "reason": "Belum berlaku"}), 409, "AGREEMENT_STATE")
    agreement = active_agreement_of(cast, draft)
    with nothing_changes(table):
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/activate", {"version": agreement["version"]}),
                409, "AGREEMENT_STATE")
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/activate", {"version": agreement["version"] - 1}),
                409, "STALE_VERSION")
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/close", {"version": agreement["version"]}),
                422, "VALIDATION_FAILED", "reason")
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/close",
                           {"version": agreement["version"], "reason": "     "}), 422, "VALIDATION_FAILED", "reason")

    order = issue(cast)
    closed = staff.post(f"/api/v1/agreements/{agreement['id']}/close",
                        {"version": agreement["version"], "reason": "  Anggaran dialihkan  "})
    assert closed.status == 200 and closed.json["agreement"]["status"] == "CLOSED", closed
    audit = [i for i in all_items(table) if i["PK"] == f"AGREEMENT#{agreement['id']}" and i["SK"].startswith("AUDIT#")
             and i.get("action") == "agreement.closed"]
    assert len(audit) == 1 and audit[0]["reason"] == "Anggaran dialihkan" and audit[0]["actor_id"] == staff.user.id
    with nothing_changes(table):
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/close",
                           {"version": closed.json["agreement"]["version"], "reason": "Lagi"}), 409, "AGREEMENT_STATE")
        refused(staff.post(f"/api/v1/agreements/{agreement['id']}/activate",
                           {"version": closed.json["agreement"]["version"]}), 409, "AGREEMENT_STATE")
        refused(issue(cast, expected=409), 409, "NO_ACTIVE_AGREEMENT")
    # The order issued before the close still holds its money.
    assert staff.get(f"/api/v1/orders/{order['id']}").json["order"]["status"] == "ISSUED"
    assert_books_balance(cast)


def active_agreement_of(cast, draft):
    """Sign and activate a DRAFT agreement through the API."""
    staff = cast["staff"]
    grant = staff.post(f"/api/v1/agreements/{draft['id']}/document/uploads",
                       {"filename": "pks.pdf", "content_type": "application/pdf", "size": len(samples.PDF)}).json
    assert samples.post_to_s3(grant, samples.PDF, "pks.pdf").status_code in (200, 204)
    signed = staff.post(f"/api/v1/agreements/{draft['id']}/document/uploads/{grant['upload_id']}/confirm").json
    active = staff.post(f"/api/v1/agreements/{draft['id']}/activate", {"version": signed["agreement"]["version"]})
    assert active.status == 200, active
    return active.json["agreement"]


# -- budget lines ---------------------------------------------------------------------------------

def test_budget_lines_need_a_kode_rekening_and_are_unique_per_year(cast):
    finance, table = cast["finance"], cast["table"]
    with nothing_changes(table):
        for code in ("abcde", "5-1-02-02", "5.1", "5.1.02.x", "5.1.02.02.01.0026.", " 5.1.02"):
            created = finance.post(f"/api/v1/budgets/{YEAR}/lines", {"code": code, "name": "Belanja", "ceiling": 1})
            assert created.status == 422 and created.error_code == "VALIDATION_FAILED", (code, created)
            assert [d["field"] for d in created.json["error"]["details"]] == ["code"], (code, created)
        refused(finance.post("/api/v1/budgets/1999/lines", {"code": BUDGET_CODE, "name": "Belanja", "ceiling": 1}),
                422, "VALIDATION_FAILED")
    budget_line(finance, ceiling=5_000_000)
    with nothing_changes(table):
        refused(finance.post(f"/api/v1/budgets/{YEAR}/lines", {"code": BUDGET_CODE, "name": "Lagi", "ceiling": 9}),
                409, "BUDGET_LINE_EXISTS")
    other_year = finance.post(f"/api/v1/budgets/{YEAR + 1}/lines",
                              {"code": BUDGET_CODE, "name": "Tahun depan", "ceiling": 9})
    assert other_year.status == 201, other_year


def test_the_pagu_never_goes_below_what_is_reserved(ready):
    finance, table = ready["finance"], ready["table"]
    issue(ready)  # two slots at Rp1.000.000
    line = finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]
    assert (line["reserved"], line["version"]) == (2_000_000, 2)
    url = f"/api/v1/budgets/{YEAR}/lines/{BUDGET_CODE}/ceiling"
    with nothing_changes(table):
        low = refused(finance.post(url, {"ceiling": 1_999_999, "version": line["version"], "reason": "Pemangkasan"}),
                      422, "VALIDATION_FAILED", "ceiling")
        assert detail_codes(low) == ["below_reserved"] and "Rp2.000.000" in low.json["error"]["details"][0]["message"]
        refused(finance.post(url, {"ceiling": 30_000_000, "version": 1, "reason": "Tambahan"}), 409, "STALE_VERSION")
        refused(finance.post(f"/api/v1/budgets/{YEAR}/lines/5.1.02.02.01.0099/ceiling",
                             {"ceiling": 30_000_000, "version": 1, "reason": "Tambahan"}), 404, "NOT_FOUND")
    exact = finance.post(url, {"ceiling": 2_000_000, "version": line["version"], "reason": "Pemangkasan"})
    assert exact.status == 200 and exact.json["line"]["remaining"] == 0, exact
    with nothing_changes(table):
        refused(issue(ready, expected=409, slots={"dates": [f"{YEAR}-07-01"]}), 409, "CEILING_EXCEEDED")
    assert_books_balance(ready)


# -- orders --------------------------------------------------------------------------------------------

def test_slots_are_dates_or_a_range_inside_the_agreement_period(cast):
    staff, table = cast["staff"], cast["table"]
    agree(cast["partner"], staff, cast["company_id"], cast["product"], 1_000_000)
    active_agreement(staff, cast["company_id"], ceiling=10_000_000, starts_on=f"{YEAR}-03-01", ends_on=f"{YEAR}-06-30")
    budget_line(cast["finance"], ceiling=20_000_000)
    bad = [
        ({"dates": [f"{YEAR}-03-02"], "date_from": f"{YEAR}-03-01", "date_to": f"{YEAR}-03-31", "quantity": 2},
         "slots", "one_of"),
        ({}, "slots", "one_of"),
        ({"dates": []}, "slots", "one_of"),
        ({"dates": [f"{YEAR}-03-02", f"{YEAR}-03-09", f"{YEAR}-03-02"]}, "slots.dates", "duplicate"),
        ({"date_from": f"{YEAR}-03-01", "date_to": f"{YEAR}-03-31"}, "slots", "incomplete_range"),
        ({"dates": [f"{YEAR}-03-02"], "quantity": 2}, "slots", "incomplete_range"),
        ({"date_from": f"{YEAR}-03-31", "date_to": f"{YEAR}-03-01", "quantity": 2}, "slots.date_to", "invalid_range"),
        ({"date_from": f"{YEAR}-03-01", "date_to": f"{YEAR}-03-31", "quantity": 0}, "slots.quantity",
         "greater_than_equal"),
        ({"dates": [f"{YEAR}-02-28", f"{YEAR}-03-02"]}, "slots", "outside_agreement"),
        ({"dates": [f"{YEAR}-07-01"]}, "slots", "outside_agreement"),
        ({"date_from": f"{YEAR}-06-01", "date_to": f"{YEAR}-07-15", "quantity": 1}, "slots", "outside_agreement"),
        ({"dates": [f"{YEAR}-06-30", f"{YEAR + 1}-01-02"]}, "slots", "across_years"),
    ]
    with nothing_changes(table):
        for slots, where, code in bad:
            result = issue(cast, expected=422, slots=slots)
            assert result.error_code == "VALIDATION_FAILED", (slots, result)
            problems = [(d["field"], d["code"]) for d in result.json["error"]["details"]]
            assert problems == [(where, code)], (slots, result)

    ranged = issue(cast, slots={"date_from": f"{YEAR}-04-01", "date_to": f"{YEAR}-04-30", "quantity": 3})
    assert ranged["quantity"] == 3 and ranged["total"] == 3_000_000
    assert {(s["starts_on"], s["ends_on"]) for s in ranged["slots"]} == {(f"{YEAR}-04-01", f"{YEAR}-04-30")}
    edges = issue(cast, slots={"dates": [f"{YEAR}-06-30", f"{YEAR}-03-01"]})
    assert [s["starts_on"] for s in edges["slots"]] == [f"{YEAR}-03-01", f"{YEAR}-06-30"]  # sorted, ends included
    assert_books_balance(cast)


def test_an_order_needs_a_product_of_the_agreement_and_a_known_budget_line(ready):
    table = ready["table"]
    product(ready["admin"], "banner-online")  # in the catalogue, with an SSH, but not agreed with this partner
    with nothing_changes(table):
        for changes, where, code in [({"product_code": "banner-online"}, "product_code", "not_in_agreement"),
                                     ({"product_code": "tidak-ada"}, "product_code", "unknown_product"),
                                     ({"budget_line": "5.1.02.02.01.0099"}, "budget_line", "unknown_budget_line"),
                                     ({"release_slug": "belum-terbit"}, "release_slug", "unknown_release")]:
            result = refused(issue(ready, expected=422, **changes), 422, "VALIDATION_FAILED", where)
            assert detail_codes(result) == [code]
        # All at once, not the product only once the release is right.
        every = refused(issue(ready, expected=422, product_code="tidak-ada", budget_line="5.1.02.02.01.0099",
                              release_slug="belum-terbit"), 422, "VALIDATION_FAILED")
        assert {(d["field"], d["code"]) for d in every.json["error"]["details"]} == {
            ("release_slug", "unknown_release"), ("product_code", "unknown_product"),
            ("budget_line", "unknown_budget_line")}
    assert_books_balance(ready)


def test_an_idempotency_key_issues_one_order_however_often_it_is_sent(ready):
    staff, finance, table, services = ready["staff"], ready["finance"], ready["table"], ready["services"]
    body = order_body(ready["company_id"], ready["product"])
    key = {"Idempotency-Key": "a6f4c2e8-3b1d-4f2a-9c7e-1d2b3c4d5e6f"}
    first = staff.post("/api/v1/orders", body, headers=key)
    assert first.status == 201 and "idempotent-replayed" not in first.headers, first
    with nothing_changes(table):
        again = staff.post("/api/v1/orders", body, headers=key)
        assert again.status == 201 and again.headers.get("idempotent-replayed") == "true", again
        assert again.json["order"] == first.json["order"]
        other_body = refused(staff.post("/api/v1/orders", order_body(ready["company_id"], ready["product"],
                                                                     [f"{YEAR}-05-05"]), headers=key),
                             422, "IDEMPOTENCY_KEY_REUSED")
        assert "Idempotency-Key" in other_body.json["error"]["message"]
        refused(staff.post("/api/v1/orders", body, headers={"Idempotency-Key": "pendek"}), 400,
                "INVALID_IDEMPOTENCY_KEY")
    assert services.stores.orders.counter(YEAR) == 1
    assert finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]["reserved"] == first.json["order"]["total"]
    assert len(staff.get("/api/v1/orders").json["orders"]) == 1

    # The key belongs to the staff member who sent it: a colleague's identical request is a new order.
    colleague = client(ready["chalice_app"], ready["make_user"], ("orders",), "Rekan Order")
    theirs = colleague.post("/api/v1/orders", body, headers=key)
    assert theirs.status == 201 and "idempotent-replayed" not in theirs.headers, theirs
    assert theirs.json["order"]["id"] != first.json["order"]["id"]
    assert theirs.json["order"]["number"].startswith("000.9.2/002/")
    assert_books_balance(ready)


def test_declining_needs_a_reason_and_only_an_issued_order_is_answered(ready):
    partner, table = ready["partner"], ready["table"]
    order = issue(ready)
    url = f"/api/v1/orders/{order['id']}"
    with nothing_changes(table):
        refused(partner.post(f"{url}/decline", {"version": order["version"]}), 422, "VALIDATION_FAILED", "reason")
        refused(partner.post(f"{url}/decline", {"version": order["version"], "reason": "    "}), 422,
                "VALIDATION_FAILED", "reason")
        refused(partner.post(f"{url}/decline", {"version": order["version"] + 1, "reason": "Penuh"}), 409,
                "STALE_VERSION")
    declined = partner.post(f"{url}/decline", {"version": order["version"], "reason": " Redaksi penuh "})
    assert declined.status == 200 and declined.json["order"]["status_reason"] == "Redaksi penuh", declined
    version = declined.json["order"]["version"]
    with nothing_changes(table):
        refused(partner.post(f"{url}/decline", {"version": version, "reason": "Lagi"}), 409, "ORDER_STATE")
        refused(partner.post(f"{url}/accept", {"version": version}), 409, "ORDER_STATE")
        refused(ready["staff"].post(f"{url}/cancel", {"version": version, "reason": "Batal"}), 409, "ORDER_STATE")
    assert_books_balance(ready)


def test_accepting_twice_is_harmless(ready):
    partner, table = ready["partner"], ready["table"]
    order = issue(ready)
    accepted = accept_order(ready, order)
    with nothing_changes(table):
        for version in (order["version"], accepted["version"]):
            again = partner.post(f"/api/v1/orders/{order['id']}/accept", {"version": version})
            assert again.status == 200 and again.json["order"] == accepted, again
        refused(partner.post(f"/api/v1/orders/{order['id']}/decline",
                             {"version": accepted["version"], "reason": "Berubah pikiran"}), 409, "ORDER_STATE")
    assert_books_balance(ready)


def test_an_order_with_a_proof_cannot_be_cancelled(ready, slots_come):
    staff, table = ready["staff"], ready["table"]
    order = issue(ready)
    with nothing_changes(table):
        refused(staff.post(f"/api/v1/orders/{order['id']}/cancel", {"version": order["version"], "reason": "   "}),
                422, "VALIDATION_FAILED", "reason")
    proven = prove(ready, accept_order(ready, order))
    with nothing_changes(table):
        refused(staff.post(f"/api/v1/orders/{order['id']}/cancel", {"version": proven["version"], "reason": "Batal"}),
                409, "ALREADY_PUBLISHED")
    # A proof the verifier rejected still shows the order ran: it stays uncancellable.
    rejected = ready["verifier"].post(f"/api/v1/orders/{order['id']}/proofs/0/review",
                                      {"decision": "rejected", "reason": "Tautan salah", "version": proven["version"]})
    assert rejected.status == 200, rejected
    with nothing_changes(table):
        refused(staff.post(f"/api/v1/orders/{order['id']}/cancel",
                           {"version": rejected.json["order"]["version"], "reason": "Batal"}), 409, "ALREADY_PUBLISHED")
    # Without a proof, an accepted order can be cancelled, and gives its money back.
    other = accept_order(ready, issue(ready, slots={"dates": [f"{YEAR}-08-01"]}))
    cancelled = staff.post(f"/api/v1/orders/{other['id']}/cancel", {"version": other["version"], "reason": "Batal"})
    assert cancelled.status == 200 and cancelled.json["order"]["status"] == "CANCELLED", cancelled
    assert_books_balance(ready)


def test_proofs_come_only_after_acceptance_with_valid_links_or_a_file(ready, slots_come):
    partner, table = ready["partner"], ready["table"]
    order = issue(ready)
    url = f"/api/v1/orders/{order['id']}/proofs"
    with nothing_changes(table):
        refused(partner.post(f"{url}/uploads", {"filename": "a.png", "content_type": "image/png", "size": 10}),
                409, "ORDER_STATE")
        refused(partner.post(f"{url}/0", {"urls": ["https://ogannews.example.co.id/1"], "version": order["version"]}),
                409, "ORDER_STATE")
    accepted = accept_order(ready, order)
    with nothing_changes(table):
        bad = refused(partner.post(f"{url}/0", {"urls": ["https://ogannews.example.co.id/1", "bukan alamat",
                                                         "http://127.0.0.1/berita", "ftp://ogannews.example.co.id/x"],
                                                "version": accepted["version"]}),
                      422, "VALIDATION_FAILED", "urls.1", "urls.2", "urls.3")
        assert set(detail_codes(bad)) == {"invalid_url"}
        refused(partner.post(f"{url}/0", {"urls": [], "upload_ids": [], "version": accepted["version"]}),
                422, "VALIDATION_FAILED", "urls")
        refused(partner.post(f"{url}/0", {"version": accepted["version"]}), 422, "VALIDATION_FAILED", "urls")
        refused(partner.post(f"{url}/2", {"urls": ["https://ogannews.example.co.id/1"],
                                          "version": accepted["version"]}), 422, "VALIDATION_FAILED", "slot")
        refused(partner.post(f"{url}/0", {"urls": ["https://ogannews.example.co.id/1"],
                                          "version": order["version"]}), 409, "STALE_VERSION")
        refused(partner.post(f"{url}/0", {"upload_ids": ["01HZZZZZZZZZZZZZZZZZZZZZZZ"],
                                          "version": accepted["version"]}), 404, "NOT_FOUND")
    proven = prove(ready, accepted, slot=1, url="ogannews.example.co.id/berita/2")
    assert proven["slots"][1]["proof"]["urls"] == ["https://ogannews.example.co.id/berita/2"]
    with nothing_changes(table):
        refused(partner.post(f"{url}/1", {"urls": ["https://ogannews.example.co.id/3"],
                                          "version": proven["version"]}), 409, "SLOT_STATE")
    assert_books_balance(ready)


def test_a_proof_is_taken_only_from_its_slots_date_in_wib(ready):
    """A slot to be published months ahead cannot be proven, nor the order completed, today."""
    partner, table = ready["partner"], ready["table"]
    order = accept_order(ready, issue(ready, slots={"dates": [f"{YEAR}-03-02", f"{YEAR}-03-09"]}))
    body = {"urls": ["https://ogannews.example.co.id/berita/1"], "version": order["version"]}
    with nothing_changes(table):
        early = refused(partner.post(f"/api/v1/orders/{order['id']}/proofs/0", body), 409, "PROOF_TOO_EARLY")
        assert early.json["error"]["message"] == \
            f"Bukti tayang untuk slot ini baru dapat dikirim mulai 2 Maret {YEAR}, tanggal tayangnya."
        with slots_due(date(YEAR, 3, 1)):
            refused(partner.post(f"/api/v1/orders/{order['id']}/proofs/0", body), 409, "PROOF_TOO_EARLY")
            # Nor are its files taken before then (an upload would wait for nothing).
            grant = partner.post(f"/api/v1/orders/{order['id']}/proofs/uploads",
                                 {"filename": "tayang.png", "content_type": "image/png", "size": 100})
            assert refused(grant, 409, "PROOF_TOO_EARLY").json["error"]["message"].endswith(f"2 Maret {YEAR}, tanggal tayangnya.")
    # 00.00 WIB on the slot's day is still the day before in UTC, and it is the day.
    with slots_due(datetime(YEAR, 3, 1, 17, 0, tzinfo=timezone.utc)):
        assert partner.post(f"/api/v1/orders/{order['id']}/proofs/uploads", {
            "filename": "tayang.png", "content_type": "image/png", "size": 100}).status == 201
        proven = partner.post(f"/api/v1/orders/{order['id']}/proofs/0", body)
        assert proven.status == 200, proven
        refused(partner.post(f"/api/v1/orders/{order['id']}/proofs/1",
                             {"urls": ["https://ogannews.example.co.id/berita/2"],
                              "version": proven.json["order"]["version"]}), 409, "PROOF_TOO_EARLY")
        accepted = ready["verifier"].post(f"/api/v1/orders/{order['id']}/proofs/0/review",
                                          {"decision": "accepted", "version": proven.json["order"]["version"]})
        assert accepted.status == 200 and accepted.json["order"]["slots"][0]["status"] == "ACCEPTED", accepted


def test_a_spoofed_png_proof_is_refused_and_deleted(ready, services, slots_come):
    partner, table = ready["partner"], ready["table"]
    accepted = accept_order(ready, issue(ready))
    url = f"/api/v1/orders/{accepted['id']}/proofs"
    grant = partner.post(f"{url}/uploads", {"filename": "tayang.png", "content_type": "image/png",
                                            "size": len(samples.PDF)})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, samples.PDF, "tayang.png", "image/png").status_code in (200, 204)
    pending = [i for i in all_items(table) if i["SK"] == f"UPLOAD#{grant.json['upload_id']}"]
    assert len(pending) == 1
    key = pending[0]["key"]
    s3 = boto3.client("s3")
    assert s3.head_object(Bucket=services.settings.documents_bucket, Key=key)

    spoofed = partner.post(f"{url}/0", {"upload_ids": [grant.json["upload_id"]], "version": accepted["version"]})
    refused(spoofed, 422, "FILE_TYPE_MISMATCH")
    listing = s3.list_objects_v2(Bucket=services.settings.documents_bucket, Prefix=key)
    assert listing.get("KeyCount", 0) == 0, "the spoofed object is deleted"
    assert not [i for i in all_items(table) if i["SK"] == f"UPLOAD#{grant.json['upload_id']}"]
    order = partner.get(f"/api/v1/orders/{accepted['id']}").json["order"]
    assert order["version"] == accepted["version"] and order["slots"][0]["status"] == "PENDING"
    with nothing_changes(table):
        refused(partner.post(f"{url}/0", {"upload_ids": [grant.json["upload_id"]], "version": accepted["version"]}),
                404, "NOT_FOUND")

    # A grant whose file never reached the bucket.
    missing = partner.post(f"{url}/uploads", {"filename": "tayang.png", "content_type": "image/png",
                                              "size": len(samples.png())}).json
    with nothing_changes(table):
        refused(partner.post(f"{url}/0", {"upload_ids": [missing["upload_id"]], "version": accepted["version"]}),
                409, "UPLOAD_MISSING")

    # A real PNG goes through, and serves once.
    good = partner.post(f"{url}/uploads", {"filename": "tayang.png", "content_type": "image/png",
                                           "size": len(samples.png())}).json
    assert samples.post_to_s3(good, samples.png(), "tayang.png", "image/png").status_code in (200, 204)
    proven = partner.post(f"{url}/0", {"upload_ids": [good["upload_id"]], "version": accepted["version"]})
    assert proven.status == 200 and proven.json["order"]["slots"][0]["proof"]["files"][0]["size"] == len(samples.png())
    with nothing_changes(table):
        refused(partner.post(f"{url}/1", {"upload_ids": [good["upload_id"]],
                                          "version": proven.json["order"]["version"]}),
                404, "NOT_FOUND")
    assert_books_balance(ready)


def test_a_review_needs_a_submitted_slot_and_a_rejection_needs_a_reason(ready, slots_come):
    verifier, table = ready["verifier"], ready["table"]
    order = issue(ready)
    url = f"/api/v1/orders/{order['id']}/proofs"
    with nothing_changes(table):
        refused(verifier.post(f"{url}/0/review", {"decision": "accepted", "version": order["version"]}), 409,
                "SLOT_STATE")  # the order is not even accepted
    accepted = accept_order(ready, order)
    with nothing_changes(table):
        refused(verifier.post(f"{url}/0/review", {"decision": "accepted", "version": accepted["version"]}), 409,
                "SLOT_STATE")  # nothing submitted yet
    proven = prove(ready, accepted)
    with nothing_changes(table):
        refused(verifier.post(f"{url}/1/review", {"decision": "accepted", "version": proven["version"]}), 409,
                "SLOT_STATE")
        refused(verifier.post(f"{url}/0/review", {"decision": "rejected", "version": proven["version"]}), 422,
                "VALIDATION_FAILED", "reason")
        refused(verifier.post(f"{url}/0/review", {"decision": "rejected", "reason": "   ",
                                                  "version": proven["version"]}), 422, "VALIDATION_FAILED", "reason")
        refused(verifier.post(f"{url}/0/review", {"decision": "accepted", "version": accepted["version"]}), 409,
                "STALE_VERSION")
        refused(verifier.post(f"{url}/5/review", {"decision": "accepted", "version": proven["version"]}), 422,
                "VALIDATION_FAILED", "slot")
    rejected = verifier.post(f"{url}/0/review", {"decision": "rejected", "reason": " Tautan mati ",
                                                 "version": proven["version"]}).json["order"]
    assert rejected["slots"][0]["status"] == "REJECTED" and rejected["slots"][0]["review_reason"] == "Tautan mati"
    with nothing_changes(table):
        refused(verifier.post(f"{url}/0/review", {"decision": "accepted", "version": rejected["version"]}), 409,
                "SLOT_STATE")
    again = prove(ready, rejected, url="https://ogannews.example.co.id/berita/1-benar")
    assert again["slots"][0]["status"] == "SUBMITTED" and again["slots"][0]["review_reason"] is None
    one = verifier.post(f"{url}/0/review", {"decision": "accepted", "version": again["version"]}).json["order"]
    two = verifier.post(f"{url}/1/review", {"decision": "accepted",
                                            "version": prove(ready, one, slot=1)["version"]}).json["order"]
    assert two["status"] == "COMPLETED"
    with nothing_changes(table):
        refused(verifier.post(f"{url}/1/review", {"decision": "rejected", "reason": "Ralat",
                                                  "version": two["version"]}),
                409, "SLOT_STATE")
        refused(ready["staff"].post(f"/api/v1/orders/{order['id']}/cancel",
                                    {"version": two["version"], "reason": "Batal"}),
                409, "ORDER_STATE")
    assert_books_balance(ready)  # a completed order still holds its money until it is invoiced


# -- a grant used again after confirm ------------------------------------------------------------

def test_a_proof_or_signed_pks_posted_again_with_its_grant_after_confirm_is_never_served(ready, slots_come):
    """What the verifier reviewed and the SHA-256 recorded stay what every download gives."""
    import hashlib

    import requests

    partner = ready["partner"]
    order = accept_order(ready, issue(ready))
    grant = partner.post(f"/api/v1/orders/{order['id']}/proofs/uploads",
                         {"filename": "tayang.png", "content_type": "image/png", "size": len(samples.png())}).json
    assert samples.post_to_s3(grant, samples.png(), "tayang.png", "image/png").status_code in (200, 204)
    proven = partner.post(f"/api/v1/orders/{order['id']}/proofs/0", {"urls": [], "upload_ids": [grant["upload_id"]],
                                                                    "version": order["version"]})
    assert proven.status == 200, proven
    recorded = proven.json["order"]["slots"][0]["proof"]["files"][0]
    assert samples.post_to_s3(grant, samples.png(3, 3), "lain.png", "image/png").status_code in (200, 204)
    link = ready["verifier"].get(f"/api/v1/orders/{order['id']}/proofs/0/files/0").json["url"]
    served = requests.get(link, timeout=10).content
    assert served == samples.png() and hashlib.sha256(served).hexdigest() == recorded["sha256"]



def test_a_signed_pks_posted_again_with_its_grant_after_confirm_is_never_served(cast):
    import hashlib

    import requests

    staff = cast["staff"]
    agree(cast["partner"], staff, cast["company_id"], cast["product"], 1_000_000)
    draft = staff.post("/api/v1/agreements", {
        "company_id": cast["company_id"], "year": YEAR, "number": f"PKS/TUKAR/{YEAR}", "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31", "ceiling": 5_000_000}).json["agreement"]
    grant = staff.post(f"/api/v1/agreements/{draft['id']}/document/uploads",
                       {"filename": "pks.pdf", "content_type": "application/pdf", "size": len(samples.PDF)}).json
    assert samples.post_to_s3(grant, samples.PDF, "pks.pdf").status_code in (200, 204)
    signed = staff.post(f"/api/v1/agreements/{draft['id']}/document/uploads/{grant['upload_id']}/confirm")
    assert signed.status == 200, signed
    other = samples.PDF.replace(b"%%EOF", b"% bukan PKS yang ditandatangani\n%%EOF")
    assert samples.post_to_s3(grant, other, "pks.pdf").status_code in (200, 204)
    served = requests.get(staff.get(f"/api/v1/agreements/{draft['id']}/document").json["url"], timeout=10).content
    assert served == samples.PDF
    assert hashlib.sha256(served).hexdigest() == signed.json["agreement"]["signed_document"]["sha256"]


# -- issue 16: what an order refuses and whom it tells -------------------------------------------------

def test_an_order_with_both_a_release_and_a_text_is_refused_rather_than_dropping_one(ready):
    with nothing_changes(ready["table"]):
        both = issue(ready, expected=422, title="Judul sendiri", text="Naskah yang akan hilang")
    refused(both, 422, "VALIDATION_FAILED", "release_slug")
    assert "bukan keduanya" in both.json["error"]["details"][0]["message"]


def test_every_ceiling_refusal_is_a_sentence_with_its_figures_in_place(ready):
    # The budget line binds first (pagu Rp20.000.000, so 25 one-day slots at Rp1.000.000 do not fit) ...
    budget = issue(ready, expected=409, slots={"dates": [f"{YEAR}-01-{d:02d}" for d in range(1, 26)]})
    assert budget.json["error"]["message"] == (
        f"Nilai pesanan Rp25.000.000 melebihi sisa pagu kode rekening {BUDGET_CODE}, yaitu Rp20.000.000. "
        "Kurangi jumlah slot, atau pilih kode rekening lain yang pagunya masih cukup.")
    # ... then the agreement (PKS Rp10.000.000) for 11 slots.
    agreement = issue(ready, expected=409, slots={"dates": [f"{YEAR}-02-{d:02d}" for d in range(1, 12)]})
    assert agreement.json["error"]["message"] == (
        f"Nilai pesanan Rp11.000.000 melebihi sisa nilai PKS {ready['agreement']['number']}, yaitu Rp10.000.000. "
        "Kurangi jumlah slot, atau pilih mitra lain yang PKS-nya masih memiliki sisa nilai.")


def test_the_partner_hears_of_a_cancellation_a_rejected_and_an_accepted_proof_and_a_completed_order(
        ready, outbox, slots_come):
    staff, verifier = ready["staff"], ready["verifier"]
    email = ready["data"]["account"]["email"]
    mails = lambda: [m for m in outbox() if m["To"] == email]  # noqa: E731
    cancelled = staff.post(f"/api/v1/orders/{issue(ready)['id']}/cancel",
                           {"version": 1, "reason": "Materi diganti"}).json["order"]
    last = mails()[-1]
    assert last["Subject"] == f"Pesanan {cancelled['number']} dibatalkan"
    assert "Materi diganti" in last.get_body().get_content()

    order = prove(ready, accept_order(ready, issue(ready, slots={"dates": [f"{YEAR}-05-04", f"{YEAR}-05-11"]})))
    order = verifier.post(f"/api/v1/orders/{order['id']}/proofs/0/review",
                          {"decision": "rejected", "reason": "Tautan mengarah ke berita lain", "version": order["version"]}
                          ).json["order"]
    last = mails()[-1]
    assert "ditolak" in last["Subject"] and "Tautan mengarah ke berita lain" in last.get_body().get_content()
    order = prove(ready, order)
    order = verifier.post(f"/api/v1/orders/{order['id']}/proofs/0/review",
                          {"decision": "accepted", "version": order["version"]}).json["order"]
    assert "diterima" in mails()[-1]["Subject"]
    order = prove(ready, order, slot=1)
    done = verifier.post(f"/api/v1/orders/{order['id']}/proofs/1/review",
                         {"decision": "accepted", "version": order["version"]}).json["order"]
    assert done["status"] == "COMPLETED" and mails()[-1]["Subject"] == f"Pesanan {done['number']} selesai"


def test_order_lists_come_in_pages_newest_first_for_the_partner_and_the_office(spending_year):
    staff, first = spending_year["staff"], spending_year["partner"]
    second = spending_year["second"]
    mine = [issue(spending_year, dates=[f"{YEAR}-06-0{day}"]) for day in (1, 2, 3)]
    accept_order(spending_year, mine[0])  # it changes last, so it leads the office's list

    def walk(api, query: str, limit: int) -> list[list[str]]:
        pages, after = [], None
        while True:
            answer = api.get(f"/api/v1/orders?{query}&limit={limit}" + (f"&after={after}" if after else ""))
            assert answer.status == 200, answer
            pages.append([o["id"] for o in answer.json["orders"]])
            after = answer.json["next"]
            if after is None:
                return pages

    partner_pages = walk(first, "", 2)
    everything = [i for page in partner_pages for i in page]
    assert all(len(page) == 2 for page in partner_pages[:-1]) and len(everything) == len(set(everything)) == 6
    assert everything[:3] == [o["id"] for o in reversed(mine)]  # by the time they were issued
    assert not set(everything) & {o["id"] for o in second["orders"]}  # never another partner's

    office = [i for page in walk(staff, "", 3) for i in page]
    assert len(office) == len(set(office)) == 6 + 3  # the second partner's two completed and one issued
    # By their last change: the accepted one before the two issued after it (the scene's completed orders were
    # changed on their slots' days, next year, so they lead).
    assert [office.index(o["id"]) for o in (mine[0], mine[2], mine[1])] == sorted(
        office.index(o["id"]) for o in mine)
    issued = [i for page in walk(staff, "status=ISSUED", 1) for i in page]
    assert len(issued) == 3 and {mine[1]["id"], mine[2]["id"]} < set(issued)  # and the second partner's one
    of_second = [i for page in walk(staff, f"company_id={second['company_id']}&status=COMPLETED", 1) for i in page]
    assert set(of_second) == {o["id"] for o in second["orders"]}

    for bad, field in (("limit=0", "limit"), ("limit=201", "limit"), ("limit=dua", "limit"), ("limit=0000500", "limit"),
                       (f"limit=1{'0' * 4400}", "limit"), ("after=2026-01-01", "after"), (f"after={'9' * 81}", "after"),
                       ("after=%FF%FE", "after")):
        refused(staff.get(f"/api/v1/orders?{bad}"), 422, "VALIDATION_FAILED", field)
    # A cursor of the other list (the office's to a partner, and back) is refused, not a server error or page one.
    office_cursor = staff.get("/api/v1/orders?limit=1").json["next"]
    company_cursor = first.get("/api/v1/orders?limit=1").json["next"]
    refused(first.get(f"/api/v1/orders?after={office_cursor}"), 422, "VALIDATION_FAILED", "after")
    refused(staff.get(f"/api/v1/orders?after={company_cursor}"), 422, "VALIDATION_FAILED", "after")
