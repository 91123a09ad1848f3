"""The newsroom's email alerts, over HTTP on the real local servers.

What a reader relies on: nothing is sent before it confirms by the link in
its mailbox; then every new public release of its categories reaches it
once (at once, or in the morning's digest), never a release from before it
subscribed; one click in any of those mails forgets its address. What the
office relies on: the subscribe form never tells a visitor who else
subscribed, and cannot be used to flood someone's mailbox.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.clock import WIB, utc_now
from tests.conftest import all_items, count_items

SITE = "http://127.0.0.1:8000/"
CATEGORIES = ["Kesehatan", "Pendidikan", "Pemerintahan"]


@pytest.fixture
def newsroom(tmp_path, monkeypatch, table_name):
    """A releases.json the app reads as the live site's; ``publish`` adds a release to it (newest first)."""
    from chalicelib import wiring

    path = tmp_path / "releases.json"
    releases: list[dict] = []

    def write():
        path.write_text(json.dumps({"site_name": "Newsroom Uji", "categories": CATEGORIES, "releases": releases}),
                        encoding="utf-8")
        wiring.reset()  # the index is cached for a minute; a new build is a new index

    def publish(slug: str, published_at: datetime, category: str | None = "Kesehatan") -> dict:
        release = {"slug": slug, "title": f"Judul {slug}", "url": f"{SITE}rilis/{slug}/",
                   "date": published_at.isoformat(), "published_at": published_at.isoformat(),
                   "summary": f"Ringkasan {slug}.", "category": category, "lang": "id"}
        releases.insert(0, release)
        write()
        return release

    write()
    monkeypatch.setenv("SEKLIK_RELEASES_URL", path.as_uri())
    monkeypatch.setenv("SEKLIK_SITE_URL", SITE)
    wiring.reset()
    return publish


def subscribe(api, email, categories=(), frequency="immediate"):
    return api.post("/api/v1/subscriptions", {"email": email, "categories": list(categories), "frequency": frequency})


def link_token(mail, page: str) -> str:
    text = mail.get_body(("plain",)).get_content()
    (token,) = re.findall(rf"{re.escape(SITE)}langganan/{page}/\?token=([A-Za-z0-9_-]+)", text)
    return token


def subscribed(api, outbox, email, categories=(), frequency="immediate") -> str:
    """Subscribe and confirm as a reader does; returns the token of the subscriber's links."""
    assert subscribe(api, email, categories, frequency).status == 202
    (mail,) = [m for m in outbox() if m["To"] == email and "Konfirmasi" in m["Subject"]]
    token = link_token(mail, "konfirmasi")
    confirmed = api.post("/api/v1/subscriptions/confirm", {"token": token})
    assert confirmed.status == 200, confirmed
    assert confirmed.json["subscription"]["status"] == "CONFIRMED"
    return token


def test_nothing_is_sent_before_the_link_is_followed_and_the_answer_never_says_who_subscribed(api, newsroom, outbox,
                                                                                             services):
    first = subscribe(api, "pembaca@example.com", ["Kesehatan"])
    assert first.status == 202, first
    (confirmation,) = outbox()
    assert confirmation["To"] == "pembaca@example.com" and "List-Unsubscribe" not in confirmation
    assert "Kesehatan" in confirmation.get_body(("plain",)).get_content()
    old_token = link_token(confirmation, "konfirmasi")

    # Pending: a release now reaches nobody.
    newsroom("rilis-sebelum-konfirmasi", utc_now() - timedelta(minutes=1))
    assert announce().alerts == 0

    # The same answer for the pending address; the new choice replaces the old one, with a new link.
    again = subscribe(api, "pembaca@example.com", ["Kesehatan", "Pendidikan"], "daily")
    assert (again.status, again.json) == (first.status, first.json)
    second = outbox()[-1]
    token = link_token(second, "konfirmasi")
    assert token != old_token
    assert api.post("/api/v1/subscriptions/confirm", {"token": old_token}).error_code == "NOT_FOUND"

    confirmed = api.post("/api/v1/subscriptions/confirm", {"token": token})
    assert confirmed.json["subscription"] == {"status": "CONFIRMED", "categories": ["Kesehatan", "Pendidikan"],
                                              "frequency": "daily", "frequency_label": "ringkasan harian"}
    assert api.post("/api/v1/subscriptions/confirm", {"token": token}).status == 200  # the link followed twice

    # Subscribed: still the same answer; the owner is told by mail that nothing changed.
    third = subscribe(api, "Pembaca@Example.com", [])
    assert (third.status, third.json) == (first.status, first.json)
    already = outbox()[-1]
    assert already["To"] == "pembaca@example.com" and "sudah berlangganan" in already["Subject"]
    assert link_token(already, "berhenti") == token

    # The address is only ever a hash in the table's keys, and no token is kept in a key.
    for item in all_items(api_table(services)):
        assert "pembaca@example.com" not in item["PK"] + item["SK"] + item.get("GSI1SK", "")
        assert token not in item["PK"]


def api_table(services) -> str:
    return services.settings.table_name


def announce(now=None):
    """What the mail worker does each minute, with the app's current wiring (the newsroom fixture renews it)."""
    from chalicelib.wiring import get_subscriptions

    return get_subscriptions().announce_due(now)


def send_due(now):
    """The worker at ``now``: what announce queued at a moment ahead of the wall clock is due then."""
    from chalicelib.wiring import get_mail_worker

    get_mail_worker().deliver_due(now)


def test_a_new_release_reaches_each_matching_subscriber_once_and_never_one_from_before(api, newsroom, outbox,
                                                                                       services, tmp_path):
    before = newsroom("rilis-lama", utc_now() - timedelta(hours=2))
    health = subscribed(api, outbox, "kesehatan@example.com", ["Kesehatan"])
    subscribed(api, outbox, "semua@example.com")
    subscribed(api, outbox, "pendidikan@example.com", ["Pendidikan"])
    subscribed(api, outbox, "harian@example.com", frequency="daily")
    sent = len(outbox())

    now = utc_now() + timedelta(minutes=5)
    newsroom("rilis-kesehatan", now - timedelta(minutes=1), "Kesehatan")
    newsroom("rilis-tanpa-kategori", now - timedelta(minutes=1), None)
    report = announce(now)
    assert report.alerts == 3  # Kesehatan: two subscribers; no category: "all" only; daily ones wait
    assert announce(now).alerts == 0
    assert announce(now + timedelta(minutes=1)).alerts == 0

    send_due(now)
    mails = outbox()[sent:]
    assert sorted((m["To"], m["Subject"]) for m in mails) == [
        ("kesehatan@example.com", "Judul rilis-kesehatan"),
        ("semua@example.com", "Judul rilis-kesehatan"),
        ("semua@example.com", "Judul rilis-tanpa-kategori"),
    ]
    assert before["title"] not in {m["Subject"] for m in mails}  # nobody is sent the archive
    alert = next(m for m in mails if m["To"] == "kesehatan@example.com")
    text = alert.get_body(("plain",)).get_content()
    assert "Ringkasan rilis-kesehatan." in text and f"{SITE}rilis/rilis-kesehatan/" in text
    assert f"{SITE}langganan/berhenti/?token={health}" in text
    # RFC 8058 one-click: the header a mail program offers, and the body it POSTs.
    assert alert["List-Unsubscribe"] == f"<{SITE}api/v1/subscriptions/unsubscribe?token={health}>"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert alert.get_body(("html",)) is None  # text only, like GOV.UK's alerts
    # As written on the wire: the URL itself, not an encoded-word a mail program cannot read as a link.
    (raw,) = [p.read_bytes() for p in (tmp_path / "outbox").glob("*.eml")
              if b"kesehatan@example.com" in p.read_bytes() and b"Judul rilis-kesehatan" in p.read_bytes()]
    assert f"\r\nList-Unsubscribe: <{SITE}api/v1/subscriptions/unsubscribe?token={health}>\r\n".encode() in raw


def test_the_daily_digest_goes_once_after_seven_with_the_days_releases(api, newsroom, outbox, services):
    subscribed(api, outbox, "harian@example.com", ["Kesehatan"], "daily")
    subscribed(api, outbox, "segera@example.com", ["Pendidikan"])
    sent = len(outbox())
    tomorrow = utc_now().astimezone(WIB).date() + timedelta(days=1)
    seven = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=WIB)
    newsroom("rilis-pagi-satu", seven - timedelta(hours=2), "Kesehatan")
    newsroom("rilis-pagi-dua", seven - timedelta(hours=1), "Kesehatan")
    newsroom("rilis-pendidikan", seven - timedelta(hours=1), "Pendidikan")
    newsroom("rilis-sesudah-tujuh", seven + timedelta(minutes=10), "Kesehatan")  # tomorrow's digest

    assert announce(seven - timedelta(minutes=1)).digests == 0  # not before 07.00
    report = announce(seven + timedelta(minutes=30))
    assert report.digests == 1
    assert announce(seven + timedelta(hours=3)).digests == 0  # once a day

    send_due(seven + timedelta(hours=3))
    (digest,) = [m for m in outbox()[sent:] if m["To"] == "harian@example.com"]
    text = digest.get_body(("plain",)).get_content()
    assert "Ringkasan siaran pers Newsroom Uji" in digest["Subject"]
    assert "Judul rilis-pagi-satu" in text and "Judul rilis-pagi-dua" in text
    assert "rilis-pendidikan" not in text and "rilis-sesudah-tujuh" not in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_release_the_site_publishes_after_the_digest_goes_in_the_next_one(api, newsroom, outbox, services):
    subscribed(api, outbox, "harian@example.com", frequency="daily")
    tomorrow = utc_now().astimezone(WIB).date() + timedelta(days=1)
    seven = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=WIB)
    assert announce(seven + timedelta(minutes=5)).digests == 0  # nothing new yet: that day's digest is done
    # Dated 06.00, but the site built it at 10.00, after that digest: the next morning's carries it.
    newsroom("rilis-terlambat", seven - timedelta(hours=1))
    assert announce(seven + timedelta(hours=3)).digests == 0
    assert announce(seven + timedelta(days=1, minutes=5)).digests == 1
    send_due(seven + timedelta(days=1, minutes=6))
    (digest,) = [m for m in outbox() if m["To"] == "harian@example.com" and "Ringkasan" in m["Subject"]]
    assert "Judul rilis-terlambat" in digest.get_body(("plain",)).get_content()


def test_alerts_are_not_the_partners_distribution_of_the_release(api, newsroom, outbox, services):
    subscribed(api, outbox, "semua@example.com")
    now = utc_now() + timedelta(minutes=5)
    newsroom("rilis-umum", now - timedelta(minutes=1))
    assert announce(now).alerts == 1
    assert services.mail.about("RELEASE", "rilis-umum") == []  # the release's delivery log and resend: partners'


def test_opening_the_one_click_link_without_one_click_changes_nothing_and_leads_to_the_page(api, newsroom, outbox,
                                                                                             table_name):
    token = subscribed(api, outbox, "buka@example.com")
    before = count_items(table_name)
    opened = api.get(f"/api/v1/subscriptions/unsubscribe?token={token}")
    assert opened.status == 303 and opened.headers["location"] == f"{SITE}langganan/berhenti/?token={token}"
    assert count_items(table_name) == before


def test_asking_again_does_not_keep_an_unconfirmed_address_longer(api, newsroom, outbox, services):
    assert subscribe(api, "tunggu@example.com").status == 202
    first = services.subscriptions.store.get("tunggu@example.com")
    assert subscribe(api, "tunggu@example.com", ["Kesehatan"]).status == 202
    again = services.subscriptions.store.get("tunggu@example.com")
    assert again.token != first.token and again.categories == ("Kesehatan",)
    assert again.expires_at == first.expires_at


def test_one_click_in_a_mail_forgets_the_address(api, newsroom, outbox, services):
    token = subscribed(api, outbox, "pergi@example.com")
    table = api_table(services)
    kept = count_items(table)
    # What a mail program sends for List-Unsubscribe-Post (RFC 8058): a form, the token in the URL, no cookie.
    gone = api.request("POST", f"/api/v1/subscriptions/unsubscribe?token={token}", raw=b"List-Unsubscribe=One-Click",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (gone.status, gone.json) == (200, {"unsubscribed": True, "removed_now": True})
    assert count_items(table) == kept - 2  # the subscriber and its link's pointer
    assert not [i for i in all_items(table) if i.get("type") in ("SUBSCRIBER", "SUBSCRIBER_TOKEN")]
    again = api.post("/api/v1/subscriptions/unsubscribe", {"token": token})  # the page's button, after the fact
    assert (again.status, again.json["removed_now"]) == (200, False)
    assert api.post("/api/v1/subscriptions/confirm", {"token": token}).error_code == "NOT_FOUND"

    now = utc_now() + timedelta(minutes=5)
    newsroom("rilis-sesudah-berhenti", now - timedelta(minutes=1))
    assert announce(now).alerts == 0


@pytest.mark.parametrize("body, field, code", [
    ({"email": "bukan-alamat"}, "email", "invalid_email"),
    ({"email": "a@example.com", "categories": ["Olahraga"]}, "categories[0]", "unknown_category"),
    ({"email": "a@example.com", "frequency": "weekly"}, "frequency", None),
    ({"email": "a@example.com", "extra": 1}, "extra", None),
])
def test_bad_input_is_refused_with_the_field_and_writes_nothing(api, newsroom, services, body, field, code):
    table = api_table(services)
    before = count_items(table)
    refused = api.post("/api/v1/subscriptions", body)
    assert (refused.status, refused.error_code) == (422, "VALIDATION_FAILED"), refused
    fields = {e["field"]: e for e in refused.json["error"]["details"]}
    assert field in fields and (code is None or fields[field]["code"] == code)
    assert count_items(table) == before


def test_one_address_cannot_be_flooded_and_one_visitor_cannot_subscribe_the_world(api, newsroom, outbox):
    for _ in range(3):
        assert subscribe(api, "korban@example.com").status == 202
    flooded = subscribe(api, "korban@example.com")
    assert (flooded.status, flooded.error_code) == (429, "SUBSCRIBE_THROTTLED")
    assert flooded.headers["retry-after"] == str(24 * 3600)
    assert len([m for m in outbox() if m["To"] == "korban@example.com"]) == 3

    for n in range(16):  # 20 an hour from one network address, whatever the addresses asked for
        assert subscribe(api, f"orang{n}@example.com").status == 202
    assert subscribe(api, "satu-lagi@example.com").error_code == "SUBSCRIBE_THROTTLED"


def test_staff_see_counts_not_addresses(api, newsroom, outbox, make_user):
    subscribed(api, outbox, "satu@example.com")
    subscribed(api, outbox, "dua@example.com", frequency="daily")
    subscribe(api, "menunggu@example.com")
    assert api.get("/api/v1/subscriptions/counts").status == 401
    user, password = make_user(roles=("editor",), email="editor@example.go.id")
    assert api.login(user.email, password).status == 200
    counts = api.get("/api/v1/subscriptions/counts")
    assert counts.json == {"confirmed": {"immediate": 1, "daily": 1}}
    assert "example.com" not in counts.body.decode()


def test_an_editor_announces_at_once_and_other_staff_may_not(api, chalice_app, newsroom, outbox, make_user):
    from tests.cooperation import client

    subscribed(api, outbox, "segera@example.com")
    newsroom("rilis-segera", utc_now())  # just after the subscriber confirmed
    assert client(chalice_app).post("/api/v1/subscriptions/announce").status == 401
    orders = client(chalice_app, make_user, roles=("orders",))
    assert orders.post("/api/v1/subscriptions/announce").error_code == "FORBIDDEN"
    assert orders.get("/api/v1/subscriptions/counts").error_code == "FORBIDDEN"
    editor = client(chalice_app, make_user, roles=("editor",))
    told = editor.post("/api/v1/subscriptions/announce")
    assert (told.status, told.json) == (200, {"alerts": 1, "digests": told.json["digests"]})
    assert editor.post("/api/v1/subscriptions/announce").json["alerts"] == 0  # once
    assert [m["Subject"] for m in outbox() if m["To"] == "segera@example.com"][-1] == "Judul rilis-segera"
