"""Bad requests get the right status, one clear error shape, and change nothing."""

import json

import pytest

from tests import samples

from ..conftest import count_items
from .test_registration_flow import activate

LOGIN = "/api/v1/auth/login"
USERS = "/api/v1/users"


def _assert_error_shape(response, status, code):
    assert response.status == status, response
    error = response.json["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    return error


@pytest.mark.parametrize(
    "raw, status, code",
    [
        (b'{"email": "a@b.id", "password": ', 400, "MALFORMED_JSON"),
        (b"\xff\xfe not utf-8", 400, "MALFORMED_JSON"),
        (b'["a@b.id", "secret"]', 400, "MALFORMED_JSON"),
        (b"", 400, "MALFORMED_JSON"),
        (b"[" * 60_000, 400, "MALFORMED_JSON"),
    ],
    ids=["truncated", "not-utf8", "array-not-object", "empty", "nested-too-deep"],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, table_name, raw, status, code):
    before = count_items(table_name)
    response = api.request("POST", LOGIN, raw=raw)
    error = _assert_error_shape(response, status, code)
    assert "JSON" in error["message"]
    assert count_items(table_name) == before


@pytest.mark.parametrize("number", ["9" * 4301, "-" + "1" * 5000, "1" * 39, "1." + "0" * 60, "1" * 20 + "e5" + "0" * 30])
def test_a_number_with_more_digits_than_any_field_takes_is_refused_by_field_before_validation(api, table_name,
                                                                                              number):
    """Python refuses to convert an integer of over 4,300 digits (it was an INTERNAL_ERROR); DynamoDB keeps 38."""
    from tests import samples

    body = json.dumps(samples.registration()).replace('"reach": 150000', f'"reach": {number}').encode()
    assert number.encode() in body
    before = count_items(table_name)
    response = api.request("POST", "/api/v1/media", raw=body)  # anonymous: anyone can send it
    error = _assert_error_shape(response, 422, "VALIDATION_FAILED")
    assert error["details"] == [{"field": "profile.reach", "code": "number_too_long",
                                 "message": "Angka paling banyak 38 digit."}]
    assert count_items(table_name) == before


def test_thirty_eight_digits_still_reach_the_fields_own_rules(api, table_name):
    response = api.request("POST", LOGIN, raw=json.dumps({"email": 10 ** 37, "password": "x"}).encode())
    assert [d["code"] for d in response.json["error"]["details"]] == ["string_type"]


def test_malformed_json_says_where_it_broke(api, table_name):
    response = api.request("POST", LOGIN, raw=b'{"email": "a@b.id",\n "password" "x"}')
    assert "baris 2" in response.json["error"]["message"]


def test_a_body_that_is_not_json_by_its_content_type_is_refused(api, table_name):
    response = api.request(
        "POST", LOGIN, raw=b"email=a&password=b", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    _assert_error_shape(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    "body, field, code",
    [
        ({"email": 42, "password": "kata-sandi"}, "email", "string_type"),
        ({"email": "a@b.id", "password": ["kata", "sandi"]}, "password", "string_type"),
        ({"email": "a@b.id"}, "password", "missing"),
        ({"email": "a@b.id", "password": "x", "remember_me": True}, "remember_me", "extra_forbidden"),
        ({"email": "a@b.id", "password": "x" * 129}, "password", "string_too_long"),
        ({"email": "a" * 250 + "@b.id", "password": "x"}, "email", "string_too_long"),
    ],
    ids=["number-for-text", "list-for-text", "missing-field", "unknown-field", "long-password", "long-email"],
)
def test_invalid_fields_are_named_with_an_indonesian_message(api, make_user, table_name, body, field, code):
    before = count_items(table_name)
    response = api.post(LOGIN, body)
    error = _assert_error_shape(response, 422, "VALIDATION_FAILED")
    assert [(d["field"], d["code"]) for d in error["details"]] == [(field, code)]
    assert error["details"][0]["message"]
    assert count_items(table_name) == before  # not even a login failure is recorded


def test_an_unknown_method_gets_the_same_error_shape(api):
    response = api.request("DELETE", LOGIN)
    _assert_error_shape(response, 405, "METHOD_NOT_ALLOWED")


def test_admin_writes_without_csrf_change_nothing(api, make_user, table_name):
    admin, password = make_user(roles=("admin",))
    api.login(admin.email, password)
    before = count_items(table_name)
    response = api.post(
        USERS, {"email": "baru@example.go.id", "name": "Baru", "roles": ["editor"]}, csrf=False
    )
    _assert_error_shape(response, 403, "CSRF_FAILED")
    assert count_items(table_name) == before


def test_the_error_body_never_leaks_internals(api, make_user, monkeypatch):
    """An unexpected failure is a 500 with a plain message, not a traceback."""
    from chalicelib.services import accounts

    user, password = make_user()

    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(accounts.AccountService, "login", explode)
    response = api.login(user.email, password)
    error = _assert_error_shape(response, 500, "INTERNAL_ERROR")
    assert "hunter2" not in json.dumps(response.json)
    assert "Traceback" not in response.body.decode()


@pytest.mark.parametrize("where,value,code", [
    (("media_name",), "\u202enimdA", "value_error"),  # a bidi override: reads "Admin" on a page
    (("legal_name",), "\u200b\u200b\u200b\u200b", "value_error"),  # only zero-width characters
    (("address", "street"), "Jl. Merdeka\x00 No. 1", "value_error"),  # NUL
    (("editor_in_chief", "name"), "Budi\x1b[31m Santoso", "value_error"),  # an ESC sequence
    (("contact_person", "name"), "Budi\r\nSet-Cookie: x", "value_error"),  # a line break in a one-line name
])
def test_names_that_lie_are_refused_at_their_field_and_nothing_is_written(api, table_name, where, value, code):
    from tests import samples

    data = samples.registration()
    node = data["profile"]
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    before = count_items(table_name)
    refused = api.post("/api/v1/media", data)
    assert refused.status == 422, refused
    assert f"profile.{'.'.join(where)}" in [d["field"] for d in refused.json["error"]["details"]], refused
    assert count_items(table_name) == before


def test_text_is_stored_normalised(api):
    from tests import samples

    data = samples.registration()
    data["profile"]["media_name"] = "Kabar Cafe\u0301"  # e + combining acute: stored as one "é"
    assert api.post("/api/v1/media", data).status == 202
    assert activate(api, data["account"]["email"])["company"]["profile"]["media_name"] == "Kabar Café"


def test_a_long_made_up_key_is_refused_without_being_echoed(api, make_user, table_name):
    user, password = make_user(roles=("orders",))
    api.login(user.email, password)
    key = "k" * 10_000
    refused = api.post("/api/v1/offers/01HZZZZZZZZZZZZZZZZZZZZZZZ/2027/counter", {"lines": {key: 1}, "version": 1})
    assert refused.status == 422, refused
    assert len(refused.body) < 2_000 and key not in refused.body.decode()


def test_a_reason_may_have_several_lines_but_no_other_controls(api, make_user):
    from chalicelib.domain.text import clean_text

    assert clean_text("Baris satu\nBaris dua", multiline=True) == "Baris satu\nBaris dua"
    with pytest.raises(ValueError):
        clean_text("Baris\x00dua", multiline=True)
    with pytest.raises(ValueError):
        clean_text("Satu\nbaris")


def empty_form() -> dict:
    """The registration form as the browser sends it with nothing filled in but the legal name, a TV station,
    a Dewan Pers status and a bank-account holder that is another company."""
    def blank(value):
        if isinstance(value, dict):
            return {key: blank(v) for key, v in value.items()}
        return False if isinstance(value, bool) else ""

    form = blank(samples.registration())
    form["profile"].update(legal_name="PT Kabar Baru", media_type="televisi", dewan_pers_status="administratif",
                           pkp=False)
    form["profile"]["bank_account"]["holder"] = "PT Lain Sekali"
    return form


def test_an_empty_form_says_what_to_do_at_every_field_at_once(api, table_name):
    before = count_items(table_name)
    refused = api.post("/api/v1/media", empty_form())
    assert refused.status == 422 and refused.error_code == "VALIDATION_FAILED"
    details = {d["field"]: (d["code"], d["message"]) for d in refused.json["error"]["details"]}
    # Empty is "required", whatever the rule for a value would say ("only digits", "an integer", a date format).
    for field in ("profile.nib", "profile.npwp", "profile.kbli", "profile.reach", "profile.deed_date",
                  "profile.established", "profile.phone", "profile.address.postal_code", "account.email"):
        assert details[field] == ("missing", "Wajib diisi."), field
    assert not [m for _, m in details.values() if "digit" in m or "bilangan" in m or "TTTT" in m]
    # The rules across fields come with the rest, each at the box to correct, not on the whole profile.
    assert details["profile.bank_account.holder"][0] == "holder_mismatch"
    assert "PT Kabar Baru" in details["profile.bank_account.holder"][1]
    assert details["profile.reach_area"] == ("missing", "Wajib diisi untuk televisi dan radio: wilayah siarannya.")
    assert details["profile.dewan_pers_certificate"][0] == "missing"
    assert "profile" not in details
    assert count_items(table_name) == before


@pytest.mark.parametrize("path, field", [
    ("/api/v1/orders?status=DIBAYAR", "status"),
    ("/api/v1/invoices?status=paid", "status"),
    ("/api/v1/outbox?status=GAGAL", "status"),
])
def test_a_list_filter_outside_its_choices_names_them_the_same_way_everywhere(cast, path, field):
    answer = cast["admin"].get(path)
    error = _assert_error_shape(answer, 422, "VALIDATION_FAILED")
    assert [(d["field"], d["code"]) for d in error["details"]] == [(field, "invalid_choice")]
    assert error["details"][0]["message"].startswith("Pilihan yang sah: ")
    # Empty is the same as not given, as openapi.yaml says.
    assert cast["admin"].get(path.split("=")[0] + "=").status == 200


def test_a_day_a_report_cannot_reach_is_named_not_a_server_error(cast):
    for query in ("from=0001-01-01", "to=9999-12-31", "from=2026-02-30", "from=20270331", "to=2027-W13-3"):
        answer = cast["finance"].get(f"/api/v1/taxes/deposits?{query}")
        error = _assert_error_shape(answer, 422, "VALIDATION_FAILED")
        assert error["details"][0]["code"] == "invalid_date"
    assert cast["finance"].get("/api/v1/taxes/deposits?from=&to=").status == 200


def test_a_legal_name_refused_by_its_own_rule_is_not_compared_with_the_holder_nor_echoed(api, table_name):
    data = samples.registration()
    data["profile"]["legal_name"] = "PT \u202eSinar\u202c Pagi " + "x" * 300
    data["profile"]["bank_account"]["holder"] = "Orang Lain"
    refused = api.post("/api/v1/media", data)
    details = {d["field"]: d for d in refused.json["error"]["details"]}
    assert refused.status == 422 and "profile.legal_name" in details
    assert "profile.bank_account.holder" not in details
    assert "\u202e" not in json.dumps(refused.json, ensure_ascii=False)
    # Once the legal name is right, the holder is told what it must be.
    data["profile"]["legal_name"] = "PT Sinar Pagi"
    again = api.post("/api/v1/media", data)
    assert {d["field"]: d["code"] for d in again.json["error"]["details"]} == {
        "profile.bank_account.holder": "holder_mismatch"}


def test_an_optional_box_sent_empty_hears_what_its_value_must_be_not_that_it_is_required(cast):
    grant = cast["partner"].post(f"/api/v1/media/{cast['company_id']}/documents/uploads", {
        "doc_type": "akta_pendirian", "filename": "akta.pdf", "content_type": "application/pdf", "size": 10,
        "expires_on": ""})
    details = {d["field"]: d for d in grant.json["error"]["details"]}
    assert grant.status == 422 and set(details) == {"expires_on"}
    assert details["expires_on"]["code"] != "missing" and "TTTT-BB-HH" in details["expires_on"]["message"]
    empty = cast["partner"].post(f"/api/v1/media/{cast['company_id']}/documents/uploads", {
        "doc_type": "", "filename": "akta.pdf", "content_type": "application/pdf", "size": 10})
    assert [(d["field"], d["code"]) for d in empty.json["error"]["details"]] == [("doc_type", "missing")]


def test_a_choice_outside_the_list_names_the_choices_in_indonesian(api):
    data = samples.registration()
    data["profile"]["media_type"] = "majalah"
    refused = api.post("/api/v1/media", data)
    detail = next(d for d in refused.json["error"]["details"] if d["field"] == "profile.media_type")
    assert refused.status == 422 and detail["message"].startswith("Nilai tidak dikenal. Pilihan yang sah: ")
    assert " atau " in detail["message"] and " or " not in detail["message"]
