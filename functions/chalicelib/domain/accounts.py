"""Accounts, roles and the rules about passwords and logins (no I/O here)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from ..errors import FieldError, SeklikError, validation_failed


class Role(str, Enum):
    MEDIA = "media"  # a press company's account (mitra media)
    VERIFIER = "verifier"  # verifikasi dokumen, perusahaan dan bukti tayang
    ORDERS = "orders"  # negosiasi, PKS, media order
    FINANCE = "finance"  # anggaran, tagihan, pajak, pembayaran, buku besar
    EDITOR = "editor"  # siaran pers dan distribusinya
    ADMIN = "admin"  # pengguna, katalog, pengaturan
    AUDITOR = "auditor"  # pemeriksa: membaca tagihan, laporan dan bukti; tidak mengubah apa pun

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.MEDIA: "Mitra media",
    Role.VERIFIER: "Verifikator",
    Role.ORDERS: "Staf media order",
    Role.FINANCE: "Staf keuangan",
    Role.EDITOR: "Editor siaran pers",
    Role.ADMIN: "Administrator",
    Role.AUDITOR: "Pemeriksa (auditor)",
}

# A press company's account never holds a staff role as well: partners may
# only ever see their own data, and mixing the two would blur that line.
STAFF_ROLES = frozenset(Role) - {Role.MEDIA}

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 120

@dataclass(frozen=True)
class Throttle:
    """Failed password checks slow a key down instead of locking it (OWASP: throttle, do not lock out).

    ``free`` failures inside ``window`` cost nothing; after that each further
    check waits ``first_delay`` × 2^(failures − free) after the last failure,
    at most ``max_delay``. Failures older than the window are forgotten.
    """

    free: int
    first_delay: timedelta
    max_delay: timedelta
    window: timedelta

    def delay(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        return min(self.max_delay, self.first_delay * 2 ** min(failures - self.free, 20))

    def wait(self, failures: list[datetime], now: datetime) -> timedelta | None:
        """How long a new check must still wait after these failures (oldest first), or None."""
        delay = self.delay(len(failures))
        if not delay or not failures:
            return None
        ready = failures[-1] + delay
        return ready - now if ready > now else None


# One account: five free guesses, then 30 s, 1 min, 2 min … up to 15 min between guesses. One address:
# an office behind one NAT shares it, so it gets four times as many before it slows down.
ACCOUNT_THROTTLE = Throttle(free=5, first_delay=timedelta(seconds=30), max_delay=timedelta(minutes=15),
                            window=timedelta(hours=1))
ADDRESS_THROTTLE = Throttle(free=20, first_delay=timedelta(seconds=30), max_delay=timedelta(minutes=15),
                            window=timedelta(hours=1))
THROTTLES = {"ACCOUNT": ACCOUNT_THROTTLE, "ADDRESS": ADDRESS_THROTTLE, "SESSION": ACCOUNT_THROTTLE}
# An address that once signed in to an account is let through that account's throttle with the right password.
KNOWN_ADDRESS_LIFETIME = timedelta(days=90)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_ID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")  # a ULID, Crockford base32


def looks_like_id(raw: str) -> bool:
    """Ids in URLs are checked before they reach the table (and its key limits)."""
    return bool(_ID_RE.match(raw))


def normalise_email(raw: str) -> str:
    """Emails are compared case-insensitively and without surrounding space."""
    return raw.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > EMAIL_MAX_LENGTH:
        return f"Alamat email paling panjang {EMAIL_MAX_LENGTH} karakter."
    if not _EMAIL_RE.match(email):
        return "Alamat email tidak valid. Contoh yang benar: nama@contoh.go.id."
    return None


# zxcvbn's estimate (log10 of the guesses an attacker needs) below which a password is refused as easy to
# guess: 10^8 is its "safely unguessable" boundary for a throttled online attack with a slow hash.
MIN_GUESSES_LOG10 = 8
_ZXCVBN_MAX = 72  # zxcvbn's own limit; anything longer is judged by the other rules (its length is its strength)
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn"}


def password_problem(password: str, email: str | None = None, name: str | None = None) -> str | None:
    """Length makes a password strong, with no composition rules (NIST 800-63B), but not one that is common,
    that repeats itself, that is made of what cannot be seen, or that contains the account's email or name."""
    import unicodedata

    from zxcvbn import zxcvbn

    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Kata sandi paling panjang {MAX_PASSWORD_LENGTH} karakter."
    if all(unicodedata.category(c) in _INVISIBLE for c in password):
        return "Kata sandi tidak boleh hanya berisi spasi atau karakter yang tidak terlihat."
    if any(unicodedata.category(c) in {"Cc", "Cf"} for c in password):
        return "Kata sandi tidak boleh berisi karakter kendali atau karakter yang tidak terlihat."
    folded = password.casefold()
    if len(set(folded)) <= 2 or any(len(folded) % k == 0 and folded == folded[:k] * (len(folded) // k)
                                    for k in range(1, 7)):
        return "Kata sandi tidak boleh berupa karakter atau potongan yang diulang-ulang."
    words = set(re.findall(r"[^\W_]+", folded))
    local = (email or "").casefold().split("@", 1)[0]
    own = {w for w in re.findall(r"[^\W_]+", (name or "").casefold()) if len(w) >= 3}
    if (len(local) >= 4 and local in folded) or own & words:
        return "Kata sandi tidak boleh memuat email atau nama Anda."
    if len(password) <= _ZXCVBN_MAX:
        inputs = [w for w in [local, *own] if w]
        if zxcvbn(password, user_inputs=inputs)["guesses_log10"] < MIN_GUESSES_LOG10:
            return ("Kata sandi ini terlalu mudah ditebak (kata sandi umum atau pola yang lazim). Gunakan beberapa "
                    "kata yang tidak berhubungan, misalnya \"jendela kopi sepeda hujan\".")
    return None


def generate_password() -> str:
    """A random password that is easy to type and well above the minimum."""
    return secrets.token_urlsafe(15)  # 20 characters, 120 bits


def parse_roles(raw: list[str]) -> list[Role]:
    """Validate a set of role names: known, not empty, media never mixed with staff."""
    problems: list[FieldError] = []
    roles: list[Role] = []
    for name in raw:
        try:
            role = Role(name)
        except ValueError:
            known = ", ".join(r.value for r in Role)
            problems.append(
                FieldError("roles", "unknown_role", f"Peran '{name}' tidak dikenal. Pilih dari: {known}.")
            )
            continue
        if role not in roles:
            roles.append(role)
    if not raw:
        problems.append(FieldError("roles", "missing", "Pilih paling sedikit satu peran."))
    if Role.MEDIA in roles and len(roles) > 1:
        problems.append(
            FieldError(
                "roles",
                "media_with_staff_role",
                "Akun mitra media tidak boleh sekaligus memiliki peran staf.",
            )
        )
    if problems:
        raise validation_failed(problems)
    return roles


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    roles: tuple[Role, ...]
    password_hash: str
    created_at: datetime
    updated_at: datetime
    disabled: bool = False
    # Raising the epoch ends every session issued before (password change).
    session_epoch: int = 0
    version: int = 1
    company_id: str | None = None

    def has_any_role(self, allowed: frozenset[Role] | set[Role]) -> bool:
        return any(role in allowed for role in self.roles)

    def public_view(self) -> dict:
        """What the user may see about themselves: never the hash."""
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "roles": [r.value for r in self.roles],
            "role_labels": [r.label for r in self.roles],
            "company_id": self.company_id,
        }

    def admin_view(self) -> dict:
        """What an administrator sees in the list of accounts."""
        return {**self.public_view(), "disabled": self.disabled, "created_at": self.created_at.isoformat()}

    def with_disabled(self, disabled: bool, now: datetime) -> "User":
        # Disabling ends every session for good: re-enabling must not revive them.
        epoch = self.session_epoch + 1 if disabled else self.session_epoch
        return replace(self, disabled=disabled, session_epoch=epoch, updated_at=now, version=self.version + 1)

    def with_rehashed_password(self, password_hash: str, now: datetime) -> "User":
        """The same password under today's argon2 parameters: sessions go on."""
        return replace(self, password_hash=password_hash, updated_at=now, version=self.version + 1)

    def with_password(self, password_hash: str, now: datetime) -> "User":
        return replace(
            self,
            password_hash=password_hash,
            session_epoch=self.session_epoch + 1,
            updated_at=now,
            version=self.version + 1,
        )


@dataclass(frozen=True)
class Session:
    user_id: str
    csrf_token: str
    session_epoch: int
    created_at: datetime
    expires_at: datetime

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class AuditEvent:
    """One line of an entity's audit trail: who did what, when, and why."""

    entity: str
    entity_id: str
    event_id: str
    action: str
    actor_id: str
    at: datetime
    changes: dict = field(default_factory=dict)  # {"field": {"before": .., "after": ..}}
    reason: str | None = None


def login_lockout_error(retry_after_seconds: int) -> SeklikError:
    minutes = max(1, (retry_after_seconds + 59) // 60)
    return SeklikError(
        "LOGIN_LOCKED",
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit. "
        "Bila Anda lupa kata sandi, hubungi administrator untuk mengaturnya ulang.",
        429,
        headers={"Retry-After": str(retry_after_seconds)},
    )


def invalid_credentials_error() -> SeklikError:
    return SeklikError(
        "INVALID_CREDENTIALS",
        "Email atau kata sandi salah. Periksa kembali lalu coba lagi.",
        401,
    )


def account_disabled_error() -> SeklikError:
    return SeklikError(
        "ACCOUNT_DISABLED",
        "Akun ini dinonaktifkan. Hubungi administrator Diskominfo untuk mengaktifkannya kembali.",
        403,
    )
