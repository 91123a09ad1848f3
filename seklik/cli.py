"""The `seklik` command. Subcommands are thin: they call the modules beside this one.

Which database do commands such as ``seklik user add`` talk to?

- If ``SEKLIK_TABLE`` is set in the environment, the environment as it is
  (an operator with AWS credentials, or a test that set endpoints).
- Otherwise the local stack of this checkout: the running ``make run`` if
  there is one (found through var/run/stack.json), or else DynamoDB Local
  started just for this command on the same data and stopped after it.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from .stack import ROOT, LocalStack, Ports, StackError, port_is_free, write_private

DEFAULT_VAR = ROOT / "var"
STATE_FILE = "run/stack.json"
LOCAL_ADMIN_EMAIL = "admin@seklik.local"
LOCAL_ADMIN_MARKER = "LOCAL_ADMIN"


def _fail(message: str) -> None:
    click.secho(f"seklik: {message}", fg="red", err=True)
    sys.exit(1)


@contextmanager
def operator_errors() -> Iterator[None]:
    """Turn every problem an operator can fix into one message and exit status 1."""
    from botocore.exceptions import BotoCoreError, ClientError

    from chalicelib.adapters.secrets import SecretUnavailable
    from chalicelib.errors import SeklikError

    try:
        yield
    except SeklikError as error:
        problems = "".join(f"\n  - {d.field}: {d.message}" for d in error.details)
        _fail(f"{error.message}{problems}")
    except (StackError, SecretUnavailable) as error:
        _fail(str(error))
    except (BotoCoreError, ClientError) as error:
        _fail(f"AWS said: {error}. Check the AWS credentials, region and SEKLIK_TABLE in your environment.")
    except OSError as error:
        _fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))


def _apply_environ(env: dict[str, str]) -> None:
    os.environ.update(env)
    from chalicelib import wiring

    wiring.reset()


@contextmanager
def local_database(var_dir: Path) -> Iterator[None]:
    """Make the environment point at a usable table for the duration of a command."""
    if os.environ.get("SEKLIK_TABLE"):
        yield
        return
    state = var_dir / STATE_FILE
    if state.exists():
        env = json.loads(state.read_text())
        port = int(env["AWS_ENDPOINT_URL_DYNAMODB"].rsplit(":", 1)[1])
        if not port_is_free(port):  # the running `make run` answers there
            _apply_environ(env)
            yield
            return
    stack = LocalStack(var_dir=var_dir, ports=Ports.from_base(_service_base()), with_s3=False)
    with exclusive_use(var_dir):
        stack.start()
        try:
            _apply_environ(stack.environ())
            from .provision import ensure_table

            ensure_table(stack.table_name)
            yield
        finally:
            stack.stop()


def _service_base() -> int:
    return int(os.environ.get("SEKLIK_SERVICE_PORT_BASE", "8100"))


@click.group()
def main() -> None:
    """Seklik: the newsroom and press-partner system of Diskominfo."""


# -- seklik dev -------------------------------------------------------------------

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, envvar="PORT", help="Port of the one local URL.")
@click.option(
    "--service-port-base",
    default=8100,
    show_default=True,
    envvar="SEKLIK_SERVICE_PORT_BASE",
    help="First of the 9 ports used by DynamoDB Local and the S3 server.",
)
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR, help="Where local data is kept.")
def dev(host: str, port: int, service_port_base: int, var_dir: Path) -> None:
    """Start the local stack and serve the newsroom and the API at one URL."""
    from .devserver import MailLoop, make_server
    from .provision import ensure_bucket, ensure_table
    from .site import SiteBuildError, build_site, publish_kits

    var_dir = var_dir.resolve()
    if not port_is_free(port, host):
        _fail(f"port {port} on {host} is already in use. Stop the program using it, or run `make run PORT=8010`.")
    # Ctrl-C and SIGTERM both interrupt whatever step is running, start-up included.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stack = LocalStack(var_dir=var_dir, ports=Ports.from_base(service_port_base))
    server = mail_loop = None
    with operator_errors(), exclusive_use(var_dir):
        try:
            click.echo("Starting DynamoDB Local and the S3 server ...")
            stack.start()
            url = f"http://{host}:{port}/"
            # Links in emails point at this server; mail lands in var/outbox.
            env = {**stack.environ(), "SEKLIK_SITE_URL": url}
            _apply_environ(env)
            if ensure_table(stack.table_name):
                click.echo(f"Created table {stack.table_name}.")
            if ensure_bucket(stack.bucket, cors_origins=[url.rstrip("/")]):
                click.echo(f"Created bucket {stack.bucket}.")
            _create_local_admin_once()
            click.echo("Building the newsroom ...")
            # Built inside var/ so that `seklik site build` (site/, for publishing)
            # and the tests never rebuild the pages a running `make run` serves.
            site_dir = build_site(var_dir / "site", site_url=url)  # canonical links and feeds point here
            publish_kits(var_dir / "kits", stack.bucket, site_url=url)  # releases as emails, for distribution
            server = make_server(site_dir, host, port)
            write_private(var_dir / STATE_FILE, json.dumps(env))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            mail_loop = MailLoop().start()
            click.secho(f"\nSeklik is running at {url.rstrip('/')}  (API: {url}api/v1/health)", fg="green", bold=True)
            click.echo(f"Emails are sent within seconds to {env['SEKLIK_MAIL_OUTBOX']} as .eml files.")
            _warn_of_sample_configuration()
            click.echo("Press Ctrl-C to stop.")
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("\nStopping ...")
        except SiteBuildError as error:
            _fail(f"the newsroom did not build:\n{error}")
        finally:
            # A second Ctrl-C must not cut the clean-up short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if mail_loop is not None:
                mail_loop.stop()
            if server is not None:
                server.shutdown()
                server.server_close()
            (var_dir / STATE_FILE).unlink(missing_ok=True)
            stack.stop()
    click.echo("Stopped.")


@contextmanager
def exclusive_use(var_dir: Path) -> Iterator[None]:
    """One process at a time owns var/: two DynamoDB Locals on one file would corrupt it."""
    (var_dir / "run").mkdir(parents=True, exist_ok=True)
    with open(var_dir / "run" / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StackError(
                f"Another `make run` (or seklik command) is using {var_dir}. Stop it first, "
                "or give this one its own folder with `make run VAR_DIR=var-2`."
            ) from None
        yield


def _warn_of_sample_configuration() -> None:
    from chalicelib.config_samples import sample_values
    from chalicelib.settings import get_settings

    from seklik.newsroom.office import OfficeProblems, sample_office
    from seklik.stack import ROOT

    samples = sample_values(get_settings())
    # Only a warning: whatever mkdocs.yml holds, it never stops the start (the site build says what is wrong).
    try:
        office = sample_office(ROOT / "mkdocs.yml")
    except OfficeProblems as error:
        office = None
        click.secho("mkdocs.yml: newsroom.office is not valid (the site will not build until it is):", fg="yellow")
        for line in error.problems:
            click.secho(f"    {line}", fg="yellow")
    except Exception as error:  # noqa: BLE001 (unreadable YAML, a missing file: say so and go on)
        office = None
        click.secho(f"mkdocs.yml could not be read for its sample values: {error}", fg="yellow")
    if office:
        samples.append(("mkdocs.yml", "newsroom.office (and theme.logo)", ", ".join(filter(None, (office.full_name, office.email)))))
    if not samples:
        return
    click.secho("These configuration values are still the shipped samples (fine for trying Seklik, not for "
                "real letters):", fg="yellow")
    for name, key, value in samples:
        click.secho(f"    {name}  {key} = {value}", fg="yellow")
    click.secho("Copy the file, put in your office's values, remove them from \"_samples\", and point "
                "SEKLIK_ORDERS_CONFIG / SEKLIK_TRANSPARENCY_CONFIG at it (see functions/chalicelib/settings.py); "
                "in mkdocs.yml, put in the office and its logo and set newsroom.office.sample to false.",
                fg="yellow")


def _create_local_admin_once() -> None:
    from chalicelib.errors import SeklikError
    from chalicelib.wiring import get_services

    services = get_services()
    if services.table.setup_marker_exists(LOCAL_ADMIN_MARKER):
        return
    try:
        user, password = services.accounts.create_user(
            LOCAL_ADMIN_EMAIL, "Administrator Lokal", ["admin"], setup_marker=LOCAL_ADMIN_MARKER
        )
    except SeklikError as error:  # e.g. someone made that email by hand first
        click.secho(f"No local administrator was created: {error.message}", fg="yellow")
        return
    click.secho("\nA local administrator was created. These credentials are shown only once:", fg="yellow")
    click.secho(f"    email:    {user.email}\n    password: {password}\n", fg="yellow", bold=True)


# -- seklik db ----------------------------------------------------------------------

@main.group()
def db() -> None:
    """The DynamoDB table."""


@db.command("init")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def db_init(var_dir: Path) -> None:
    """Create the table (and its indexes and TTL) if it does not exist."""
    from chalicelib.settings import get_settings

    from .provision import ensure_table

    with operator_errors(), local_database(var_dir.resolve()):
        name = get_settings().table_name
        created = ensure_table(name)
    click.echo(f"Table {name}: {'created' if created else 'already exists'}.")


# -- seklik user ----------------------------------------------------------------------

@main.group()
def user() -> None:
    """Accounts of staff and partners."""


def _password_from_stdin() -> str | None:
    """A password piped in (never typed on the command line, where `ps` shows it)."""
    if sys.stdin.isatty():
        return None
    return sys.stdin.readline().rstrip("\r\n") or None


@user.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="media, verifier, orders, finance, editor or admin; repeat for more.")
@click.option("--name", default=None, help="Display name (default: the part of the email before @).")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def user_add(email: str, roles: tuple[str, ...], name: str | None, var_dir: Path) -> None:
    """Create an account. A password given on stdin is used; otherwise one is generated and printed."""
    from chalicelib.wiring import get_services

    password = _password_from_stdin()
    with operator_errors(), local_database(var_dir.resolve()):
        user, password_used = get_services().accounts.create_user(
            email, name or email.split("@")[0], list(roles), password=password, actor_id="cli"
        )
    click.echo(f"Created {user.email} ({', '.join(r.value for r in user.roles)}).")
    if password is None:
        click.echo(f"Password: {password_used}")


@user.command("reset-password")
@click.argument("email")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def user_reset_password(email: str, var_dir: Path) -> None:
    """Set a new password (from stdin, else generated and printed); ends the account's sessions."""
    from chalicelib.wiring import get_services

    password = _password_from_stdin()
    with operator_errors(), local_database(var_dir.resolve()):
        accounts = get_services().accounts
        user, used = accounts.reset_password(accounts.find_user_by_email(email).id, "cli", password)
    click.echo(f"New password set for {user.email}; its sessions have ended and its failed sign-ins are forgotten "
               "(an address that kept failing is still slowed down for a while).")
    if password is None:
        click.echo(f"Password: {used}")


@user.command("disable")
@click.argument("email")
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def user_disable(email: str, reason: str, var_dir: Path) -> None:
    """Disable an account: it cannot log in, and its open sessions end for good."""
    _set_disabled(email, True, reason, var_dir)


@user.command("enable")
@click.argument("email")
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def user_enable(email: str, reason: str, var_dir: Path) -> None:
    """Enable a disabled account again."""
    _set_disabled(email, False, reason, var_dir)


def _set_disabled(email: str, disabled: bool, reason: str, var_dir: Path) -> None:
    from chalicelib.wiring import get_services

    with operator_errors(), local_database(var_dir.resolve()):
        accounts = get_services().accounts
        user = accounts.set_disabled(accounts.find_user_by_email(email).id, disabled, "cli", reason)
    click.echo(f"{user.email} is now {'disabled' if user.disabled else 'enabled'}.")


# -- seklik jobs ------------------------------------------------------------------------

@main.group()
def jobs() -> None:
    """Scheduled work (in production the daily job runs by itself at 00:00 WIB)."""


@jobs.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as if it were this day (YYYY-MM-DD); default: today in Jakarta (WIB).",
)
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def jobs_run(today, var_dir: Path) -> None:
    """Run the daily expiry job now: warn 30 days ahead, mark expired verifications and documents.

    Running it twice on one day changes nothing more.
    """
    from chalicelib.domain.clock import today_wib, utc_now
    from chalicelib.wiring import get_services

    day = today.date() if today else None
    with operator_errors(), local_database(var_dir.resolve()):
        services = get_services()
        report = services.verification.run_expiry(today=day)
        sent = services.mail.deliver_due()  # locally at once; in production the mail Lambda, within a minute
        outbox = services.settings.mail_outbox
    click.echo(f"Expiry job for {(day or today_wib(utc_now())).isoformat()}:")
    click.echo(f"  verifications ending within 30 days, partner warned: {report.verifications_expiring}")
    click.echo(f"  verifications ended, company now expired:            {report.verifications_expired}")
    click.echo(f"  documents ending within 30 days, partner warned:     {report.documents_expiring}")
    click.echo(f"  documents ended, marked expired:                     {report.documents_expired}")
    if sent.sent:
        click.echo(f"Emails sent: {sent.sent}" + (f", written to {outbox} as .eml files." if outbox
                                                  else ", through SES."))


@jobs.command("send")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def jobs_send(var_dir: Path) -> None:
    """Send the queued mail that is due now (what the mail Lambda does every minute)."""
    from chalicelib.settings import get_settings
    from chalicelib.wiring import get_mail_worker, get_subscriptions

    with operator_errors(), local_database(var_dir.resolve()):
        told = get_subscriptions().announce_due()
        report = get_mail_worker().deliver_due()
        outbox = get_settings().mail_outbox
    if told.alerts or told.digests:
        click.echo(f"Subscribers: {told.alerts} new-release alert(s) and {told.digests} digest(s) queued.")
    click.echo(f"Mail: sent {report.sent}, to retry later {report.retried}, failed {report.failed}, "
               f"not sent to bouncing addresses {report.suppressed}.")
    if report.sent and outbox:
        click.echo(f"Written to {outbox} as .eml files.")
    if report.failed:
        click.echo("Failed mail is listed for staff on /konsol/surel/ (GET /api/v1/outbox?status=FAILED), where "
                   "it can be sent again.")


# -- seklik mail ------------------------------------------------------------------------

@main.group()
def mail() -> None:
    """Outgoing mail (in production SES reports bounces and complaints by itself)."""


@mail.command("bounce")
@click.argument("email")
@click.option("--reason", default="marked by hand", show_default=True, help="Kept with the mark.")
@click.option("--var-dir", type=click.Path(path_type=Path), default=DEFAULT_VAR)
def mail_bounce(email: str, reason: str, var_dir: Path) -> None:
    """Mark EMAIL as bouncing, as an SES bounce report would: nothing more is sent to it."""
    from chalicelib.wiring import get_mail_worker

    with operator_errors(), local_database(var_dir.resolve()):
        get_mail_worker().mark_bouncing(email, f"bounce: {reason}")
    click.echo(f"{email} is marked as bouncing; mail to it is kept as SUPPRESSED (staff may send it again "
               "with lift_suppression once the address works).")


# -- seklik site ------------------------------------------------------------------------

@main.group()
def site() -> None:
    """The newsroom (static site)."""


@site.command("build")
@click.option("--out", type=click.Path(path_type=Path), default=ROOT / "site", show_default=True)
def site_build(out: Path) -> None:
    """Build the newsroom into OUT."""
    from .site import SiteBuildError, build_site

    try:
        path = build_site(out)
    except SiteBuildError as error:
        _fail(f"the newsroom did not build:\n{error}")
    click.echo(f"Built the newsroom into {path}.")


# -- seklik release ----------------------------------------------------------------------

@main.group()
def release() -> None:
    """Press releases in content/releases/."""


def _newsroom():
    """The newsroom plugin as configured in mkdocs.yml (categories, contacts, folder)."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["newsroom"]
    return plugin, plugin.releases_dir(config)


@release.command("new")
@click.argument("title")
@click.option("--category", default=None, help="One of the categories in mkdocs.yml.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def release_new(title: str, category: str | None, lang: str) -> None:
    """Create content/releases/<today>-<slug>.md with every field, as a draft."""
    from .newsroom.scaffold import new_release

    plugin, releases_dir = _newsroom()
    if category is not None and category not in plugin.config.categories:
        _fail(f"kategori '{category}' tidak dikenal; pilih salah satu: {', '.join(plugin.config.categories)}")
    try:
        path = new_release(
            releases_dir, title, category=category, lang=lang,
            location=plugin.config.default_location, unit=plugin.config.default_unit,
        )
    except FileExistsError as error:
        _fail(f"{error.args[0]} sudah ada; pilih judul lain atau sunting berkas itu.")
    click.echo(f"Dibuat: {path.relative_to(ROOT)} (masih draf: ubah `draft: false` bila siap terbit).")


@release.command("kits")
@click.option("--out", type=click.Path(path_type=Path), default=ROOT / "kits", show_default=True)
def release_kits(out: Path) -> None:
    """Render every release that is not a draft as the email sent to partners, into OUT (private: never
    publish it with the site; the publishing workflow syncs it to the documents bucket's releases/)."""
    from .newsroom.kits import build_kits

    slugs = build_kits(out, ROOT / "mkdocs.yml")
    click.echo(f"Wrote {len(slugs)} press kit(s) into {out}.")


@release.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def release_check(paths: tuple[Path, ...]) -> None:
    """Check all releases (or PATHS) and print each problem as path:line: message."""
    from .newsroom.releases import check_releases

    plugin, releases_dir = _newsroom()
    releases, problems = check_releases(releases_dir, plugin.config.categories, only=list(paths) or None)
    cwd = Path.cwd()
    for problem in problems:
        shown = problem.path.resolve()
        shown = shown.relative_to(cwd) if shown.is_relative_to(cwd) else shown
        click.echo(f"{shown}:{problem.line}: {problem.message}")
    checked = len(paths) if paths else len(releases)
    if problems:
        click.secho(f"{len(problems)} masalah dalam {checked} siaran pers.", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{checked} siaran pers diperiksa, tidak ada masalah.")


# -- seklik openapi -------------------------------------------------------------------------

@main.command()
@click.option("--check", is_flag=True, help="Only report whether the file is up to date (exit 1 if not).")
def openapi(check: bool) -> None:
    """Refresh the schemas in functions/openapi.yaml from the pydantic models."""
    from .openapi import refresh_schemas

    changed = refresh_schemas(write=not check)
    if check and changed:
        _fail("functions/openapi.yaml is out of date with the models; run `seklik openapi`.")
    click.echo("functions/openapi.yaml is up to date." if not changed else "Updated functions/openapi.yaml.")


# -- seklik deploy -----------------------------------------------------------------------------

@main.group()
def deploy() -> None:
    """Production deployment (AWS)."""


@deploy.command("package")
@click.option("--stage", default="prod", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=ROOT / "build" / "deploy", show_default=True)
def deploy_package(stage: str, out: Path) -> None:
    """Write the CloudFormation template and Lambda package to OUT (nothing is deployed)."""
    from .deploy import DeployError, package

    try:
        template = package(stage, out)
    except DeployError as error:
        _fail(str(error))
    click.echo(f"Wrote {template}. Deploy it with `aws cloudformation deploy` (see README).")


if __name__ == "__main__":
    main()
