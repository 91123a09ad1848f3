"""Who may call which catalogue, budget, negotiation, agreement, order and ledger route, route by route.

Anyone not signed in gets 401; a signed-in caller without the route's role
gets 403 (a partner on staff routes, order staff on the partner's answers and
proofs, a verifier or finance issuing orders …); a partner reaching for
another partner's offer, agreement or order gets 403 or 404, learns nothing
and changes nothing; a signed-in write without its CSRF token gets 403
CSRF_FAILED. "Changes nothing" is checked by scanning the table (and listing
the scene's objects in the bucket) before and after. The route lists are
checked against the routes the app declares, so a new route cannot be left out.

The scene (staff of every role, two verified partners with agreements, open
negotiation lines and orders in several states) is built once for the module
on its own table: every request below is one that must be refused, so the
scene stays as it was; the last test shows the owner can do what the
intruders could not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import boto3
import pytest

from tests import samples
from tests.conftest import ApiClient, all_items, count_items
from tests.cooperation import (
    BUDGET_CODE, YEAR, active_agreement, agree, budget_line, client, product, slots_due, verified_partner,
)
from tests.integration.test_orders_flow import SEED, order_body

UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"
ROLES = ("media", "verifier", "orders", "finance", "editor", "admin", "auditor")
READERS = {"media", "verifier", "orders", "finance", "admin"}

# (method, path) → the roles that may call it. Placeholders: {company} {year} {code} {line} {agreement}
# {upload} {order} {slot} {index}.
ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/catalog/products"): set(ROLES),
    ("POST", "/api/v1/catalog/products"): {"admin"},
    ("POST", "/api/v1/catalog/products/{code}/ssh"): {"admin"},
    ("GET", "/api/v1/fiscal-years"): set(ROLES),
    ("GET", "/api/v1/dashboard"): set(ROLES),
    ("GET", "/api/v1/budgets/{year}"): {"finance", "orders", "admin"},
    ("POST", "/api/v1/budgets/{year}/lines"): {"finance"},
    ("POST", "/api/v1/budgets/{year}/lines/{line}/ceiling"): {"finance"},
    ("GET", "/api/v1/offers/{company}/{year}"): READERS,
    ("POST", "/api/v1/offers/{company}/{year}/propose"): {"media"},
    ("POST", "/api/v1/offers/{company}/{year}/counter"): {"orders"},
    ("POST", "/api/v1/offers/{company}/{year}/accept"): {"media", "orders"},
    ("POST", "/api/v1/agreements"): {"orders"},
    ("GET", "/api/v1/media/{company}/agreements"): READERS,
    ("GET", "/api/v1/agreements/{agreement}"): READERS,
    ("POST", "/api/v1/agreements/{agreement}/document/uploads"): {"orders"},
    ("POST", "/api/v1/agreements/{agreement}/document/uploads/{upload}/confirm"): {"orders"},
    ("GET", "/api/v1/agreements/{agreement}/document"): READERS,
    ("POST", "/api/v1/agreements/{agreement}/activate"): {"orders"},
    ("POST", "/api/v1/agreements/{agreement}/close"): {"orders"},
    ("POST", "/api/v1/orders"): {"orders"},
    ("POST", "/api/v1/orders/bulk"): {"orders"},
    ("GET", "/api/v1/orders"): READERS,
    ("GET", "/api/v1/orders/{order}"): READERS,
    ("GET", "/api/v1/orders/{order}/letter"): READERS,
    ("POST", "/api/v1/orders/{order}/accept"): {"media"},
    ("POST", "/api/v1/orders/{order}/decline"): {"media"},
    ("POST", "/api/v1/orders/{order}/cancel"): {"orders"},
    ("POST", "/api/v1/orders/{order}/proofs/uploads"): {"media"},
    ("POST", "/api/v1/orders/{order}/proofs/{slot}"): {"media"},
    ("POST", "/api/v1/orders/{order}/proofs/{slot}/review"): {"verifier"},
    ("GET", "/api/v1/orders/{order}/proofs/{slot}/files/{index}"): READERS,
    ("GET", "/api/v1/ledger"): {"finance", "orders", "auditor", "admin"},
    ("GET", "/api/v1/ledger/journal"): {"finance", "orders", "auditor", "admin"},
}
ROUTES = list(ACCESS)
WRITES = [r for r in ROUTES if r[0] != "GET"]
# Routes a partner may call that name another partner's offer, agreement or order.
PARTNER_REACHABLE = [r for r in ROUTES if "media" in ACCESS[r] and "{" in r[1] and "{code}" not in r[1]]
NOT_LET_IN = ("NOT_AUTHENTICATED", "FORBIDDEN", "CSRF_FAILED")
PREFIXES = ("/api/v1/catalog", "/api/v1/fiscal-years", "/api/v1/dashboard", "/api/v1/budgets", "/api/v1/offers",
            "/api/v1/agreements", "/api/v1/orders", "/api/v1/ledger")


def route_id(route) -> str:
    return f"{route[0]} {route[1]}"


def declared_path(path: str) -> str:
    """Our placeholders → the names the app declares its routes with."""
    for ours, theirs in (("{company}", "{company_id}"), ("{agreement}", "{agreement_id}"), ("{upload}", "{upload_id}"),
                         ("{order}", "{order_id}"), ("{line}", "{code}")):
        path = path.replace(ours, theirs)
    return path


def test_the_lists_cover_every_order_cycle_route_with_its_roles(chalice_app):
    from chalicelib.api.http import PUBLIC, Routes

    declared = {(path, method): allowed for (path, method), allowed in Routes.declared.items()
                if path.startswith(PREFIXES) or path == "/api/v1/media/{company_id}/agreements"}
    assert PUBLIC not in declared.values(), "no route of the order cycle is public"
    listed = {(declared_path(path), method): roles for (method, path), roles in ACCESS.items()}
    assert set(listed) == set(declared)
    assert {route: {r.value for r in roles} for route, roles in declared.items()} == listed


# -- the scene ----------------------------------------------------------------------------------

@dataclass
class Scene:
    env: dict
    table: str
    bucket: str
    clients: dict[str, ApiClient]
    victim: ApiClient
    victim_id: str
    victim_data: dict
    intruder: ApiClient
    intruder_id: str
    nobody: ApiClient  # a partner account without any company
    agreement: dict
    issued: dict  # ISSUED, for the partner to accept
    to_decline: dict  # ISSUED, for the partner to decline
    accepted: dict  # ACCEPTED: slot 0 proven with a file (SUBMITTED), slot 1 still PENDING
    pending_upload: str  # the victim's proof upload for `accepted`, stored in S3, not yet used
    own_order: dict  # the intruder's own ACCEPTED order
    codes: dict  # agreed / proposed / countered product codes on the victim's rate card
    offer_version: int
    product_version: int
    budget_version: int
    secrets: list[str] = field(default_factory=list)  # what a refusal must never reveal


@pytest.fixture(scope="module")
def scene(stack, site_dir, chalice_app, tmp_path_factory):
    from chalicelib import wiring
    from seklik.provision import ensure_table

    name = f"test-{os.getpid()}-orders-authorisation"
    ensure_table(name)
    env = {"SEKLIK_TABLE": name, "SEKLIK_MAIL_OUTBOX": str(tmp_path_factory.mktemp("outbox")),
           "SEKLIK_RELEASES_URL": (site_dir / "releases.json").as_uri()}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    wiring.reset()
    try:
        with slots_due():  # the proofs here are about who may, not when
            yield build_scene(chalice_app, env, name)
    finally:
        boto3.client("dynamodb").delete_table(TableName=name)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        wiring.reset()


@pytest.fixture(autouse=True)
def _on_the_scene(request):
    """Point the app at the scene's table for every test of this module (other modules move it)."""
    if "scene" not in request.fixturenames:
        yield
        return
    from chalicelib import wiring

    scene = request.getfixturevalue("scene")
    if any(os.environ.get(k) != v for k, v in scene.env.items()):
        os.environ.update(scene.env)
        wiring.reset()
    yield


def build_scene(chalice_app, env: dict, table: str) -> Scene:
    from chalicelib.wiring import get_services

    services = get_services()
    numbers = iter(range(1, 100))

    def make_user(roles, name="Staf"):
        password = "kata-sandi-yang-panjang"
        user, _ = services.accounts.create_user(f"auth{next(numbers)}@example.go.id", name, list(roles),
                                                password=password)
        return user, password

    clients = {role: client(chalice_app, make_user, (role,), f"Staf {role}") for role in ROLES if role != "media"}
    staff, verifier, finance, admin = clients["orders"], clients["verifier"], clients["finance"], clients["admin"]
    victim, victim_id, victim_data = verified_partner(chalice_app, verifier)
    intruder, intruder_id, _ = verified_partner(chalice_app, verifier)
    clients["media"] = victim  # the partner role, asked on its own company: refusals are about the role
    nobody = client(chalice_app, make_user, ("media",), "Mitra Tanpa Perusahaan")

    agreed, proposed, countered = product(admin), product(admin, "banner-online"), product(admin, "video-online")
    agree(victim, staff, victim_id, agreed, 1_000_000)
    agree(intruder, staff, intruder_id, agreed, 1_000_000)
    agreement = active_agreement(staff, victim_id, ceiling=20_000_000)
    active_agreement(staff, intruder_id, ceiling=20_000_000)
    budget_line(finance, ceiling=50_000_000)

    version = victim.get(f"/api/v1/offers/{victim_id}/{YEAR}").json["version"]
    opened = victim.post(f"/api/v1/offers/{victim_id}/{YEAR}/propose",
                         {"lines": {proposed: 900_000, countered: 1_300_000}, "message": "Tarif kami",
                          "version": version})
    assert opened.status == 200, opened
    countered_card = staff.post(f"/api/v1/offers/{victim_id}/{YEAR}/counter",
                                {"lines": {countered: 1_100_000}, "version": opened.json["version"]})
    assert countered_card.status == 200, countered_card

    def issue(company_id):
        issued = staff.post("/api/v1/orders", order_body(company_id, agreed))
        assert issued.status == 201, issued
        return issued.json["order"]

    issued, to_decline, accepted, own_order = issue(victim_id), issue(victim_id), issue(victim_id), issue(intruder_id)
    accepted = victim.post(f"/api/v1/orders/{accepted['id']}/accept", {"version": accepted["version"]}).json["order"]
    grant = upload_proof(victim, accepted["id"])
    proven = victim.post(f"/api/v1/orders/{accepted['id']}/proofs/0",
                         {"urls": ["https://ogannews.example.co.id/berita/1"], "upload_ids": [grant],
                          "version": accepted["version"]})
    assert proven.status == 200, proven
    accepted = proven.json["order"]
    pending_upload = upload_proof(victim, accepted["id"])
    own_order = intruder.post(f"/api/v1/orders/{own_order['id']}/accept",
                              {"version": own_order["version"]}).json["order"]

    return Scene(
        env=env, table=table, bucket=services.settings.documents_bucket, clients=clients, victim=victim,
        victim_id=victim_id, victim_data=victim_data, intruder=intruder, intruder_id=intruder_id, nobody=nobody,
        agreement=agreement, issued=issued, to_decline=to_decline, accepted=accepted, pending_upload=pending_upload,
        own_order=own_order, codes={"agreed": agreed, "proposed": proposed, "countered": countered},
        offer_version=countered_card.json["version"],
        product_version=next(p["version"] for p in admin.get("/api/v1/catalog/products").json["products"]
                             if p["code"] == agreed),
        budget_version=finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]["version"],
        secrets=[victim_data["profile"]["media_name"], victim_data["profile"]["npwp"], agreement["number"],
                 issued["number"], accepted["number"], "ogannews.example.co.id/berita/1"],
    )


def upload_proof(partner: ApiClient, order_id: str) -> str:
    grant = partner.post(f"/api/v1/orders/{order_id}/proofs/uploads",
                         {"filename": "tayang.png", "content_type": "image/png", "size": len(samples.png())})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, samples.png(), "tayang.png", "image/png").status_code in (200, 204)
    return grant.json["upload_id"]


def fill(method: str, path: str, scene: Scene, company_id: str | None = None) -> str:
    order = scene.accepted
    if path.endswith(("/accept", "/cancel")) and "/orders/" in path:
        order = scene.issued
    elif path.endswith("/decline"):
        order = scene.to_decline
    slot = "0" if path.endswith(("/review", "/files/{index}")) else "1"
    return (path.replace("{company}", company_id or scene.victim_id).replace("{year}", str(YEAR))
            .replace("{code}", scene.codes["agreed"]).replace("{line}", BUDGET_CODE)
            .replace("{agreement}", scene.agreement["id"]).replace("{upload}", UNKNOWN_ID)
            .replace("{order}", order["id"]).replace("{slot}", slot).replace("{index}", "0"))


def body_for(method: str, path: str, scene: Scene, caller: str = "media"):
    """A body that would succeed if the caller were allowed: refusals must come from the access rules.
    (Where a partner may call the route, the last test shows the owner succeeding with it.)"""
    if method == "GET" or path.endswith("/confirm"):
        return None
    codes = scene.codes
    bodies = {
        "/api/v1/catalog/products": {"code": "iklan-baru", "name": "Iklan baru", "unit": "per tayang",
                                     "media_types": ["siber"]},
        "/api/v1/catalog/products/{code}/ssh": {"year": YEAR, "ceiling": 3_000_000, "version": scene.product_version},
        "/api/v1/budgets/{year}/lines": {"code": "5.1.02.02.01.0099", "name": "Belanja lain", "ceiling": 1_000_000},
        "/api/v1/budgets/{year}/lines/{line}/ceiling": {"ceiling": 60_000_000, "version": scene.budget_version,
                                                        "reason": "Perubahan anggaran"},
        "/api/v1/offers/{company}/{year}/propose": {"lines": {codes["proposed"]: 950_000}, "message": "Turun sedikit",
                                                    "version": scene.offer_version},
        "/api/v1/offers/{company}/{year}/counter": {"lines": {codes["proposed"]: 800_000},
                                                    "version": scene.offer_version},
        # The partner accepts staff's counter; staff accept the partner's proposal.
        "/api/v1/offers/{company}/{year}/accept": {"products": [codes["countered"] if caller == "media"
                                                                else codes["proposed"]],
                                                   "version": scene.offer_version},
        "/api/v1/agreements": {"company_id": scene.victim_id, "year": YEAR + 1, "number": f"PKS/BARU/{YEAR + 1}",
                               "starts_on": f"{YEAR + 1}-01-01", "ends_on": f"{YEAR + 1}-12-31", "ceiling": 1_000_000},
        "/api/v1/agreements/{agreement}/document/uploads": {"filename": "pks.pdf", "content_type": "application/pdf",
                                                            "size": len(samples.PDF)},
        "/api/v1/agreements/{agreement}/activate": {"version": scene.agreement["version"]},
        "/api/v1/agreements/{agreement}/close": {"version": scene.agreement["version"], "reason": "Anggaran habis"},
        "/api/v1/orders": order_body(scene.victim_id, codes["agreed"]),
        "/api/v1/orders/bulk": {"company_ids": [scene.victim_id], "product_code": codes["agreed"],
                                "budget_line": BUDGET_CODE, "release_slug": SEED,
                                "slots": {"dates": [f"{YEAR}-04-01"]}},
        "/api/v1/orders/{order}/accept": {"version": scene.issued["version"]},
        "/api/v1/orders/{order}/decline": {"version": scene.to_decline["version"], "reason": "Redaksi penuh"},
        "/api/v1/orders/{order}/cancel": {"version": scene.issued["version"], "reason": "Jadwal berubah"},
        "/api/v1/orders/{order}/proofs/uploads": {"filename": "bukti.png", "content_type": "image/png",
                                                  "size": len(samples.png())},
        "/api/v1/orders/{order}/proofs/{slot}": {"urls": ["https://ogannews.example.co.id/berita/2"],
                                                 "upload_ids": [scene.pending_upload],
                                                 "version": scene.accepted["version"]},
        "/api/v1/orders/{order}/proofs/{slot}/review": {"decision": "accepted", "version": scene.accepted["version"]},
    }
    return bodies[path]


def bucket_keys(scene: Scene) -> list[str]:
    s3 = boto3.client("s3")
    keys = []
    prefixes = [f"orders/{o['id']}/" for o in (scene.issued, scene.to_decline, scene.accepted, scene.own_order)]
    prefixes += [f"letters/{o['id']}" for o in (scene.issued, scene.to_decline, scene.accepted, scene.own_order)]
    prefixes += [f"agreements/{scene.agreement['id']}/"]
    for prefix in prefixes:
        listing = s3.list_objects_v2(Bucket=scene.bucket, Prefix=prefix)
        keys += [o["Key"] for o in listing.get("Contents", [])]
    return sorted(keys)


def snapshot(scene: Scene) -> tuple:
    return sorted(map(repr, all_items(scene.table))), count_items(scene.table), bucket_keys(scene)


def text_of(result) -> str:
    return result.body.decode() if isinstance(result.body, bytes) else str(result.body)


# -- not signed in ------------------------------------------------------------------------------

@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous_callers_get_401_on_every_route(scene, route):
    method, path = route
    before = snapshot(scene)
    for cookie in (None, "not-a-signed-token", scene.victim.cookie + "x", scene.clients["orders"].cookie + "x"):
        anonymous = ApiClient(scene.victim.client)
        anonymous.cookie = cookie
        result = anonymous.request(method, fill(method, path, scene), body_for(method, path, scene),
                                   headers={"X-CSRF-Token": scene.victim.csrf})
        assert result.status == 401 and result.error_code == "NOT_AUTHENTICATED", (cookie, result)
    assert snapshot(scene) == before


# -- signed in with the wrong role -------------------------------------------------------------------

@pytest.mark.parametrize("route", [r for r in ROUTES if set(ROLES) - ACCESS[r]], ids=route_id)
def test_a_caller_without_the_routes_role_gets_403(scene, route):
    """A partner (on its own company) on staff routes, order staff on the partner's answers and proofs,
    a verifier or finance issuing orders, an editor anywhere but the catalogue …"""
    method, path = route
    before = snapshot(scene)
    for role in sorted(set(ROLES) - ACCESS[route]):
        caller = scene.clients[role]
        company = scene.victim_id
        result = caller.request(method, fill(method, path, scene, company), body_for(method, path, scene, role))
        assert result.status == 403 and result.error_code == "FORBIDDEN", (role, result)
        assert "url" not in (result.json or {}) and scene.accepted["number"] not in text_of(result)
    assert snapshot(scene) == before


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_every_allowed_role_gets_past_the_access_check(scene, route):
    """The other side of the 403s above: each allowed role is let in (reads answer 200; writes, sent an
    empty body so nothing changes, are refused by validation, not by access)."""
    method, path = route
    before = snapshot(scene)
    for role in sorted(ACCESS[route]):
        caller = scene.clients[role]
        if method == "GET":
            result = caller.get(fill(method, path, scene))
            assert result.status == 200, (role, result)
        else:
            result = caller.request(method, fill(method, path, scene), None if path.endswith("/confirm") else {})
            assert result.status not in (401, 403) and result.error_code not in NOT_LET_IN, (role, result)
    if method != "GET":
        assert snapshot(scene) == before


# -- a partner and another partner's offers, agreements and orders ------------------------------------

@pytest.mark.parametrize("intruder", ["other partner", "partner without a company"])
@pytest.mark.parametrize("route", PARTNER_REACHABLE, ids=route_id)
def test_a_partner_cannot_reach_another_partners_offers_agreements_or_orders(scene, route, intruder):
    caller = scene.intruder if intruder == "other partner" else scene.nobody
    method, path = route
    before = snapshot(scene)
    result = caller.request(method, fill(method, path, scene), body_for(method, path, scene))
    assert result.status in (403, 404), result
    assert result.error_code in ("FORBIDDEN", "NOT_FOUND")
    text = text_of(result)
    assert not [secret for secret in scene.secrets if secret in text], result
    assert "url" not in (result.json or {})
    assert snapshot(scene) == before


@pytest.mark.parametrize("intruder", ["other partner", "partner without a company"])
def test_a_partner_lists_only_its_own_orders_and_agreements(scene, intruder):
    caller = scene.intruder if intruder == "other partner" else scene.nobody
    own = {scene.own_order["id"]} if intruder == "other partner" else set()
    for query in ("", f"?company_id={scene.victim_id}", "?status=ISSUED",
                  f"?status=ACCEPTED&company_id={scene.victim_id}"):
        listed = caller.get(f"/api/v1/orders{query}")
        assert listed.status == 200, listed
        assert {o["id"] for o in listed.json["orders"]} <= own, query
        assert not [secret for secret in scene.secrets if secret in text_of(listed)]
    assert caller.get(f"/api/v1/media/{scene.victim_id}/agreements").status == 404


def test_a_partner_cannot_use_another_partners_upload_for_its_own_proof(scene):
    own = scene.own_order
    before = snapshot(scene)
    stolen = scene.intruder.post(f"/api/v1/orders/{own['id']}/proofs/0",
                                 {"upload_ids": [scene.pending_upload], "version": own["version"]})
    assert stolen.status == 404 and stolen.error_code == "NOT_FOUND", stolen
    assert snapshot(scene) == before
    # Nor read the victim's proof file through its own order.
    assert scene.intruder.get(f"/api/v1/orders/{own['id']}/proofs/0/files/0").status == 404


# -- CSRF ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("route", WRITES, ids=route_id)
def test_a_signed_in_write_without_the_csrf_token_is_refused(scene, route):
    method, path = route
    role = sorted(ACCESS[route])[0]
    caller = scene.clients[role]
    body = body_for(method, path, scene, role)
    before = snapshot(scene)
    altered = caller.csrf[:-1] + ("x" if caller.csrf[-1] != "x" else "y")
    for headers in ({}, {"X-CSRF-Token": ""}, {"X-CSRF-Token": altered}, {"X-CSRF-Token": scene.intruder.csrf}):
        result = caller.request(method, fill(method, path, scene), body, csrf=False, headers=headers)
        assert result.status == 403 and result.error_code == "CSRF_FAILED", (headers, result)
    assert snapshot(scene) == before
    # With its token the request gets past the check (an empty body, so it is refused by validation instead).
    allowed = caller.request(method, fill(method, path, scene), None if path.endswith("/confirm") else {})
    assert allowed.status not in (401, 403) and allowed.error_code not in NOT_LET_IN, allowed
    assert snapshot(scene) == before


# -- and the owner can -----------------------------------------------------------------------------------

def test_the_owner_can_do_what_the_intruders_could_not(scene):
    """Last on purpose: it changes the scene. The bodies above were valid; the refusals were about who asked."""
    victim = scene.victim
    for method, path in PARTNER_REACHABLE:
        body = body_for(method, path, scene)
        if "/offers/" in path and body:  # each step of the negotiation moves the card's version
            body["version"] = victim.get(f"/api/v1/offers/{scene.victim_id}/{YEAR}").json["version"]
        result = victim.request(method, fill(method, path, scene), body)
        assert result.status in (200, 201), (method, path, result)
    order = victim.get(f"/api/v1/orders/{scene.accepted['id']}").json["order"]
    assert order["slots"][1]["status"] == "SUBMITTED" and order["slots"][1]["proof"]["files"]
    assert victim.get(f"/api/v1/orders/{scene.issued['id']}").json["order"]["status"] == "ACCEPTED"
    assert victim.get(f"/api/v1/orders/{scene.to_decline['id']}").json["order"]["status"] == "DECLINED"
    card = victim.get(f"/api/v1/offers/{scene.victim_id}/{YEAR}").json
    assert card["agreed"] == {scene.codes["agreed"]: 1_000_000, scene.codes["countered"]: 1_100_000}
    assert [step["side"] for step in card["thread"]] == ["mitra", "staf", "mitra", "staf", "mitra", "mitra"]
