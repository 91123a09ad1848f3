"""Each page loads the script modules of the behaviours it shows, and no others.

A page element names its behaviour (``data-seklik="orders-console"``); the
module that registers it (``register("orders-console", …)`` in
``docs/assets/js/``) is found at build time and added to the page as a module
script beside ``seklik.js`` (which every page loads). So a page's modules load
with the page, before the document is ready and before anyone can use a form,
and the console's 25 modules are not all fetched for every page.
"""

from __future__ import annotations

import re
from pathlib import Path

_REGISTER = re.compile(r'^register\("([\w-]+)"', re.M)
_BEHAVIOUR = re.compile(r'data-seklik="([\w-]+)"')


def behaviour_modules(js_dir: Path) -> dict[str, str]:
    """Behaviour name → the file of docs/assets/js/ that registers it (one file per behaviour)."""
    found: dict[str, str] = {}
    for path in sorted(js_dir.glob("*.js")):
        for name in _REGISTER.findall(path.read_text(encoding="utf-8")):
            if name in found:
                raise ValueError(f"the page behaviour {name!r} is registered by both {found[name]} and {path.name}")
            found[name] = path.name
    return found


def with_page_scripts(html: str, page_url: str, modules: dict[str, str]) -> str:
    """The page with a module script for each behaviour module it uses, before ``</body>``."""
    files = sorted({modules[name] for name in _BEHAVIOUR.findall(html) if name in modules})
    if not files:
        return html
    up = "../" * page_url.count("/")  # "konsol/pesanan/" → "../../" (directory URLs, as mkdocs.yml sets)
    tags = "".join(f'<script type="module" src="{up}assets/js/{name}"></script>' for name in files)
    return html.replace("</body>", f"{tags}</body>", 1)
