"""Document uploads through the public API and the real S3 server's presigned POST.

What the bucket refuses by its POST policy (too large, empty, another
Content-Type), what the confirm step refuses by reading the file (a PNG or
an HTML page calling itself PDF), confirms that reach no upload or another
company's upload, idempotent confirms, superseded documents and their
history, and short-lived download links.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from tests import samples
from tests.conftest import ApiClient, all_items, count_items
from tests.integration.test_registration_flow import register

TEN_MB = 10 * 1024 * 1024
UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"  # a well-formed ULID that names nothing


def uploads_path(company_id: str) -> str:
    return f"/api/v1/media/{company_id}/documents/uploads"


def confirm_path(company_id: str, upload_id: str) -> str:
    return f"{uploads_path(company_id)}/{upload_id}/confirm"


def request_upload(api, company_id: str, doc_type: str = "npwp", size: int = len(samples.PDF),
                   content_type: str = "application/pdf", **extra):
    body = {"doc_type": doc_type, "filename": "npwp.pdf", "content_type": content_type, "size": size, **extra}
    return api.post(uploads_path(company_id), body)


def stored(services, key: str) -> bool:
    """Whether the bucket holds ``key`` (asked of S3 directly, not through the app)."""
    try:
        boto3.client("s3").head_object(Bucket=services.settings.documents_bucket, Key=key)
    except ClientError as error:
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404, error
        return False
    return True


def documents_in_table(table_name: str) -> list[dict]:
    return [i for i in all_items(table_name) if i.get("type") == "DOCUMENT"]


def fields_of(result) -> dict[str, str]:
    return {d["field"]: d["code"] for d in result.json["error"]["details"]}


@pytest.fixture
def company(api):
    company_id, _ = register(api)
    return company_id


# -- what the bucket itself refuses ------------------------------------------------------

def test_a_file_over_10_mb_is_refused_by_the_s3_policy_even_when_declared_small(api, company, services,
                                                                                table_name):
    grant = request_upload(api, company, size=1000)
    assert grant.status == 201, grant
    assert grant.json["max_bytes"] == TEN_MB
    before = count_items(table_name)

    too_big = samples.post_to_s3(grant.json, b"%PDF-1.4\n" + b"0" * (TEN_MB + 1 - 9))
    assert too_big.status_code == 400, too_big.text
    assert "EntityTooLarge" in too_big.text
    assert not stored(services, grant.json["fields"]["key"])
    assert count_items(table_name) == before and documents_in_table(table_name) == []

    missing = api.post(confirm_path(company, grant.json["upload_id"]))
    assert missing.status == 409 and missing.error_code == "UPLOAD_MISSING"
    assert documents_in_table(table_name) == []


def test_a_declared_size_over_10_mb_or_of_zero_is_refused_when_asking(api, company, table_name):
    before = count_items(table_name)
    too_big = request_upload(api, company, size=TEN_MB + 1)
    assert too_big.status == 422 and too_big.error_code == "VALIDATION_FAILED"
    assert fields_of(too_big) == {"size": "file_too_large"}
    assert "10 MB" in too_big.json["error"]["details"][0]["message"]

    empty = request_upload(api, company, size=0)
    assert empty.status == 422 and fields_of(empty) == {"size": "empty_file"}
    assert count_items(table_name) == before  # no pending upload was recorded

    exactly_ten = request_upload(api, company, size=TEN_MB)
    assert exactly_ten.status == 201, exactly_ten


def test_an_empty_file_cannot_be_stored_because_the_policy_asks_for_one_byte_at_least(api, company, services):
    grant = request_upload(api, company, size=1)
    assert grant.status == 201, grant
    empty = samples.post_to_s3(grant.json, b"")
    assert empty.status_code == 400, empty.text
    assert "EntityTooSmall" in empty.text
    assert not stored(services, grant.json["fields"]["key"])
    assert api.post(confirm_path(company, grant.json["upload_id"])).error_code == "UPLOAD_MISSING"


def test_s3_refuses_a_post_whose_content_type_differs_from_the_policy(api, company, services):
    grant = request_upload(api, company)
    assert grant.status == 201, grant
    assert grant.json["fields"]["Content-Type"] == "application/pdf"
    forged = {**grant.json, "fields": {**grant.json["fields"], "Content-Type": "text/html"}}
    refused = samples.post_to_s3(forged, b"<html><script>alert(1)</script></html>", "x.html", "text/html")
    assert refused.status_code == 403, refused.text
    assert not stored(services, grant.json["fields"]["key"])

    # Nor may the browser choose another key than the one the server made.
    elsewhere = {**grant.json, "fields": {**grant.json["fields"], "key": "companies/someone-else/npwp/x.pdf"}}
    assert samples.post_to_s3(elsewhere, samples.PDF).status_code == 403
    assert not stored(services, "companies/someone-else/npwp/x.pdf")


# -- what the confirm step refuses -----------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "read_as"),
    [
        (samples.png(), "PNG"),
        (b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>", "jenis lain"),
    ],
    ids=["png-as-pdf", "html-as-pdf"],
)
def test_a_file_that_is_not_what_it_claims_is_deleted_on_confirm(api, company, services, table_name, content,
                                                                 read_as):
    grant = request_upload(api, company, size=len(content))
    assert grant.status == 201, grant
    key = grant.json["fields"]["key"]
    assert samples.post_to_s3(grant.json, content).status_code in (200, 204)
    assert stored(services, key)

    refused = api.post(confirm_path(company, grant.json["upload_id"]))
    assert refused.status == 422 and refused.error_code == "FILE_TYPE_MISMATCH"
    message = refused.json["error"]["message"]
    assert "PDF" in message and read_as in message
    assert not stored(services, key)
    assert documents_in_table(table_name) == []
    assert not [i for i in all_items(table_name) if i.get("type") == "UPLOAD"]  # the grant is spent

    # Confirming again does not revive it.
    again = api.post(confirm_path(company, grant.json["upload_id"]))
    assert again.status == 404 and again.error_code == "NOT_FOUND"
    checklist = api.get(f"/api/v1/media/{company}/documents").json["checklist"]
    assert next(i for i in checklist if i["doc_type"] == "npwp")["document"] is None


def test_confirm_without_an_upload_is_not_found(api, company, table_name):
    before = count_items(table_name)
    unknown = api.post(confirm_path(company, UNKNOWN_ID))
    assert unknown.status == 404 and unknown.error_code == "NOT_FOUND"
    not_an_id = api.post(confirm_path(company, "..%2F..%2Fetc"))
    assert not_an_id.status == 404
    assert count_items(table_name) == before


def test_confirming_another_companys_upload_is_not_found_and_changes_nothing(api, company, services,
                                                                             table_name):
    other = ApiClient(api.client)
    other_company, _ = register(other)
    theirs = request_upload(other, other_company)
    assert theirs.status == 201
    assert samples.post_to_s3(theirs.json, samples.PDF).status_code in (200, 204)
    before = all_items(table_name)

    # Through the partner's own company, and through the other company's address.
    for path in (confirm_path(company, theirs.json["upload_id"]),
                 confirm_path(other_company, theirs.json["upload_id"])):
        refused = api.post(path)
        assert refused.status == 404 and refused.error_code == "NOT_FOUND", (path, refused)
    assert sorted(map(repr, all_items(table_name))) == sorted(map(repr, before))
    assert stored(services, theirs.json["fields"]["key"])
    assert api.get(f"/api/v1/media/{company}/documents").json["history"] == []

    # The owner still confirms it, and it lands on the owner's company only.
    confirmed = other.post(confirm_path(other_company, theirs.json["upload_id"]))
    assert confirmed.status == 200, confirmed
    assert [d["company_id"] for d in documents_in_table(table_name)] == [other_company]


def test_confirming_twice_returns_the_same_document(api, company, table_name):
    grant = request_upload(api, company)
    assert samples.post_to_s3(grant.json, samples.PDF).status_code in (200, 204)
    first = api.post(confirm_path(company, grant.json["upload_id"]))
    assert first.status == 200, first
    items = count_items(table_name)

    second = api.post(confirm_path(company, grant.json["upload_id"]))
    assert second.status == 200, second
    assert second.json["document"] == first.json["document"]
    assert count_items(table_name) == items
    assert len(documents_in_table(table_name)) == 1
    uploaded_events = [i for i in all_items(table_name) if i.get("action") == "document.uploaded"]
    assert len(uploaded_events) == 1


def test_a_new_upload_supersedes_the_old_one_and_both_stay_in_the_history(api, company, table_name):
    old = samples.upload(api, company, "npwp", filename="npwp-lama.pdf")
    assert old.status == 200, old
    new = samples.upload(api, company, "npwp", samples.png(), "image/png", "npwp-baru.png")
    assert new.status == 200, new
    old_id, new_id = old.json["document"]["id"], new.json["document"]["id"]

    listing = api.get(f"/api/v1/media/{company}/documents").json
    history = [d for d in listing["history"] if d["doc_type"] == "npwp"]
    assert [d["id"] for d in history] == [new_id, old_id]  # newest first
    assert [d["current"] for d in history] == [True, False]
    item = next(i for i in listing["checklist"] if i["doc_type"] == "npwp")
    assert item["document"]["id"] == new_id and item["document"]["filename"] == "npwp-baru.png"

    stored_items = {i["id"]: i for i in documents_in_table(table_name)}
    assert stored_items[old_id]["superseded_by"] == new_id
    assert stored_items[new_id].get("superseded_by") is None
    assert stored_items[old_id]["version"] == 2  # the supersession was a versioned write


def test_a_validity_end_in_the_past_or_today_is_refused(api, company, table_name):
    from chalicelib.domain.clock import today_wib, utc_now

    today = today_wib(utc_now())
    before = count_items(table_name)
    for day in (today - timedelta(days=1), today):
        refused = request_upload(api, company, doc_type="domisili", expires_on=day.isoformat())
        assert refused.status == 422 and fields_of(refused) == {"expires_on": "already_expired"}, refused
    assert count_items(table_name) == before
    accepted = request_upload(api, company, doc_type="domisili", expires_on=(today + timedelta(days=1)).isoformat())
    assert accepted.status == 201, accepted


def test_the_download_link_is_a_presigned_get_that_expires(api, company, services):
    confirmed = samples.upload(api, company, "npwp", filename="NPWP PT Ogan.pdf")
    document = confirmed.json["document"]
    link = api.get(f"/api/v1/media/{company}/documents/{document['id']}/download")
    assert link.status == 200, link
    assert link.json["expires_in_seconds"] == 300 and link.json["filename"] == "NPWP PT Ogan.pdf"

    query = parse_qs(urlparse(link.json["url"]).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    signed_at = calendar.timegm(time.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ"))
    assert abs(signed_at - time.time()) < 60  # signed now, so it lapses five minutes from now

    fetched = requests.get(link.json["url"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == samples.PDF
    assert fetched.headers["content-disposition"].startswith("attachment")
    assert fetched.headers["content-type"] == "application/pdf"

    # A tampered link is refused, so the expiry cannot be lengthened by editing the URL.
    longer = link.json["url"].replace("X-Amz-Expires=300", "X-Amz-Expires=604800")
    assert requests.get(longer, timeout=10).status_code == 403

    # And the server does honour X-Amz-Expires: a link of one second stops working.
    key = next(i for i in documents_in_table(services.settings.table_name) if i["id"] == document["id"])["key"]
    short = services.documents.presigned_get(key, "x.pdf", "application/pdf", 1)
    time.sleep(2.5)
    assert requests.get(short, timeout=10).status_code == 403

    unknown = api.get(f"/api/v1/media/{company}/documents/{UNKNOWN_ID}/download")
    assert unknown.status == 404 and unknown.error_code == "NOT_FOUND"



SWAPPED = samples.PDF.replace(b"%%EOF", b"% a different file posted with the same grant after confirm\n%%EOF")


def test_posting_again_with_the_grant_after_confirm_changes_nothing_anyone_downloads(api, company, services):
    """The grant stays valid for its window; what was checked and recorded is what is served."""
    grant = request_upload(api, company)
    assert samples.post_to_s3(grant.json, samples.PDF).status_code in (200, 204)
    document = api.post(confirm_path(company, grant.json["upload_id"])).json["document"]
    assert samples.post_to_s3(grant.json, SWAPPED).status_code in (200, 204)  # S3 still takes it
    link = api.get(f"/api/v1/media/{company}/documents/{document['id']}/download").json["url"]
    fetched = requests.get(link, timeout=10).content
    assert fetched == samples.PDF and hashlib.sha256(fetched).hexdigest() == document["sha256"]
    again = api.post(confirm_path(company, grant.json["upload_id"]))
    assert again.status == 200 and again.json["document"]["sha256"] == document["sha256"]  # still the first


def test_two_confirms_of_one_upload_at_once_record_one_document_and_serve_what_it_records(api, company, services):
    from concurrent.futures import ThreadPoolExecutor

    grant = request_upload(api, company)
    assert samples.post_to_s3(grant.json, samples.PDF).status_code in (200, 204)
    user = services.accounts.find_user_by_email(api.get("/api/v1/auth/me").json["user"]["email"])
    with ThreadPoolExecutor(max_workers=4) as pool:
        documents = list(pool.map(lambda _: services.registration.confirm_upload(user, company, grant.json["upload_id"]),
                                  range(4)))
    assert len({d.id for d in documents}) == 1 and len({d.key for d in documents}) == 1
    assert samples.post_to_s3(grant.json, SWAPPED).status_code in (200, 204)
    link = api.get(f"/api/v1/media/{company}/documents/{documents[0].id}/download").json["url"]
    served = requests.get(link, timeout=10).content
    assert hashlib.sha256(served).hexdigest() == documents[0].sha256
