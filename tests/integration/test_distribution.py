"""Sending releases to the press, over HTTP on the real local servers.

What the office relies on: a published release reaches every chosen
verified partner once, as an email with its text, HTML, photos and
contacts; a release under embargo reaches partners before the lift with the
EMBARGO banner (and its files only for them) while the page stays
unpublished; nothing else can be sent, and a bad request writes nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from chalicelib.adapters.outbox import queue_elements
from chalicelib.domain.clock import utc_now
from chalicelib.domain.outbox import Mail, MailStatus, OutboxMessage, RetryPolicy
from tests.conftest import DRAFT_SLUG, EMBARGOED_SLUG, SCHEDULED_SLUG, count_items
from tests.cooperation import client, verified_partner
from tests.integration.test_registration_flow import register

PUBLIC_SLUG = "pekan-imunisasi-anak"


@pytest.fixture
def press(cast, press_kits, make_user):
    """The cast with a second verified partner, a registered one not yet verified, and an editor."""
    second, second_id, second_data = verified_partner(cast["chalice_app"], cast["verifier"], n=41)
    unverified = client(cast["chalice_app"])
    unverified_id, _ = register(unverified, 42)
    user, password = make_user(roles=("editor",), email="editor@example.go.id", name="Eka Editor")
    editor = client(cast["chalice_app"])
    assert editor.login(user.email, password).status == 200
    return {**cast, "editor": editor, "second": second, "second_id": second_id, "second_data": second_data,
            "unverified_id": unverified_id}


def release_mail(outbox, slug_title: str) -> list:
    return [m for m in outbox() if slug_title in m["Subject"]]


def test_a_published_release_goes_once_to_each_verified_partner_with_text_html_photos_and_contacts(press, outbox):
    editor = press["editor"]
    everyone = {"recipients": {"all_partners": True}}
    preview = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions/preview", everyone)
    assert preview.status == 200, preview
    assert preview.json["variant"] == "public" and not preview.json["embargoed"]
    chosen = {r["company_id"] for r in preview.json["recipients"]}
    assert chosen == {press["company_id"], press["second_id"]}  # verified only: the unverified one is not offered
    assert "Pekan Imunisasi Anak" in preview.json["mail"]["subject"]

    sent = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions", everyone)
    assert sent.status == 202, sent
    assert {d["company_id"] for d in sent.json["queued"]} == chosen and sent.json["already"] == []
    again = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions", everyone)
    assert (again.json["queued"], {d["company_id"] for d in again.json["already"]}) == ([], chosen)

    mails = release_mail(outbox, "Pekan Imunisasi Anak")
    assert sorted(m["To"] for m in mails) == sorted([press["data"]["profile"]["email"],
                                                     press["second_data"]["profile"]["email"]])
    mail = mails[0]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    site = "http://127.0.0.1:8000/rilis/2026/10/pekan-imunisasi-anak/"
    for part in (text, html):
        assert "Kayuagung" in part and "15 Oktober 2026" in part  # dateline and date (WIB)
        assert "Humas Dinas Kesehatan" in part  # the press contact
        assert f"{site}posyandu.png" in part  # the photo as a link to the original
        assert site in part and "EMBARGO" not in part
    assert "<p>Pekan imunisasi anak digelar serentak" in html  # the body as HTML

    log = editor.get(f"/api/v1/releases/{PUBLIC_SLUG}/distributions")
    assert log.status == 200, log
    assert log.json["counts"]["SENT"] == 2 and len(log.json["distributions"]) == 2
    line = log.json["distributions"][0]
    assert line["mail"]["status"] == "SENT" and line["mail"]["sent_at"] and line["variant"] == "public"
    # The partner sees what it received.
    received = press["partner"].get("/api/v1/me/releases")
    assert [d["slug"] for d in received.json["distributions"]] == [PUBLIC_SLUG]


def test_an_embargoed_release_reaches_partners_before_the_lift_with_the_banner_and_its_files_only_for_them(
        press, outbox, published):
    editor = press["editor"]
    assert EMBARGOED_SLUG not in {r["slug"] for r in published}  # the page stays unpublished
    picked = {"recipients": {"company_ids": [press["company_id"]]}}
    sent = editor.post(f"/api/v1/releases/{EMBARGOED_SLUG}/distributions", picked)
    assert sent.status == 202, sent
    assert sent.json["variant"] == "embargoed" and sent.json["release"]["embargo_until"]

    (mail,) = release_mail(outbox, EMBARGOED_SLUG)
    subject = str(mail["Subject"]).strip()  # a long subject is folded: the parser keeps the folding space
    assert subject.startswith("[EMBARGO hingga ") and "WIB]" in subject
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "EMBARGO: TIDAK UNTUK DISIARKAN SEBELUM" in text and "EMBARGO: tidak untuk disiarkan sebelum" in html
    link = f"/api/v1/releases/{EMBARGOED_SLUG}/files/posyandu.png"
    assert link in text and link in html  # not the public page's file: there is none yet

    got = press["partner"].get(link)
    assert got.status == 303, got
    with open("content/releases/2026-10-15-pekan-imunisasi-anak/posyandu.png", "rb") as handle:
        assert requests.get(got.headers["location"], timeout=10).content == handle.read()
    assert press["second"].get(link).status == 403  # a partner it was not sent to
    assert client(press["chalice_app"]).get(link).status == 401
    assert press["partner"].get(f"/api/v1/releases/{EMBARGOED_SLUG}/files/lain.png").status == 404


def test_what_cannot_be_sent_is_refused_with_its_reason_and_nothing_is_written(press, outbox):
    editor, table = press["editor"], press["table"]
    outbox()
    before = count_items(table)
    everyone = {"recipients": {"all_partners": True}}
    cases = [
        (editor, "tidak-ada", everyone, 404, "NOT_FOUND"),
        (editor, DRAFT_SLUG, everyone, 404, "NOT_FOUND"),
        (editor, SCHEDULED_SLUG, everyone, 409, "RELEASE_NOT_PUBLISHED"),
        (editor, "Rilis_Besar", everyone, 404, "NOT_FOUND"),
        (editor, PUBLIC_SLUG, {"recipients": {}}, 422, "VALIDATION_FAILED"),
        (editor, PUBLIC_SLUG, {"recipients": {"all_partners": True, "media_types": ["siber"]}}, 422,
         "VALIDATION_FAILED"),
        (editor, PUBLIC_SLUG, {"recipients": {"company_ids": [press["unverified_id"]]}}, 422, "VALIDATION_FAILED"),
        (editor, PUBLIC_SLUG, {"recipients": {"company_ids": ["01JAAAAAAAAAAAAAAAAAAAAAAA"]}}, 422,
         "VALIDATION_FAILED"),
        (editor, PUBLIC_SLUG, {"recipients": {"list_id": "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, 422, "VALIDATION_FAILED"),
        (editor, PUBLIC_SLUG, {"recipients": {"media_types": ["majalah"]}}, 422, "VALIDATION_FAILED"),
        (press["finance"], PUBLIC_SLUG, everyone, 403, "FORBIDDEN"),
        (press["partner"], PUBLIC_SLUG, everyone, 403, "FORBIDDEN"),
        (client(press["chalice_app"]), PUBLIC_SLUG, everyone, 401, "NOT_AUTHENTICATED"),
    ]
    for who, slug, body, status, code in cases:
        answer = who.post(f"/api/v1/releases/{slug}/distributions", body)
        assert (answer.status, answer.error_code) == (status, code), (slug, body, answer)
    unverified = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions",
                             {"recipients": {"company_ids": [press["company_id"], press["unverified_id"]]}})
    (detail,) = unverified.json["error"]["details"]
    assert (detail["field"], detail["code"]) == ("recipients.company_ids[1]", "partner_not_verified")
    assert "belum terverifikasi" in detail["message"]
    assert count_items(table) == before
    assert outbox() == [] or all("Pekan" not in m["Subject"] for m in outbox())


def test_media_types_and_saved_lists_choose_the_recipients(press, outbox):
    editor = press["editor"]
    radio = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions/preview",
                        {"recipients": {"media_types": ["radio"]}})
    assert radio.json["recipients"] == []
    saved = editor.post("/api/v1/recipient-lists", {"name": "Media siber daerah", "company_ids": [press["second_id"]]})
    assert saved.status == 201, saved
    listed = editor.get("/api/v1/recipient-lists").json["lists"]
    assert [entry["name"] for entry in listed] == ["Media siber daerah"]
    stale = editor.put(f"/api/v1/recipient-lists/{saved.json['list']['id']}",
                       {"name": "Media siber", "company_ids": [press["second_id"]], "version": 7})
    assert stale.status == 409, stale
    sent = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions",
                       {"recipients": {"list_id": saved.json["list"]["id"]}})
    assert [d["company_id"] for d in sent.json["queued"]] == [press["second_id"]]
    bad = editor.post("/api/v1/recipient-lists", {"name": "Campur", "company_ids": [press["unverified_id"]]})
    assert bad.status == 422 and bad.json["error"]["details"][0]["code"] == "partner_not_verified"


def test_two_sends_at_once_give_each_partner_the_release_once(press, outbox):
    editor2 = client(press["chalice_app"])
    user, password = press["make_user"](roles=("orders",), email="orders2@example.go.id")
    assert editor2.login(user.email, password).status == 200
    answers = []

    def send(who):
        answers.append(who.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions",
                                {"recipients": {"all_partners": True}}))

    threads = [threading.Thread(target=send, args=(who,)) for who in (press["editor"], editor2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a.status == 202 for a in answers), answers
    assert sum(len(a.json["queued"]) for a in answers) == 2
    assert len(release_mail(outbox, "Pekan Imunisasi Anak")) == 2


def test_failed_release_mail_is_sent_again_from_the_delivery_log(press, outbox):
    editor, services = press["editor"], press["services"]
    editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions", {"recipients": {"all_partners": True}})
    (first, second) = services.stores.outbox.about("RELEASE", PUBLIC_SLUG)
    now = utc_now()
    claimed = first.claimed(now, RetryPolicy())
    assert services.stores.outbox.save(claimed, first.version)
    assert services.stores.outbox.save(claimed.attempt_failed(now, "550 mailbox full", True, RetryPolicy()),
                                       claimed.version)
    outbox()
    log = editor.get(f"/api/v1/releases/{PUBLIC_SLUG}/distributions").json
    assert (log["counts"]["FAILED"], log["counts"]["SENT"]) == (1, 1)
    again = editor.post(f"/api/v1/releases/{PUBLIC_SLUG}/distributions/resend")
    assert again.json == {"queued_again": 1}
    outbox()
    log = editor.get(f"/api/v1/releases/{PUBLIC_SLUG}/distributions").json
    assert log["counts"]["SENT"] == 2
    assert services.stores.outbox.get(second.id).status == MailStatus.SENT


def test_a_worker_killed_mid_batch_loses_nothing_and_the_next_run_sends_the_rest_once(press, tmp_path):
    """`seklik jobs send` killed with SIGKILL while sending: every message ends SENT, one file each."""
    services = press["services"]
    now = utc_now()
    messages = [OutboxMessage.queued(f"01KILL{n:020d}", Mail(to=f"r{n}@ogannews.example.co.id", subject=f"S{n}",
                                                               text="isi", kind="release.distributed",
                                                               about=("RELEASE", "uji-kill")), now)
                for n in range(120)]
    for start in range(0, len(messages), 100):
        services.table.transact(element for _, element in queue_elements(services.table, messages[start:start + 100]))
    folder = tmp_path / "outbox"
    worker = subprocess.Popen([str(Path(sys.executable).parent / "seklik"), "jobs", "send"], env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(folder.glob("01KILL*.eml"))) < 10:
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    at_kill = len(list(folder.glob("01KILL*.eml")))
    assert 10 <= at_kill < len(messages), "the worker must be stopped mid-batch"
    # The next run, once the dead worker's lease has run out, sends what is left.
    services.mail.deliver_due(now=utc_now() + RetryPolicy().lease + timedelta(seconds=1), limit=500)
    files = sorted(p.stem for p in folder.glob("01KILL*.eml"))  # the scene's own mail is there too
    assert files == sorted(m.id for m in messages)
    assert {services.stores.outbox.get(m.id).status for m in messages} == {MailStatus.SENT}
