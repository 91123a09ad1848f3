"""Bad requests get the right status, one clear error shape, and change nothing."""

import json

import pytest

from ..conftest import count_items

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
