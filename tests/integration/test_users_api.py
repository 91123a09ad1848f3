"""Administrators manage accounts; every other role is refused by the one role check."""

import pytest

from ..conftest import count_items

USERS = "/api/v1/users"


@pytest.fixture
def admin_api(api, make_user):
    admin, password = make_user(roles=("admin",), name="Admin Diskominfo")
    api.login(admin.email, password)
    api.admin = admin
    return api


def test_an_admin_creates_an_account_that_can_log_in(admin_api, services):
    response = admin_api.post(USERS, {"email": "Editor@Example.go.id", "name": "Sari Editor", "roles": ["editor"]})
    assert response.status == 201, response
    created = response.json["user"]
    assert created["email"] == "editor@example.go.id"
    assert created["roles"] == ["editor"] and created["disabled"] is False
    password = response.json["password"]

    trail = services.table.audit_trail("USER", created["id"])
    assert [(e.action, e.actor_id) for e in trail] == [("user.created", admin_api.admin.id)]

    admin_api.cookie = None
    assert admin_api.login("editor@example.go.id", password).json["user"]["name"] == "Sari Editor"


def test_the_same_email_cannot_be_registered_twice(admin_api, table_name):
    body = {"email": "ganda@example.go.id", "name": "Ganda", "roles": ["orders"]}
    assert admin_api.post(USERS, body).status == 201
    before = count_items(table_name)
    again = admin_api.post(USERS, {**body, "email": "GANDA@example.go.id"})
    assert again.status == 409 and again.error_code == "EMAIL_TAKEN"
    assert "sudah terdaftar" in again.json["error"]["message"]
    assert count_items(table_name) == before


def test_a_partner_account_cannot_also_hold_a_staff_role(admin_api):
    response = admin_api.post(USERS, {"email": "m@example.id", "name": "Media", "roles": ["media", "finance"]})
    assert response.status == 422
    assert [d["code"] for d in response.json["error"]["details"]] == ["media_with_staff_role"]


def test_unknown_roles_are_refused_by_validation(admin_api):
    response = admin_api.post(USERS, {"email": "m@example.id", "name": "X", "roles": ["superuser"]})
    assert response.status == 422
    assert response.json["error"]["details"][0]["field"] == "roles.0"


def test_the_list_shows_accounts_without_secrets(admin_api, make_user):
    make_user(roles=("finance",), email="keuangan@example.go.id")
    listed = admin_api.get(USERS).json["users"]
    assert "keuangan@example.go.id" in [u["email"] for u in listed]
    assert all("password_hash" not in u for u in listed)


def test_disabling_needs_a_reason_and_is_audited(admin_api, make_user, services):
    user, _ = make_user(roles=("finance",))
    missing = admin_api.post(f"{USERS}/{user.id}/status", {"disabled": True, "reason": "   "})
    assert missing.status == 422 and missing.json["error"]["details"][0]["field"] == "reason"
    assert services.table.get_user(user.id).disabled is False

    done = admin_api.post(f"{USERS}/{user.id}/status", {"disabled": True, "reason": "Cuti di luar tanggungan"})
    assert done.status == 200 and done.json["user"]["disabled"] is True
    event = services.table.audit_trail("USER", user.id)[0]
    assert event.action == "user.disabled"
    assert event.reason == "Cuti di luar tanggungan"
    assert event.changes == {"disabled": {"before": False, "after": True}}


def test_an_admin_cannot_disable_themself(admin_api):
    response = admin_api.post(f"{USERS}/{admin_api.admin.id}/status", {"disabled": True, "reason": "uji"})
    assert response.status == 409 and response.error_code == "CANNOT_DISABLE_SELF"


def test_an_unknown_account_is_not_found(admin_api):
    response = admin_api.post(f"{USERS}/01ZZZZZZZZZZZZZZZZZZZZZZZZ/status", {"disabled": True, "reason": "uji"})
    assert response.status == 404 and response.error_code == "NOT_FOUND"


@pytest.mark.parametrize("role", ["media", "verifier", "orders", "finance", "editor"])
def test_every_other_role_is_forbidden(api, make_user, table_name, role):
    user, password = make_user(roles=(role,))
    api.login(user.email, password)
    before = count_items(table_name)
    assert api.get(USERS).error_code == "FORBIDDEN"
    created = api.post(USERS, {"email": "x@example.id", "name": "X", "roles": ["admin"]})
    assert created.status == 403 and created.error_code == "FORBIDDEN"
    assert count_items(table_name) == before


def test_anonymous_callers_are_asked_to_log_in(api, table_name):
    assert api.get(USERS).status == 401
    assert api.post(USERS, {"email": "x@example.id", "name": "X", "roles": ["admin"]}).status == 401


def test_an_admin_resets_a_password_which_ends_sessions_and_lifts_the_lock(admin_api, make_user, services, chalice_app):
    from chalice.test import Client

    from ..conftest import ApiClient

    user, old_password = make_user(roles=("verifier",))
    with Client(chalice_app) as tab:
        owner = ApiClient(tab)
        owner.login(user.email, old_password)
        for _ in range(5):
            owner.cookie = None
            owner.login(user.email, "tebakan-yang-salah")  # locks the account (and this address)

        response = admin_api.post(f"{USERS}/{user.id}/password")
        assert response.status == 200, response
        new_password = response.json["password"]
        assert new_password != old_password

    trail = services.table.audit_trail("USER", user.id)
    assert (trail[0].action, trail[0].actor_id) == ("user.password_reset", admin_api.admin.id)
    assert services.accounts.login(user.email, new_password, "192.0.2.10").user.id == user.id
    with pytest.raises(Exception):
        services.accounts.login(user.email, old_password, "192.0.2.11")


def test_ids_that_cannot_exist_are_not_found_without_reaching_the_table(admin_api):
    for bad in ["x" * 3000, "not-a-ulid", "01ZZZZZZZZZZZZZZZZZZZZZZZ!"]:
        response = admin_api.post(f"{USERS}/{bad}/status", {"disabled": True, "reason": "uji"})
        assert response.status == 404 and response.error_code == "NOT_FOUND", response


def test_an_admin_cannot_reset_their_own_password_and_nothing_changes(admin_api, make_user, table_name):
    """A stolen admin session must not become a permanent takeover: one's own password changes only through
    /auth/password, which asks for the current one (and counts wrong guesses)."""
    from ..conftest import all_items

    before = sorted(map(repr, all_items(table_name)))
    refused = admin_api.post(f"{USERS}/{admin_api.admin.id}/password")
    assert refused.status == 409 and refused.error_code == "CANNOT_RESET_OWN_PASSWORD", refused
    assert "password" not in refused.json  # no new password handed out
    assert "kata sandi saat ini" in refused.json["error"]["message"]  # says how to change it instead
    assert sorted(map(repr, all_items(table_name))) == before
    assert admin_api.get("/api/v1/auth/me").status == 200  # the session goes on, the password is as it was
    other, _ = make_user(roles=("verifier",), name="Vera")
    reset = admin_api.post(f"{USERS}/{other.id}/password")
    assert reset.status == 200 and reset.json["password"]  # another account's reset still works
