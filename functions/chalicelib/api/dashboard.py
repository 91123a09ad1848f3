"""/api/v1/dashboard: what needs the signed-in person's attention, with counts and where to do it."""

from __future__ import annotations

from ..wiring import get_services
from .http import SIGNED_IN, Call, Routes, json_response

routes = Routes(__name__)


@routes.route("/api/v1/dashboard", "GET", SIGNED_IN)
def dashboard(call: Call):
    tasks = get_services().dashboard.tasks(call.user)
    return json_response({"tasks": [{"key": t.key, "label": t.label, "count": t.count, "path": t.path,
                                     "note": t.note} for t in tasks]})
