"""/api/v1/public/spending: the public figures of media spending, per fiscal year and per partner, and the same
as open data files (CSV, XLSX, OCDS). Anonymous; cached for a few minutes by browsers and CloudFront."""

from __future__ import annotations

import hashlib
import json

from chalice import Response

from ..errors import FieldError, validation_failed
from ..services.exports import CONTENT_TYPES, csv_text
from ..services.open_data import budget_table, ocds_package, partners_table, tables
from ..services.transparency import PartnerSpending, Payment, YearSpending
from ..wiring import get_services
from .http import PUBLIC, Call, Routes, year_param

routes = Routes(__name__)
# Five minutes in browsers and at the edge; a payment recorded now is public within that.
CACHE = "public, max-age=300, s-maxage=300, stale-while-revalidate=60"
FILES = {
    "mitra.csv": "Mitra (CSV)", "kode-rekening.csv": "Kode rekening (CSV)", "belanja.xlsx": "Semua tabel (XLSX)",
    "ocds.json": "Open Contracting Data Standard 1.1 (JSON)",
}


def _cached(call: Call, body: bytes, content_type: str, filename: str | None = None,
            facts: bytes | None = None) -> Response:
    """The answer with an ETag of its facts (the body without the time it was read); 304 when the browser or
    CloudFront already holds them."""
    tag = '"' + hashlib.sha256(body if facts is None else facts).hexdigest()[:32] + '"'
    headers = {"Cache-Control": CACHE, "ETag": tag, "Content-Type": content_type}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if tag in (call.request.headers.get("if-none-match") or ""):
        return Response(body="", status_code=304, headers=headers)
    # Text, not bytes: API Gateway's proxy answer carries a string body unless the type is a binary one.
    return Response(body=body.decode("utf-8"), status_code=200, headers=headers)


def _json(call: Call, body: dict, filename: str | None = None) -> Response:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return _cached(call, data, "application/json; charset=utf-8", filename, json.dumps(_facts(body)).encode())


def _facts(body: dict) -> dict:
    """The body without the moment it was made (``as_of``; OCDS's ``publishedDate`` and release ``date``): the
    same figures read a second later are the same answer."""
    facts = {k: v for k, v in body.items() if k not in ("as_of", "publishedDate")}
    if "releases" in facts:
        facts["releases"] = [{k: v for k, v in r.items() if k != "date"} for r in facts["releases"]]
    return facts


def payment_view(p: Payment) -> dict:
    return {"date": p.on.isoformat(), "amount": p.amount, "net": p.net, "description": p.description,
            "correction": p.is_correction}


def partner_view(p: PartnerSpending, with_payments: bool = False) -> dict:
    view = {"company_id": p.company_id, "media_name": p.media_name, "legal_name": p.legal_name,
            "media_type": p.media_type, "agreement": {k: v for k, v in p.agreement.items() if k != "id"},
            "budget_lines": list(p.budget_lines), "orders": p.orders, "ordered": p.ordered,
            "completed_orders": p.completed_orders, "completed": p.completed,
            "products": [{"name": x.name, "orders": x.orders, "slots": x.slots, "value": x.value} for x in p.products],
            "invoiced": p.invoiced, "paid": p.paid, "paid_net": p.paid_net, "ppn_withheld": p.ppn_withheld,
            "pph23_withheld": p.pph23_withheld}
    if with_payments:
        view["payments"] = [payment_view(x) for x in p.payments]
    return view


def year_view(s: YearSpending) -> dict:
    names = {p.company_id: p.media_name for p in s.partners}
    return {
        "year": s.year, "as_of": s.as_of.isoformat(timespec="seconds"), "closed": s.closed,
        "totals": {figure: s.total(figure) for figure in ("ordered", "completed", "invoiced", "paid", "paid_net",
                                                          "ppn_withheld", "pph23_withheld")}
        | {"partners": len(s.partners), "ceiling": sum(p.agreement["ceiling"] for p in s.partners),
           "orders": s.total("orders"), "budget": sum(b.ceiling for b in s.budget_lines),
           "realised": sum(b.realised for b in s.budget_lines)},
        "partners": [partner_view(p) for p in s.partners],
        "budget_lines": [{"code": b.code, "name": b.name, "ceiling": b.ceiling, "committed": b.committed,
                          "payable": b.payable, "realised": b.realised, "remaining": b.remaining}
                         for b in s.budget_lines],
        "monthly": [{"month": key, "paid": amount} for key, amount in s.monthly],
        "changes": [{**payment_view(c), "media_name": names[c.company_id]} for c in s.changes],
        "files": {name: f"/api/v1/public/spending/{s.year}/files/{name}" for name in FILES},
    }


@routes.route("/api/v1/public/spending", "GET", PUBLIC)
def years(call: Call):
    service = get_services().transparency
    return _json(call, {"years": service.years(), "current": service.current_year()})


@routes.route("/api/v1/public/spending/{year}", "GET", PUBLIC)
def spending(call: Call, year: str):
    return _json(call, year_view(get_services().transparency.spending(year_param(year))))


@routes.route("/api/v1/public/spending/{year}/partners/{company_id}", "GET", PUBLIC)
def partner(call: Call, year: str, company_id: str):
    found = get_services().transparency.spending(year_param(year)).partner(company_id)
    return _json(call, {"year": int(year), "partner": partner_view(found, with_payments=True)})


@routes.route("/api/v1/public/spending/{year}/files/{name}", "GET", PUBLIC)
def open_data(call: Call, year: str, name: str):
    if name not in FILES:
        raise validation_failed([FieldError("name", "unknown_file", f"Berkas yang tersedia: {', '.join(FILES)}.")])
    services = get_services()
    figures = services.transparency.spending(year_param(year))
    filename = f"belanja-media-{figures.year}-{name}"
    if name == "ocds.json":
        return _json(call, ocds_package(services.publisher, figures, services.settings.site_url), filename)
    if name == "belanja.xlsx":
        # The API never streams binary files: the workbook is kept and handed out by a five-minute link; the
        # redirect may be cached for two of those minutes, so a cached one still leads to a live link.
        link = services.exports.shared_link(filename.removesuffix(".xlsx"), tables(figures))
        return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "public, max-age=120"})
    table = partners_table(figures) if name == "mitra.csv" else budget_table(figures)
    return _cached(call, csv_text(table), CONTENT_TYPES["csv"], filename)
