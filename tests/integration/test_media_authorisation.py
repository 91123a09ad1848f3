"""Who may call which /media and /verification route, tried route by route.

A partner reaching for another company's data gets 403 or 404 and changes
nothing (the table and the bucket are compared before and after); a partner
gets 403 on every verification route; anyone not signed in gets 401; staff
without the verifier role get 403 on verification routes; a signed-in write
without its CSRF token gets 403 CSRF_FAILED. The route lists are checked
against the routes the app declares, so a new route cannot be left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import boto3
import pytest

from tests import samples
from tests.conftest import ApiClient, all_items, count_items
from tests.integration.test_registration_flow import register

UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"

# (method, path) with {company}, {upload} and {document} placeholders.
MEDIA_ROUTES = [
    ("GET", "/api/v1/media/{company}"),
    ("PUT", "/api/v1/media/{company}"),
    ("POST", "/api/v1/media/{company}/submit"),
    ("GET", "/api/v1/media/{company}/documents"),
    ("POST", "/api/v1/media/{company}/documents/uploads"),
    ("POST", "/api/v1/media/{company}/documents/uploads/{upload}/confirm"),
    ("GET", "/api/v1/media/{company}/documents/{document}/download"),
]
VERIFICATION_ROUTES = [
    ("GET", "/api/v1/verification/queue"),
    ("GET", "/api/v1/verification/{company}"),
    ("POST", "/api/v1/verification/{company}/documents/{document}"),
    ("POST", "/api/v1/verification/{company}/decision"),
]
PRIVATE_ROUTES = MEDIA_ROUTES + VERIFICATION_ROUTES
WRITES = [r for r in PRIVATE_ROUTES if r[0] != "GET"]


def route_id(route) -> str:
    return f"{route[0]} {route[1]}"


def declared_path(path: str) -> str:
    """Our placeholders → the names the app declares its routes with."""
    return (path.replace("{company}", "{company_id}").replace("{upload}", "{upload_id}")
            .replace("{document}", "{document_id}"))


def test_the_lists_cover_every_private_media_and_verification_route(chalice_app):
    from chalicelib.api.http import PUBLIC, Routes

    # A company's agreements (api/negotiation.py) are covered by test_orders_authorisation.py.
    elsewhere = {("/api/v1/media/{company_id}/agreements", "GET")}
    declared = {(path, method) for (path, method), allowed in Routes.declared.items()
                if allowed is not PUBLIC and path.startswith(("/api/v1/media", "/api/v1/verification"))} - elsewhere
    listed = {(declared_path(path), method) for method, path in PRIVATE_ROUTES}
    assert listed == declared


@dataclass
class Victim:
    """Another partner's company, with a document, a pending upload already in S3, and its profile."""

    company_id: str
    document_id: str
    document_version: int
    upload_id: str
    version: int
    data: dict


def body_for(method: str, path: str, victim: Victim):
    """A body that would succeed if the caller were allowed: refusals must come from the access rules."""
    if method == "GET":
        return None
    if path.endswith("/submit"):
        return {"version": victim.version}
    if path.endswith("/documents/uploads"):
        return {"doc_type": "npwp", "filename": "npwp.pdf", "content_type": "application/pdf",
                "size": len(samples.PDF)}
    if path.endswith("/confirm"):
        return None
    if path.endswith("/decision"):
        return {"decision": "REJECTED", "reasons": ["Data palsu"], "version": victim.version}
    if "/verification/" in path and "/documents/" in path:
        return {"decision": "rejected", "reason": "Buram", "version": victim.document_version}
    if method == "PUT":
        changed = dict(victim.data["profile"], media_name="Diambil Alih News")
        return {"version": victim.version, "profile": changed}
    raise AssertionError(f"no body for {method} {path}")


def fill(path: str, victim: Victim, company_id: str | None = None) -> str:
    return (path.replace("{company}", company_id or victim.company_id).replace("{upload}", victim.upload_id)
            .replace("{document}", victim.document_id))


def call(client: ApiClient, method: str, path: str, body, **kw):
    return client.request(method, path, body, **kw)


def bucket_keys(services) -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=services.settings.documents_bucket,
                                                  Prefix="companies/")
    return sorted(o["Key"] for o in listing.get("Contents", []))


def snapshot(services, table_name) -> tuple:
    return sorted(map(repr, all_items(table_name))), count_items(table_name), bucket_keys(services)


@pytest.fixture
def victim(api) -> Victim:
    """The victim's company, made through its own signed-in client (``api``)."""
    company_id, data = register(api)
    document = samples.upload(api, company_id, "npwp").json["document"]
    grant = api.post(f"/api/v1/media/{company_id}/documents/uploads",
                     {"doc_type": "akta_pendirian", "filename": "akta.pdf", "content_type": "application/pdf",
                      "size": len(samples.PDF)})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, samples.PDF).status_code in (200, 204)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    return Victim(company_id, document["id"], document["version"], grant.json["upload_id"], version, data)


@pytest.fixture
def intruder(api) -> tuple[ApiClient, str]:
    """A second partner, signed in on its own client, with its own company."""
    client = ApiClient(api.client)
    company_id, _ = register(client)
    return client, company_id


def signed_in(api, make_user, role: str) -> ApiClient:
    user, password = make_user(roles=(role,))
    client = ApiClient(api.client)
    assert client.login(user.email, password).status == 200
    return client


# -- a partner and another partner's company ---------------------------------------------

@pytest.mark.parametrize("route", MEDIA_ROUTES, ids=route_id)
def test_a_partner_cannot_reach_another_companys_data(api, victim, intruder, services, table_name, route):
    client, _ = intruder
    method, path = route
    before = snapshot(services, table_name)
    result = call(client, method, fill(path, victim), body_for(method, path, victim))
    assert result.status in (403, 404), result
    assert result.error_code in ("FORBIDDEN", "NOT_FOUND")
    text = result.body.decode() if isinstance(result.body, bytes) else str(result.body)
    assert victim.data["profile"]["media_name"] not in text and victim.data["profile"]["npwp"] not in text
    assert "url" not in (result.json or {})
    assert snapshot(services, table_name) == before


@pytest.mark.parametrize("route", [r for r in MEDIA_ROUTES if "{document}" in r[1] or "{upload}" in r[1]],
                         ids=route_id)
def test_a_partner_cannot_reach_another_companys_files_through_its_own_company(api, victim, intruder, services,
                                                                               table_name, route):
    """The other company's document or upload id under the partner's own company id."""
    client, own_company = intruder
    method, path = route
    before = snapshot(services, table_name)
    result = call(client, method, fill(path, victim, company_id=own_company), body_for(method, path, victim))
    assert result.status == 404 and result.error_code == "NOT_FOUND", result
    assert snapshot(services, table_name) == before


def test_the_owner_still_can_do_what_the_intruder_could_not(api, victim, intruder):
    """The refusals above were about who asked, not about broken fixtures."""
    client, _ = intruder
    for method, path in MEDIA_ROUTES:
        call(client, method, fill(path, victim), body_for(method, path, victim))
    confirmed = api.post(fill("/api/v1/media/{company}/documents/uploads/{upload}/confirm", victim))
    assert confirmed.status == 200, confirmed
    link = api.get(fill("/api/v1/media/{company}/documents/{document}/download", victim))
    assert link.status == 200 and link.json["url"]
    overview = api.get(fill("/api/v1/media/{company}", victim)).json
    assert overview["company"]["profile"]["media_name"] == victim.data["profile"]["media_name"]
    assert overview["company"]["version"] == victim.version and overview["company"]["status"] == "DRAFT"


@pytest.mark.parametrize("route", VERIFICATION_ROUTES, ids=route_id)
def test_a_partner_gets_403_on_every_verification_route(api, victim, services, table_name, route):
    method, path = route
    for company_id in (victim.company_id, UNKNOWN_ID):  # its own company, and any other id
        before = snapshot(services, table_name)
        result = call(api, method, fill(path, victim, company_id), body_for(method, path, victim))
        assert result.status == 403 and result.error_code == "FORBIDDEN", result
        assert snapshot(services, table_name) == before


# -- not signed in, or signed in without the role --------------------------------------------

@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=route_id)
def test_anonymous_callers_get_401_on_every_private_route(api, victim, services, table_name, route):
    method, path = route
    before = snapshot(services, table_name)
    for cookie in (None, "not-a-signed-token", api.cookie + "x"):
        anonymous = ApiClient(api.client)
        anonymous.cookie = cookie
        result = call(anonymous, method, fill(path, victim), body_for(method, path, victim))
        assert result.status == 401 and result.error_code == "NOT_AUTHENTICATED", (cookie, result)
    assert snapshot(services, table_name) == before


def test_the_public_routes_need_no_session(api):
    assert ApiClient(api.client).get("/api/v1/public/partners").status == 200
    assert ApiClient(api.client).post("/api/v1/media", samples.registration()).status == 202


@pytest.mark.parametrize("role", ["editor", "admin", "orders", "finance"])
@pytest.mark.parametrize("route", VERIFICATION_ROUTES, ids=route_id)
def test_staff_without_the_verifier_role_get_403_on_verification_routes(api, victim, make_user, services,
                                                                         table_name, route, role):
    staff = signed_in(api, make_user, role)
    method, path = route
    before = snapshot(services, table_name)
    result = call(staff, method, fill(path, victim), body_for(method, path, victim))
    assert result.status == 403 and result.error_code == "FORBIDDEN", result
    assert snapshot(services, table_name) == before


@pytest.mark.parametrize("route", MEDIA_ROUTES, ids=route_id)
def test_an_editor_cannot_reach_partner_data(api, victim, make_user, services, table_name, route):
    editor = signed_in(api, make_user, "editor")
    method, path = route
    before = snapshot(services, table_name)
    result = call(editor, method, fill(path, victim), body_for(method, path, victim))
    assert result.status == 403 and result.error_code == "FORBIDDEN", result
    assert snapshot(services, table_name) == before


@pytest.mark.parametrize("route", [r for r in MEDIA_ROUTES if r[0] != "GET"], ids=route_id)
def test_a_verifier_cannot_change_a_partners_company(api, victim, make_user, services, table_name, route):
    verifier = signed_in(api, make_user, "verifier")
    method, path = route
    before = snapshot(services, table_name)
    result = call(verifier, method, fill(path, victim), body_for(method, path, victim))
    assert result.status == 403 and result.error_code == "FORBIDDEN", result
    assert snapshot(services, table_name) == before


# -- CSRF ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("route", WRITES, ids=route_id)
def test_a_signed_in_write_without_the_csrf_token_is_refused(api, victim, make_user, services, table_name, route):
    method, path = route
    # Each write by the caller that may make it: the owner for /media, a verifier for /verification.
    client = signed_in(api, make_user, "verifier") if path.startswith("/api/v1/verification") else api
    body = body_for(method, path, victim)
    before = snapshot(services, table_name)
    for headers in ({}, {"X-CSRF-Token": ""}, {"X-CSRF-Token": client.csrf[:-1] + "x"}):
        result = call(client, method, fill(path, victim), body, csrf=False, headers=headers)
        assert result.status == 403 and result.error_code == "CSRF_FAILED", (headers, result)
    assert snapshot(services, table_name) == before

    # With the token the same request is accepted (or refused for a reason other than CSRF).
    allowed = call(client, method, fill(path, victim), body)
    assert allowed.error_code != "CSRF_FAILED", allowed
