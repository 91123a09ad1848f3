"""A press company (mitra media): its profile, its verification states and their rules.

Pure domain: the profile model validates and normalises (NPWP to 16 digits,
phones to +62, …) with Indonesian messages; ``Company`` is the stored
company with its status. Storage is in ``adapters/companies.py``, the use
cases in ``services/registration.py`` and ``services/verification.py``.

States (``COMPANY_WORKFLOW``, the table below, is the one source)::

    DRAFT ──submit──▶ SUBMITTED ──verify──▶ VERIFIED (until a date) ──expire──▶ EXPIRED
      ▲                  │   └──reject──▶ REJECTED (final)                     │
      │                  ▼                                                     │
      └── edit ── REVISION_REQUESTED ──submit──▶ SUBMITTED ◀──submit───────────┘
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from . import identifiers as ids
from .accounts import email_problem, normalise_email
from .text import clean_values
from ..errors import SeklikError
from .workflow import Verb, Workflow

DEFAULT_LEGAL_FORMS = ("PT",)  # others (Yayasan, Koperasi, …) are allowed by configuration


class MediaType(str, Enum):
    CETAK = "cetak"
    SIBER = "siber"
    TELEVISI = "televisi"
    RADIO = "radio"

    @property
    def label(self) -> str:
        return {"cetak": "Cetak", "siber": "Siber (media daring)", "televisi": "Televisi", "radio": "Radio"}[self.value]


class UkwLevel(str, Enum):
    MUDA = "Muda"
    MADYA = "Madya"
    UTAMA = "Utama"


class DewanPersStatus(str, Enum):
    BELUM = "belum"
    ADMINISTRATIF = "administratif"
    FAKTUAL = "faktual"


def _parse_email(raw: str) -> str:
    value = normalise_email(raw)
    if problem := email_problem(value):
        raise ValueError(problem)
    return value


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=300, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _visible_text(cls, value):
        """Names that cannot lie: NFC, no controls, no bidi overrides, not invisible (domain/text.py)."""
        return clean_values(value)


class Address(_Part):
    province: str = Field(min_length=2, max_length=80)
    regency: str = Field(min_length=2, max_length=80, description="Kabupaten/kota")
    district: str = Field(min_length=2, max_length=80, description="Kecamatan")
    street: str = Field(min_length=5, max_length=200)
    postal_code: str
    latitude: float | None = None
    longitude: float | None = None

    _postal = field_validator("postal_code")(lambda cls, v: ids.parse_postal_code(v))

    @model_validator(mode="after")
    def _gps_pair(self) -> "Address":
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("isi lintang dan bujur sekaligus, atau kosongkan keduanya")
        if self.latitude is not None:
            ids.check_gps(self.latitude, self.longitude)
        return self


class EditorInChief(_Part):
    name: str = Field(min_length=3, max_length=120)
    ukw_level: UkwLevel
    ukw_certificate: str = Field(min_length=3, max_length=60)


class BankAccount(_Part):
    bank: str = Field(min_length=2, max_length=80)
    number: str
    holder: str = Field(min_length=2, max_length=150)

    @field_validator("number")
    @classmethod
    def _digits(cls, value: str) -> str:
        digits = value.replace(" ", "").replace("-", "").replace(".", "")
        if not digits.isdigit() or not 6 <= len(digits) <= 20:
            raise ValueError("nomor rekening harus 6–20 angka")
        return digits


class ContactPerson(_Part):
    name: str = Field(min_length=3, max_length=120)
    phone: str
    email: str

    _phone = field_validator("phone")(lambda cls, v: ids.parse_phone(v))
    _email = field_validator("email")(lambda cls, v: _parse_email(v))


class CompanyProfile(_Part):
    """Validate with ``CompanyProfile.model_validate(data, context={"today": date, "legal_forms": [...]})``."""

    legal_name: str = Field(min_length=3, max_length=150)
    legal_form: str
    media_name: str = Field(min_length=2, max_length=120)
    media_type: MediaType
    website: str = Field(description="Situs atau alamat siaran (stream)")
    kbli: str
    nib: str
    npwp: str
    pkp: bool = Field(description="Pengusaha Kena Pajak (PPN)")
    deed_number: str = Field(min_length=1, max_length=60)
    deed_date: date
    sk_kemenkumham: str = Field(min_length=3, max_length=80)
    address: Address
    phone: str
    email: str
    editor_in_chief: EditorInChief
    dewan_pers_status: DewanPersStatus = DewanPersStatus.BELUM
    dewan_pers_certificate: str | None = Field(default=None, max_length=60)
    dewan_pers_date: date | None = None
    established: date
    reach: int = Field(ge=0, description="Oplah (cetak), pengunjung per bulan (siber), atau cakupan (TV/radio)")
    reach_area: str | None = Field(default=None, max_length=200, description="Wilayah siaran untuk TV dan radio")
    bank_account: BankAccount
    contact_person: ContactPerson

    _website = field_validator("website")(lambda cls, v: ids.parse_url(v))
    _kbli = field_validator("kbli")(lambda cls, v: ids.parse_kbli(v))
    _nib = field_validator("nib")(lambda cls, v: ids.parse_nib(v))
    _npwp = field_validator("npwp")(lambda cls, v: ids.parse_npwp(v))
    _phone = field_validator("phone")(lambda cls, v: ids.parse_phone(v))
    _email = field_validator("email")(lambda cls, v: _parse_email(v))

    @field_validator("legal_form")
    @classmethod
    def _legal_form(cls, value: str, info: ValidationInfo) -> str:
        allowed = list((info.context or {}).get("legal_forms", DEFAULT_LEGAL_FORMS))
        match = next((f for f in allowed if f.lower() == value.lower()), None)
        if match is None:
            raise ValueError(f"bentuk badan hukum harus salah satu dari: {', '.join(allowed)}")
        return match

    @field_validator("deed_date", "established", "dewan_pers_date")
    @classmethod
    def _past(cls, value: date | None, info: ValidationInfo) -> date | None:
        today = (info.context or {}).get("today")
        if value is not None and today is not None:
            what = {"deed_date": "tanggal akta", "established": "tanggal berdiri",
                    "dewan_pers_date": "tanggal sertifikat Dewan Pers"}[info.field_name]
            ids.check_not_in_future(value, today, what)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "CompanyProfile":
        """The rules across fields, each reported at the field to correct (the holder's name at the holder)."""
        if problems := across_fields(self.model_dump(mode="json")):
            raise ValidationError.from_exception_data(type(self).__name__, [
                InitErrorDetails(type=PydanticCustomError(code, "{rule}", {"rule": message}), loc=loc, input=value)
                for loc, code, message, value in problems])
        return self

    @classmethod
    def problems_across_fields(cls, data, invalid: frozenset[str] = frozenset()) -> list[tuple[tuple, str, str, object]]:
        """For a form whose fields are not all valid yet (when the validator above does not run): the HTTP edge
        adds these to the fields' own errors, so a form says everything that is wrong at once. ``invalid``: the
        fields (dotted) whose own rule failed; a rule that reads one of them waits until it is put right."""
        return across_fields(data, invalid)


def across_fields(data, invalid: frozenset[str] = frozenset()) -> list[tuple[tuple, str, str, object]]:
    """(where, code, message, value) of each rule that ties one field to another, read from the input as sent (so
    it runs even when other fields are wrong); a field left empty is its own error, not one of these, and a rule
    does not read a field in ``invalid`` (its own error comes first, and its value is not echoed)."""
    if not isinstance(data, dict):
        return []
    text = lambda value: value.strip() if isinstance(value, str) else ""  # noqa: E731
    bank = data.get("bank_account") if isinstance(data.get("bank_account"), dict) else {}
    holder, legal_name = text(bank.get("holder")), text(data.get("legal_name"))
    found = []
    if holder and legal_name and not {"legal_name", "bank_account.holder", "bank_account"} & invalid \
            and not ids.same_legal_name(holder, legal_name):
        found.append((("bank_account", "holder"), "holder_mismatch",
                      f"Nama pemilik rekening harus sama dengan nama badan hukum ({legal_name}), sebagaimana "
                      f"tertulis di buku tabungan atau rekening koran.", holder))
    if "dewan_pers_status" not in invalid \
            and text(data.get("dewan_pers_status")) not in ("", DewanPersStatus.BELUM.value):
        for name in ("dewan_pers_certificate", "dewan_pers_date"):
            if not text(data.get(name)):
                found.append(((name,), "missing", "Wajib diisi untuk perusahaan yang terverifikasi Dewan Pers.",
                              data.get(name)))
    broadcast = text(data.get("media_type")) in (MediaType.TELEVISI.value, MediaType.RADIO.value)
    if "media_type" not in invalid and broadcast and not text(data.get("reach_area")):
        found.append((("reach_area",), "missing", "Wajib diisi untuk televisi dan radio: wilayah siarannya.",
                      data.get("reach_area")))
    return found


class CompanyStatus(str, Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    REVISION_REQUESTED = "REVISION_REQUESTED"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CompanyStatus.DRAFT: "Draf (belum diajukan)",
    CompanyStatus.SUBMITTED: "Diajukan, menunggu verifikasi",
    CompanyStatus.REVISION_REQUESTED: "Perlu perbaikan",
    CompanyStatus.VERIFIED: "Terverifikasi",
    CompanyStatus.REJECTED: "Ditolak",
    CompanyStatus.EXPIRED: "Masa verifikasi berakhir",
}

# The partner may change its profile and documents only in these states.
EDITABLE_STATUSES = frozenset({CompanyStatus.DRAFT, CompanyStatus.REVISION_REQUESTED, CompanyStatus.EXPIRED})
_NOT_EDITABLE = ("Data perusahaan tidak dapat diubah saat berstatus \"{state}\". Perubahan hanya bisa dilakukan "
                 "pada status draf, perlu perbaikan, atau masa verifikasi berakhir.")
_NOT_SUBMITTED = ("Perusahaan ini berstatus \"{state}\", bukan menunggu verifikasi. "
                  "Muat ulang halaman untuk melihat keadaan terbaru.")
_NOT_VERIFIED = ("Perusahaan ini berstatus \"{state}\". Hanya mitra terverifikasi yang dapat bernegosiasi dan "
                 "menerima pesanan.")

COMPANY_WORKFLOW = Workflow.of(
    "company", CompanyStatus,
    Verb("edit", EDITABLE_STATUSES, None, "COMPANY_NOT_EDITABLE", _NOT_EDITABLE),
    Verb("submit", EDITABLE_STATUSES, CompanyStatus.SUBMITTED, "COMPANY_NOT_EDITABLE", _NOT_EDITABLE),
    Verb("review_documents", {CompanyStatus.SUBMITTED}, None, "NOT_AWAITING_VERIFICATION", _NOT_SUBMITTED),
    Verb("verify", {CompanyStatus.SUBMITTED}, CompanyStatus.VERIFIED, "NOT_AWAITING_VERIFICATION", _NOT_SUBMITTED),
    Verb("request_revision", {CompanyStatus.SUBMITTED}, CompanyStatus.REVISION_REQUESTED, "NOT_AWAITING_VERIFICATION",
         _NOT_SUBMITTED),
    Verb("reject", {CompanyStatus.SUBMITTED}, CompanyStatus.REJECTED, "NOT_AWAITING_VERIFICATION", _NOT_SUBMITTED),
    Verb("expire", {CompanyStatus.VERIFIED}, CompanyStatus.EXPIRED, "COMPANY_STATE",
         "Hanya verifikasi yang berlaku yang dapat berakhir; perusahaan ini berstatus \"{state}\"."),
    # Negotiating, holding an agreement, receiving and accepting orders: only a verified partner.
    Verb("cooperate", {CompanyStatus.VERIFIED}, None, "PARTNER_NOT_VERIFIED", _NOT_VERIFIED),
)
# The verifier's decision names the state; the verb is the one that leads there.
DECISION_VERBS = {CompanyStatus.VERIFIED: "verify", CompanyStatus.REVISION_REQUESTED: "request_revision",
                  CompanyStatus.REJECTED: "reject"}
DECISIONS = frozenset(DECISION_VERBS)


# What one company alone may hold: kind → (its field in the form, its name for people).
IDENTIFIER_FIELDS = {
    "npwp": ("profile.npwp", "NPWP"),
    "nib": ("profile.nib", "NIB"),
    "bank_account": ("profile.bank_account.number", "nomor rekening"),
    "sk_kemenkumham": ("profile.sk_kemenkumham", "SK Kemenkumham"),
}


def in_form_order(kinds) -> tuple[str, ...]:
    """Identifier kinds in the order the form asks for them."""
    return tuple(kind for kind in IDENTIFIER_FIELDS if kind in set(kinds))


@dataclass(frozen=True)
class Company:
    id: str
    owner_id: str
    profile: dict  # CompanyProfile in JSON form (dates as ISO strings)
    status: CompanyStatus
    created_at: datetime
    updated_at: datetime
    status_since: datetime  # when it entered its status: orders the queue and lists
    submitted_at: datetime | None = None
    decided_by: str | None = None
    decision_reasons: tuple[str, ...] = ()
    verified_until: date | None = None
    expiry_warned: bool = False
    # Identifiers (kinds of ``IDENTIFIER_FIELDS``) another company already holds: this company could not
    # take their guards. Nobody is told on the registration form; the verifier sees them and may not verify.
    identity_clashes: tuple[str, ...] = ()
    version: int = 1

    @property
    def media_type(self) -> MediaType:
        return MediaType(self.profile["media_type"])

    @property
    def editable(self) -> bool:
        return COMPANY_WORKFLOW.allows(self.status, "edit")

    def check(self, verb: str) -> None:
        """Refuse unless ``verb`` may be done in this state (``edit``, ``cooperate``, …)."""
        COMPANY_WORKFLOW.require(self.status, verb)

    def moved(self, verb: str, at: datetime, **changes) -> "Company":
        return replace(self, status=COMPANY_WORKFLOW.target(self.status, verb), status_since=at, updated_at=at,
                       version=self.version + 1, **changes)

    def with_profile(self, profile: dict, at: datetime, identity_clashes: tuple[str, ...] = ()) -> "Company":
        return replace(self, profile=profile, updated_at=at, identity_clashes=in_form_order(identity_clashes),
                       version=self.version + 1)

    def check_identity_free(self) -> None:
        """A company whose NPWP, NIB, account number or SK belongs to another may not be verified."""
        if self.identity_clashes:
            named = ", ".join(IDENTIFIER_FIELDS[kind][1] for kind in self.identity_clashes)
            raise SeklikError("IDENTITY_CLASH", f"Data perusahaan ini sama dengan milik perusahaan lain yang sudah "
                              f"terdaftar ({named}), jadi tidak dapat diverifikasi. Minta perbaikan data atau tolak "
                              "pendaftaran ini.", 409)


def profile_changes(before: dict, after: dict) -> dict:
    """Field-by-field differences for the audit trail: {"address.street": {"before": .., "after": ..}}."""

    def flat(data: dict, prefix: str = "") -> dict:
        out = {}
        for key, value in data.items():
            if isinstance(value, dict):
                out.update(flat(value, f"{prefix}{key}."))
            else:
                out[f"{prefix}{key}"] = value
        return out

    old, new = flat(before), flat(after)
    # Values become text so any type (GPS floats included) can be stored as they were shown.
    text = lambda v: None if v is None else str(v)  # noqa: E731
    return {
        name: {"before": text(old.get(name)), "after": text(new.get(name))}
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }
