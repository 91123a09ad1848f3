"""A press company's documents: which are asked for, what a file may be, their states.

Pure domain. The set of document types and which media types need each one
is configuration (``config/registration.json``, read by ``settings``); the
rules about files (allowed types, the size limit, recognising a file by its
first bytes) live here because the upload service and its tests both need
exactly the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from .press_company import MediaType
from .workflow import Verb, Workflow

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # enforced by the S3 POST policy, and re-checked on confirm

# Declared type → what the file's first bytes must be, and the extension of the stored name.
ALLOWED_CONTENT_TYPES = {
    "application/pdf": ("PDF", ".pdf"),
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
}

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
SNIFF_BYTES = 16


def sniff_content_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes, or None when it is none we accept."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def describe_content_type(content_type: str | None) -> str:
    return ALLOWED_CONTENT_TYPES[content_type][0] if content_type in ALLOWED_CONTENT_TYPES else "jenis lain"


@dataclass(frozen=True)
class DocumentType:
    code: str
    label: str
    required_for: frozenset[MediaType]
    expires: bool = False  # the form asks for a validity end date

    def required(self, media_type: MediaType) -> bool:
        return media_type in self.required_for


@dataclass(frozen=True)
class RegistrationRules:
    """Configuration of registration: accepted legal forms and the document catalogue."""

    legal_forms: tuple[str, ...]
    document_types: tuple[DocumentType, ...]

    @classmethod
    def from_dict(cls, data: dict) -> "RegistrationRules":
        types = tuple(
            DocumentType(
                code=t["code"],
                label=t["label"],
                required_for=frozenset(MediaType(m) for m in t.get("required_for", [])),
                expires=bool(t.get("expires", False)),
            )
            for t in data["document_types"]
        )
        codes = [t.code for t in types]
        if len(set(codes)) != len(codes):
            raise ValueError("registration config: duplicate document type code")
        return cls(legal_forms=tuple(data["legal_forms"]), document_types=types)

    def document_type(self, code: str) -> DocumentType | None:
        return next((t for t in self.document_types if t.code == code), None)

    def required_types(self, media_type: MediaType) -> list[DocumentType]:
        return [t for t in self.document_types if t.required(media_type)]


class DocumentStatus(str, Enum):
    UPLOADED = "UPLOADED"  # waiting for a verifier
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"  # its validity end date has passed

    @property
    def label(self) -> str:
        return {
            "UPLOADED": "Menunggu pemeriksaan",
            "ACCEPTED": "Diterima",
            "REJECTED": "Ditolak",
            "EXPIRED": "Kedaluwarsa",
        }[self.value]


_REVIEWABLE = {DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED, DocumentStatus.REJECTED}
DOCUMENT_WORKFLOW = Workflow.of(
    "document", DocumentStatus,
    # A verifier may change its mind while the company is still under review.
    Verb("accept", _REVIEWABLE, DocumentStatus.ACCEPTED, "DOCUMENT_STATE",
         "Dokumen berstatus \"{state}\" tidak dapat diperiksa. Minta mitra mengunggah dokumen yang masih berlaku."),
    Verb("reject", _REVIEWABLE, DocumentStatus.REJECTED, "DOCUMENT_STATE",
         "Dokumen berstatus \"{state}\" tidak dapat diperiksa. Minta mitra mengunggah dokumen yang masih berlaku."),
    Verb("expire", _REVIEWABLE, DocumentStatus.EXPIRED, "DOCUMENT_STATE", "Dokumen ini sudah kedaluwarsa."),
)


@dataclass(frozen=True)
class PendingUpload:
    """An upload the server has allowed but not yet confirmed (the presigned POST's twin).

    One kind for every file that comes in: a company document (``doc_type``,
    ``expires_on``), a proof of publication, a signed agreement, an invoice's
    attachment. ``owner_kind``/``owner_id`` name what it is for; it is used up
    in the same transaction that records the file, so one upload serves once.
    """

    id: str
    owner_kind: str  # "company", "order", "agreement", …
    owner_id: str
    key: str  # where the browser posts it (``incoming/…``): writable by the grant for its whole window
    stored_key: str  # where it is kept once checked: no grant can write there
    filename: str
    content_type: str
    created_by: str
    created_at: datetime
    valid_until: datetime
    doc_type: str | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class StoredFile:
    """A checked file as it is recorded wherever it belongs (a proof, a signed agreement, …)."""

    key: str
    filename: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return {"key": self.key, "filename": self.filename, "content_type": self.content_type, "size": self.size,
                "sha256": self.sha256}


@dataclass(frozen=True)
class Document:
    """One confirmed file of one type. A newer upload of the type supersedes it; both are kept."""

    id: str
    company_id: str
    doc_type: str
    key: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    status: DocumentStatus = DocumentStatus.UPLOADED
    expires_on: date | None = None
    review_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    superseded_by: str | None = None
    expiry_warned: bool = False
    version: int = 1

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    def reviewed(self, accepted: bool, reason: str | None, actor_id: str, at: datetime) -> "Document":
        return replace(
            self,
            status=DOCUMENT_WORKFLOW.target(self.status, "accept" if accepted else "reject"),
            review_reason=reason,
            reviewed_by=actor_id,
            reviewed_at=at,
            version=self.version + 1,
        )


def safe_filename(raw: str, content_type: str) -> str:
    """The name shown to people and offered on download: plain, short, with the right extension."""
    keep = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in raw.strip())[:100].strip(" ._") or "dokumen"
    extension = ALLOWED_CONTENT_TYPES[content_type][1]
    stem = keep.rsplit(".", 1)[0] if "." in keep else keep
    return f"{stem or 'dokumen'}{extension}"
