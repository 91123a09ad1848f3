"""The account rules: roles, emails, passwords (pure domain, no servers)."""

import pytest

from chalicelib.domain import accounts as rules
from chalicelib.domain.accounts import Role
from chalicelib.errors import SeklikError


def test_known_roles_are_parsed_once_each_in_order():
    assert rules.parse_roles(["admin", "finance", "admin"]) == [Role.ADMIN, Role.FINANCE]


@pytest.mark.parametrize(
    "raw, code",
    [
        (["boss"], "unknown_role"),
        ([], "missing"),
        (["media", "finance"], "media_with_staff_role"),
    ],
)
def test_bad_role_sets_are_refused_with_a_reason(raw, code):
    with pytest.raises(SeklikError) as caught:
        rules.parse_roles(raw)
    assert caught.value.code == "VALIDATION_FAILED"
    assert [d.code for d in caught.value.details] == [code]
    assert all(d.field == "roles" for d in caught.value.details)


@pytest.mark.parametrize("email", ["nama@contoh.go.id", "a.b+c@d.co.id"])
def test_good_emails_pass(email):
    assert rules.email_problem(email) is None


@pytest.mark.parametrize("email", ["", "nama", "nama@", "@contoh.go.id", "a b@c.id", "x@" + "a" * 250 + ".id"])
def test_bad_emails_are_explained(email):
    assert rules.email_problem(email)


def test_emails_are_compared_case_insensitively():
    assert rules.normalise_email("  Rina@Diskominfo.GO.ID ") == "rina@diskominfo.go.id"


@pytest.mark.parametrize(
    "password, problem",
    [
        ("pendek", "minimal 12"),
        (" " * 12, "spasi"),
        ("x" * 129, "paling panjang 128"),
        ("frasa yang cukup panjang", None),
    ],
)
def test_password_rules_are_about_length(password, problem):
    found = rules.password_problem(password)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_generated_passwords_meet_the_rules_and_differ():
    first, second = rules.generate_password(), rules.generate_password()
    assert rules.password_problem(first) is None
    assert first != second


def test_lockout_error_rounds_the_wait_up_to_minutes_and_sets_retry_after():
    error = rules.login_lockout_error(61)
    assert error.status == 429
    assert "2 menit" in error.message
    assert error.headers == {"Retry-After": "61"}


@pytest.mark.parametrize("password,expected", [
    ("password1234", "mudah ditebak"),
    ("123456789012", "mudah ditebak"),
    ("qwertyuiopasdf", "mudah ditebak"),
    ("iloveyou2024!", "mudah ditebak"),
    ("aaaaaaaaaaaaaa", "diulang"),
    ("abcabcabcabc", "diulang"),
    ("\u200b" * 12, "tidak terlihat"),
    (" " * 14, "tidak terlihat"),
    ("jendela\x1bkopi sepeda", "karakter kendali"),
    ("rina wulandari 2027 hujan", "email atau nama"),
    ("rina.wulandari-kopi-sepeda", "email atau nama"),
])
def test_common_repeated_invisible_and_personal_passwords_are_refused(password, expected):
    problem = rules.password_problem(password, "rina.wulandari@example.go.id", "Rina Wulandari")
    assert problem and expected in problem, problem


@pytest.mark.parametrize("password", ["kata-sandi-yang-panjang", "jendela kopi sepeda hujan", "frasa sandi baru sekali",
                                      "gunung " + "kopi sepeda hujan jendela " * 3 + "laut"])
def test_long_unrelated_words_are_fine_without_composition_rules(password):
    assert rules.password_problem(password, "rina.wulandari@example.go.id", "Rina Wulandari") is None


def test_a_name_inside_another_word_is_not_the_name():
    assert rules.password_problem("kata-sandi-mitra-panjang", "redaksi@ogan.example.id", "Andi Saputra") is None
