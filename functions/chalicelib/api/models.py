"""Request and response bodies: validated here, and published in the OpenAPI file.

Every model forbids unknown fields and bounds every string, so a bad request
is refused before any service runs. ``seklik openapi`` copies their JSON
Schema into ``functions/openapi.yaml``; a test keeps the two equal.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.accounts import EMAIL_MAX_LENGTH, MAX_PASSWORD_LENGTH, NAME_MAX_LENGTH


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=10_000)


class LoginRequest(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH, description="Email akun.")
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH, description="Kata sandi.")


class ChangePasswordRequest(Strict):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH, description="Minimal 12 karakter.")


RoleName = Literal["media", "verifier", "orders", "finance", "editor", "admin"]


class CreateUserRequest(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH)
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, description="Nama tampilan.")
    roles: list[RoleName] = Field(min_length=1, max_length=6)


class UserStatusRequest(Strict):
    disabled: bool = Field(description="true menonaktifkan akun; false mengaktifkannya kembali.")
    reason: str = Field(min_length=1, max_length=500, description="Alasan, dicatat dalam jejak audit.")


class UserView(Strict):
    id: str
    email: str
    name: str
    roles: list[RoleName]
    role_labels: list[str]
    company_id: str | None


class AdminUserView(UserView):
    disabled: bool
    created_at: str


class UserListView(Strict):
    users: list[AdminUserView]


class CreatedUserView(Strict):
    user: AdminUserView
    password: str = Field(description="Kata sandi awal, ditampilkan sekali ini saja.")


class UserStatusView(Strict):
    user: AdminUserView


class SessionView(Strict):
    user: UserView
    csrf_token: str = Field(description="Kirim kembali dalam header X-CSRF-Token pada setiap permintaan tulis.")
    expires_at: str = Field(description="Waktu sesi berakhir (UTC, ISO-8601).")


class HealthView(Strict):
    status: Literal["ok", "degraded"]
    version: str
    checks: dict[str, Literal["ok", "error"]]


class FieldProblem(Strict):
    field: str
    code: str
    message: str


class ErrorBody(Strict):
    code: str = Field(description="Kode stabil untuk program, misalnya VALIDATION_FAILED.")
    message: str = Field(description="Penjelasan untuk manusia, dalam bahasa Indonesia.")
    details: list[FieldProblem]


class ErrorView(Strict):
    error: ErrorBody


# Published as components/schemas in the OpenAPI file, in this order.
PUBLISHED_MODELS: tuple[type[BaseModel], ...] = (
    LoginRequest,
    ChangePasswordRequest,
    CreateUserRequest,
    UserStatusRequest,
    UserView,
    AdminUserView,
    UserListView,
    CreatedUserView,
    UserStatusView,
    SessionView,
    HealthView,
    ErrorView,
)
