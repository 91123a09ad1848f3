"""End-to-end fixtures: the built site and API served at one URL, and a real browser."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest

from seklik.devserver import make_server
from seklik.provision import ensure_bucket

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def web(services, site_dir, stack):
    """The same server `make run` uses (site at /, API at /api/), on a free port."""
    server = make_server(site_dir, "127.0.0.1", 0)  # any free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    ensure_bucket(stack.bucket, cors_origins=[origin])  # the page uploads straight to S3, as `make run` allows
    yield origin
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@contextmanager
def static_server(directory):
    """A built site alone, from a plain static server (no API): its origin."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
