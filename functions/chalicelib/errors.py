"""Domain errors: a stable machine code, an Indonesian message, a status.

Domain services raise these; the API layer turns any of them into the one
JSON error shape (see ``api/http.py``). Codes are part of the public
contract: never rename one, add a new one instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One problem with one input field. ``field`` is a dotted path."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class SeklikError(Exception):
    code: str
    message: str
    status: int = 400
    details: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:  # readable in logs and test failures
        return f"{self.code}: {self.message}"


def validation_failed(details: list[FieldError]) -> SeklikError:
    return SeklikError(
        "VALIDATION_FAILED",
        "Data yang dikirim tidak valid. Periksa isian yang ditandai lalu kirim ulang.",
        422,
        details,
    )


def bad_request(code: str, message: str) -> SeklikError:
    return SeklikError(code, message, 400)


def not_authenticated() -> SeklikError:
    return SeklikError(
        "NOT_AUTHENTICATED",
        "Anda belum masuk atau sesi Anda telah berakhir. Silakan masuk kembali.",
        401,
    )


def forbidden(message: str = "Anda tidak memiliki hak akses untuk tindakan ini.") -> SeklikError:
    return SeklikError("FORBIDDEN", message, 403)


def not_found(message: str = "Data yang diminta tidak ditemukan.") -> SeklikError:
    return SeklikError("NOT_FOUND", message, 404)


def conflict(code: str, message: str) -> SeklikError:
    return SeklikError(code, message, 409)
