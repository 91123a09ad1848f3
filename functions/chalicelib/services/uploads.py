"""What every upload must be, checked the same way wherever files come in.

Company documents, proofs of publication and signed agreements all arrive
by presigned POST; before one is recorded the stored copy is read once and
judged here: not empty, not over the limit, and really the type it claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from ..adapters.documents import DocumentStore, StoredObject
from ..adapters.uploads import PendingUploadStore
from ..domain.accounts import looks_like_id
from ..domain.clock import Clock, new_id, utc_now
from ..domain.documents import (
    ALLOWED_CONTENT_TYPES,
    MAX_DOCUMENT_BYTES,
    SNIFF_BYTES,
    PendingUpload,
    StoredFile,
    describe_content_type,
    safe_filename,
    sniff_content_type,
)
from ..errors import FieldError, SeklikError, conflict, not_found, validation_failed


def declared_file_problems(content_type: str, size: int) -> list[FieldError]:
    """Refuse early what S3 would refuse anyway, with a clearer message."""
    problems = []
    if content_type not in ALLOWED_CONTENT_TYPES:
        problems.append(FieldError("content_type", "file_type_not_allowed",
                                   "Hanya file PDF, JPEG, atau PNG yang diterima."))
    if size < 1:
        problems.append(FieldError("size", "empty_file", "File kosong. Pilih file yang berisi dokumen."))
    elif size > MAX_DOCUMENT_BYTES:
        problems.append(FieldError("size", "file_too_large",
                                   f"File terlalu besar ({size / 1024 / 1024:.1f} MB). Batasnya 10 MB; "
                                   "perkecil hasil pindaian atau simpan ulang sebagai PDF yang lebih ringkas."))
    return problems


def stored_file_refusal(declared_type: str, stored: StoredObject) -> SeklikError | None:
    """Why a stored object cannot be accepted, or None. The caller deletes a refused object."""
    if stored.size == 0:
        return SeklikError("EMPTY_FILE", "File yang diunggah kosong dan telah dihapus. "
                                         "Unggah ulang file yang berisi dokumen.", 422)
    if stored.size > MAX_DOCUMENT_BYTES:
        return SeklikError("FILE_TOO_LARGE", "File lebih besar dari 10 MB dan telah dihapus. "
                                             "Perkecil file lalu unggah ulang.", 422)
    real = sniff_content_type(stored.head)
    if real != declared_type:
        return SeklikError(
            "FILE_TYPE_MISMATCH",
            f"Isi file bukan {describe_content_type(declared_type)} seperti yang disebutkan "
            f"(terbaca sebagai {describe_content_type(real)}), sehingga file telah dihapus. "
            "Unggah dokumen asli dalam format PDF, JPEG, atau PNG.",
            422,
        )
    return None


def missing_upload() -> SeklikError:
    return conflict("UPLOAD_MISSING", "File belum diterima oleh penyimpanan. Unggah file terlebih dahulu, "
                                      "lalu konfirmasi.")


def checked_upload(files: DocumentStore, key: str, declared_type: str, forget: Callable[[], None]) -> StoredObject:
    """The stored object behind a pending upload, once it has passed the checks.

    Missing → UPLOAD_MISSING (the pending upload stays, so the person can
    still upload). Bad → the object is deleted, ``forget`` drops the pending
    upload, and the refusal says why.
    """
    stored = files.inspect(key, SNIFF_BYTES, MAX_DOCUMENT_BYTES)
    if stored is None:
        raise missing_upload()
    if refusal := stored_file_refusal(declared_type, stored):
        files.delete(key)
        forget()
        raise refusal
    return stored


class UploadAlreadyUsed(Exception):
    """Another check of the same upload recorded it first (a confirm sent twice at once)."""


@dataclass(frozen=True)
class UploadGrant:
    upload: PendingUpload
    url: str
    fields: dict
    max_bytes: int


class UploadDesk:
    """The one way files come in, for every kind: grant, then check, then finish.

    ``grant`` records a pending upload beside what it is for and returns the
    presigned POST for an ``incoming/`` key. ``check`` copies what arrived to
    the upload's stored key, which no grant can write, and judges that copy
    (a bad one is deleted with its pending record): what is recorded and
    served is exactly what was checked, even if the grant is used again for
    the rest of its window. The caller uses the pending record up in its own
    transaction (``PendingUploadStore.use``), so one upload serves once, then
    calls ``finish`` to delete the incoming object.
    """

    WINDOW = timedelta(minutes=15)
    LINK_SECONDS = 300  # download links live five minutes
    INCOMING = "incoming"  # the bucket's lifecycle rule expires what is left here

    def __init__(self, files: DocumentStore, pending: PendingUploadStore, clock: Clock = utc_now):
        self.files = files
        self.pending_uploads = pending
        self.clock = clock

    def grant(self, owner_kind: str, owner_id: str, key_prefix: str, filename: str, content_type: str, size: int,
              actor_id: str, allowed: tuple[str, ...] = tuple(ALLOWED_CONTENT_TYPES), doc_type: str | None = None,
              expires_on: date | None = None, problems: list[FieldError] | None = None) -> UploadGrant:
        """``problems`` found by the caller are reported together with the file's own."""
        problems = list(problems or []) + declared_file_problems(content_type, size)
        if content_type in ALLOWED_CONTENT_TYPES and content_type not in allowed:
            names = ", ".join(ALLOWED_CONTENT_TYPES[t][0] for t in allowed)
            problems.append(FieldError("content_type", "file_type_not_allowed", f"Untuk ini hanya {names}."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        upload_id = new_id()
        extension = ALLOWED_CONTENT_TYPES[content_type][1]
        upload = PendingUpload(  # both keys are made here, never by the client
            id=upload_id, owner_kind=owner_kind, owner_id=owner_id,
            key=f"{self.INCOMING}/{owner_kind}/{owner_id}/{upload_id}{extension}",
            stored_key=f"{key_prefix}/{upload_id}{extension}",
            filename=safe_filename(filename, content_type), content_type=content_type, created_by=actor_id,
            created_at=now, valid_until=now + self.WINDOW, doc_type=doc_type, expires_on=expires_on,
        )
        self.pending_uploads.put(upload)
        post = self.files.presigned_post(upload.key, content_type, MAX_DOCUMENT_BYTES, int(self.WINDOW.total_seconds()))
        return UploadGrant(upload, post["url"], post["fields"], MAX_DOCUMENT_BYTES)

    def pending(self, owner_kind: str, owner_id: str, upload_id: str) -> PendingUpload | None:
        return self.pending_uploads.get(owner_kind, owner_id, upload_id) if looks_like_id(upload_id) else None

    def take(self, owner_kind: str, owner_id: str, upload_id: str) -> tuple[PendingUpload, StoredFile]:
        """The pending upload and its checked file; NOT_FOUND when there is no such upload (or it was used)."""
        upload = self.pending(owner_kind, owner_id, upload_id)
        try:
            if upload is None:
                raise UploadAlreadyUsed()
            return upload, self.check(upload)
        except UploadAlreadyUsed:
            raise not_found("Unggahan tidak ditemukan. Unggah ulang file Anda.") from None

    def check(self, upload: PendingUpload) -> StoredFile:
        """Copy what arrived to a key of this check's own (no grant can write it, and no other check of the same
        upload shares it), then judge that copy. UploadAlreadyUsed when another check used the upload meanwhile."""
        stem, dot, extension = upload.stored_key.rpartition(".")
        target = f"{stem}-{new_id().lower()}{dot}{extension}"
        if not self.files.copy(upload.key, target):
            if self.pending(upload.owner_kind, upload.owner_id, upload.id) is None:
                raise UploadAlreadyUsed()
            raise missing_upload()

        def forget() -> None:
            self.files.delete(upload.key)
            self.pending_uploads.delete(upload)

        stored = checked_upload(self.files, target, upload.content_type, forget)
        return StoredFile(target, upload.filename, upload.content_type, stored.size, stored.sha256)

    def discard(self, *files: StoredFile) -> None:
        """A checked copy whose record was not written (the transaction lost): nobody will ever serve it."""
        for file in files:
            self.files.delete(file.key)

    def finish(self, *uploads: PendingUpload) -> None:
        """After the file is recorded: the incoming object is no longer needed (nor ever served)."""
        for upload in uploads:
            self.files.delete(upload.key)

    def download_link(self, key: str, filename: str, content_type: str) -> str:
        """A short-lived presigned GET that downloads the file as an attachment."""
        return self.files.presigned_get(key, filename, content_type, self.LINK_SECONDS)
