"""The HTTP edge shared by every route: one error shape, JSON bodies, access checks.

Every route is declared through ``Routes.route(...)``, which

1. resolves the session cookie and checks the caller's roles (401 / 403),
2. checks the CSRF token on every write of a signed-in caller,
3. turns any ``SeklikError`` into the one JSON error shape, and any other
   exception into a logged 500 that reveals nothing,
4. writes one structured log line per request.

Error shape (all statuses >= 400)::

    {"error": {"code": "VALIDATION_FAILED",
               "message": "<Indonesian, for people>",
               "details": [{"field": "email", "code": "...", "message": "..."}]}}
"""

from __future__ import annotations

import functools
import hmac
import json
import re
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, TypeVar

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from ..domain.accounts import Role, Session, User
from ..domain.clock import today_wib, utc_now
from ..errors import FieldError, SeklikError, bad_request, forbidden, validation_failed
from ..logs import get_logger
from ..settings import get_settings
from ..wiring import get_services

log = get_logger("seklik.api")

SESSION_COOKIE = "seklik_session"
CSRF_HEADER = "X-CSRF-Token"
ORIGIN_VERIFY_HEADER = "X-Seklik-Origin-Verify"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY_BYTES = 64 * 1024

PUBLIC: frozenset[Role] | None = None
SIGNED_IN: frozenset[Role] = frozenset(Role)

M = TypeVar("M", bound=BaseModel)


@dataclass
class Call:
    """What a route needs to know about the request it serves."""

    request: Any  # chalice.app.Request
    user: User | None = None
    session: Session | None = None
    cookie: str | None = None

    def body(self, model: type[M], context: dict | None = None) -> M:
        return parse_body(self.request, model, context)

    @property
    def source_address(self) -> str:
        """The visitor's address, for login throttling (never logged)."""
        # Trusted because, in production, requests that bypass CloudFront are
        # refused before any route runs (see _refuse_direct_access).
        header = get_settings().client_ip_header
        if header and (value := self.request.headers.get(header)):
            # CloudFront-Viewer-Address is "ip:port" (IPv6 has colons too).
            return value.rsplit(":", 1)[0].strip("[]")
        return self.request.context.get("identity", {}).get("sourceIp", "unknown")


# -- responses ----------------------------------------------------------------

def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", **(headers or {})},
    )


def upload_grant_view(grant) -> dict:
    """The one answer to every upload request (company documents, proofs, signed agreements, …)."""
    return {"upload_id": grant.upload.id, "url": grant.url, "fields": grant.fields, "max_bytes": grant.max_bytes,
            "valid_until": grant.upload.valid_until.isoformat()}


def error_response(error: SeklikError) -> Response:
    body = {
        "error": {
            "code": error.code,
            "message": error.message,
            "details": [d.as_dict() for d in error.details],
        }
    }
    return json_response(body, error.status, error.headers)


def session_cookie(value: str, max_age: int, secure: bool) -> str:
    # Path=/api: the static site never needs it. SameSite=Strict: no other
    # site can make the browser send it. HttpOnly: page scripts cannot read it.
    attributes = [f"{SESSION_COOKIE}={value}", "Path=/api", f"Max-Age={max_age}", "HttpOnly", "SameSite=Strict"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def cleared_session_cookie(secure: bool) -> str:
    return session_cookie("", 0, secure)


def read_cookie(request: Any, name: str) -> str | None:
    header = request.headers.get("cookie") or ""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


# -- request bodies --------------------------------------------------------------

_PYDANTIC_MESSAGES = {
    "missing": "Wajib diisi.",
    "extra_forbidden": "Isian ini tidak dikenal. Hapus isian ini dari permintaan.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek: minimal {min_length} karakter.",
    "string_too_long": "Terlalu panjang: paling banyak {max_length} karakter.",
    "int_type": "Harus berupa bilangan bulat.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "bool_type": "Harus bernilai true atau false.",
    "list_type": "Harus berupa daftar.",
    "dict_type": "Harus berupa objek.",
    "model_type": "Harus berupa objek JSON.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "float_type": "Harus berupa angka.",
    "date_type": "Harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2024-05-17.",
    "date_parsing": "Tanggal tidak valid. Gunakan format TTTT-BB-HH, misalnya 2024-05-17.",
    "date_from_datetime_parsing": "Tanggal tidak valid. Gunakan format TTTT-BB-HH, misalnya 2024-05-17.",
    "greater_than_equal": "Harus paling sedikit {ge}.",
    "less_than_equal": "Paling banyak {le}.",
    "literal_error": "Nilai tidak dikenal. Pilihan yang sah: {expected}.",
    "enum": "Nilai tidak dikenal. Pilihan yang sah: {expected}.",
    "too_short": "Terlalu sedikit: minimal {min_length} butir.",
    "too_long": "Terlalu banyak: paling banyak {max_length} butir.",
    "value_error": "{error}",
}


def _short(part: str, limit: int = 60) -> str:
    return part if len(part) <= limit else f"{part[:limit]}…"


def _required(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the field at ``loc`` (through nested models, lists and optional parts) must be given; a place the
    model does not declare counts as required."""
    node: Any = model
    for n, part in enumerate(loc):
        if isinstance(part, int):
            continue  # an item of a list: the list's item model carries on
        fields = getattr(node, "model_fields", None)
        if not fields or part not in fields:
            return True
        info = fields[part]
        if n == len(loc) - 1:
            return info.is_required()
        node = next((arg for arg in _parts_of(info.annotation) if hasattr(arg, "model_fields")), None)
    return True


def _parts_of(annotation) -> list:
    """``Model``, ``Model | None``, ``list[Model]``… → the types inside, outermost first."""
    args = getattr(annotation, "__args__", ())
    return [annotation, *[part for arg in args for part in _parts_of(arg)]]


def _field_errors(error: ValidationError, model: type[BaseModel]) -> list[FieldError]:
    details = []
    for item in error.errors(include_url=False):
        # A key a client made up may be anything: name it, but never echo more than a short prefix back.
        path = ".".join(_short(str(p)) for p in item["loc"]) or "body"
        code, ctx = item["type"], dict(item.get("ctx") or {})
        if isinstance(ctx.get("expected"), str):  # pydantic lists choices as "'a', 'b' or 'c'"
            ctx["expected"] = ctx["expected"].replace(" or ", " atau ")
        # A rule across fields (domain/press_company.py) brings its own code and words (ctx["rule"]).
        across = "rule" in ctx
        template = "{rule}" if across else _PYDANTIC_MESSAGES.get(code, "Nilai tidak valid.")
        if (not across and item.get("input") in ("", None) and code != "extra_forbidden"
                and _required(model, tuple(item["loc"]))):
            # An empty box that must be filled is "required", whatever its rule would say of a value ("only digits",
            # "an integer"); an optional one sent empty hears what its value must be (or to leave it out: null).
            code, template = "missing", _PYDANTIC_MESSAGES["missing"]
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = "Nilai tidak valid."
        details.append(FieldError(path, code, message))
    return details


# DynamoDB numbers carry 38 significant digits; anything longer is no amount, count or year of ours.
MAX_NUMBER_DIGITS = 38


class _TooLongNumber(str):
    """A JSON number with more digits than any field takes, kept as text (converting it is the danger)."""


def _bounded_number(text: str):
    if sum(ch.isdigit() for ch in text) > MAX_NUMBER_DIGITS:
        return _TooLongNumber(text)
    return float(text) if any(ch in text for ch in ".eE") else int(text)


def _too_long_numbers(node, path: str = "") -> list[str]:
    """The dotted paths (as in field errors) of the over-long numbers in a decoded body."""
    if isinstance(node, _TooLongNumber):
        return [path or "body"]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _too_long_numbers(value, f"{path}.{key}" if path else key)]
    if isinstance(node, list):
        return [p for n, value in enumerate(node) for p in _too_long_numbers(value, f"{path}.{n}" if path else str(n))]
    return []


def parse_body(request: Any, model: type[M], context: dict | None = None) -> M:
    """Decode and validate a JSON body; bad input raises before anything is written."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise SeklikError(
            "UNSUPPORTED_MEDIA_TYPE",
            "Kirim data sebagai JSON dengan header Content-Type: application/json.",
            415,
        )
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise SeklikError("BODY_TOO_LARGE", f"Permintaan terlalu besar (maksimal {MAX_BODY_BYTES // 1024} KB).", 413)
    try:
        data = json.loads(raw.decode("utf-8"), parse_int=_bounded_number, parse_float=_bounded_number)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        position = f" (baris {error.lineno}, kolom {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        raise bad_request("MALFORMED_JSON", f"Isi permintaan bukan JSON yang valid{position}.") from None
    if not isinstance(data, dict):
        raise bad_request("MALFORMED_JSON", "Isi permintaan harus berupa objek JSON ({...}).")
    if too_long := _too_long_numbers(data):
        # Before any validation work: Python refuses to convert such a number (and DynamoDB keeps 38 digits).
        raise validation_failed([FieldError(path, "number_too_long", f"Angka paling banyak {MAX_NUMBER_DIGITS} digit.")
                                 for path in too_long[:10]])
    try:
        # Strict JSON-mode validation: no silent coercion ("1" is not 1), but
        # ISO dates arrive as text. ``context`` feeds validators (e.g. today).
        return model.model_validate_json(raw, strict=True, context=context)
    except ValidationError as error:
        problems = _field_errors(error, model)
        # A model's rules across fields run only once its fields are valid; a form gets them with the rest.
        across = getattr(model, "problems_across_fields", None)
        seen = {p.field for p in problems}
        problems += [FieldError(".".join(map(str, loc)), code, message) for loc, code, message, _ in
                     (across(data, frozenset(seen)) if across else []) if ".".join(map(str, loc)) not in seen]
        raise validation_failed(problems) from None


# -- request headers and path parts ----------------------------------------------------

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


def idempotency_key(call: Call) -> str | None:
    """The optional Idempotency-Key of a creating write (see the services' replay rules)."""
    key = call.request.headers.get("idempotency-key")
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.match(key):
        raise bad_request("INVALID_IDEMPOTENCY_KEY",
                          "Header Idempotency-Key harus 8–100 karakter huruf, angka, '-', '_', '.', atau ':' "
                          "(misalnya sebuah UUID).")
    return key


def enum_param(call: Call, name: str, enum, default=None):
    """An optional query parameter that must be one of ``enum``'s values (absent or empty: ``default``)."""
    raw = (call.request.query_params or {}).get(name)
    if raw in (None, ""):
        return default
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise validation_failed([FieldError(name, "invalid_choice", f"Pilihan yang sah: {allowed}.")]) from None


def limit_param(call: Call, default: int, most: int) -> int:
    """How many items a page of a list holds: ``limit`` (1..most; absent or empty: default)."""
    raw = (call.request.query_params or {}).get("limit")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)) or not 1 <= int(raw) <= most:
        raise validation_failed([FieldError("limit", "invalid_limit", f"Isi bilangan 1–{most}.")])
    return int(raw)


REPORT_YEARS = (2000, 2100)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_param(call: "Call", name: str) -> date | None:
    """An optional YYYY-MM-DD query parameter (absent or empty: None), within REPORT_YEARS: the calendar's edges
    overflow once turned into WIB times."""
    raw = (call.request.query_params or {}).get(name)
    if not raw:
        return None
    try:
        if not _DAY.fullmatch(raw):  # date.fromisoformat also takes 20270331 and 2027-W13-3
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise validation_failed([FieldError(name, "invalid_date",
                                            "Tanggal ditulis TTTT-BB-HH, misalnya 2027-03-31.")]) from None
    if not REPORT_YEARS[0] <= day.year <= REPORT_YEARS[1]:
        raise validation_failed([FieldError(name, "invalid_date",
                                            f"Tahun {day.year} di luar jangkauan ({REPORT_YEARS[0]}–{REPORT_YEARS[1]}).")])
    return day


def period_params(call: "Call") -> tuple[date, date]:
    """``from`` and ``to`` (YYYY-MM-DD, WIB days) of a report's query; 1 January of this year to today if absent."""
    today = today_wib(utc_now())
    problems, days = [], {}
    for name, default in (("from", date(today.year, 1, 1)), ("to", today)):
        try:
            days[name] = day_param(call, name) or default
        except SeklikError as error:
            problems += error.details
    if problems:
        raise validation_failed(problems)
    return days["from"], days["to"]


def year_param(raw: str) -> int:
    """A fiscal year in a path: four ASCII digits."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) != 4:
        raise validation_failed([FieldError("year", "invalid_year", "Tahun anggaran empat angka, misalnya 2027.")])
    return int(raw)


# -- access --------------------------------------------------------------------------

def _check_csrf(call: Call) -> None:
    sent = call.request.headers.get(CSRF_HEADER.lower()) or ""
    expected = call.session.csrf_token if call.session else ""
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise SeklikError(
            "CSRF_FAILED",
            "Token keamanan (CSRF) tidak ada atau tidak cocok. Muat ulang halaman lalu coba lagi.",
            403,
        )


class Routes:
    """A Chalice blueprint whose every route goes through the same checks.

    ``allowed`` is ``PUBLIC``, ``SIGNED_IN``, or a set of roles. The view
    receives ``call`` (a ``Call``) and its URL parameters::

        routes = Routes(__name__)

        @routes.route("/api/v1/auth/me", "GET", SIGNED_IN)
        def me(call): ...
    """

    # Every declared route's access rule, for the check against openapi.yaml.
    declared: dict[tuple[str, str], frozenset[Role] | None] = {}

    def __init__(self, import_name: str):
        self.blueprint = Blueprint(import_name)

    def route(self, path: str, method: str, allowed: frozenset[Role] | None) -> Callable:
        def register(view: Callable[..., Response]) -> Callable[..., Response]:
            wrapped = self._guard(view, allowed)
            Routes.declared[(path, method)] = allowed
            # content_types: parse_body checks the type itself, so a wrong one
            # gets our error shape instead of Chalice's own 415 body.
            self.blueprint.route(path, methods=[method], content_types=_ANY_CONTENT_TYPE)(wrapped)
            return view

        return register

    def _guard(self, view: Callable[..., Response], allowed: frozenset[Role] | None) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**url_params: Any) -> Response:
            request = self.blueprint.current_request
            started = time.perf_counter()
            call = Call(request=request)
            try:
                _refuse_direct_access(request)
                if allowed is not PUBLIC:
                    call.cookie = read_cookie(request, SESSION_COOKIE)
                    call.user, call.session = get_services().accounts.resolve(call.cookie)
                    if not call.user.has_any_role(allowed):
                        raise forbidden()
                    if request.method in UNSAFE_METHODS:
                        _check_csrf(call)
                response = view(call, **url_params)
            except SeklikError as error:
                response = error_response(error)
            except Exception:
                _log_unhandled(request)
                response = error_response(
                    SeklikError(
                        "INTERNAL_ERROR",
                        "Terjadi kesalahan pada server. Coba lagi beberapa saat lagi; "
                        "jika tetap gagal, hubungi administrator.",
                        500,
                    )
                )
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": request.context.get("resourcePath"),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "request_id": request.context.get("requestId"),
                    "user_id": call.user.id if call.user else None,
                },
            )
            return response

        return wrapper


def _refuse_direct_access(request: Any) -> None:
    """In production only CloudFront may call the API (it adds the token)."""
    token = get_settings().origin_verify_token
    if token is None:
        return
    sent = request.headers.get(ORIGIN_VERIFY_HEADER.lower()) or ""
    if not hmac.compare_digest(sent.encode(), token.encode()):
        raise SeklikError(
            "DIRECT_ACCESS_REFUSED",
            "API ini hanya dapat diakses melalui situs resmi Seklik.",
            403,
        )


def _log_unhandled(request: Any) -> None:
    """Log where it failed, not what the error said: messages (boto's
    especially) can echo key values such as an email."""
    error_type, _, tb = sys.exc_info()
    log.error(
        "unhandled error",
        extra={
            "route": request.context.get("resourcePath"),
            "error_type": error_type.__name__ if error_type else None,
            "stack": "".join(traceback.format_tb(tb)),
        },
    )


# Every type a client might send; parse_body decides what is acceptable.
_ANY_CONTENT_TYPE = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
]


# Chalice answers some requests itself (405 wrong method, 415, its own 500)
# with {"Code": ..., "Message": ...}; rewrite those into the one error shape.
_FRAMEWORK_ERRORS = {
    405: ("METHOD_NOT_ALLOWED", "Metode HTTP ini tidak didukung untuk alamat tersebut."),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Kirim data sebagai JSON dengan header Content-Type: application/json."),
    400: ("BAD_REQUEST", "Permintaan tidak dapat diproses."),
    500: ("INTERNAL_ERROR", "Terjadi kesalahan pada server. Coba lagi beberapa saat lagi."),
}


def normalise_framework_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body and "Message" in body:
        code, message = _FRAMEWORK_ERRORS.get(response.status_code, ("ERROR", "Permintaan gagal."))
        headers = {k: v for k, v in response.headers.items() if k.lower() == "allow"}
        return error_response(SeklikError(code, message, response.status_code, headers=headers))
    return response
