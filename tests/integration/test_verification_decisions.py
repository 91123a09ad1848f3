"""Verification decisions and the daily expiry job, on the real local servers.

Concurrent decisions on one company (exactly one wins, the rest get
STALE_VERSION, one audit line, one email); the rules a decision and a
document review must meet; and ``run_expiry``: 30-day warnings sent once,
then EXPIRED companies (off the public list, editable again) and EXPIRED
documents (shown as a problem in the partner's checklist).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests import samples
from tests.conftest import ApiClient, all_items, count_items
from tests.integration.test_registration_flow import register, upload_all, verifier_client


@pytest.fixture
def outbox(outbox):
    """The mail the decisions send (each company's activation mail came before and is not this module's)."""
    return lambda: [m for m in outbox() if not m["Subject"].startswith("Aktifkan akun")]


def today():
    from chalicelib.domain.clock import today_wib, utc_now

    return today_wib(utc_now())


def page(verifier, company_id) -> dict:
    result = verifier.get(f"/api/v1/verification/{company_id}")
    assert result.status == 200, result
    return result.json


def review(verifier, company_id, document, decision="accepted", reason=None, version=None):
    body = {"decision": decision, "version": document["version"] if version is None else version}
    if reason is not None:
        body["reason"] = reason
    return verifier.post(f"/api/v1/verification/{company_id}/documents/{document['id']}", body)


def accept_all(verifier, company_id, but=()) -> dict:
    for item in page(verifier, company_id)["checklist"]:
        if item["document"] and item["doc_type"] not in but:
            assert review(verifier, company_id, item["document"]).status == 200
    return page(verifier, company_id)


def decide(verifier, company_id, decision, version, reasons=None, verified_until=None):
    body = {"decision": decision, "version": version}
    if reasons is not None:
        body["reasons"] = reasons
    if verified_until is not None:
        body["verified_until"] = verified_until.isoformat()
    return verifier.post(f"/api/v1/verification/{company_id}/decision", body)


def fields_of(result) -> set[str]:
    return {d["field"] for d in result.json["error"]["details"]}


def decision_events(table_name, company_id) -> list[dict]:
    return [i for i in all_items(table_name) if i["PK"] == f"COMPANY#{company_id}" and i.get("type") == "AUDIT"
            and i["action"] in ("company.verified", "company.rejected", "company.revision_requested")]


@pytest.fixture
def submitted(api):
    """A siber company with every required document uploaded, submitted for verification."""
    company_id, data = register(api)
    upload_all(api, company_id)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    assert api.post(f"/api/v1/media/{company_id}/submit", {"version": version}).status == 200
    return company_id, data


@pytest.fixture
def verifier(chalice_app, make_user):
    return verifier_client(chalice_app, make_user)


# -- concurrent decisions ------------------------------------------------------------------

def test_of_eight_verifiers_deciding_at_once_exactly_one_wins(submitted, verifier, services, make_user, outbox,
                                                               table_name):
    from chalicelib.domain.press_company import CompanyStatus
    from chalicelib.errors import SeklikError

    company_id, data = submitted
    version = accept_all(verifier, company_id)["company"]["version"]
    actors = [make_user(roles=("verifier",), name=f"Verifikator {i}")[0] for i in range(8)]
    until = today() + timedelta(days=365)
    start = threading.Barrier(len(actors))
    outcomes: list = [None] * len(actors)

    def attempt(i: int) -> None:
        decision = CompanyStatus.VERIFIED if i % 2 == 0 else CompanyStatus.REJECTED
        start.wait()
        try:
            outcomes[i] = services.verification.decide(actors[i], company_id, decision, [] if i % 2 == 0
                                                       else [f"Alasan {i}"], until, version)
        except SeklikError as error:
            outcomes[i] = (error.code, error.status)
        except Exception as error:  # noqa: BLE001 — a crash must fail the test, not vanish in a thread
            outcomes[i] = ("CRASH", repr(error))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [(i, o) for i, o in enumerate(outcomes) if not isinstance(o, tuple)]
    losers = [o for o in outcomes if isinstance(o, tuple)]
    assert len(winners) == 1, outcomes
    assert losers == [("STALE_VERSION", 409)] * (len(actors) - 1), outcomes

    index, winner = winners[0]
    stored = services.stores.companies.get(company_id)
    assert stored.status == winner.status and stored.version == version + 1
    assert stored.decided_by == actors[index].id
    events = decision_events(table_name, company_id)
    assert len(events) == 1 and events[0]["actor_id"] == actors[index].id
    mail = outbox()
    assert len(mail) == 1 and mail[0]["To"] == data["account"]["email"]
    assert ("terverifikasi" if winner.status == CompanyStatus.VERIFIED else "ditolak") in mail[0]["Subject"]


def test_the_second_of_two_verifiers_with_the_same_page_gets_stale_version(submitted, verifier, chalice_app,
                                                                            make_user, outbox, table_name):
    company_id, _ = submitted
    other = verifier_client(chalice_app, make_user)
    seen = page(verifier, company_id)["company"]["version"]
    assert page(other, company_id)["company"]["version"] == seen

    first = decide(verifier, company_id, "REVISION_REQUESTED", seen, reasons=["Perjelas alamat redaksi"])
    assert first.status == 200, first
    items = count_items(table_name)
    second = decide(other, company_id, "REJECTED", seen, reasons=["Bukan perusahaan pers"])
    assert second.status == 409 and second.error_code == "STALE_VERSION", second
    assert count_items(table_name) == items
    assert page(other, company_id)["company"]["status"] == "REVISION_REQUESTED"
    assert len(decision_events(table_name, company_id)) == 1 and len(outbox()) == 1


# -- what a decision needs --------------------------------------------------------------------

def test_verified_needs_every_required_document_accepted(submitted, verifier, outbox, table_name):
    company_id, _ = submitted
    seen = accept_all(verifier, company_id, but=("npwp", "rekening"))
    rekening = next(i["document"] for i in seen["checklist"] if i["doc_type"] == "rekening")
    assert review(verifier, company_id, rekening, "rejected", "Nama rekening beda").status == 200
    version = page(verifier, company_id)["company"]["version"]
    items = count_items(table_name)

    refused = decide(verifier, company_id, "VERIFIED", version, verified_until=today() + timedelta(days=365))
    assert refused.status == 422 and refused.error_code == "VALIDATION_FAILED"
    assert fields_of(refused) == {"documents.npwp", "documents.rekening"}
    assert all(d["code"] == "document_not_accepted" for d in refused.json["error"]["details"])
    assert count_items(table_name) == items and outbox() == []
    assert page(verifier, company_id)["company"]["status"] == "SUBMITTED"


@pytest.mark.parametrize("days", [-1, 0, 3 * 366 + 1], ids=["yesterday", "today", "over-three-years"])
def test_verified_needs_a_validity_end_after_today_and_within_three_years(submitted, verifier, outbox, table_name,
                                                                          days):
    company_id, _ = submitted
    version = accept_all(verifier, company_id)["company"]["version"]
    items = count_items(table_name)
    refused = decide(verifier, company_id, "VERIFIED", version, verified_until=today() + timedelta(days=days))
    assert refused.status == 422 and fields_of(refused) == {"verified_until"}, refused
    missing = decide(verifier, company_id, "VERIFIED", version)
    assert missing.status == 422 and fields_of(missing) == {"verified_until"}, missing
    assert count_items(table_name) == items and outbox() == []


@pytest.mark.parametrize("reasons", [None, [], ["   "]], ids=["absent", "empty", "blank"])
def test_rejected_needs_reasons(submitted, verifier, outbox, table_name, reasons):
    company_id, _ = submitted
    version = page(verifier, company_id)["company"]["version"]
    items = count_items(table_name)
    refused = decide(verifier, company_id, "REJECTED", version, reasons=reasons)
    assert refused.status == 422 and fields_of(refused) == {"reasons"}, refused
    assert count_items(table_name) == items and outbox() == []


def test_a_draft_company_is_not_awaiting_verification(api, verifier, outbox, table_name):
    company_id, _ = register(api)
    version = page(verifier, company_id)["company"]["version"]
    items = count_items(table_name)
    for decision, extra in (("VERIFIED", {"verified_until": today() + timedelta(days=30)}),
                            ("REJECTED", {"reasons": ["Tidak lengkap"]}),
                            ("REVISION_REQUESTED", {"reasons": ["Lengkapi"]})):
        refused = decide(verifier, company_id, decision, version, **extra)
        assert refused.status == 409 and refused.error_code == "NOT_AWAITING_VERIFICATION", refused
    assert count_items(table_name) == items and outbox() == []
    assert page(verifier, company_id)["company"]["status"] == "DRAFT"


def test_reviewing_a_document_with_a_stale_version_is_refused(submitted, verifier, table_name):
    company_id, _ = submitted
    document = next(i["document"] for i in page(verifier, company_id)["checklist"] if i["doc_type"] == "npwp")
    assert review(verifier, company_id, document).status == 200
    items = count_items(table_name)
    stale = review(verifier, company_id, document, "rejected", "Buram")  # the version seen before the accept
    assert stale.status == 409 and stale.error_code == "STALE_VERSION", stale
    assert count_items(table_name) == items
    current = next(i["document"] for i in page(verifier, company_id)["checklist"] if i["doc_type"] == "npwp")
    assert current["status"] == "ACCEPTED" and current["version"] == document["version"] + 1


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["absent", "empty", "blank"])
def test_rejecting_a_document_needs_a_reason(submitted, verifier, table_name, reason):
    company_id, _ = submitted
    document = next(i["document"] for i in page(verifier, company_id)["checklist"] if i["doc_type"] == "npwp")
    items = count_items(table_name)
    refused = review(verifier, company_id, document, "rejected", reason)
    assert refused.status == 422 and fields_of(refused) == {"reason"}, refused
    assert count_items(table_name) == items
    current = next(i["document"] for i in page(verifier, company_id)["checklist"] if i["doc_type"] == "npwp")
    assert current["status"] == "UPLOADED" and current["version"] == document["version"]


# -- the daily expiry job ------------------------------------------------------------------------

def test_an_expiring_verification_is_warned_once_then_expires(api, submitted, verifier, services, outbox,
                                                              table_name):
    from chalicelib.services.verification import ExpiryReport

    company_id, data = submitted
    until = today() + timedelta(days=100)
    version = accept_all(verifier, company_id)["company"]["version"]
    assert decide(verifier, company_id, "VERIFIED", version, verified_until=until).status == 200
    public = ApiClient(api.client)
    assert [p["media_name"] for p in public.get("/api/v1/public/partners").json["partners"]] \
        == [data["profile"]["media_name"]]
    run = services.verification.run_expiry
    sent = len(outbox())  # the "terverifikasi" email

    assert run(today=until - timedelta(days=31)) == ExpiryReport()
    assert run(today=until - timedelta(days=30)) == ExpiryReport(verifications_expiring=1)
    for day in (until - timedelta(days=30), until - timedelta(days=5), until):
        assert run(today=day) == ExpiryReport()  # warned already; still valid on its last day
    mail = outbox()[sent:]
    assert len(mail) == 1 and "segera berakhir" in mail[0]["Subject"] and mail[0]["To"] == data["account"]["email"]
    assert api.get(f"/api/v1/media/{company_id}").json["company"]["status"] == "VERIFIED"

    assert run(today=until + timedelta(days=1)) == ExpiryReport(verifications_expired=1)
    assert run(today=until + timedelta(days=2)) == ExpiryReport()
    mail = outbox()[sent:]
    assert len(mail) == 2 and "telah berakhir" in mail[1]["Subject"]
    assert public.get("/api/v1/public/partners").json["partners"] == []

    # The owner may edit again and ask for verification anew.
    overview = api.get(f"/api/v1/media/{company_id}").json
    assert overview["company"]["status"] == "EXPIRED" and overview["company"]["editable"]
    changed = dict(data["profile"], reach=200000)
    updated = api.put(f"/api/v1/media/{company_id}", {"version": overview["company"]["version"], "profile": changed})
    assert updated.status == 200, updated
    assert samples.upload(api, company_id, "npwp").status == 200
    resubmitted = api.post(f"/api/v1/media/{company_id}/submit", {"version": updated.json["company"]["version"]})
    assert resubmitted.status == 200 and resubmitted.json["company"]["status"] == "SUBMITTED", resubmitted
    actions = [i["action"] for i in all_items(table_name) if i["PK"] == f"COMPANY#{company_id}"
               and i.get("type") == "AUDIT"]
    assert actions.count("company.verification_expiring") == 1 and actions.count("company.verification_expired") == 1


def test_an_expiring_document_is_warned_once_then_expires_and_the_checklist_says_so(api, services, outbox,
                                                                                     table_name):
    from chalicelib.services.verification import ExpiryReport

    company_id, data = register(api)
    ends = today() + timedelta(days=60)
    first = samples.upload(api, company_id, "domisili", expires_on=ends.isoformat())
    assert first.status == 200, first
    run = services.verification.run_expiry

    assert run(today=ends - timedelta(days=31)) == ExpiryReport()
    assert run(today=ends - timedelta(days=30)) == ExpiryReport(documents_expiring=1)
    for day in (ends - timedelta(days=30), ends - timedelta(days=1), ends):
        assert run(today=day) == ExpiryReport()
    mail = outbox()
    assert len(mail) == 1 and "segera kedaluwarsa" in mail[0]["Subject"] and mail[0]["To"] == data["account"]["email"]
    assert "Surat keterangan domisili" in mail[0]["Subject"]
    item = next(i for i in api.get(f"/api/v1/media/{company_id}").json["checklist"] if i["doc_type"] == "domisili")
    assert item["problem"] is None and item["document"]["status"] == "UPLOADED"

    assert run(today=ends + timedelta(days=1)) == ExpiryReport(documents_expired=1)
    assert run(today=ends + timedelta(days=2)) == ExpiryReport()
    mail = outbox()
    assert len(mail) == 2 and "telah kedaluwarsa" in mail[1]["Subject"]
    overview = api.get(f"/api/v1/media/{company_id}").json
    item = next(i for i in overview["checklist"] if i["doc_type"] == "domisili")
    assert item["document"]["status"] == "EXPIRED"
    assert "Masa berlaku dokumen ini telah habis" in item["problem"]
    assert "Surat keterangan domisili" in overview["missing"] and not overview["can_submit"]

    # A valid replacement clears the problem; the superseded, expired one is never warned about again.
    replacement = samples.upload(api, company_id, "domisili", expires_on=(today() + timedelta(days=400)).isoformat())
    assert replacement.status == 200, replacement
    item = next(i for i in api.get(f"/api/v1/media/{company_id}").json["checklist"] if i["doc_type"] == "domisili")
    assert item["problem"] is None and item["document"]["id"] == replacement.json["document"]["id"]
    assert run(today=ends + timedelta(days=3)) == ExpiryReport()


def test_a_superseded_document_is_not_warned_about(api, services, outbox):
    from chalicelib.services.verification import ExpiryReport

    company_id, _ = register(api)
    soon = today() + timedelta(days=20)
    assert samples.upload(api, company_id, "ukw_pemred", expires_on=soon.isoformat()).status == 200
    later = today() + timedelta(days=500)
    assert samples.upload(api, company_id, "ukw_pemred", expires_on=later.isoformat()).status == 200
    assert services.verification.run_expiry(today=soon - timedelta(days=1)) == ExpiryReport()
    assert services.verification.run_expiry(today=soon + timedelta(days=1)) == ExpiryReport()
    assert outbox() == []
    history = api.get(f"/api/v1/media/{company_id}/documents").json["history"]
    assert [d["status"] for d in history] == ["UPLOADED", "UPLOADED"]


def test_a_lapsed_verification_leaves_the_public_list_before_the_job_marks_it(submitted, verifier, services):
    from chalicelib.domain.clock import utc_now
    from chalicelib.services.verification import VerificationService

    company_id, data = submitted
    until = today() + timedelta(days=100)
    version = accept_all(verifier, company_id)["company"]["version"]
    assert decide(verifier, company_id, "VERIFIED", version, verified_until=until).status == 200
    listed = [c.id for c in services.verification.verified_partners()]
    assert listed == [company_id]

    after_the_end = VerificationService(
        services.table, services.stores.companies, services.access, services.registration,
        services.verification.notifier,
        clock=lambda: utc_now() + timedelta(days=102),
    )
    assert after_the_end.verified_partners() == []  # the job has not run; the company is still VERIFIED
    assert services.stores.companies.get(company_id).status.value == "VERIFIED"
