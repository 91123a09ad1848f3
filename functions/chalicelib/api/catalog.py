"""/api/v1/catalog, /api/v1/budgets and /api/v1/fiscal-years: products with their SSH ceilings, budget lines,
and the fiscal year pages open on."""

from __future__ import annotations

from ..domain.accounts import Role
from ..domain.catalog import Product
from ..domain.orders import BudgetLine
from ..services.fiscal_years import FiscalYears
from ..wiring import get_services
from .http import SIGNED_IN, Call, Routes, json_response, year_param
from .models import ChangeBudgetCeilingRequest, CreateBudgetLineRequest, CreateProductRequest, SetSshRequest

routes = Routes(__name__)
ADMIN = frozenset({Role.ADMIN})
FINANCE = frozenset({Role.FINANCE})
BUDGET_READERS = frozenset({Role.FINANCE, Role.ORDERS, Role.ADMIN})


def product_view(p: Product) -> dict:
    return {"code": p.code, "name": p.name, "unit": p.unit, "media_types": sorted(m.value for m in p.media_types),
            "ssh": {str(year): amount for year, amount in sorted(p.ssh.items())}, "version": p.version}


def budget_line_view(line: BudgetLine) -> dict:
    return {"year": line.year, "code": line.code, "name": line.name, "ceiling": line.ceiling,
            "reserved": line.reserved, "committed": line.committed, "payable": line.payable,
            "realised": line.realised, "remaining": line.remaining, "version": line.version}


@routes.route("/api/v1/catalog/products", "GET", SIGNED_IN)
def list_products(call: Call):
    return json_response({"products": [product_view(p) for p in get_services().catalog.products()]})


@routes.route("/api/v1/catalog/products", "POST", ADMIN)
def create_product(call: Call):
    body = call.body(CreateProductRequest)
    product = get_services().catalog.create_product(call.user, body.code, body.name, body.unit, list(body.media_types))
    return json_response({"product": product_view(product)}, 201)


@routes.route("/api/v1/catalog/products/{code}/ssh", "POST", ADMIN)
def set_ssh(call: Call, code: str):
    body = call.body(SetSshRequest)
    product = get_services().catalog.set_ssh(call.user, code, body.year, body.ceiling, body.version)
    return json_response({"product": product_view(product)})


def fiscal_years_view(overview: FiscalYears) -> dict:
    return {"current": overview.current, "default": overview.default,
            "years": [{"year": y.year, "priced_products": y.priced_products, "agreements": y.agreements,
                       "budget_lines": y.budget_lines, "rate_card": y.rate_card} for y in overview.years]}


@routes.route("/api/v1/fiscal-years", "GET", SIGNED_IN)
def fiscal_years(call: Call):
    return json_response(fiscal_years_view(get_services().fiscal_years.overview(call.user)))


@routes.route("/api/v1/budgets/{year}", "GET", BUDGET_READERS)
def budget(call: Call, year: str):
    lines = get_services().budgets.lines(year_param(year))
    return json_response({"year": int(year), "lines": [budget_line_view(line) for line in lines]})


@routes.route("/api/v1/budgets/{year}/lines", "POST", FINANCE)
def create_budget_line(call: Call, year: str):
    body = call.body(CreateBudgetLineRequest)
    line = get_services().budgets.create_line(call.user, year_param(year), body.code, body.name, body.ceiling)
    return json_response({"line": budget_line_view(line)}, 201)


@routes.route("/api/v1/budgets/{year}/lines/{code}/ceiling", "POST", FINANCE)
def change_budget_ceiling(call: Call, year: str, code: str):
    body = call.body(ChangeBudgetCeilingRequest)
    line = get_services().budgets.change_ceiling(call.user, year_param(year), code, body.ceiling, body.version, body.reason)
    return json_response({"line": budget_line_view(line)})
