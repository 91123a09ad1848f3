"""Setting the scene for the order cycle through the public API: a verified partner,
a product with its SSH, agreed rates, an active agreement and a budget line."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone

from chalice.test import Client
from chalicelib.domain.clock import today_wib, utc_now

from tests import samples
from tests.conftest import ApiClient
from tests.integration.test_registration_flow import register, upload_all

YEAR = today_wib(utc_now()).year + 1  # a fiscal year wholly in the future (WIB, as the API reckons)
BUDGET_CODE = "5.1.02.02.01.0026"


@contextmanager
def slots_due(when: date | datetime | None = None):
    """The order desk's clock at ``when`` (a day means 10.00 WIB; 31 December of YEAR unless given), when the
    scenes' slots have come: a proof is sent and accepted only from its slot's date, and YEAR is still to come."""
    from chalicelib import wiring

    services = wiring.get_services()
    desks = (services.orders, services.dashboard)  # proofs are taken, and shown due, from the slot's day
    real = [desk.clock for desk in desks]
    when = when or date(YEAR, 12, 31)
    then = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day, 3, tzinfo=timezone.utc)
    for desk in desks:
        desk.clock = lambda: then
    _travels.append(then)
    try:
        yield then
    finally:
        for desk, clock in zip(desks, real):
            desk.clock = clock
        _travels.pop()


_travels: list[datetime] = []


def app_now() -> datetime | None:
    """The time ``slots_due`` holds the order desk at, if any: its mail is queued then, and is due then."""
    return _travels[-1] if _travels else None


def client(chalice_app, make_user=None, roles=None, name="Staf"):
    api = ApiClient(Client(chalice_app).__enter__())
    if make_user and roles:
        user, password = make_user(roles=roles, name=name)
        assert api.login(user.email, password).status == 200
        api.user = user
    return api


def verified_partner(chalice_app, verifier, n=None) -> tuple[ApiClient, str, dict]:
    partner = client(chalice_app)
    company_id, data = register(partner, n)
    upload_all(partner, company_id)
    version = partner.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    assert partner.post(f"/api/v1/media/{company_id}/submit", {"version": version}).status == 200
    page = verifier.get(f"/api/v1/verification/{company_id}").json
    for item in page["checklist"]:
        if item["document"]:
            verifier.post(f"/api/v1/verification/{company_id}/documents/{item['document']['id']}",
                          {"decision": "accepted", "version": item["document"]["version"]})
    version = verifier.get(f"/api/v1/verification/{company_id}").json["company"]["version"]
    decided = verifier.post(f"/api/v1/verification/{company_id}/decision",
                            {"decision": "VERIFIED", "verified_until": f"{YEAR}-12-31", "version": version})
    assert decided.status == 200, decided
    return partner, company_id, data


def product(admin, code="advertorial-online", ssh=2_000_000):
    created = admin.post("/api/v1/catalog/products", {"code": code, "name": "Advertorial media daring",
                                                      "unit": "per artikel", "media_types": ["siber"]})
    assert created.status == 201, created
    priced = admin.post(f"/api/v1/catalog/products/{code}/ssh", {"year": YEAR, "ceiling": ssh, "version": 1})
    assert priced.status == 200, priced
    return code


def agree(partner, staff, company_id, code, price):
    proposed = partner.post(f"/api/v1/offers/{company_id}/{YEAR}/propose",
                            {"lines": {code: price}, "message": "Tarif kami", "version": None})
    assert proposed.status == 200, proposed
    accepted = staff.post(f"/api/v1/offers/{company_id}/{YEAR}/accept",
                          {"products": [code], "version": proposed.json["version"]})
    assert accepted.status == 200, accepted


def active_agreement(staff, company_id, ceiling, number=None, starts_on=None, ends_on=None):
    created = staff.post("/api/v1/agreements", {
        "company_id": company_id, "year": YEAR, "number": number or f"PKS/{company_id[-6:]}/{YEAR}",
        "starts_on": starts_on or f"{YEAR}-01-01", "ends_on": ends_on or f"{YEAR}-12-31", "ceiling": ceiling})
    assert created.status == 201, created
    agreement = created.json["agreement"]
    # The signed PKS (a PDF) goes through the upload flow before it can take effect.
    grant = staff.post(f"/api/v1/agreements/{agreement['id']}/document/uploads",
                       {"filename": "pks-ttd.pdf", "content_type": "application/pdf", "size": len(samples.PDF)})
    assert grant.status == 201, grant
    assert samples.post_to_s3(grant.json, samples.PDF, "pks-ttd.pdf").status_code in (200, 204)
    signed = staff.post(f"/api/v1/agreements/{agreement['id']}/document/uploads/{grant.json['upload_id']}/confirm")
    assert signed.status == 200, signed
    agreement = signed.json["agreement"]
    activated = staff.post(f"/api/v1/agreements/{agreement['id']}/activate", {"version": agreement["version"]})
    assert activated.status == 200, activated
    return activated.json["agreement"]


def budget_line(finance, ceiling, code=BUDGET_CODE):
    created = finance.post(f"/api/v1/budgets/{YEAR}/lines",
                           {"code": code, "name": "Belanja jasa iklan/reklame, film, dan pemotretan",
                            "ceiling": ceiling})
    assert created.status == 201, created
    return created.json["line"]


class Snapshot:
    """A scene built once through the API, copied into each test's fresh table.

    Building a verified partner means ten uploads, reviews and a decision
    over HTTP (about two seconds); copying its ~60 items is a few
    milliseconds. DynamoDB Local has no snapshots, so the items are scanned
    once and batch-written into each new table. Files stay in the bucket,
    shared read-only; sessions are items too, so copied clients stay signed in.
    """

    def __init__(self, items: list[dict]):
        self.items = items

    @classmethod
    def of(cls, table_name: str) -> "Snapshot":
        import boto3

        client = boto3.client("dynamodb")
        items, kwargs = [], {"TableName": table_name, "ConsistentRead": True}
        while True:
            page = client.scan(**kwargs)
            items.extend(page["Items"])  # kept in DynamoDB's own JSON: written back as they were
            if "LastEvaluatedKey" not in page:
                return cls(items)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def restore(self, table_name: str) -> None:
        import boto3

        client = boto3.client("dynamodb")
        for start in range(0, len(self.items), 25):
            pending = {table_name: [{"PutRequest": {"Item": item}} for item in self.items[start:start + 25]]}
            while pending:
                pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None


def clone(chalice_app, api: ApiClient) -> ApiClient:
    """A new client signed in as ``api`` is (the session item came with the snapshot)."""
    copy = ApiClient(Client(chalice_app).__enter__())
    copy.cookie, copy.csrf = api.cookie, api.csrf
    if hasattr(api, "user"):
        copy.user = api.user
    return copy
