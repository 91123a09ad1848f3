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
