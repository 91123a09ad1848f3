from tests.cooperation import client
from tests.e2e.test_orders_browser import scene, ready_for_orders, issued_order  # noqa: F401
from tests.e2e.test_partner_browser import log_in
from tests.integration.test_registration_flow import register, upload_all


def test_shots(page, web, scene, chalice_app):
    for n in (21, 22, 23):
        partner = client(chalice_app)
        company_id, _ = register(partner, n)
        upload_all(partner, company_id)
        version = partner.get(f"/api/v1/media/{company_id}").json["company"]["version"]
        partner.post(f"/api/v1/media/{company_id}/submit", {"version": version})
    issued_order(scene)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, web, scene["verifier"]["email"], scene["verifier"]["password"])
    page.goto(f"{web}/konsol/verifikasi/")
    page.wait_for_timeout(1500)
    page.screenshot(path="/tmp/shots/queue.png", full_page=True)
    page.goto(f"{web}/cari/")
    page.wait_for_timeout(2500)
    page.screenshot(path="/tmp/shots/search.png", full_page=True)
    log_in(page, web, scene["orders"]["email"], scene["orders"]["password"])
    page.goto(f"{web}/konsol/pesanan/")
    page.wait_for_timeout(1500)
    page.screenshot(path="/tmp/shots/orders.png", full_page=True)
    log_in(page, web, scene["finance"]["email"], scene["finance"]["password"])
    page.goto(f"{web}/konsol/buku-besar/")
    page.wait_for_timeout(1500)
    page.screenshot(path="/tmp/shots/ledger.png", full_page=True)
