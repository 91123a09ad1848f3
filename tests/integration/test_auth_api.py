"""Logging in and out, sessions, CSRF and throttling, through HTTP on the real table."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.accounts import AuditEvent
from chalicelib.errors import SeklikError
from chalicelib.services.accounts import AccountService

from ..conftest import all_items, count_items

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
LOGOUT = "/api/v1/auth/logout"
PASSWORD = "/api/v1/auth/password"


def test_login_sets_an_httponly_strict_cookie_and_returns_the_user_and_a_csrf_token(api, make_user):
    user, password = make_user(roles=("verifier",), name="Dedi Kurniawan")
    response = api.login(user.email.upper(), password)
    assert response.status == 200, response
    assert response.json["user"]["name"] == "Dedi Kurniawan"
    assert response.json["user"]["roles"] == ["verifier"]
    assert "password_hash" not in response.json["user"]
    assert response.json["csrf_token"]
    (cookie,) = response.set_cookies
    attributes = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in attributes and "SameSite=Strict" in attributes and "Path=/api" in attributes
    assert "Secure" not in attributes  # the local stack serves plain http on 127.0.0.1

    me = api.get(ME)
    assert me.status == 200
    assert me.json["user"]["id"] == user.id


def test_cookies_are_secure_outside_local_development(api, make_user, monkeypatch):
    from chalicelib import wiring

    user, password = make_user()
    monkeypatch.setenv("SEKLIK_SECURE_COOKIES", "true")
    wiring.reset()
    (cookie,) = api.login(user.email, password).set_cookies
    assert "Secure" in [part.strip() for part in cookie.split(";")]


def test_the_session_token_is_stored_only_as_a_hash(api, make_user, table_name):
    user, password = make_user()
    api.login(user.email, password)
    raw_token = api.cookie.split(".")[0]
    sessions = [i for i in all_items(table_name) if i["type"] == "SESSION"]
    assert len(sessions) == 1
    assert raw_token not in str(sessions[0])


@pytest.mark.parametrize(
    "cookie",
    [None, "", "not-a-signed-value", "abc.def.ghi"],
    ids=["missing", "empty", "garbage", "forged-signature"],
)
def test_missing_or_forged_cookies_are_not_authenticated(api, make_user, cookie):
    api.cookie = cookie
    response = api.get(ME)
    assert response.status == 401
    assert response.error_code == "NOT_AUTHENTICATED"
    assert "masuk kembali" in response.json["error"]["message"]


def test_a_cookie_signed_with_another_secret_is_refused(api, make_user, table_name, services):
    user, password = make_user()
    impostor = AccountService(services.table, b"x" * 64)
    forged = impostor.login(user.email, password, "127.0.0.1").cookie_value
    api.cookie = forged
    assert api.get(ME).status == 401


def test_an_expired_session_is_not_authenticated(api, make_user, services):
    user, password = make_user()
    long_ago = datetime.now(timezone.utc) - timedelta(hours=13)
    past = AccountService(services.table, _secret(), session_hours=12, clock=lambda: long_ago)
    api.cookie = past.login(user.email, password, "127.0.0.1").cookie_value
    response = api.get(ME)
    assert response.status == 401 and response.error_code == "NOT_AUTHENTICATED"


def _secret() -> bytes:
    from chalicelib.adapters.secrets import load_signing_secret
    from chalicelib.settings import get_settings

    return load_signing_secret(get_settings())


def test_wrong_password_is_refused_and_only_the_failure_is_recorded(api, make_user, table_name):
    user, _ = make_user()
    before = count_items(table_name)
    response = api.login(user.email, "salah-kata-sandi-nya")
    assert response.status == 401
    assert response.error_code == "INVALID_CREDENTIALS"
    assert response.set_cookies == []
    items = all_items(table_name)
    # per throttle key (account and address): the failure, and the slot the check claimed; nothing else
    assert len(items) == before + 4
    assert {i["type"] for i in items} - {"USER", "EMAIL_GUARD", "AUDIT"} == {"ATTEMPT", "ATTEMPT_SLOT"}
    assert user.email not in str([i for i in items if i["type"].startswith("ATTEMPT")])


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(api, make_user):
    response = api.login("tidak.ada@example.go.id", "kata-sandi-apa-saja")
    assert response.status == 401 and response.error_code == "INVALID_CREDENTIALS"


def test_after_five_failures_the_account_waits_even_for_the_right_password(api, make_user, services):
    user, password = make_user()
    # Five different addresses, so only the account's own throttle can be what slows it.
    for n in range(5):
        with pytest.raises(SeklikError) as caught:
            services.accounts.login(user.email, "salah-kata-sandi-nya", f"198.51.100.{n}")
        assert caught.value.code == "INVALID_CREDENTIALS"
    locked = api.login(user.email, password)
    assert locked.status == 429
    assert locked.error_code == "LOGIN_LOCKED"
    assert 0 < int(locked.headers["retry-after"]) <= 30
    assert "menit" in locked.json["error"]["message"]
    assert api.cookie is None


def _service_at(services, at: datetime) -> AccountService:
    return AccountService(services.table, _secret(), clock=lambda: at)


def _fail_logins_at(services, email: str, at: datetime, count: int = 5) -> None:
    past = _service_at(services, at)
    for n in range(count):
        with pytest.raises(SeklikError) as caught:
            past.login(email, "salah-kata-sandi-nya", f"198.51.100.{n}")
        assert caught.value.code == "INVALID_CREDENTIALS"


def test_each_further_failure_doubles_the_wait_and_refused_attempts_do_not_lengthen_it(make_user, services):
    user, password = make_user()
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    _fail_logins_at(services, user.email, start)
    waits = []
    at = start
    for _ in range(4):  # a guess each time the wait is over: 30 s, 1 min, 2 min, 4 min
        with pytest.raises(SeklikError) as early:
            _service_at(services, at + timedelta(seconds=1)).login(user.email, password, "198.51.100.99")
        assert early.value.code == "LOGIN_LOCKED"
        waits.append(int(early.value.headers["Retry-After"]))
        for _ in range(5):  # refused while waiting: they are not guesses and cost nothing more
            with pytest.raises(SeklikError):
                _service_at(services, at + timedelta(seconds=2)).login(user.email, "salah", "198.51.100.98")
        at += timedelta(seconds=waits[-1] + 1)
        with pytest.raises(SeklikError) as guessed:
            _service_at(services, at).login(user.email, "salah-lagi-kata-sandinya", "198.51.100.97")
        assert guessed.value.code == "INVALID_CREDENTIALS"
    assert [round(w, -1) for w in waits] == [30, 60, 120, 240]


def test_failures_inside_the_window_still_slow_the_account(api, make_user, services):
    user, password = make_user()
    _fail_logins_at(services, user.email, datetime.now(timezone.utc) - timedelta(seconds=20))
    response = api.login(user.email, password)
    assert response.error_code == "LOGIN_LOCKED"
    assert 1 <= int(response.headers["retry-after"]) <= 11


def test_an_address_that_signed_in_before_gets_through_an_account_someone_else_is_guessing(api, make_user,
                                                                                         services, outbox):
    user, password = make_user()
    services.accounts.login(user.email, password, "203.0.113.10")  # the holder's usual office address
    for n in range(6):
        with pytest.raises(SeklikError):
            services.accounts.login(user.email, f"tebakan-penyerang-{n}", f"198.51.100.{n}")
    with pytest.raises(SeklikError) as stranger:
        services.accounts.login(user.email, password, "198.51.100.200")
    assert stranger.value.code == "LOGIN_LOCKED"  # a new address waits
    assert services.accounts.login(user.email, password, "203.0.113.10").user.id == user.id  # the holder does not
    # The holder heard of it, once.
    notices = [m for m in outbox() if m["To"] == user.email]
    assert len(notices) == 1 and "Percobaan masuk" in notices[0]["Subject"]
    assert "198.51.100" not in notices[0].get_body().get_content()  # no addresses in mail


def test_the_lock_lifts_when_the_failures_leave_the_window(api, make_user, services):
    user, password = make_user()
    _fail_logins_at(services, user.email, datetime.now(timezone.utc) - timedelta(minutes=20))
    assert api.login(user.email, password).status == 200


def test_parallel_guesses_cannot_exceed_the_limit(make_user, services):
    """Attempts are counted before the (slow) password check, so a burst cannot slip through."""
    user, _ = make_user()

    def guess(n: int) -> str:
        try:
            services.accounts.login(user.email, f"tebakan-nomor-{n}", f"203.0.113.{n}")
        except SeklikError as error:
            return error.code
        return "LOGGED_IN"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(guess, range(12)))
    assert outcomes.count("INVALID_CREDENTIALS") <= 5
    assert outcomes.count("LOGIN_LOCKED") >= 7
    assert "LOGGED_IN" not in outcomes


def test_an_address_is_slowed_only_after_four_times_an_accounts_failures(api, make_user, services):
    for n in range(5):  # an office behind one NAT: five colleagues mistyping is not an attack
        user, _ = make_user()
        assert api.login(user.email, "salah-kata-sandi-nya").status == 401
    other, password = make_user()
    assert api.login(other.email, password).status == 200
    for n in range(15):
        user, _ = make_user()
        with pytest.raises(SeklikError):
            services.accounts.login(user.email, "salah-kata-sandi-nya", "127.0.0.1")
    api.cookie = None
    response = api.login(other.email, password)  # 20 failures from this address: it waits, whoever asks
    # (the account's own earlier success from here does not lift the address's throttle)
    assert response.status == 429 and response.error_code == "LOGIN_LOCKED"


def test_a_disabled_account_cannot_log_in_and_its_sessions_stop(api, make_user, services):
    admin, _ = make_user()
    user, password = make_user(roles=("finance",))
    assert api.login(user.email, password).status == 200
    services.accounts.set_disabled(user.id, True, admin.id, "Pegawai pindah tugas")
    assert api.get(ME).error_code == "NOT_AUTHENTICATED"  # its sessions ended with it
    api.cookie = None
    response = api.login(user.email, password)
    assert response.status == 403 and response.error_code == "ACCOUNT_DISABLED"
    assert "administrator" in response.json["error"]["message"]


def test_logout_needs_the_csrf_token_then_ends_the_session(api, make_user):
    user, password = make_user()
    api.login(user.email, password)
    old_cookie = api.cookie

    refused = api.post(LOGOUT, csrf=False)
    assert refused.status == 403 and refused.error_code == "CSRF_FAILED"
    assert api.get(ME).status == 200  # nothing changed

    wrong = api.post(LOGOUT, csrf=False, headers={"X-CSRF-Token": "bukan-token-yang-benar"})
    assert wrong.error_code == "CSRF_FAILED"

    done = api.post(LOGOUT)
    assert done.status == 200
    assert any("Max-Age=0" in c for c in done.set_cookies)
    api.cookie = old_cookie
    assert api.get(ME).status == 401


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(api, make_user, services, chalice_app):
    from chalice.test import Client

    from ..conftest import ApiClient

    user, password = make_user()
    api.login(user.email, password)
    with Client(chalice_app) as other_tab:
        other = ApiClient(other_tab)
        other.login(user.email, password)

        response = api.post(PASSWORD, {"current_password": password, "new_password": "frasa sandi yang baru sekali"})
        assert response.status == 200, response
        assert api.get(ME).status == 200  # the new cookie from the response works
        assert other.get(ME).status == 401  # every other session ended

    api.cookie = None
    assert api.login(user.email, password).status == 401
    assert api.login(user.email, "frasa sandi yang baru sekali").status == 200
    trail = services.table.audit_trail("USER", user.id)
    assert [e.action for e in trail] == ["user.password_changed", "user.created"]


@pytest.mark.parametrize(
    "body, field, code",
    [
        ({"current_password": "salah-sekali-ini", "new_password": "frasa sandi yang baru sekali"}, "current_password", "wrong_password"),
        ({"current_password": "kata-sandi-yang-panjang", "new_password": "pendek"}, "new_password", "weak_password"),
        ({"current_password": "kata-sandi-yang-panjang", "new_password": "kata-sandi-yang-panjang"}, "new_password", "same_password"),
    ],
)
def test_a_refused_password_change_says_which_field_and_changes_nothing(api, make_user, services, body, field, code):
    user, password = make_user()
    api.login(user.email, password)
    response = api.post(PASSWORD, body)
    assert response.status == 422
    assert [(d["field"], d["code"]) for d in response.json["error"]["details"]] == [(field, code)]
    assert services.table.get_user(user.id).version == user.version


def test_behind_cloudfront_the_visitors_address_is_throttled_not_the_edges(api, make_user, monkeypatch):
    from chalicelib import wiring

    monkeypatch.setenv("SEKLIK_CLIENT_IP_HEADER", "CloudFront-Viewer-Address")
    wiring.reset()
    attacker = {"CloudFront-Viewer-Address": "203.0.113.7:50123"}
    for _ in range(20):
        user, _ = make_user()
        api.request("POST", LOGIN, {"email": user.email, "password": "salah-kata-sandi-nya"}, headers=attacker)
    other, password = make_user()
    locked = api.request("POST", LOGIN, {"email": other.email, "password": password}, headers=attacker)
    assert locked.error_code == "LOGIN_LOCKED"
    # Another visitor behind the same edge is not locked out.
    neighbour = api.request(
        "POST", LOGIN, {"email": other.email, "password": password},
        headers={"CloudFront-Viewer-Address": "[2001:db8::1]:443"},
    )
    assert neighbour.status == 200


def test_guessing_the_current_password_locks_like_failed_logins(api, make_user):
    user, password = make_user()
    api.login(user.email, password)
    for _ in range(5):
        wrong = api.post(PASSWORD, {"current_password": "tebakan-yang-salah", "new_password": "frasa sandi baru sekali"})
        assert wrong.status == 422
    locked = api.post(PASSWORD, {"current_password": password, "new_password": "frasa sandi baru sekali"})
    assert locked.status == 429 and locked.error_code == "LOGIN_LOCKED"


def test_re_enabling_an_account_does_not_revive_its_old_sessions(api, make_user, services):
    admin, _ = make_user()
    user, password = make_user(roles=("editor",))
    api.login(user.email, password)
    services.accounts.set_disabled(user.id, True, admin.id, "Laptop hilang")
    services.accounts.set_disabled(user.id, False, admin.id, "Laptop ditemukan, kata sandi diganti")
    response = api.get(ME)
    assert response.status == 401 and response.error_code == "NOT_AUTHENTICATED"
    assert api.login(user.email, password).status == 200


def test_requests_that_bypass_cloudfront_are_refused_when_origin_checking_is_on(api, make_user, monkeypatch, table_name):
    from chalicelib import wiring

    from ..conftest import count_items

    monkeypatch.setenv("SEKLIK_ORIGIN_VERIFY_TOKEN", "t" * 40)
    wiring.reset()
    user, password = make_user()
    before = count_items(table_name)
    direct = api.login(user.email, password)
    assert direct.status == 403 and direct.error_code == "DIRECT_ACCESS_REFUSED"
    forged = api.request("POST", LOGIN, {"email": user.email, "password": password},
                         headers={"X-Seklik-Origin-Verify": "t" * 39 + "x"})
    assert forged.error_code == "DIRECT_ACCESS_REFUSED"
    assert count_items(table_name) == before
    via_cloudfront = api.request("POST", LOGIN, {"email": user.email, "password": password},
                                 headers={"X-Seklik-Origin-Verify": "t" * 40})
    assert via_cloudfront.status == 200


def test_after_a_success_or_a_reset_failures_count_from_nothing_again(api, make_user, services):
    """A correct password (or an administrator's reset) clears the account's failures and their slots, so the
    next mistakes are counted afresh rather than refused as if the old state were still being checked."""
    user, password = make_user()
    for n in range(3):
        with pytest.raises(SeklikError):
            services.accounts.login(user.email, "salah-kata-sandi-nya", f"198.51.100.{n}")
    services.accounts.login(user.email, password, "198.51.100.50")
    for n in range(5):  # five free mistakes again, each a real check
        with pytest.raises(SeklikError) as caught:
            services.accounts.login(user.email, "salah-kata-sandi-nya", f"198.51.100.{10 + n}")
        assert caught.value.code == "INVALID_CREDENTIALS"
    admin, _ = make_user(roles=("admin",))
    _, new_password = services.accounts.reset_password(user.id, admin.id)
    assert services.accounts.login(user.email, new_password, "198.51.100.60").user.id == user.id


def test_a_hash_made_with_weaker_argon2_parameters_is_stored_anew_at_login_and_sessions_go_on(api, make_user,
                                                                                            services):
    from argon2 import PasswordHasher

    user, password = make_user()
    assert api.login(user.email, password).status == 200
    other_tab = api.cookie
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    stored = services.table.get_user(user.id)
    audit = AuditEvent("USER", user.id, "01HZZZZZZZZZZZZZZZZZZZZZZZ", "test.weaken", "test", stored.updated_at)
    services.table.save_user(stored.with_rehashed_password(weaker.hash(password), stored.updated_at), stored.version,
                             audit)
    assert services.accounts.hasher.check_needs_rehash(services.table.get_user(user.id).password_hash)
    api.cookie = None
    assert api.login(user.email, password).status == 200
    rehashed = services.table.get_user(user.id)
    assert not services.accounts.hasher.check_needs_rehash(rehashed.password_hash)
    assert rehashed.session_epoch == stored.session_epoch  # the other tab is still signed in
    api.cookie = other_tab
    assert api.get(ME).status == 200
    assert "user.password_rehashed" in [e.action for e in services.table.audit_trail("USER", user.id)]


def test_registration_refuses_a_common_password_naming_the_field(api):
    from tests import samples

    data = samples.registration()
    data["account"]["password"] = "password1234"
    refused = api.post("/api/v1/media", data)
    assert refused.status == 422
    assert [(d["field"], d["code"]) for d in refused.json["error"]["details"]] == [("account.password", "weak_password")]


def test_someone_guessing_elsewhere_does_not_stop_the_holder_from_changing_the_password(api, make_user, services):
    user, password = make_user()
    api.login(user.email, password)
    for n in range(7):  # the account is being slowed by guesses from other addresses
        with pytest.raises(SeklikError):
            services.accounts.login(user.email, f"tebakan-penyerang-{n}", f"198.51.100.{n}")
    changed = api.post(PASSWORD, {"current_password": password, "new_password": "jendela kopi sepeda hujan"})
    assert changed.status == 200, changed
