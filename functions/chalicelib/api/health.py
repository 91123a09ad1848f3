"""/api/v1/health: is the API able to reach its database and documents bucket?"""

from __future__ import annotations

from .. import VERSION
from ..logs import get_logger
from ..wiring import get_services
from .http import PUBLIC, Call, Routes, json_response

routes = Routes(__name__)
log = get_logger("seklik.health")


@routes.route("/api/v1/health", "GET", PUBLIC)
def health(call: Call):
    checks = {}
    try:
        services = get_services()
        probes = {"dynamodb": services.table.describe, "s3": services.documents.check}
    except Exception:
        log.exception("services unavailable")
        probes = {}
        checks = {"dynamodb": "error", "s3": "error"}
    for name, probe in probes.items():
        try:
            probe()
            checks[name] = "ok"
        except Exception as error:  # report, never raise: this is the health page
            log.warning("health check failed", extra={"check": name, "error": type(error).__name__})
            checks[name] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return json_response(
        {"status": "ok" if healthy else "degraded", "version": VERSION, "checks": checks},
        200 if healthy else 503,
    )
