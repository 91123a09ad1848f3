"""Registration to verification, through the HTTP API on the real local servers.

register → upload → confirm → submit → review → decide → email in outbox →
resubmit → verify → public list, with the audit trail checked at the end.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import requests

from chalicelib.domain.clock import utc_now
from chalicelib.domain.registration import ACTIVATION_DAYS
from chalicelib.errors import SeklikError

from tests import samples
from tests.conftest import ApiClient, all_items, count_items

REQUIRED_SIBER = ["akta_pendirian", "sk_kemenkumham", "nib", "npwp", "rekening", "domisili", "ukw_pemred",
                  "profil_perusahaan", "foto_kantor", "pedoman_media_siber"]


def state(table_name) -> int:
    """Items that make up the data (not the throttling counter, which counts every attempt and expires)."""
    return len([i for i in all_items(table_name) if i["type"] != "ATTEMPT"])


def activation_token(email: str) -> str:
    """The token of the newest activation link mailed to ``email`` (read from the queued mail)."""
    from chalicelib.wiring import get_settings

    mails = [i for i in all_items(get_settings().table_name)
             if i["type"] == "MAIL" and i["to"] == email and i["kind"] == "registration.link"]
    newest = max(mails, key=lambda i: i["created_at"])
    (token,) = re.findall(r"/mitra/aktifkan/\?token=([A-Za-z0-9_-]+)", newest["text"])
    return token


def activate(api, email: str, password: str = samples.PARTNER_PASSWORD) -> dict:
    """Follow the link in the activation mail with the registration's password, as the registrant does."""
    result = api.post("/api/v1/media/activations", {"token": activation_token(email), "password": password})
    assert result.status == 201, result
    return result.json


def register(api, n=None, **changes):
    """Register a press company as its people do: the form, the link in the mail, then sign in."""
    data = samples.registration(n, **changes)
    sent = api.post("/api/v1/media", data)
    assert sent.status == 202, sent
    company_id = activate(api, data["account"]["email"])["company"]["id"]
    assert api.login(data["account"]["email"], data["account"]["password"]).status == 200
    return company_id, data


def upload_all(api, company_id, types=REQUIRED_SIBER):
    for doc_type in types:
        content, ctype, name = (samples.png(), "image/png", "foto.png") if doc_type == "foto_kantor" \
            else (samples.PDF, "application/pdf", f"{doc_type}.pdf")
        confirmed = samples.upload(api, company_id, doc_type, content, ctype, name)
        assert confirmed.status == 200, confirmed


def verifier_client(chalice_app, make_user):
    from chalice.test import Client

    user, password = make_user(roles=("verifier",), name="Vera Verifikator")
    client = ApiClient(Client(chalice_app).__enter__())
    assert client.login(user.email, password).status == 200
    return client


def test_the_whole_path_from_registration_to_the_public_list(api, chalice_app, make_user, outbox, table_name):
    company_id, data = register(api)
    overview = api.get(f"/api/v1/media/{company_id}").json
    assert overview["company"]["status"] == "DRAFT"
    assert set(overview["missing"]) and not overview["can_submit"]

    # Submitting early names every missing document.
    early = api.post(f"/api/v1/media/{company_id}/submit", {"version": overview["company"]["version"]})
    assert early.status == 409 and early.error_code == "DOCUMENTS_INCOMPLETE"
    assert {d["field"] for d in early.json["error"]["details"]} == {f"documents.{t}" for t in REQUIRED_SIBER}

    upload_all(api, company_id)
    overview = api.get(f"/api/v1/media/{company_id}").json
    assert overview["can_submit"] and overview["missing"] == []
    document = overview["checklist"][0]["document"]
    assert document["sha256"] and document["size"] == len(samples.PDF) and document["status"] == "UPLOADED"

    submitted = api.post(f"/api/v1/media/{company_id}/submit", {"version": overview["company"]["version"]})
    assert submitted.status == 200, submitted
    assert submitted.json["company"]["status"] == "SUBMITTED" and not submitted.json["company"]["editable"]

    # The verifier finds it in the queue, opens a document, rejects one and asks for a revision.
    verifier = verifier_client(chalice_app, make_user)
    queue = verifier.get("/api/v1/verification/queue").json["companies"]
    assert [c["id"] for c in queue] == [company_id]
    page = verifier.get(f"/api/v1/verification/{company_id}").json
    npwp_doc = next(i["document"] for i in page["checklist"] if i["doc_type"] == "npwp")
    link = verifier.get(f"/api/v1/media/{company_id}/documents/{npwp_doc['id']}/download").json
    fetched = requests.get(link["url"], timeout=10)
    assert fetched.content == samples.PDF and "attachment" in fetched.headers.get("content-disposition", "")

    rejected = verifier.post(f"/api/v1/verification/{company_id}/documents/{npwp_doc['id']}",
                             {"decision": "rejected", "reason": "Pindaian NPWP buram", "version": npwp_doc["version"]})
    assert rejected.status == 200, rejected
    revision = verifier.post(f"/api/v1/verification/{company_id}/decision",
                             {"decision": "REVISION_REQUESTED", "reasons": ["Perjelas alamat redaksi"],
                              "version": page["company"]["version"]})
    assert revision.status == 200, revision
    mail = outbox()
    assert [m["Subject"] for m in mail] == [f"Aktifkan akun mitra media {data['profile']['media_name']}",
                                            f"Data {data['profile']['media_name']} perlu diperbaiki"]
    assert mail[1]["To"] == data["account"]["email"]
    text = mail[1].get_content()
    assert "Perjelas alamat redaksi" in text and "Pindaian NPWP buram" in text

    # The partner sees why, fixes the profile, replaces the document and resubmits.
    overview = api.get(f"/api/v1/media/{company_id}").json
    assert overview["company"]["status"] == "REVISION_REQUESTED"
    assert overview["company"]["decision_reasons"] == ["Perjelas alamat redaksi"]
    npwp_item = next(i for i in overview["checklist"] if i["doc_type"] == "npwp")
    assert "Pindaian NPWP buram" in npwp_item["problem"]
    fixed = dict(data["profile"], address={**data["profile"]["address"], "street": "Jl. Letnan Muchtar Saleh No. 12"})
    updated = api.put(f"/api/v1/media/{company_id}", {"version": overview["company"]["version"], "profile": fixed})
    assert updated.status == 200, updated
    assert samples.upload(api, company_id, "npwp").status == 200
    overview = api.get(f"/api/v1/media/{company_id}").json
    assert len([d for d in overview["history"] if d["doc_type"] == "npwp"]) == 2  # history kept
    assert api.post(f"/api/v1/media/{company_id}/submit", {"version": overview["company"]["version"]}).status == 200

    # The verifier accepts every document and verifies the company.
    page = verifier.get(f"/api/v1/verification/{company_id}").json
    for item in page["checklist"]:
        if item["document"] and item["document"]["status"] != "ACCEPTED":
            ok = verifier.post(f"/api/v1/verification/{company_id}/documents/{item['document']['id']}",
                               {"decision": "accepted", "version": item["document"]["version"]})
            assert ok.status == 200, ok
    page = verifier.get(f"/api/v1/verification/{company_id}").json
    until = (date.today() + timedelta(days=365)).isoformat()
    verified = verifier.post(f"/api/v1/verification/{company_id}/decision",
                             {"decision": "VERIFIED", "verified_until": until, "version": page["company"]["version"]})
    assert verified.status == 200, verified
    assert verified.json["company"]["status"] == "VERIFIED"
    assert "terverifikasi" in outbox()[-1]["Subject"]

    partners = ApiClient(api.client).get("/api/v1/public/partners").json["partners"]
    assert partners == [{"media_name": data["profile"]["media_name"], "legal_name": data["profile"]["legal_name"],
                         "media_type": "siber", "website": f"https://{data['profile']['website']}",
                         "verified_until": until}]

    # Every step is in the audit trail, newest first, with who did it.
    audit = verifier.get(f"/api/v1/verification/{company_id}").json["audit"]
    actions = [e["action"] for e in reversed(audit)]
    assert actions[0] == "company.registered"
    for expected in ("document.uploaded", "company.submitted", "document.rejected", "company.revision_requested",
                     "company.updated", "document.accepted", "company.verified"):
        assert expected in actions
    assert audit[0]["actor"] == "Vera Verifikator"
    street_change = next(e for e in audit if e["action"] == "company.updated")["changes"]["address.street"]
    assert street_change == {"before": "Jl. Letnan Muchtar Saleh No. 1", "after": "Jl. Letnan Muchtar Saleh No. 12"}


def keys(table_name) -> set[tuple[str, str]]:
    """The data's items (not the throttle's counted attempts)."""
    return {(i["PK"], i["SK"]) for i in all_items(table_name) if i["type"] != "ATTEMPT"}


def registrations_waiting(table_name) -> int:
    return len([i for i in all_items(table_name) if i["type"] == "PENDING_REGISTRATION"])


def test_the_form_answers_the_same_whatever_exists_and_the_owner_of_the_address_is_told(api, table_name, outbox):
    first_id, first = register(api, 1)
    sent = len(outbox())
    answer = api.post("/api/v1/media", samples.registration(9)).json  # a new address: the answer to match

    again = samples.registration(2)
    again["account"]["email"] = first["account"]["email"].upper()
    before = keys(table_name)
    repeated = api.post("/api/v1/media", again)
    assert (repeated.status, repeated.json) == (202, answer)
    # Nothing was made of it (no account, company, guard, waiting registration): one mail to the holder.
    assert [i["type"] for i in all_items(table_name)
            if (i["PK"], i["SK"]) not in before and i["type"] != "ATTEMPT"] == ["MAIL"]
    (told,) = [m for m in outbox()[sent:] if m["To"] == first["account"]["email"]]
    assert told["Subject"] == "Pendaftaran dengan alamat surel Anda"
    assert "mitra/aktifkan" not in told.get_body(("plain",)).get_content()  # no link that would make an account


def test_an_identifier_another_company_holds_goes_to_the_verifier_not_the_registrant(api, chalice_app, make_user,
                                                                                    table_name):
    from tests.cooperation import client

    first_id, first = register(client(chalice_app), 1)
    answer = api.post("/api/v1/media", samples.registration(9)).json

    # The same NPWP (written as 16 digits) and NIB, and the same account number and SK however written.
    copy = samples.registration(2)
    copy["profile"]["npwp"] = "0" + "".join(ch for ch in first["profile"]["npwp"] if ch.isdigit())
    copy["profile"]["nib"] = first["profile"]["nib"]
    copy["profile"]["bank_account"]["number"] = first["profile"]["bank_account"]["number"].replace("-", " ")
    copy["profile"]["sk_kemenkumham"] = first["profile"]["sk_kemenkumham"].lower()
    sent = api.post("/api/v1/media", copy)
    assert (sent.status, sent.json) == (202, answer)  # the form says nothing of whose NPWP it is
    activated = activate(api, copy["account"]["email"])
    company_id = activated["company"]["id"]
    assert "identity_clashes" not in activated["company"]  # nor does the partner's own view
    assert api.login(copy["account"]["email"], copy["account"]["password"]).status == 200
    upload_all(api, company_id)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    assert api.post(f"/api/v1/media/{company_id}/submit", {"version": version}).status == 200

    # The first company keeps its guards; the copy holds none of them.
    guards = {i["PK"]: i["company_id"] for i in all_items(table_name) if i["type"] == "GUARD"}
    assert set(guards.values()) == {first_id}

    verifier = verifier_client(chalice_app, make_user)
    (queued,) = [c for c in verifier.get("/api/v1/verification/queue").json["companies"] if c["id"] == company_id]
    assert queued["identity_clashes"] == ["NPWP", "NIB", "nomor rekening", "SK Kemenkumham"]
    page = verifier.get(f"/api/v1/verification/{company_id}").json
    assert [(c["field"], c["holder"]["id"]) for c in page["identity_clashes"]] == [
        ("profile.npwp", first_id), ("profile.nib", first_id), ("profile.bank_account.number", first_id),
        ("profile.sk_kemenkumham", first_id)]
    for document in [i["document"] for i in page["checklist"] if i["document"]]:
        verifier.post(f"/api/v1/verification/{company_id}/documents/{document['id']}",
                      {"decision": "accepted", "version": document["version"]})
    version = verifier.get(f"/api/v1/verification/{company_id}").json["company"]["version"]
    until = (date.today() + timedelta(days=365)).isoformat()
    refused = verifier.post(f"/api/v1/verification/{company_id}/decision",
                            {"decision": "VERIFIED", "verified_until": until, "version": version})
    assert (refused.status, refused.error_code) == (409, "IDENTITY_CLASH"), refused
    assert "NPWP" in refused.json["error"]["message"]
    rejected = verifier.post(f"/api/v1/verification/{company_id}/decision",
                             {"decision": "REJECTED", "reasons": ["NPWP milik perusahaan lain."], "version": version})
    assert rejected.status == 200, rejected


def test_a_profile_change_to_another_companys_identifier_is_a_clash_and_frees_its_own(api, chalice_app, table_name):
    from tests.cooperation import client

    first_id, first = register(client(chalice_app), 11)
    company_id, second = register(api, 12)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    taken = {**second["profile"], "bank_account": {**second["profile"]["bank_account"],
                                                   "number": first["profile"]["bank_account"]["number"]}}
    saved = api.put(f"/api/v1/media/{company_id}", {"profile": taken, "version": version})
    assert saved.status == 200, saved  # no 409 that would say the number is someone's
    guards = {i["PK"]: i["company_id"] for i in all_items(table_name) if i["type"] == "GUARD"}
    assert list(guards.values()).count(company_id) == 3  # NPWP, NIB, SK: its own number's guard went free
    company = next(i for i in all_items(table_name) if i["type"] == "COMPANY" and i["id"] == company_id)
    assert company["identity_clashes"] == ["bank_account"]

    # A new number of its own clears the clash, and its old values are free for another company.
    moved = {**second["profile"], "sk_kemenkumham": "AHU-7654321.AH.01.01.2016",
             "bank_account": {**second["profile"]["bank_account"], "number": "9876543210"}}
    version = saved.json["company"]["version"]
    assert api.put(f"/api/v1/media/{company_id}", {"profile": moved, "version": version}).status == 200
    company = next(i for i in all_items(table_name) if i["type"] == "COMPANY" and i["id"] == company_id)
    assert not company.get("identity_clashes")
    third = samples.registration(13)
    third["profile"]["bank_account"]["number"] = second["profile"]["bank_account"]["number"]
    third["profile"]["sk_kemenkumham"] = second["profile"]["sk_kemenkumham"]
    other = client(chalice_app)
    assert other.post("/api/v1/media", third).status == 202
    third_id = activate(other, third["account"]["email"])["company"]["id"]
    third_item = next(i for i in all_items(table_name) if i["type"] == "COMPANY" and i["id"] == third_id)
    assert not third_item.get("identity_clashes")


def test_a_profile_change_never_removes_a_guard_another_company_holds(api, chalice_app, table_name):
    """A company from before a guard existed (here: its account-number guard deleted) does not hold it;
    when another company has taken that number since, changing its own number leaves the other's guard."""
    import boto3

    from chalicelib.adapters import schema
    from tests.cooperation import client

    old_id, old = register(api, 21)
    number = api.get(f"/api/v1/media/{old_id}").json["company"]["profile"]["bank_account"]["number"]  # as stored
    guard = schema.bank_account_guard_key(number)
    assert guard["PK"] in {i["PK"] for i in all_items(table_name) if i["type"] == "GUARD"}
    boto3.client("dynamodb").delete_item(TableName=table_name, Key={k: {"S": v} for k, v in guard.items()})
    newer = samples.registration(22)
    newer["profile"]["bank_account"]["number"] = number
    other = client(chalice_app)
    assert other.post("/api/v1/media", newer).status == 202
    newer_id = activate(other, newer["account"]["email"])["company"]["id"]

    version = api.get(f"/api/v1/media/{old_id}").json["company"]["version"]
    moved = {**old["profile"], "bank_account": {**old["profile"]["bank_account"], "number": "5556667778"}}
    assert api.put(f"/api/v1/media/{old_id}", {"profile": moved, "version": version}).status == 200
    guards = {i["PK"]: i["company_id"] for i in all_items(table_name) if i["type"] == "GUARD"}
    assert guards[guard["PK"]] == newer_id  # still the newer company's
    assert guards[schema.bank_account_guard_key("5556667778")["PK"]] == old_id


def test_the_link_makes_the_account_once_and_expires(api, table_name, services, monkeypatch):
    data = samples.registration()
    assert api.post("/api/v1/media", data).status == 202
    assert registrations_waiting(table_name) == 1
    assert not [i for i in all_items(table_name) if i["type"] in ("USER", "COMPANY", "GUARD")]
    assert api.login(data["account"]["email"], data["account"]["password"]).status == 401  # no account yet

    token = activation_token(data["account"]["email"])
    # The link alone opens nothing: whoever registered someone else's address cannot have them activate it.
    before = state(table_name)
    wrong = api.post("/api/v1/media/activations", {"token": token, "password": "bukan-kata-sandinya-sama-sekali"})
    assert (wrong.status, wrong.json["error"]["details"][0]["code"]) == (422, "wrong_password")
    assert state(table_name) == before
    mine = {"token": token, "password": data["account"]["password"]}
    assert api.post("/api/v1/media/activations", mine).status == 201
    assert registrations_waiting(table_name) == 0
    again = api.post("/api/v1/media/activations", mine)
    assert (again.status, again.error_code) == (404, "NOT_FOUND")
    assert api.post("/api/v1/media/activations", {**mine, "token": "x" * 32}).error_code == "NOT_FOUND"
    assert api.login(data["account"]["email"], data["account"]["password"]).status == 200

    # A second registration of the same address before either link was followed: the first link wins.
    late = samples.registration()
    assert api.post("/api/v1/media", late).status == 202
    assert api.post("/api/v1/media", {**late, "account": {**late["account"], "name": "Orang Lain"}}).status == 202
    first_token, second_token = [re.search(r"token=([A-Za-z0-9_-]+)", i["text"]).group(1) for i in sorted(
        (i for i in all_items(table_name) if i["type"] == "MAIL" and i["to"] == late["account"]["email"]),
        key=lambda i: i["created_at"])]
    password = late["account"]["password"]
    assert api.post("/api/v1/media/activations", {"token": first_token, "password": password}).status == 201
    lost = api.post("/api/v1/media/activations", {"token": second_token, "password": password})
    assert (lost.status, lost.error_code) == (409, "ALREADY_ACTIVATED")

    # Three days on, a link no longer works.
    old = samples.registration()
    assert api.post("/api/v1/media", old).status == 202
    token = activation_token(old["account"]["email"])
    later = utc_now() + timedelta(days=ACTIVATION_DAYS, minutes=1)
    monkeypatch.setattr(services.registration, "clock", lambda: later)
    with pytest.raises(SeklikError) as expired:
        services.registration.activate(token, old["account"]["password"])
    assert expired.value.code == "NOT_FOUND"
    assert registrations_waiting(table_name) == 1  # and it goes by TTL


def test_a_retried_registration_with_the_same_idempotency_key_sends_one_mail(api, table_name):
    data = samples.registration()
    headers = {"Idempotency-Key": "8d0c7a0e-5b7e-4a57-9d0f-3c1a2b4d5e6f"}
    first = api.post("/api/v1/media", data, headers=headers)
    assert first.status == 202
    items = state(table_name)
    second = api.post("/api/v1/media", data, headers=headers)
    assert second.status == 202 and second.headers.get("idempotent-replayed") == "true"
    assert second.json == first.json
    assert state(table_name) == items  # no second waiting registration, no second mail

    other = samples.registration()
    reused = api.post("/api/v1/media", other, headers=headers)
    assert reused.status == 422 and reused.error_code == "IDEMPOTENCY_KEY_REUSED"
    bad = api.post("/api/v1/media", other, headers={"Idempotency-Key": "pendek"})
    assert bad.status == 400 and bad.error_code == "INVALID_IDEMPOTENCY_KEY"
    assert state(table_name) == items


def test_bad_profile_fields_are_named_and_nothing_is_written(api, table_name):
    data = samples.registration(npwp="12.345", nib="12", phone="12ab", website="ftp://x", deed_date="2999-01-01")
    data["account"]["password"] = "pendek"
    refused = api.post("/api/v1/media", data)
    assert refused.status == 422
    fields = {d["field"] for d in refused.json["error"]["details"]}
    assert {"profile.npwp", "profile.nib", "profile.phone", "profile.website", "profile.deed_date"} <= fields
    assert count_items(table_name) == 0
    weak = samples.registration()
    weak["account"]["password"] = "pendek"
    refused = api.post("/api/v1/media", weak)
    assert refused.status == 422 and [d["field"] for d in refused.json["error"]["details"]] == ["account.password"]
    assert count_items(table_name) == 0


def test_one_address_cannot_register_without_limit_nor_fill_one_mailbox(api, table_name):
    from chalicelib.services.registration import MAX_MAILS_PER_EMAIL, MAX_REGISTRATIONS_PER_ADDRESS

    victim = samples.registration()
    for n in range(MAX_MAILS_PER_EMAIL):
        assert api.post("/api/v1/media", victim).status == 202
    flooded = api.post("/api/v1/media", victim)
    assert (flooded.status, flooded.error_code) == (429, "REGISTRATION_THROTTLED")
    assert flooded.headers["retry-after"] == str(24 * 3600)

    for n in range(MAX_REGISTRATIONS_PER_ADDRESS - MAX_MAILS_PER_EMAIL - 1):
        assert api.post("/api/v1/media", samples.registration()).status == 202
    items = count_items(table_name)
    refused = api.post("/api/v1/media", samples.registration())
    assert refused.status == 429 and refused.error_code == "REGISTRATION_THROTTLED", refused
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert registrations_waiting(table_name) == MAX_REGISTRATIONS_PER_ADDRESS - 1
    assert count_items(table_name) == items + 1  # only the counted attempt itself (it expires by TTL)


def test_accepted_legal_forms_come_from_configuration(api, services, tmp_path, monkeypatch):
    import json

    from chalicelib import wiring
    from chalicelib.settings import DEFAULT_REGISTRATION_CONFIG

    config = json.loads(open(DEFAULT_REGISTRATION_CONFIG, encoding="utf-8").read())
    assert api.get("/api/v1/public/registration-options").json["legal_forms"] == config["legal_forms"] == ["PT"]
    yayasan = samples.registration(legal_form="Yayasan")
    assert api.post("/api/v1/media", yayasan).status == 422

    config["legal_forms"] = ["PT", "Yayasan", "Koperasi"]
    custom = tmp_path / "registration.json"
    custom.write_text(json.dumps(config), encoding="utf-8")
    monkeypatch.setenv("SEKLIK_REGISTRATION_CONFIG", str(custom))
    wiring.reset()
    options = api.get("/api/v1/public/registration-options").json
    assert options["legal_forms"] == ["PT", "Yayasan", "Koperasi"]
    assert {"code": "pedoman_media_siber", "label": "Tangkapan layar halaman Pedoman Pemberitaan Media Siber",
            "required_for": ["siber"], "expires": False} in options["document_types"]
    assert api.post("/api/v1/media", yayasan).status == 202
    assert activate(api, yayasan["account"]["email"])["company"]["profile"]["legal_form"] == "Yayasan"
