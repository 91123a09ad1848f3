"""The transactional outbox on the real local servers: mail is queued with its cause, then delivered at least once.

What a partner relies on: every decision that concerns it reaches it by
email even if the process dies between the decision and the send; a
temporary failure is retried later (with growing waits), a lasting one
ends FAILED where staff see it and can send it again; addresses that bounce
are not written to again.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from chalicelib.domain.clock import utc_now
from chalicelib.domain.outbox import MailStatus, OutboxMessage
from tests.integration.test_orders_flow import order_body


def issue(ready) -> dict:
    response = ready["staff"].post("/api/v1/orders", order_body(ready["company_id"], ready["product"]))
    assert response.status == 201, response
    return response.json["order"]


def partner_email(ready) -> str:
    return ready["data"]["account"]["email"]


def mail_about(services, order_id: str) -> list[OutboxMessage]:
    return services.mail.about("ORDER", order_id)


def test_the_mail_is_in_the_table_with_the_order_before_anything_is_sent(ready, outbox, tmp_path):
    services = ready["services"]
    order = issue(ready)
    # Queued by the order's own transaction: there before any worker ran, nothing written to the folder yet.
    (queued,) = mail_about(services, order["id"])
    assert (queued.status, queued.mail.to, queued.mail.kind) == (MailStatus.QUEUED, partner_email(ready), "order.issued")
    assert not list((tmp_path / "outbox").glob(f"{queued.id}.eml"))

    (sent,) = [m for m in outbox() if order["number"] in m["Subject"]]
    assert sent["Message-ID"] == f"<{queued.id.lower()}@seklik.invalid>"  # the item's id: a repeat is the same mail
    (delivered,) = mail_about(services, order["id"])
    assert (delivered.status, delivered.attempts, delivered.provider_id) == (MailStatus.SENT, 1, f"{queued.id}.eml")
    assert services.mail.deliver_due().sent == 0  # sent once, not again


def test_a_refused_decision_queues_no_mail(ready, outbox):
    services, staff = ready["services"], ready["staff"]
    order = issue(ready)
    outbox()
    cancel = {"reason": "Materi diganti", "version": order["version"]}
    assert staff.post(f"/api/v1/orders/{order['id']}/cancel", cancel).status == 200
    again = staff.post(f"/api/v1/orders/{order['id']}/cancel", cancel)
    assert again.status == 409
    kinds = [m.mail.kind for m in mail_about(services, order["id"])]
    assert kinds == ["order.issued", "order.cancelled"]  # one cancellation, one mail


def test_a_temporary_failure_is_retried_with_growing_waits_then_failed_and_sent_again_by_staff(
        ready, outbox, tmp_path, monkeypatch):
    from chalicelib import wiring

    services = ready["services"]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the mail folder should be")
    monkeypatch.setenv("SEKLIK_MAIL_OUTBOX", str(blocked))
    wiring.get_settings.cache_clear()
    wiring.get_mail_worker.cache_clear()
    worker = wiring.get_mail_worker()

    order = issue(ready)
    (message,) = mail_about(services, order["id"])
    at = utc_now()
    waits = []
    for attempt in range(1, worker.policy.max_attempts + 1):
        report = worker.deliver_due(now=at)
        assert report.sent == 0 and (report.retried, report.failed) == ((1, 0) if attempt < 6 else (0, 1)), attempt
        current = services.stores.outbox.get(message.id)
        assert current.attempts == attempt and "cannot write" in current.last_error
        if current.status == MailStatus.QUEUED:
            waits.append(current.next_attempt_at - at)
            assert worker.deliver_due(now=at + waits[-1] - timedelta(seconds=1)).retried == 0  # not before its time
            at += waits[-1]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert services.stores.outbox.get(message.id).status == MailStatus.FAILED

    # Staff see it in the delivery log; a partner does not.
    admin = ready["admin"]
    listed = admin.get("/api/v1/outbox?status=FAILED")
    assert listed.status == 200
    (view,) = [m for m in listed.json["messages"] if m["id"] == message.id]
    assert (view["to"], view["attempts"], view["about"]) == (partner_email(ready), 6, {"entity": "ORDER",
                                                                                      "id": order["id"]})
    assert "text" not in view
    assert ready["partner"].get("/api/v1/outbox?status=FAILED").status == 403
    lost = admin.get("/api/v1/outbox?status=LOST")
    assert lost.error_code == "VALIDATION_FAILED"
    assert [(d["field"], d["code"]) for d in lost.json["error"]["details"]] == [("status", "invalid_choice")]
    assert admin.post(f"/api/v1/outbox/{message.id}/resend", {"version": view["version"] + 1}).error_code == \
        "STALE_VERSION"

    # The folder is fixed; staff send it again, and it goes out under the same Message-ID.
    monkeypatch.setenv("SEKLIK_MAIL_OUTBOX", str(tmp_path / "outbox"))
    wiring.reset()
    resent = admin.post(f"/api/v1/outbox/{message.id}/resend", {"version": view["version"]})
    assert resent.status == 200, resent
    assert (resent.json["message"]["status"], resent.json["message"]["attempts"]) == ("QUEUED", 0)
    again = admin.post(f"/api/v1/outbox/{message.id}/resend", {"version": resent.json["message"]["version"]})
    assert again.status == 409 and again.error_code == "MAIL_STATE"
    (sent,) = [m for m in outbox() if order["number"] in m["Subject"]]
    assert sent["Message-ID"] == f"<{message.id.lower()}@seklik.invalid>"
    resend_note, last = [what for _, what in services.stores.outbox.get(message.id).history][-2:]
    assert resend_note.startswith("resend by ") and last == "sent"


def test_a_worker_that_dies_after_claiming_leaves_the_mail_to_the_next_one_once_its_lease_ends(ready, outbox,
                                                                                              tmp_path):
    services = ready["services"]
    worker = services.mail
    order = issue(ready)
    (message,) = mail_about(services, order["id"])
    now = utc_now()
    # A worker claims it and dies before sending (or after sending, before recording it).
    assert services.stores.outbox.save(message.claimed(now, worker.policy), message.version)
    assert worker.deliver_due(now=now).sent == 0  # leased: nobody else sends it meanwhile
    assert worker.deliver_due(now=now + worker.policy.lease + timedelta(seconds=1)).sent == 1
    assert [p.name for p in (tmp_path / "outbox").glob(f"{message.id}*")] == [f"{message.id}.eml"]
    assert services.stores.outbox.get(message.id).attempts == 2


def test_two_workers_at_once_send_each_message_once(ready, outbox, tmp_path):
    import threading

    services = ready["services"]
    orders = [issue(ready) for _ in range(3)]
    reports = []
    start = threading.Barrier(2)

    def run():
        start.wait()
        reports.append(services.mail.deliver_due())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 3
    for order in orders:
        (message,) = mail_about(services, order["id"])
        assert (message.status, message.attempts) == (MailStatus.SENT, 1)


def test_mail_to_a_bouncing_address_is_kept_back_until_staff_lift_the_mark(ready, outbox, tmp_path):
    from seklik.cli import main

    services = ready["services"]
    marked = CliRunner().invoke(main, ["mail", "bounce", partner_email(ready)],
                                catch_exceptions=False)
    assert marked.exit_code == 0 and "marked as bouncing" in marked.output
    typo = CliRunner().invoke(main, ["mail", "bounce", "mitra.example.co.id"], catch_exceptions=False)
    assert typo.exit_code != 0 and "Alamat email tidak valid" in typo.output
    order = issue(ready)
    report = services.mail.deliver_due()
    assert (report.sent, report.suppressed) == (0, 1)
    (message,) = mail_about(services, order["id"])
    assert message.status == MailStatus.SUPPRESSED and not [m for m in outbox() if order["number"] in m["Subject"]]

    # Sent again without lifting the mark: still kept back.
    admin = ready["admin"]
    assert admin.post(f"/api/v1/outbox/{message.id}/resend", {"version": message.version}).status == 200
    assert services.mail.deliver_due().suppressed == 1
    message = services.stores.outbox.get(message.id)
    lifted = admin.post(f"/api/v1/outbox/{message.id}/resend", {"version": message.version, "lift_suppression": True})
    assert lifted.status == 200
    assert [m for m in outbox() if order["number"] in m["Subject"]]


def test_an_ses_bounce_report_marks_the_address_and_the_message(ready, outbox, chalice_app):
    """What SES publishes to the topic (an event destination's Bounce), through the SNS handler."""
    from chalice.test import Client

    services = ready["services"]
    order = issue(ready)
    outbox()
    (message,) = mail_about(services, order["id"])
    report = {"eventType": "Bounce",
              "bounce": {"bounceType": "Permanent", "bounceSubType": "NoEmail",
                         "bouncedRecipients": [{"emailAddress": partner_email(ready).upper()}]},
              "mail": {"messageId": message.provider_id, "destination": [partner_email(ready)]}}
    transient = {**report, "bounce": {**report["bounce"], "bounceType": "Transient"}}
    with Client(chalice_app) as client:
        ignored = client.lambda_.invoke("mail_events", client.events.generate_sns_event(json.dumps(transient)))
        assert ignored.payload == {"done": "transient bounce ignored"}
        assert services.stores.outbox.get(message.id).status == MailStatus.SENT
        done = client.lambda_.invoke("mail_events", client.events.generate_sns_event(json.dumps(report)))
    assert done.payload["done"].startswith("bounce: NoEmail")
    bounced = services.stores.outbox.get(message.id)
    assert bounced.status == MailStatus.BOUNCED and bounced.last_error == "bounce: NoEmail"
    assert services.stores.outbox.suppression(partner_email(ready)) == "bounce: NoEmail"
    assert [m["id"] for m in ready["admin"].get("/api/v1/outbox?status=BOUNCED").json["messages"]] == [message.id]


def test_the_scheduled_mail_lambda_and_seklik_jobs_send_deliver_the_queue(ready, outbox, chalice_app, tmp_path):
    from chalice.test import Client

    from seklik.cli import main

    first, second = issue(ready), issue(ready)
    with Client(chalice_app) as client:
        event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
        response = client.lambda_.invoke("send_mail", event)
    assert response.payload == {"sent": 2, "retried": 0, "failed": 0, "suppressed": 0, "skipped": 0}
    assert {m["Subject"] for m in outbox()} >= {f"Pesanan media baru {first['number']}",
                                                f"Pesanan media baru {second['number']}"}
    issue(ready)
    result = CliRunner().invoke(main, ["jobs", "send"], catch_exceptions=False)
    assert result.exit_code == 0 and "sent 1" in result.output
    assert len(list(Path(tmp_path / "outbox").glob("*.eml"))) == len(outbox())
