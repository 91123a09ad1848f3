"""/api/v1/auth: log in, log out, who am I, change password."""

from __future__ import annotations

from ..services.accounts import LoginResult
from ..wiring import get_services
from .http import PUBLIC, SIGNED_IN, Call, Routes, cleared_session_cookie, json_response, session_cookie
from .models import ChangePasswordRequest, LoginRequest

routes = Routes(__name__)


def _session_response(result: LoginResult, status: int = 200):
    settings = get_services().settings
    max_age = int((result.session.expires_at - result.session.created_at).total_seconds())
    return json_response(
        {
            "user": result.user.public_view(),
            "csrf_token": result.session.csrf_token,
            "expires_at": result.session.expires_at.isoformat(),
        },
        status,
        {"Set-Cookie": session_cookie(result.cookie_value, max_age, settings.secure_cookies)},
    )


@routes.route("/api/v1/auth/login", "POST", PUBLIC)
def login(call: Call):
    body = call.body(LoginRequest)
    result = get_services().accounts.login(body.email, body.password, call.source_address)
    return _session_response(result)


@routes.route("/api/v1/auth/logout", "POST", SIGNED_IN)
def logout(call: Call):
    services = get_services()
    services.accounts.logout(call.cookie)
    return json_response(
        {"message": "Anda telah keluar."},
        headers={"Set-Cookie": cleared_session_cookie(services.settings.secure_cookies)},
    )


@routes.route("/api/v1/auth/me", "GET", SIGNED_IN)
def me(call: Call):
    return json_response(
        {
            "user": call.user.public_view(),
            "csrf_token": call.session.csrf_token,
            "expires_at": call.session.expires_at.isoformat(),
        }
    )


@routes.route("/api/v1/auth/password", "POST", SIGNED_IN)
def change_password(call: Call):
    body = call.body(ChangePasswordRequest)
    result = get_services().accounts.change_password(
        call.user, body.current_password, body.new_password, call.cookie
    )
    return _session_response(result)
