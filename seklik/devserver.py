"""One local URL for everything: the built newsroom at /, the Chalice API at /api/.

This mirrors production, where CloudFront serves the site bucket at / and
sends /api/* to API Gateway, so pages call the API on the same origin in
both places. The API part runs the real Chalice app through Chalice's own
API Gateway emulation (``chalice.local.LocalGateway``).
"""

from __future__ import annotations

import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chalice.config import Config
from chalice.local import LocalGateway, LocalGatewayException

from .newsroom.csp import HEADER_POLICY, PERMISSIONS_POLICY
from .stack import ROOT

FUNCTIONS_DIR = ROOT / "functions"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit

# Headers every static page gets; production sets the same in CloudFront (seklik/deploy.py).
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": HEADER_POLICY,  # the pages add their script policy themselves (newsroom/csp.py)
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def load_chalice_app():
    if str(FUNCTIONS_DIR) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS_DIR))
    import app as chalice_app_module  # functions/app.py

    return chalice_app_module.app


class _Handler(SimpleHTTPRequestHandler):
    gateway: LocalGateway
    # Chalice keeps the current request on the app object, as Lambda runs one
    # request per container at a time; do the same here.
    api_lock = threading.Lock()
    server_version = "seklik-dev"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # the API logs its own JSON lines
        pass

    def end_headers(self) -> None:
        if not self.path.startswith("/api/"):
            for name, value in STATIC_HEADERS.items():
                self.send_header(name, value)
        super().end_headers()

    def _api(self) -> None:
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:  # API Gateway refuses these too
            if length < 0:
                self._api_error(400, "BAD_REQUEST", "Header Content-Length tidak valid.")
            else:
                self._api_error(413, "BODY_TOO_LARGE", "Permintaan terlalu besar (maksimal 10 MB).")
            return
        body = self.rfile.read(length) if length else None
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            with self.api_lock:
                response = self.gateway.handle_request(self.command, self.path, headers, body)
            status = response["statusCode"]
            out_headers = dict(response.get("headers") or {})
            multi = response.get("multiValueHeaders") or {}
            payload = response.get("body") or b""
            if response.get("isBase64Encoded"):
                import base64

                payload = base64.b64decode(payload)
        except LocalGatewayException:
            # API Gateway's answer for an unknown path, in our error shape.
            self._api_error(404, "NOT_FOUND", "Alamat API ini tidak ada. Lihat referensi API di /referensi-api/.")
            return
        self._send(status, out_headers, multi, payload)

    def _api_error(self, status: int, code: str, message: str) -> None:
        """Every answer under /api/ is JSON in the one error shape, even those the API itself never sees."""
        payload = json.dumps({"error": {"code": code, "message": message, "details": []}})
        self._send(status, {"Content-Type": "application/json; charset=utf-8"}, {}, payload)

    def _send(self, status: int, out_headers: dict, multi: dict, payload) -> None:
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self.send_response(status)
        for name, value in out_headers.items():
            if name.lower() not in multi and name.lower() != "content-length":
                self.send_header(name, value)
        for name, values in multi.items():
            for value in values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _dispatch(self) -> None:
        if self.path.startswith("/api/"):
            self._api()
        elif self.command in {"GET", "HEAD"}:
            super().do_GET() if self.command == "GET" else super().do_HEAD()
        else:
            self.send_error(405)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # An address of the site that leads nowhere gets the site's own not-found page, as a reader would see it.
        page = Path(self.directory) / "404.html"
        if code == 404 and not self.path.startswith("/api/") and page.is_file():
            self._send(404, {"Content-Type": "text/html; charset=utf-8"}, {}, page.read_bytes())
            return
        super().send_error(code, message, explain)

    def __getattr__(self, name: str):
        # http.server answers a method it has no do_<METHOD> for (QUERY, PROPFIND…) with an HTML 501;
        # send those through the same dispatch, so the API answers them (405 and Allow) in its own shape.
        if name.startswith("do_") and name[3:].isalpha() and name[3:].isupper():
            return self._dispatch
        raise AttributeError(name)


def make_server(site_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    app = load_chalice_app()
    config = Config.create(chalice_app=app, lambda_timeout=30, lambda_memory_size=512)
    handler = type("Handler", (_Handler,), {"gateway": LocalGateway(app, config)})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    return server


class MailLoop:
    """What the every-minute mail Lambda does in production, every few seconds inside ``seklik dev``.

    Mail is queued in the table with the change that causes it; this thread
    delivers it into the ``.eml`` folder, so a developer sees it seconds later.
    """

    def __init__(self, interval: float = 2.0):
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="seklik-mail", daemon=True)

    def start(self) -> "MailLoop":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        from chalicelib.logs import get_logger
        from chalicelib.wiring import get_mail_worker, get_subscriptions

        log = get_logger("seklik.mail")
        while not self._stop.wait(self.interval):
            try:
                get_subscriptions().announce_due()
                get_mail_worker().deliver_due(seconds=self.interval * 5)
            except Exception:  # DynamoDB Local restarting, say: the next round tries again
                log.exception("mail loop round failed")
