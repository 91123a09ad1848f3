"""Use cases for accounts: create, log in, resolve a session, log out, change password.

Nothing here knows about HTTP: the API layer turns the returned session
token into a cookie, and ``SeklikError`` into a JSON error.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from ..adapters.table import ConditionFailed, Table, iso
from ..domain import accounts as rules
from ..domain.accounts import AuditEvent, Session, User
from ..domain.clock import Clock, new_id, utc_now
from ..errors import FieldError, SeklikError, conflict, not_authenticated, not_found, validation_failed
from .notifications import queued


class _ClockedSigner(TimestampSigner):
    """itsdangerous signer whose timestamps follow the service's clock."""

    def __init__(self, secret: bytes, clock: Clock):
        super().__init__(secret, salt="seklik.session")
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock().timestamp())


@dataclass(frozen=True)
class LoginResult:
    cookie_value: str  # signed session token, for the HttpOnly cookie
    session: Session
    user: User


class AccountService:
    """Accounts and sessions. One instance per process; thread-safe."""

    _DUMMY_PASSWORD = "seklik-timing-equaliser"

    def __init__(self, table: Table, secret: bytes, session_hours: int = 12, clock: Clock = utc_now,
                 notify_lock=None):
        self.table = table
        self.clock = clock
        self.notify_lock = notify_lock  # (user) → Mail: the holder hears that its sign-ins are being slowed
        self.session_lifetime = timedelta(hours=session_hours)
        self.hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self.signer = _ClockedSigner(secret, clock)
        self._dummy_hash = self.hasher.hash(self._DUMMY_PASSWORD)

    # -- accounts -------------------------------------------------------------

    def create_user(
        self,
        email: str,
        name: str,
        roles: list[str],
        password: str | None = None,
        actor_id: str = "system",
        setup_marker: str | None = None,
    ) -> tuple[User, str]:
        """Create an account; returns it with its password (generated when not given)."""
        email = rules.normalise_email(email)
        name = name.strip()
        problems: list[FieldError] = []
        if problem := rules.email_problem(email):
            problems.append(FieldError("email", "invalid_email", problem))
        if not name or len(name) > rules.NAME_MAX_LENGTH:
            problems.append(
                FieldError("name", "invalid_name", f"Nama wajib diisi, paling panjang {rules.NAME_MAX_LENGTH} karakter.")
            )
        if password is None:
            password = rules.generate_password()
        elif problem := rules.password_problem(password, email, name):
            problems.append(FieldError("password", "weak_password", problem))
        try:
            parsed_roles = rules.parse_roles(roles)
        except SeklikError as error:
            problems.extend(error.details)
            parsed_roles = []
        if problems:
            raise validation_failed(problems)

        now = self.clock()
        user = User(
            id=new_id(),
            email=email,
            name=name,
            roles=tuple(parsed_roles),
            password_hash=self.hasher.hash(password),
            created_at=now,
            updated_at=now,
        )
        audit = AuditEvent(
            entity="USER",
            entity_id=user.id,
            event_id=new_id(),
            action="user.created",
            actor_id=actor_id,
            at=now,
            changes={"roles": {"before": None, "after": [r.value for r in user.roles]}},
        )
        try:
            self.table.create_user(user, audit, setup_marker=setup_marker)
        except ConditionFailed as failure:
            if failure.refused_by("setup_marker"):
                raise conflict("SETUP_ALREADY_DONE", "Langkah penyiapan awal ini sudah pernah dijalankan.")
            raise conflict(
                "EMAIL_TAKEN",
                "Alamat email ini sudah terdaftar. Gunakan email lain, atau masuk dengan akun yang ada.",
            ) from None
        return user, password

    def list_users(self) -> list[User]:
        return self.table.list_users()

    def find_user(self, user_id: str) -> User:
        user = self.table.get_user(user_id) if rules.looks_like_id(user_id) else None
        if user is None:
            raise not_found("Akun tidak ditemukan.")
        return user

    def find_user_by_email(self, email: str) -> User:
        user = self.table.get_user_by_email(rules.normalise_email(email))
        if user is None:
            raise not_found("Tidak ada akun dengan email tersebut.")
        return user

    def set_disabled(self, user_id: str, disabled: bool, actor_id: str, reason: str) -> User:
        """Disable or re-enable an account; a disabled account's sessions stop working at once."""
        reason = reason.strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan perubahan status akun.")])
        user = self.find_user(user_id)
        if user.id == actor_id and disabled:
            raise conflict("CANNOT_DISABLE_SELF", "Anda tidak dapat menonaktifkan akun Anda sendiri.")
        if user.disabled == disabled:
            return user  # already so: nothing to change or audit
        now = self.clock()
        return self._save(
            user,
            user.with_disabled(disabled, now),
            "user.disabled" if disabled else "user.enabled",
            actor_id,
            now,
            changes={"disabled": {"before": user.disabled, "after": disabled}},
            reason=reason,
        )

    def reset_password(self, user_id: str, actor_id: str, password: str | None = None) -> tuple[User, str]:
        """An administrator sets a new password (generated unless given).

        Every session of the account ends and its login lock is lifted; the
        new password is returned once, for the administrator to hand over.
        """
        user = self.find_user(user_id)
        if user.id == actor_id:
            # A stolen session must not become a permanent takeover that skips the current-password check.
            raise conflict("CANNOT_RESET_OWN_PASSWORD", "Anda tidak dapat mengatur ulang kata sandi Anda sendiri. "
                                                        "Ganti kata sandi melalui halaman Akun, dengan kata sandi "
                                                        "saat ini.")
        if password is None:
            password = rules.generate_password()
        elif problem := rules.password_problem(password, user.email, user.name):
            raise validation_failed([FieldError("password", "weak_password", problem)])
        now = self.clock()
        updated = self._save(user, user.with_password(self.hasher.hash(password), now), "user.password_reset", actor_id, now)
        self.table.clear_attempts("ACCOUNT", user.email)
        return updated, password

    # -- sessions ---------------------------------------------------------------

    def login(self, email: str, password: str, source_address: str) -> LoginResult:
        email = rules.normalise_email(email)
        now = self.clock()
        user = self.table.get_user_by_email(email)
        # Unknown emails cost the same argon2 check as known ones, so the
        # response time does not reveal which emails have accounts.
        password_hash = user.password_hash if user else self._dummy_hash
        # An address this account signed in from before is not slowed by the account's throttle (someone
        # else guessing its password from elsewhere cannot keep its holder out); its own throttle still applies.
        # Looked up for unknown emails too, so the time taken does not tell which emails have accounts.
        known = self.table.address_known(email, source_address, now) and user is not None
        keys = [("ACCOUNT", email), ("ADDRESS", source_address)]
        # always: throttled and the same cost
        matched = self._password_check(keys, password_hash, password, now, exempt={"ACCOUNT"} if known else set())
        if user is None or not matched:
            raise rules.invalid_credentials_error()
        if user.disabled:
            raise rules.account_disabled_error()
        self.table.clear_attempts("ACCOUNT", email)
        self.table.remember_address(email, source_address, now + rules.KNOWN_ADDRESS_LIFETIME)
        user = self._rehash_if_needed(user, password, now)
        return self._start_session(user, now)

    def _rehash_if_needed(self, user: User, password: str, now: datetime) -> User:
        """When argon2's parameters were raised since this hash was made, store it anew (the login goes on)."""
        if not self.hasher.check_needs_rehash(user.password_hash):
            return user
        try:
            return self._save(user, user.with_rehashed_password(self.hasher.hash(password), now),
                              "user.password_rehashed", "system:login", now)
        except SeklikError:  # changed meanwhile: the next login tries again
            return user

    def resolve(self, cookie_value: str | None) -> tuple[User, Session]:
        """The user and session behind a cookie, or NOT_AUTHENTICATED."""
        token = self._unsign(cookie_value)
        if token is None:
            raise not_authenticated()
        session = self.table.get_session(token)
        if session is None or session.is_expired(self.clock()):
            raise not_authenticated()
        user = self.table.get_user(session.user_id)
        if user is None or user.session_epoch != session.session_epoch:
            raise not_authenticated()
        if user.disabled:
            raise rules.account_disabled_error()
        return user, session

    def logout(self, cookie_value: str | None) -> None:
        token = self._unsign(cookie_value)
        if token is not None:
            self.table.delete_session(token)

    def change_password(self, user: User, current_password: str, new_password: str, cookie_value: str) -> LoginResult:
        """Change the password, end every other session, and start a fresh one."""
        # Guessing the current password from a stolen session counts against
        # the account exactly like failed logins do.
        # Counted against the account, but slowed by this session's own guesses: someone guessing the password
        # from elsewhere must not stop the signed-in holder from changing it.
        keys = [("ACCOUNT", user.email), ("SESSION", cookie_value or user.id)]
        if not self._password_check(keys, user.password_hash, current_password, self.clock(), exempt={"ACCOUNT"}):
            raise validation_failed(
                [FieldError("current_password", "wrong_password", "Kata sandi saat ini salah.")]
            )
        problems = []
        if problem := rules.password_problem(new_password, user.email, user.name):
            problems.append(FieldError("new_password", "weak_password", problem))
        elif new_password == current_password:
            problems.append(
                FieldError("new_password", "same_password", "Kata sandi baru harus berbeda dari kata sandi saat ini.")
            )
        if problems:
            raise validation_failed(problems)

        now = self.clock()
        updated = self._save(user, user.with_password(self.hasher.hash(new_password), now), "user.password_changed", user.id, now)
        self.logout(cookie_value)
        return self._start_session(updated, now)

    # -- internals ------------------------------------------------------------------

    def _save(
        self,
        before: User,
        after: User,
        action: str,
        actor_id: str,
        now: datetime,
        changes: dict | None = None,
        reason: str | None = None,
    ) -> User:
        """Store a changed account with its audit line, if nobody changed it meanwhile."""
        audit = AuditEvent(
            entity="USER",
            entity_id=before.id,
            event_id=new_id(),
            action=action,
            actor_id=actor_id,
            at=now,
            changes=changes or {},
            reason=reason,
        )
        try:
            self.table.save_user(after, before.version, audit)
        except ConditionFailed:
            raise conflict(
                "STALE_VERSION",
                "Akun ini baru saja diubah di tempat lain. Muat ulang halaman lalu coba lagi.",
            ) from None
        return after

    def _password_check(self, keys: list[tuple[str, str]], password_hash: str, password: str, now: datetime,
                        exempt: set[str] = frozenset()) -> bool:
        """Verify a password under the throttle of every key in ``keys`` (an account, an address).

        Every key counts a failed attempt; kinds in ``exempt`` are counted but do not slow this one down.
        Before argon2 runs, the check claims the next *slot* of each throttled key — the state it read
        (how many failures, the last one) — with a conditional put, and records itself as a failure; it is
        forgotten only if the password matches. Of parallel guesses reading the same state only one can
        claim it, so however many race, no more checks run than the throttle allows; a guess refused
        while it must wait is not recorded and does not lengthen the wait.
        """
        throttled = [(kind, value) for kind, value in keys if kind not in exempt]
        attempt_id = new_id()
        slots, latest = self._claim_slots(throttled, now, attempt_id)
        # Stamped after every failure the claimed state knew of, so a slot's state never comes back while its
        # claim still stands (a retried request could otherwise record an older failure than the last one).
        now = max(now, latest + timedelta(milliseconds=1)) if latest else now
        for kind, value in keys:
            self.table.record_attempt(kind, value, now, attempt_id, now + rules.THROTTLES[kind].window + timedelta(minutes=1))
        if not self._password_matches(password_hash, password):
            self._notice_if_slowed(keys, now)
            return False
        self.table.release_attempt_slots(slots)  # first: a colleague's check can claim the state at once
        for kind, value in keys:
            self.table.forget_attempt(kind, value, now, attempt_id)
        return True

    def _claim_slots(self, keys: list[tuple[str, str]], now: datetime, attempt_id: str):
        """The slots this check may take and the newest failure they knew of, or LOGIN_LOCKED with the wait."""
        for attempt in range(8):  # colleagues behind one address signing in together: read again, briefly
            slots, latest = [], None
            for kind, value in keys:
                throttle = rules.THROTTLES[kind]
                failures = [at for at, _ in self.table.failures_since(kind, value, now - throttle.window)]
                if (wait := throttle.wait(failures, now)) is not None:
                    raise rules.login_lockout_error(max(1, int(wait.total_seconds() + 0.999)))
                slots.append((kind, value, len(failures), iso(failures[-1]) if failures else "-"))
                if failures and (latest is None or failures[-1] > latest):
                    latest = failures[-1]
            if self.table.claim_attempt_slots(slots, attempt_id, now, now + rules.ADDRESS_THROTTLE.window):
                return slots, latest
            time.sleep(random.uniform(0.005, 0.02 * (attempt + 1)))
        raise rules.login_lockout_error(1)

    def _notice_if_slowed(self, keys: list[tuple[str, str]], now: datetime) -> None:
        """Tell the account's holder, once per window, that sign-ins to it are being slowed down."""
        account = dict(keys).get("ACCOUNT")
        throttle = rules.ACCOUNT_THROTTLE
        if account is None or self.notify_lock is None:
            return
        if len(self.table.failures_since("ACCOUNT", account, now - throttle.window)) < throttle.free:
            return
        user = self.table.get_user_by_email(account)
        window = now.replace(minute=0, second=0, microsecond=0).isoformat()
        if user is not None:
            self.table.claim_lock_notice(account, window, now + throttle.window, queued(now, self.notify_lock(user)))

    def _password_matches(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _start_session(self, user: User, now: datetime) -> LoginResult:
        token = secrets.token_urlsafe(32)
        session = Session(
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            session_epoch=user.session_epoch,
            created_at=now,
            expires_at=now + self.session_lifetime,
        )
        self.table.put_session(token, session)
        return LoginResult(self.signer.sign(token).decode("ascii"), session, user)

    def _unsign(self, cookie_value: str | None) -> str | None:
        if not cookie_value:
            return None
        try:
            max_age = int(self.session_lifetime.total_seconds())
            return self.signer.unsign(cookie_value, max_age=max_age).decode("ascii")
        except (SignatureExpired, BadSignature):
            return None
