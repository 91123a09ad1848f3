"""/api/v1/users: administrators manage accounts and roles."""

from __future__ import annotations

from ..domain.accounts import Role
from ..wiring import get_services
from .http import Call, Routes, json_response
from .models import CreateUserRequest, UserStatusRequest

routes = Routes(__name__)
ADMIN = frozenset({Role.ADMIN})


@routes.route("/api/v1/users", "GET", ADMIN)
def list_users(call: Call):
    users = get_services().accounts.list_users()
    return json_response({"users": [u.admin_view() for u in users]})


@routes.route("/api/v1/users", "POST", ADMIN)
def create_user(call: Call):
    body = call.body(CreateUserRequest)
    user, password = get_services().accounts.create_user(
        body.email, body.name, list(body.roles), actor_id=call.user.id
    )
    # The generated password is shown once, to the administrator who made the account.
    return json_response({"user": user.admin_view(), "password": password}, 201)


@routes.route("/api/v1/users/{user_id}/status", "POST", ADMIN)
def set_status(call: Call, user_id: str):
    body = call.body(UserStatusRequest)
    user = get_services().accounts.set_disabled(user_id, body.disabled, call.user.id, body.reason)
    return json_response({"user": user.admin_view()})


@routes.route("/api/v1/users/{user_id}/password", "POST", ADMIN)
def reset_password(call: Call, user_id: str):
    user, password = get_services().accounts.reset_password(user_id, call.user.id)
    # Shown once, to the administrator, to hand over through a safe channel.
    return json_response({"user": user.admin_view(), "password": password})
