"""Seklik API (AWS Chalice). Creates the app, registers the blueprints and the daily job; nothing else.

Routes live in ``chalicelib/api/``, one blueprint per resource; the job's
work is ``VerificationService.run_expiry``. See ARCHITECTURE.md for the
layers behind them.
"""

from dataclasses import asdict

from chalice import Chalice, Cron

from chalicelib.api import (auth, catalog, health, invoices, media, negotiation, orders, reports, taxes, transparency,
                            users, verification)
from chalicelib.api.http import normalise_framework_errors
from chalicelib.logs import get_logger
from chalicelib.wiring import get_services

log = get_logger("seklik.jobs")

app = Chalice(app_name="seklik")
app.register_middleware(normalise_framework_errors, "http")

for module in (health, auth, users, media, verification, catalog, negotiation, orders, invoices, taxes, reports,
               transparency):
    app.register_blueprint(module.routes.blueprint)


# 17:00 UTC = 00:00 WIB (UTC+7, no daylight saving): the day changes in Jakarta.
@app.schedule(Cron(0, 17, "*", "?", "*", "*"))
def daily_expiry(event):
    """Warn partners 30 days before their verification or a document expires; mark what has expired."""
    report = get_services().verification.run_expiry()
    # Counts only: no names, emails or company ids.
    log.info("expiry job finished", extra=asdict(report))
    return asdict(report)
