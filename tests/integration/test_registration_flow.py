"""Registration to verification, through the HTTP API on the real local servers.

register → upload → confirm → submit → review → decide → email in outbox →
resubmit → verify → public list, with the audit trail checked at the end.
"""

from __future__ import annotations

from datetime import date, timedelta

import requests

from tests import samples
from tests.conftest import ApiClient, all_items, count_items

REQUIRED_SIBER = ["akta_pendirian", "sk_kemenkumham", "nib", "npwp", "rekening", "domisili", "ukw_pemred",
                  "profil_perusahaan", "foto_kantor", "pedoman_media_siber"]


def state(table_name) -> int:
    """Items that make up the data (not the throttling counter, which counts every attempt and expires)."""
    return len([i for i in all_items(table_name) if i["type"] != "ATTEMPT"])


def register(api, n=None, **changes):
    data = samples.registration(n, **changes)
    result = api.post("/api/v1/media", data)
    assert result.status == 201, result
    assert api.login(data["account"]["email"], data["account"]["password"]).status == 200
    return result.json["company"]["id"], data


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
    assert len(mail) == 1 and mail[0]["To"] == data["account"]["email"]
    text = mail[0].get_content()
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


def test_registration_is_one_transaction_and_each_identifier_registers_once(api, table_name):
    first = samples.registration(1)
    assert api.post("/api/v1/media", first).status == 201
    before = state(table_name)

    again = samples.registration(2)
    again["profile"]["npwp"] = first["profile"]["npwp"]
    again["profile"]["nib"] = first["profile"]["nib"]
    again["account"]["email"] = first["account"]["email"].upper()
    refused = api.post("/api/v1/media", again)
    assert refused.status == 409 and refused.error_code == "ALREADY_REGISTERED"
    fields = {d["field"] for d in refused.json["error"]["details"]}
    assert fields == {"account.email", "profile.npwp", "profile.nib"}
    assert "NPWP" in refused.json["error"]["message"]
    assert state(table_name) == before  # nothing of the second attempt was written

    # The same NPWP written as 16 digits is the same NPWP.
    only_npwp = samples.registration(3)
    only_npwp["profile"]["npwp"] = "0" + "".join(ch for ch in first["profile"]["npwp"] if ch.isdigit())
    refused = api.post("/api/v1/media", only_npwp)
    assert [d["field"] for d in refused.json["error"]["details"]] == ["profile.npwp"]

    # Nor may two companies share a bank account number or an SK Kemenkumham, however it is written.
    shared = samples.registration(4)
    shared["profile"]["bank_account"]["number"] = first["profile"]["bank_account"]["number"].replace("-", " ")
    shared["profile"]["sk_kemenkumham"] = first["profile"]["sk_kemenkumham"].lower()
    refused = api.post("/api/v1/media", shared)
    assert refused.status == 409 and refused.error_code == "ALREADY_REGISTERED"
    assert {d["field"] for d in refused.json["error"]["details"]} == {"profile.bank_account.number",
                                                                      "profile.sk_kemenkumham"}
    assert "nomor rekening" in refused.json["error"]["message"] and "SK Kemenkumham" in refused.json["error"]["message"]
    assert state(table_name) == before


def test_a_profile_change_cannot_take_another_companys_identifiers_and_frees_its_own(api, chalice_app, table_name):
    from tests.cooperation import client

    first_id, first = register(client(chalice_app), 11)
    company_id, second = register(api, 12)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    taken = {**second["profile"], "bank_account": {**second["profile"]["bank_account"],
                                                   "number": first["profile"]["bank_account"]["number"]}}
    before = state(table_name)
    refused = api.put(f"/api/v1/media/{company_id}", {"profile": taken, "version": version})
    assert refused.status == 409 and refused.error_code == "ALREADY_REGISTERED", refused
    assert [d["field"] for d in refused.json["error"]["details"]] == ["profile.bank_account.number"]
    assert state(table_name) == before

    # A new number of its own is accepted, and the old one is free for another company.
    moved = {**second["profile"], "sk_kemenkumham": "AHU-7654321.AH.01.01.2016",
             "bank_account": {**second["profile"]["bank_account"], "number": "9876543210"}}
    saved = api.put(f"/api/v1/media/{company_id}", {"profile": moved, "version": version})
    assert saved.status == 200, saved
    third = samples.registration(13)
    third["profile"]["bank_account"]["number"] = second["profile"]["bank_account"]["number"]
    third["profile"]["sk_kemenkumham"] = second["profile"]["sk_kemenkumham"]
    assert client(chalice_app).post("/api/v1/media", third).status == 201


def test_a_retried_registration_with_the_same_idempotency_key_returns_the_first_result(api, table_name):
    data = samples.registration()
    headers = {"Idempotency-Key": "8d0c7a0e-5b7e-4a57-9d0f-3c1a2b4d5e6f"}
    first = api.post("/api/v1/media", data, headers=headers)
    assert first.status == 201
    items = state(table_name)
    second = api.post("/api/v1/media", data, headers=headers)
    assert second.status == 201 and second.headers.get("idempotent-replayed") == "true"
    assert second.json["company"]["id"] == first.json["company"]["id"]
    assert state(table_name) == items

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


def test_one_address_cannot_register_without_limit(api, table_name):
    from chalicelib.services.registration import MAX_REGISTRATIONS_PER_ADDRESS

    for n in range(MAX_REGISTRATIONS_PER_ADDRESS):
        assert api.post("/api/v1/media", samples.registration()).status == 201
    items = count_items(table_name)
    refused = api.post("/api/v1/media", samples.registration())
    assert refused.status == 429 and refused.error_code == "REGISTRATION_THROTTLED", refused
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    companies = [i for i in all_items(table_name) if i["type"] == "COMPANY"]
    assert len(companies) == MAX_REGISTRATIONS_PER_ADDRESS
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
    created = api.post("/api/v1/media", yayasan)
    assert created.status == 201 and created.json["company"]["profile"]["legal_form"] == "Yayasan"
