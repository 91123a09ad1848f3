"""The public spending figures over HTTP, as anyone reads them (issue 11): two partners' year — one paid, one
billed and unpaid — equals the finance reports in the JSON, both CSV files, the XLSX and the OCDS package (which
validates against the official OCDS 1.1.5 schema); nothing private of the partners or the staff appears in any
answer; and wrong years, partners and file names are refused with their codes."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
import requests
from openpyxl import load_workbook

from tests.cooperation import YEAR, client
from tests.ocds import errors as ocds_errors

BASE = f"/api/v1/public/spending/{YEAR}"


@pytest.fixture
def public(spending_year):
    """An anonymous reader: no session, no CSRF token."""
    return client(spending_year["chalice_app"])


def money_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_the_public_year_equals_the_finance_reports_in_every_format(spending_year, public):
    finance = spending_year["finance"]
    first, second = spending_year["company_id"], spending_year["second"]["company_id"]
    assert YEAR in public.get("/api/v1/public/spending").json["years"]

    year = public.get(BASE)
    assert year.status == 200 and year.headers["cache-control"].startswith("public, max-age=300"), year
    figures = year.json
    partners = {p["company_id"]: p for p in figures["partners"]}
    assert set(partners) == {first, second}
    for company_id in (first, second):
        statement = finance.get(f"/api/v1/reports/partners/{company_id}/{YEAR}").json["statement"]
        mine = partners[company_id]
        assert (mine["orders"], mine["ordered"], mine["invoiced"], mine["paid"], mine["paid_net"],
                mine["ppn_withheld"], mine["pph23_withheld"]) == (
            statement["orders"], statement["ordered"], statement["invoiced"], statement["paid_gross"],
            statement["paid_net"], statement["ppn_withheld"], statement["pph23_withheld"])
        (agreement,) = statement["agreements"]
        assert (mine["agreement"]["number"], mine["agreement"]["ceiling"]) == (agreement["number"],
                                                                               agreement["ceiling"])
    assert (partners[first]["paid"], partners[first]["paid_net"], partners[first]["completed_orders"]) == (
        5_550_000, 4_900_000, 3)
    assert (partners[second]["orders"], partners[second]["completed_orders"], partners[second]["ordered"],
            partners[second]["completed"], partners[second]["invoiced"], partners[second]["paid"]) == (
        3, 2, 3_330_000, 2_220_000, 2_220_000, 0)
    assert figures["totals"]["paid"] == 5_550_000 and figures["totals"]["invoiced"] == 7_770_000
    assert figures["totals"]["ceiling"] == 35_000_000 and figures["totals"]["partners"] == 2
    assert sum(m["paid"] for m in figures["monthly"]) == figures["totals"]["paid"]

    realisation = finance.get(f"/api/v1/reports/realisation/{YEAR}").json["lines"]
    keys = ("code", "name", "ceiling", "committed", "payable", "realised", "remaining")
    assert [{k: line[k] for k in keys} for line in realisation] == figures["budget_lines"]
    assert (figures["budget_lines"][0]["payable"], figures["budget_lines"][0]["realised"]) == (2_220_000, 5_550_000)

    # One partner's page: the same figures, with its payments.
    alone = public.get(f"{BASE}/partners/{first}").json["partner"]
    assert {k: v for k, v in alone.items() if k != "payments"} == partners[first]
    assert [(p["amount"], p["net"], p["correction"]) for p in alone["payments"]] == [(5_550_000, 4_900_000, False)]

    # The CSV files: the same rows as the JSON.
    rows = money_rows(public.get(figures["files"]["mitra.csv"]).body)
    assert rows[0][:3] == ["Nama media", "Badan usaha", "Jenis media"]
    by_name = {row[0]: row for row in rows[1:]}
    for p in partners.values():
        row = by_name[p["media_name"]]
        assert [row[1], row[3]] == [p["legal_name"], p["agreement"]["number"]]
        assert [int(x) for x in row[5:]] == [p["agreement"]["ceiling"], p["orders"], p["ordered"], p["completed"],
                                             p["invoiced"], p["paid"], p["ppn_withheld"], p["pph23_withheld"]]
    budget = money_rows(public.get(figures["files"]["kode-rekening.csv"]).body)
    assert [[row[0], row[1], *map(int, row[2:])] for row in budget[1:]] == [
        [b["code"], b["name"], b["ceiling"], b["committed"], b["payable"], b["realised"], b["remaining"]]
        for b in figures["budget_lines"]]

    # The workbook: a redirect to a short link; the same figures are one kept file, not one per reader.
    workbook = public.get(figures["files"]["belanja.xlsx"])
    assert workbook.status == 303, workbook
    again = public.get(figures["files"]["belanja.xlsx"])
    assert again.headers["location"].split("?")[0] == workbook.headers["location"].split("?")[0]
    sheets = load_workbook(io.BytesIO(requests.get(workbook.headers["location"], timeout=10).content))
    sheet = sheets[f"Mitra {YEAR}"]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(cells) if row[0] == "Nama media")
    assert [list(map(str, (c if c is not None else "" for c in row))) for row in cells[header:header + 3]] == rows

    # OCDS: valid, one release per agreement, awards at the PKS value, payments as transactions.
    package = public.get(figures["files"]["ocds.json"])
    assert package.headers["content-disposition"] == f'attachment; filename="belanja-media-{YEAR}-ocds.json"'
    assert ocds_errors(package.json) == []
    releases = {r["contracts"][0]["id"]: r for r in package.json["releases"]}
    for p in partners.values():
        release = releases[next(r for r in releases if releases[r]["awards"][0]["suppliers"][0]["name"]
                                == p["legal_name"])]
        assert release["awards"][0]["value"] == {"amount": p["agreement"]["ceiling"], "currency": "IDR"}
        paid = sum(t["value"]["amount"] for t in release["contracts"][0]["implementation"]["transactions"])
        assert paid == p["paid"]

    # A browser (or CloudFront) holding the same figures hears 304, even a second later (as_of moved on);
    # once a figure changes, it gets the new answer.
    time.sleep(1.1)
    cached = public.get(BASE, headers={"If-None-Match": year.headers["etag"]})
    assert cached.status == 304 and not cached.body
    ocds = public.get(figures["files"]["ocds.json"], headers={"If-None-Match": package.headers["etag"]})
    assert ocds.status == 304
    returned = finance.post(f"/api/v1/invoices/{spending_year['paid_invoice']['id']}/sp2d/returned",
                            {"reason": "Rekening tujuan ditutup", "version": spending_year["paid_invoice"]["version"]})
    assert returned.status == 200, returned
    changed = public.get(BASE, headers={"If-None-Match": year.headers["etag"]})
    assert changed.status == 200 and changed.json["totals"]["paid"] == 0
    (change,) = changed.json["changes"]
    assert (change["amount"], change["media_name"], change["correction"]) == (
        -5_550_000, partners[first]["media_name"], True)


def private_values(scene) -> set[str]:
    """Everything about the partners and the staff that is not public: contacts, accounts, tax and business
    numbers, addresses, people's names and emails."""
    found = set()
    for data in (scene["data"], scene["second"]["data"]):
        profile = data["profile"]
        found |= {data["account"]["email"], data["account"]["name"], profile["nib"], profile["npwp"],
                  profile["npwp"].replace(".", "").replace("-", ""), profile["phone"], profile["email"],
                  profile["address"]["street"], profile["address"]["postal_code"], profile["sk_kemenkumham"],
                  profile["editor_in_chief"]["name"], profile["editor_in_chief"]["ukw_certificate"],
                  profile["bank_account"]["number"], profile["bank_account"]["number"].replace("-", ""),
                  profile["bank_account"]["holder"], profile["contact_person"]["name"],
                  profile["contact_person"]["phone"], profile["contact_person"]["email"]}
    for key in ("admin", "verifier", "staff", "finance"):
        found |= {scene[key].user.email, scene[key].user.name}
    return found


def test_no_answer_carries_anything_private(spending_year, public):
    first = spending_year["company_id"]
    answers = [public.get("/api/v1/public/spending"), public.get(BASE), public.get(f"{BASE}/partners/{first}"),
               public.get(f"{BASE}/partners/{spending_year['second']['company_id']}")]
    answers += [public.get(f"{BASE}/files/{name}") for name in ("mitra.csv", "kode-rekening.csv", "ocds.json")]
    assert all(a.status == 200 for a in answers), answers
    texts = [a.body.decode("utf-8") for a in answers]
    workbook = load_workbook(io.BytesIO(requests.get(public.get(f"{BASE}/files/belanja.xlsx").headers["location"],
                                                     timeout=10).content))
    texts.append(json.dumps([[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook],
                            default=str, ensure_ascii=False))
    secrets = private_values(spending_year)
    assert len(secrets) > 20
    leaks = sorted({s for s in secrets for text in texts if s in text})
    assert not leaks, f"private values in public answers: {leaks}"


def test_wrong_years_partners_and_files_are_refused_with_their_codes(spending_year, public):
    too_early = public.get("/api/v1/public/spending/1999")
    assert too_early.status == 422 and too_early.json["error"]["details"][0]["code"] == "year_not_published"
    assert public.get("/api/v1/public/spending/20x7").status == 422
    unknown = public.get(f"{BASE}/partners/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    assert unknown.status == 404 and unknown.error_code == "NOT_FOUND"
    wrong = public.get(f"{BASE}/files/rahasia.xlsx")
    assert wrong.status == 422 and wrong.json["error"]["details"][0]["code"] == "unknown_file"
    assert "ocds.json" in wrong.json["error"]["details"][0]["message"]
    # Only these reads are open: the finance reports behind them still ask who is reading.
    assert public.get(f"/api/v1/reports/realisation/{YEAR}").status == 401
    assert public.get(f"/api/v1/reports/partners/{spending_year['company_id']}/{YEAR}").status == 401
