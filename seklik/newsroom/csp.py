"""Content-Security-Policy for the site, which shares its origin with the API.

Two policies apply together (a browser enforces every one it gets):

- ``HEADER_POLICY``, sent as an HTTP header by ``seklik dev`` and by CloudFront
  in production (``seklik/deploy.py``): no plugins, no ``<base>``, no framing,
  forms only to this origin.
- a ``<meta>`` policy written into each page at build time (``with_policy``):
  scripts only from this origin, plus the exact inline scripts of that page
  (Material's own, whose text differs by the page's depth) by their SHA-256,
  and WebAssembly for Pagefind. Only the theme's own inline scripts are
  hashed (``THEME_SCRIPTS``): the build stops on any other inline script, so
  one that slipped into a page at build time is refused there, and one
  injected in the browser does not run.
"""

from __future__ import annotations

import base64
import hashlib
import re

HEADER_POLICY = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
                      "interest-cohort=()")
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
# How each of Material's inline scripts begins (their text varies with the page's depth, so they are known by
# their start); anything else inline is not ours.
THEME_SCRIPTS = ("__md_scope=new URL(", "var palette=__md_get(", "var target=document.getElementById(location.hash")


class UnknownInlineScript(ValueError):
    """A page has an inline script that is not one of the theme's."""


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source of every inline script of the page that a browser would run (not JSON data blocks)."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") not in _EXECUTABLE:
            continue
        body = match.group("body")
        if not body.lstrip().startswith(THEME_SCRIPTS):
            raise UnknownInlineScript(f"inline script that is not the theme's: {body.strip()[:80]!r}")
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def page_policy(html: str) -> str:
    sources = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(html)])
    return f"script-src {sources}; object-src 'none'; base-uri 'none'"


def with_policy(html: str) -> str:
    """The page with its policy as the first element of <head>, before any script can run."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{page_policy(html)}">'
    head = re.search(r"<head[^>]*>", html, re.I)
    if head is None:
        return html
    return html[:head.end()] + meta + html[head.end():]
