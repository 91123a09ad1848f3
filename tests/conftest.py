"""Shared fixtures: the real local servers, a fresh table per test, the API client.

The test session starts DynamoDB Local (in memory) and the SeaweedFS S3
server once, on free ports, through the same ``LocalStack`` that ``make run``
uses. Each test that touches data gets its own table (creating one in
DynamoDB Local takes ~60 ms), so tests never see each other's items.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))  # `import app`, as Chalice does

from seklik.provision import ensure_bucket, ensure_table  # noqa: E402
from seklik.stack import LocalStack, Ports, find_free_base  # noqa: E402

_table_numbers = itertools.count(1)

pytest_plugins = ["tests.scenes"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    local = LocalStack(var_dir=var_dir, ports=Ports.from_base(find_free_base()), persistent=False)
    local.start()
    saved = dict(os.environ)
    os.environ.update(local.environ())
    ensure_bucket(local.bucket)
    yield local
    os.environ.clear()
    os.environ.update(saved)
    local.stop()


@pytest.fixture
def table_name(stack, tmp_path):
    """A fresh, empty table (and mail outbox) for this test; the app is pointed at them."""
    from chalicelib import wiring

    name = f"test-{os.getpid()}-{next(_table_numbers)}"
    ensure_table(name)
    os.environ["SEKLIK_TABLE"] = name
    os.environ["SEKLIK_MAIL_OUTBOX"] = str(tmp_path / "outbox")
    wiring.reset()
    yield name
    boto3.client("dynamodb").delete_table(TableName=name)
    os.environ["SEKLIK_TABLE"] = stack.table_name
    os.environ["SEKLIK_MAIL_OUTBOX"] = stack.environ()["SEKLIK_MAIL_OUTBOX"]
    wiring.reset()


@pytest.fixture
def outbox(table_name, tmp_path):
    """The messages the app sent in this test, oldest first, as email.message objects.

    Mail is queued in the table with the change that causes it; reading first
    runs the outbox worker (as ``seklik dev`` does every few seconds), then
    reads the ``.eml`` files it wrote.
    """
    from email import policy
    from email.parser import BytesParser

    from chalicelib.wiring import get_mail_worker

    folder = tmp_path / "outbox"

    def read():
        from tests.cooperation import app_now

        get_mail_worker().deliver_due(app_now())
        return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]

    return read


@pytest.fixture
def services(table_name):
    from chalicelib.wiring import get_services

    return get_services()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The newsroom built once per test session, from the repository's content."""
    from seklik.site import build_site

    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def published(site_dir, table_name, monkeypatch):
    """The app reads the built site's releases.json, as it reads the live site's in production."""
    from chalicelib import wiring

    monkeypatch.setenv("SEKLIK_RELEASES_URL", (site_dir / "releases.json").as_uri())
    wiring.reset()
    import json

    return json.loads((site_dir / "releases.json").read_text(encoding="utf-8"))["releases"]


EMBARGOED_SLUG = "musrenbang-kabupaten-2027"
SCHEDULED_SLUG = "jadwal-vaksinasi-lansia"
DRAFT_SLUG = "rancangan-anggaran-perubahan"


@pytest.fixture(scope="session")
def press_kits(stack, tmp_path_factory):
    """The repository's releases as press kits in the bucket, with three more: one under an embargo that
    lifts in 30 days (with a photo), one scheduled 30 days ahead without embargo, and a draft.

    The built site (``site_dir``) has none of the three: they are not public."""
    import shutil
    from datetime import datetime, timedelta

    from chalicelib.domain.clock import WIB
    from seklik.site import publish_kits
    from seklik.stack import ROOT

    releases = tmp_path_factory.mktemp("releases")
    shutil.copytree(ROOT / "content" / "releases", releases, dirs_exist_ok=True)
    today = datetime.now(WIB).replace(hour=8, minute=0, second=0, microsecond=0)
    ahead = today + timedelta(days=30)
    photo = "2026-10-15-pekan-imunisasi-anak/posyandu.png"

    def write(slug: str, when: datetime, extra: str) -> None:
        (releases / f"{when:%Y-%m-%d}-{slug}.md").write_text(
            f"---\ntitle: Judul {slug}\ndate: {when.isoformat()}\nsummary: Ringkasan {slug}.\n"
            f"category: Pemerintahan\nlocation: Kayuagung\n{extra}---\n\nIsi rilis {slug}.\n", encoding="utf-8")

    write(EMBARGOED_SLUG, today, f"embargo_until: {ahead.isoformat()}\n"
                                 f"images:\n  - src: {photo}\n    alt: Foto musrenbang\n")
    write(SCHEDULED_SLUG, ahead, "")
    write(DRAFT_SLUG, today, "draft: true\n")
    publish_kits(tmp_path_factory.mktemp("kits"), stack.bucket, site_url="http://127.0.0.1:8000/",
                 releases_dir=releases)
    return releases


@pytest.fixture(scope="session")
def chalice_app():
    from app import app

    return app


@pytest.fixture
def api(services, chalice_app):
    """An HTTP client for the real Chalice app (no server, same routing as API Gateway)."""
    from chalice.test import Client

    with Client(chalice_app) as client:
        yield ApiClient(client)


class ApiClient:
    """Keeps the session cookie and CSRF token like a browser tab does."""

    def __init__(self, client):
        self.client = client
        self.cookie: str | None = None
        self.csrf: str | None = None

    def request(self, method: str, path: str, body=None, raw: bytes | None = None, headers=None, csrf=True):
        sent = {}
        if body is not None or raw is not None:
            sent["Content-Type"] = "application/json"
        if self.cookie:
            sent["Cookie"] = f"seklik_session={self.cookie}"
        if csrf and self.csrf and method != "GET":
            sent["X-CSRF-Token"] = self.csrf
        sent.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.client.http.request(method, path, headers=sent, body=payload or b"")
        result = Result(response)
        for cookie in result.set_cookies:
            name, _, rest = cookie.partition("=")
            if name == "seklik_session":
                value = rest.split(";", 1)[0]
                self.cookie = value or None
        if isinstance(result.json, dict) and result.json.get("csrf_token"):
            self.csrf = result.json["csrf_token"]
        return result

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def login(self, email: str, password: str):
        return self.post("/api/v1/auth/login", {"email": email, "password": password})


class Result:
    def __init__(self, response):
        self.status = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self.body = response.body
        try:
            self.json = json.loads(response.body) if response.body else None
        except ValueError:
            self.json = None

    @property
    def set_cookies(self) -> list[str]:
        value = self.headers.get("set-cookie")
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    @property
    def error_code(self) -> str | None:
        return (self.json or {}).get("error", {}).get("code")

    def __repr__(self) -> str:
        return f"<Result {self.status} {self.body[:300]!r}>"


def count_items(table_name: str) -> int:
    return boto3.client("dynamodb").scan(TableName=table_name, Select="COUNT", ConsistentRead=True)["Count"]


def all_items(table_name: str) -> list[dict]:
    from chalicelib.adapters.table import deserialise

    items = boto3.client("dynamodb").scan(TableName=table_name, ConsistentRead=True)["Items"]
    return [deserialise(i) for i in items]


@pytest.fixture
def make_user(services):
    """Create an account through the domain service; returns (user, password)."""
    counter = itertools.count(1)

    def make(roles=("admin",), email=None, name="Rina Wulandari", password="kata-sandi-yang-panjang"):
        email = email or f"user{next(counter)}@example.go.id"
        user, _ = services.accounts.create_user(email, name, list(roles), password=password)
        return user, password

    return make
