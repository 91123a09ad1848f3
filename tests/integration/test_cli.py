"""The `seklik` CLI as an operator uses it, against the real table."""

import pytest
from click.testing import CliRunner

from seklik.cli import main


@pytest.fixture
def run(table_name):
    runner = CliRunner()

    def invoke(*args, stdin=None):
        return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)

    return invoke


def test_user_add_prints_a_generated_password_that_works(run, services):
    result = run("user", "add", "verifikator@example.go.id", "--role", "verifier", "--name", "Budi Santoso")
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    login = services.accounts.login("verifikator@example.go.id", password, "127.0.0.1")
    assert login.user.name == "Budi Santoso"
    assert [r.value for r in login.user.roles] == ["verifier"]


def test_user_add_takes_the_password_from_stdin_and_does_not_echo_it(run, services):
    result = run("user", "add", "keuangan@example.go.id", "--role", "finance", "--role", "orders",
                 stdin="frasa sandi dari stdin\n")
    assert result.exit_code == 0, result.output
    assert "frasa sandi dari stdin" not in result.output
    assert "Password" not in result.output
    user = services.accounts.login("keuangan@example.go.id", "frasa sandi dari stdin", "127.0.0.1").user
    assert [r.value for r in user.roles] == ["finance", "orders"]


@pytest.mark.parametrize(
    "args, stdin, expected",
    [
        (["bukan-email", "--role", "admin"], None, "Alamat email tidak valid"),
        (["a@example.go.id", "--role", "bos"], None, "Peran 'bos' tidak dikenal"),
        (["a@example.go.id", "--role", "admin"], "pendek\n", "Kata sandi minimal 12 karakter"),
    ],
)
def test_user_add_explains_what_is_wrong_and_exits_1(run, table_name, args, stdin, expected):
    from ..conftest import count_items

    result = run("user", "add", *args, stdin=stdin)
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert count_items(table_name) == 0


def test_user_add_refuses_a_taken_email(run):
    assert run("user", "add", "sama@example.go.id", "--role", "editor").exit_code == 0
    again = run("user", "add", "sama@example.go.id", "--role", "editor")
    assert again.exit_code == 1 and "sudah terdaftar" in again.output


def test_user_disable_and_enable(run, services):
    run("user", "add", "pindah@example.go.id", "--role", "editor", stdin="frasa sandi yang panjang\n")
    result = run("user", "disable", "pindah@example.go.id", "--reason", "Pindah tugas")
    assert result.exit_code == 0, result.output
    assert services.table.get_user_by_email("pindah@example.go.id").disabled is True
    assert run("user", "enable", "pindah@example.go.id", "--reason", "Kembali").exit_code == 0
    assert services.table.get_user_by_email("pindah@example.go.id").disabled is False


def test_db_init_is_idempotent(run, table_name):
    result = run("db", "init")
    assert result.exit_code == 0
    assert f"Table {table_name}: already exists." in result.output


def test_user_reset_password_prints_a_new_password_that_works(run, services):
    run("user", "add", "lupa@example.go.id", "--role", "editor", stdin="frasa sandi yang lama sekali\n")
    result = run("user", "reset-password", "lupa@example.go.id")
    assert result.exit_code == 0, result.output
    new_password = result.output.split("Password: ")[1].strip()
    assert services.accounts.login("lupa@example.go.id", new_password, "127.0.0.1").user.email == "lupa@example.go.id"


def test_an_unknown_email_is_reported_plainly(run):
    result = run("user", "disable", "tidak.ada@example.go.id", "--reason", "uji")
    assert result.exit_code == 1
    assert "Tidak ada akun dengan email tersebut" in result.output


def test_a_missing_secret_is_reported_without_a_traceback(run, monkeypatch):
    from chalicelib import wiring

    monkeypatch.delenv("SEKLIK_SECRET_FILE")
    wiring.reset()
    result = run("user", "add", "x@example.go.id", "--role", "editor")
    assert result.exit_code == 1
    assert "SEKLIK_SECRET_PARAMETER" in result.output
    assert "Traceback" not in result.output


def test_a_var_folder_in_use_by_another_process_is_refused(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.delenv("SEKLIK_TABLE", raising=False)
    (tmp_path / "run").mkdir()
    with open(tmp_path / "run" / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(main, ["db", "init", "--var-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "Another `make run`" in result.output and "VAR_DIR" in result.output


def _verified_company(services, verified_until):
    """A press company taken through the real path: register, upload, submit, review, verify."""
    from chalicelib.domain.accounts import Role
    from chalicelib.domain.press_company import CompanyProfile, CompanyStatus
    from chalicelib.services.registration import NewAccount

    from tests import samples
    from tests.integration.test_registration_flow import activation_token

    registration, verification = services.registration, services.verification
    data = samples.registration()
    profile = CompanyProfile.model_validate(data["profile"], context=registration.profile_context())
    registration.register(NewAccount(**data["account"]), profile, "127.0.0.1")
    company, partner = registration.activate(activation_token(data["account"]["email"]), data["account"]["password"])
    for item in registration.overview(partner, company.id).missing:
        grant = registration.request_upload(partner, company.id, item.type.code, "dokumen.pdf", "application/pdf",
                                            len(samples.PDF), None)
        stored = samples.post_to_s3({"url": grant.url, "fields": grant.fields}, samples.PDF)
        assert stored.status_code in (200, 204), stored.text
        registration.confirm_upload(partner, company.id, grant.upload.id)
    company = registration.submit(partner, company.id, registration.overview(partner, company.id).company.version)

    verifier, _ = services.accounts.create_user("vera@example.go.id", "Vera", [Role.VERIFIER.value],
                                                password="kata-sandi-yang-panjang")
    for item in registration.overview(verifier, company.id).checklist:
        if item.current:
            verification.review_document(verifier, company.id, item.current.id, True, None, item.current.version)
    company = registration.overview(verifier, company.id).company
    company = verification.decide(verifier, company.id, CompanyStatus.VERIFIED, [], verified_until, company.version)
    assert company.status == CompanyStatus.VERIFIED
    return company, data["account"]["email"]


def test_jobs_run_warns_before_a_verification_ends_and_expires_it_after(run, services, outbox):
    from datetime import timedelta

    from chalicelib.domain.clock import today_wib, utc_now
    from chalicelib.domain.press_company import CompanyStatus

    until = today_wib(utc_now()) + timedelta(days=365)
    company, partner_email = _verified_company(services, until)
    sent_before = len(outbox())

    # Ten days before the end: the partner is warned, once.
    ten_days_before = (until - timedelta(days=10)).isoformat()
    result = run("jobs", "run", "--today", ten_days_before)
    assert result.exit_code == 0, result.output
    assert f"Expiry job for {ten_days_before}:" in result.output
    assert "verifications ending within 30 days, partner warned: 1" in result.output
    assert "verifications ended, company now expired:            0" in result.output
    assert "written to" in result.output and ".eml" in result.output
    assert services.stores.companies.get(company.id).status == CompanyStatus.VERIFIED
    warning = outbox()[sent_before:]
    assert [m["To"] for m in warning] == [partner_email]
    assert "segera berakhir" in warning[0]["Subject"]

    again = run("jobs", "run", "--today", ten_days_before)
    assert "partner warned: 1" not in again.output and len(outbox()) == sent_before + 1

    # The day after the end: the company is no longer a verified partner.
    result = run("jobs", "run", "--today", (until + timedelta(days=1)).isoformat())
    assert result.exit_code == 0, result.output
    assert "verifications ended, company now expired:            1" in result.output
    assert services.stores.companies.get(company.id).status == CompanyStatus.EXPIRED
    assert services.verification.verified_partners() == []
    assert len(outbox()) == sent_before + 2


def test_jobs_run_refuses_a_date_in_another_format(run):
    result = run("jobs", "run", "--today", "17-05-2025")
    assert result.exit_code == 2
    assert "%Y-%m-%d" in result.output


def test_the_scheduled_lambda_runs_the_same_job_and_logs_only_counts(chalice_app, services, outbox):
    """What EventBridge starts at 00:00 WIB in production (app.daily_expiry)."""
    import io
    import json
    import logging
    from datetime import timedelta

    from chalice.test import Client

    from chalicelib.domain.clock import today_wib, utc_now
    from chalicelib.logs import JsonFormatter

    company, partner_email = _verified_company(services, today_wib(utc_now()) + timedelta(days=10))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("seklik.jobs")
    logger.addHandler(handler)
    try:
        with Client(chalice_app) as client:
            event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event",
                                                    detail={}, resources=[])
            response = client.lambda_.invoke("daily_expiry", event)
    finally:
        logger.removeHandler(handler)

    assert response.payload == {"verifications_expiring": 1, "verifications_expired": 0,
                                "documents_expiring": 0, "documents_expired": 0}
    (line,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["message"] == "expiry job finished" and line["verifications_expiring"] == 1
    for private in (partner_email, company.id, company.profile["legal_name"]):
        assert private not in stream.getvalue()
    assert outbox()[-1]["To"] == partner_email
