"""The fiscal year the order, budget and rate pages open on (GET /api/v1/fiscal-years).

The scenes' fiscal year (YEAR) is next year: it is what an office in December
has, and what the pages used to hide behind "no budget lines this year".
"""

from __future__ import annotations

from tests.cooperation import YEAR, active_agreement, agree, client

CURRENT = YEAR - 1
LINE = {"code": "5.1.02.02.01.0026", "name": "Belanja jasa publikasi", "ceiling": 1_000_000}


def years_of(api) -> dict:
    answer = api.get("/api/v1/fiscal-years")
    assert answer.status == 200, answer
    return answer.json


def planned(answer, *fields) -> dict:
    return {y["year"]: tuple(y[f] for f in fields) for y in answer["years"]}


def test_with_nothing_planned_the_pages_open_on_this_year_and_last_year_counts_only_without_next(
        chalice_app, make_user, table_name):
    finance = client(chalice_app, make_user, ("finance",))
    empty = years_of(finance)
    assert (empty["current"], empty["default"]) == (CURRENT, CURRENT)
    assert planned(empty, "priced_products", "budget_lines", "agreements", "rate_card") == {
        CURRENT - 1: (0, 0, 0, None), CURRENT: (0, 0, 0, None), YEAR: (0, 0, 0, None)}
    assert finance.post(f"/api/v1/budgets/{CURRENT - 1}/lines", LINE).status == 201
    assert years_of(finance)["default"] == CURRENT - 1
    assert finance.post(f"/api/v1/budgets/{YEAR}/lines", LINE).status == 201
    assert years_of(finance)["default"] == YEAR  # next year before last


def test_staff_open_on_the_year_being_planned_until_this_year_has_something(cast):
    staff, finance = cast["staff"], cast["finance"]
    ahead = years_of(staff)  # the cast's product has an SSH for YEAR only
    assert ahead["default"] == YEAR
    agree(cast["partner"], staff, cast["company_id"], cast["product"], 1_000_000)
    assert staff.post("/api/v1/agreements", {
        "company_id": cast["company_id"], "year": YEAR, "number": f"PKS/1/{YEAR}", "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31", "ceiling": 5_000_000}).status == 201  # a draft is planning too
    for code in ("5.1.02.02.01.0026", "5.1.02.02.01.0027"):
        assert finance.post(f"/api/v1/budgets/{YEAR}/lines", {**LINE, "code": code}).status == 201
    assert planned(years_of(finance), "priced_products", "budget_lines", "agreements") == {
        CURRENT - 1: (0, 0, 0), CURRENT: (0, 0, 0), YEAR: (1, 2, 1)}

    # Once the calendar year has a line, the pages open on it again.
    assert finance.post(f"/api/v1/budgets/{CURRENT}/lines", LINE).status == 201
    assert years_of(staff)["default"] == CURRENT


def test_a_partner_sees_its_own_plan_and_the_catalogue_but_not_the_offices_budget(cast):
    partner = cast["partner"]
    before = years_of(partner)
    assert before["default"] == YEAR  # where the products it can offer have their SSH
    assert planned(before, "priced_products", "budget_lines", "agreements", "rate_card") == {
        CURRENT - 1: (0, None, 0, False), CURRENT: (0, None, 0, False), YEAR: (1, None, 0, False)}
    assert cast["finance"].post(f"/api/v1/budgets/{CURRENT}/lines", LINE).status == 201
    assert all(y["budget_lines"] is None for y in years_of(partner)["years"])
    agree(partner, cast["staff"], cast["company_id"], cast["product"], 1_500_000)
    active_agreement(cast["staff"], cast["company_id"], ceiling=5_000_000)
    assert planned(years_of(partner), "agreements", "rate_card")[YEAR] == (1, True)


def test_anonymous_callers_are_asked_to_sign_in(cast):
    answer = client(cast["chalice_app"]).get("/api/v1/fiscal-years")
    assert answer.status == 401 and answer.json["error"]["code"] == "NOT_AUTHENTICATED"
