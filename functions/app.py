"""Seklik API (AWS Chalice). Creates the app, registers the blueprints and the jobs; nothing else.

Routes live in ``chalicelib/api/``, one blueprint per resource. Three more
functions: the daily expiry job (``VerificationService.run_expiry``), the mail
worker every minute (``MailWorker.deliver_due``), and the handler of SES's
bounce and complaint reports through SNS. See ARCHITECTURE.md for the layers
behind them.
"""

import json
import os
from dataclasses import asdict

from chalice import Chalice, Cron, Rate

from chalicelib.api import (auth, catalog, dashboard, distribution, health, invoices, media, negotiation, orders,
                            outbox, reports, subscriptions, taxes, transparency, users, verification)
from chalicelib.api.http import normalise_framework_errors
from chalicelib.logs import get_logger
from chalicelib.wiring import get_mail_worker, get_services, get_subscriptions

log = get_logger("seklik.jobs")

app = Chalice(app_name="seklik")
app.register_middleware(normalise_framework_errors, "http")

for module in (health, auth, users, dashboard, media, verification, catalog, negotiation, orders, invoices, taxes,
               reports, transparency, outbox, distribution, subscriptions):
    app.register_blueprint(module.routes.blueprint)


# 17:00 UTC = 00:00 WIB (UTC+7, no daylight saving): the day changes in Jakarta.
@app.schedule(Cron(0, 17, "*", "?", "*", "*"))
def daily_expiry(event):
    """Warn partners 30 days before their verification or a document expires; mark what has expired."""
    report = get_services().verification.run_expiry()
    # Counts only: no names, emails or company ids.
    log.info("expiry job finished", extra=asdict(report))
    return asdict(report)


# Each run stops starting new sends after this long, well inside the function's timeout (deploy.py),
# so the next minute's run never overlaps a long one by much; what is left waits a minute.
MAIL_RUN_SECONDS = 45
# The SNS topic SES reports bounces and complaints to; `seklik deploy package` names it per stage.
MAIL_EVENTS_TOPIC = os.environ.get("SEKLIK_MAIL_EVENTS_TOPIC", "seklik-mail-events")


@app.schedule(Rate(1, unit=Rate.MINUTES))
def send_mail(event):
    """Tell subscribers of newly published releases (queued as mail), then send the outbox's due mail
    (at least once; retries with backoff; FAILED after the last attempt)."""
    try:
        get_subscriptions().announce_due()
    except Exception:  # the mail already queued must still go out
        log.exception("announcing releases failed")
    report = get_mail_worker().deliver_due(seconds=MAIL_RUN_SECONDS)
    if any(asdict(report).values()):
        log.info("mail run finished", extra=asdict(report))  # counts only
    return asdict(report)


@app.on_sns_message(topic=MAIL_EVENTS_TOPIC)
def mail_events(event):
    """SES's bounce and complaint reports: the address is suppressed and the message marked BOUNCED."""
    try:
        notification = json.loads(event.message)
    except (TypeError, ValueError):
        log.warning("mail event is not JSON")
        return {"done": "ignored"}
    done = get_mail_worker().record_ses_notification(notification)
    log.info("mail event", extra={"done": done})
    return {"done": done}
