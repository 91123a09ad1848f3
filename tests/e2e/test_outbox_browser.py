"""Staff find mail that did not arrive on the console's "Surel keluar" page, and send it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_partner_browser import log_in
from tests.integration.test_orders_flow import order_body

pytestmark = pytest.mark.browser
CAST_PASSWORD = "kata-sandi-pemeran"


def test_a_failed_mail_is_listed_with_its_cause_and_sent_again_from_the_console(page, web, ready, outbox, tmp_path):
    from chalicelib.adapters.mail import FolderMailer
    from chalicelib.domain.outbox import RetryPolicy
    from chalicelib.services.mail import MailWorker

    services = ready["services"]
    order = ready["staff"].post("/api/v1/orders", order_body(ready["company_id"], ready["product"])).json["order"]
    # The mail folder is unwritable for one run of a worker that tries once: the mail ends FAILED.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    MailWorker(services.stores.outbox, FolderMailer(blocked), services.settings.mail_from,
               RetryPolicy(max_attempts=1)).deliver_due()

    log_in(page, web, "cast-admin@example.go.id", CAST_PASSWORD)
    page.goto(f"{web}/konsol/surel/")
    status = page.locator("[data-role=page-status]")
    expect(status).to_contain_text('1 surel berstatus "Gagal dikirim"')
    row = page.locator("[data-field=messages] tr").first
    expect(row).to_contain_text(f"Pesanan media baru {order['number']}")
    expect(row).to_contain_text(ready["data"]["account"]["email"])
    expect(row).to_contain_text("cannot write")
    row.get_by_role("button", name="Kirim ulang").click()
    expect(status).to_contain_text("masuk antrean lagi")
    assert [m for m in outbox() if m["Subject"] == f"Pesanan media baru {order['number']}"]

    page.get_by_label("Status").select_option("SENT")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("[data-field=messages]")).to_contain_text(f"Pesanan media baru {order['number']}")
