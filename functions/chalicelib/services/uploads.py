"""What every upload must be, checked the same way wherever files come in.

Company documents, proofs of publication and signed agreements all arrive
by presigned POST; before one is recorded the stored object is read once and
judged here: not empty, not over the limit, and really the type it claims.
"""

from __future__ import annotations

from ..adapters.documents import StoredObject
from ..domain.documents import ALLOWED_CONTENT_TYPES, MAX_DOCUMENT_BYTES, describe_content_type, sniff_content_type
from ..errors import FieldError, SeklikError


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
