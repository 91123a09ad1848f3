"""/api/v1/taxes: what the treasurer still has to deposit, and the deposits (setoran) themselves."""

from __future__ import annotations

from datetime import date

from ..domain.accounts import Role
from ..domain.taxes import TaxDeposit, TaxKind
from ..wiring import get_services
from .http import REPORT_YEARS, Call, Routes, day_param, idempotency_key, json_response
from .models import TaxDepositRequest

routes = Routes(__name__)
FINANCE = frozenset({Role.FINANCE})
READERS = frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN})


def deposit_view(d: TaxDeposit) -> dict:
    return {"id": d.id, "kind": d.kind.value, "kind_label": d.kind.label, "masa": d.masa, "amount": d.amount,
            "invoices": [{"invoice_id": invoice_id, "amount": amount} for invoice_id, amount in d.lines],
            "billing_code": d.billing_code, "ntpn": d.ntpn, "deposited_on": d.deposited_on.isoformat(),
            "recorded_at": d.recorded_at.isoformat()}


@routes.route("/api/v1/taxes/outstanding", "GET", READERS)
def outstanding(call: Call):
    return json_response({"outstanding": [
        {"invoice_id": d.invoice.id, "partner_invoice_number": d.invoice.partner_invoice_number,
         "partner_name": d.invoice.partner_name, "sp2d_number": d.invoice.sp2d.number, "kind": d.kind.value,
         "kind_label": d.kind.label, "amount": d.amount, "masa": d.masa, "due_on": d.due_on.isoformat(),
         "overdue": d.overdue}
        for d in get_services().taxes.outstanding()]})


@routes.route("/api/v1/taxes/deposits", "POST", FINANCE)
def record_deposit(call: Call):
    body = call.body(TaxDepositRequest)
    deposit, replayed = get_services().taxes.deposit(call.user, TaxKind(body.kind), list(body.invoice_ids),
                                                     body.billing_code, body.ntpn, body.deposited_on,
                                                     idempotency_key(call), call.request.raw_body)
    return json_response({"deposit": deposit_view(deposit)}, 201, {"Idempotent-Replayed": "true"} if replayed else {})


@routes.route("/api/v1/taxes/deposits", "GET", READERS)
def list_deposits(call: Call):
    first = day_param(call, "from") or date(REPORT_YEARS[0], 1, 1)
    last = day_param(call, "to") or date(REPORT_YEARS[1], 12, 31)
    return json_response({"deposits": [deposit_view(d) for d in get_services().taxes.deposits_between(first, last)]})
