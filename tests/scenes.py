"""Scenes shared by the integration and browser tests: the order cycle built once, copied into each table.

Loaded by ``tests/conftest.py`` as a pytest plugin."""

from __future__ import annotations

import os

import boto3
import pytest

from tests.cooperation import (
    YEAR,
    Snapshot,
    active_agreement,
    agree,
    budget_line,
    client,
    clone,
    product,
    slots_due,
    verified_partner,
)

PRICE = 1_850_000  # an advertorial of the research file's case A

ROLES = (("admin", "admin", "Ahmad Admin"), ("verifier", "verifier", "Vera Verifikator"),
         ("staff", "orders", "Oki Order"), ("finance", "finance", "Fina Keuangan"))


@pytest.fixture(scope="session")
def cast_scene(stack, chalice_app, tmp_path_factory):
    """Staff of each role, one verified partner and a product, built once through the API (see Snapshot)."""
    from chalicelib import wiring
    from seklik.provision import ensure_table

    name = f"cast-{os.getpid()}"
    saved = {k: os.environ[k] for k in ("SEKLIK_TABLE", "SEKLIK_MAIL_OUTBOX")}
    ensure_table(name)
    os.environ.update(SEKLIK_TABLE=name, SEKLIK_MAIL_OUTBOX=str(tmp_path_factory.mktemp("cast-outbox")))
    wiring.reset()
    try:
        accounts = wiring.get_services().accounts
        clients = {}
        for key, role, person in ROLES:
            user, _ = accounts.create_user(f"cast-{key}@example.go.id", person, [role], password="kata-sandi-pemeran")
            clients[key] = client(chalice_app)
            assert clients[key].login(user.email, "kata-sandi-pemeran").status == 200
            clients[key].user = user
        partner, company_id, data = verified_partner(chalice_app, clients["verifier"])
        code = product(clients["admin"])
        wiring.get_mail_worker().deliver_due()  # the scene's own mail is sent, not copied into every test
        snapshot = Snapshot.of(name)
    finally:
        boto3.client("dynamodb").delete_table(TableName=name)
        os.environ.update(saved)
        wiring.reset()
    return {**clients, "partner": partner, "company_id": company_id, "data": data, "product": code}, snapshot


@pytest.fixture
def cast(cast_scene, chalice_app, make_user, published, services, table_name):
    """Staff of each role, one verified partner, and a product (SSH Rp2.000.000 per article for YEAR)."""
    scene, snapshot = cast_scene
    snapshot.restore(table_name)
    people = {key: clone(chalice_app, scene[key]) for key in ("admin", "verifier", "staff", "finance", "partner")}
    return {**people, "company_id": scene["company_id"], "data": scene["data"], "product": scene["product"],
            "table": table_name, "services": services, "chalice_app": chalice_app, "make_user": make_user}


@pytest.fixture
def ready(cast):
    """The cast with an agreed rate (Rp1.000.000), an active agreement (Rp10.000.000) and a budget line
    (Rp20.000.000)."""
    agree(cast["partner"], cast["staff"], cast["company_id"], cast["product"], 1_000_000)
    cast["agreement"] = active_agreement(cast["staff"], cast["company_id"], ceiling=10_000_000)
    budget_line(cast["finance"], ceiling=20_000_000)
    return cast


@pytest.fixture
def billable(cast):
    """The cast with an agreed rate of Rp1.850.000, a PKS of Rp20.000.000, a pagu of Rp50.000.000, and three
    completed one-slot orders."""
    agree(cast["partner"], cast["staff"], cast["company_id"], cast["product"], PRICE)
    cast["agreement"] = active_agreement(cast["staff"], cast["company_id"], ceiling=20_000_000)
    budget_line(cast["finance"], ceiling=50_000_000)
    cast["orders"] = [complete(cast, day) for day in ("03-02", "03-09", "03-16")]
    return cast


def complete(cast, day: str) -> dict:
    from tests.integration.test_orders_flow import order_body

    staff, partner, verifier = cast["staff"], cast["partner"], cast["verifier"]
    order = staff.post("/api/v1/orders", order_body(cast["company_id"], cast["product"], dates=[f"{YEAR}-{day}"]))
    assert order.status == 201, order
    order = partner.post(f"/api/v1/orders/{order.json['order']['id']}/accept",
                         {"version": order.json["order"]["version"]}).json["order"]
    with slots_due():
        order = partner.post(f"/api/v1/orders/{order['id']}/proofs/0",
                             {"urls": ["https://ogannews.example.co.id/berita/1"],
                              "version": order["version"]}).json["order"]
        done = verifier.post(f"/api/v1/orders/{order['id']}/proofs/0/review",
                             {"decision": "accepted", "version": order["version"]})
    assert done.json["order"]["status"] == "COMPLETED", done
    return done.json["order"]


@pytest.fixture
def slots_come(services):
    """For a test that proves slots: the order desk on 31 December of YEAR, when the scenes' slots have come.
    Put it after the scene fixtures, which point the app at the test's table and build its services anew."""
    with slots_due():
        yield


SECOND_PRICE = 1_110_000  # two of them are Rp2.220.000 = DPP Rp2.000.000 + PPN Rp220.000


@pytest.fixture
def spending_year(billable):
    """Two partners' year: the first paid for its three orders (Rp5.550.000 gross); the second (its own rate
    and a PKS of Rp15.000.000) with two completed orders billed and approved but not paid, and one order
    issued and not yet accepted."""
    from tests.integration.test_invoices_flow import invoice_body, pay

    scene = billable
    partner, company_id, data = verified_partner(scene["chalice_app"], scene["verifier"], n=77)
    agree(partner, scene["staff"], company_id, scene["product"], SECOND_PRICE)
    agreement = active_agreement(scene["staff"], company_id, ceiling=15_000_000)
    second = {**scene, "partner": partner, "company_id": company_id, "data": data, "agreement": agreement}
    second["orders"] = [complete(second, day) for day in ("04-06", "04-13")]
    from tests.integration.test_orders_flow import order_body

    issued = scene["staff"].post("/api/v1/orders", order_body(company_id, scene["product"], dates=[f"{YEAR}-05-04"]))
    assert issued.status == 201, issued
    invoice = partner.post("/api/v1/invoices", invoice_body(
        second, partner_invoice_number="INV/OGN77/2027/003",
        faktur={"number": "04002500000000777", "tax_base": 2_000_000, "vat": 220_000})).json["invoice"]
    approved = scene["finance"].post(f"/api/v1/invoices/{invoice['id']}/approve", {"version": invoice["version"]})
    assert approved.status == 200, approved
    scene["paid_invoice"] = pay(scene)
    scene["second"] = second
    return scene
