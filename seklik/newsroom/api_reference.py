"""MkDocs hook: render functions/openapi.yaml as the site's API reference page.

The page ``referensi-api.md`` carries a marker comment; this hook replaces
it with one section per route (method, path, who may call it, request
fields, responses), and publishes the YAML file itself beside the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

OPENAPI_FILE = Path(__file__).resolve().parents[2] / "functions" / "openapi.yaml"
MARKER = "<!-- seklik:api-reference -->"
PAGE = "referensi-api.md"

_AUDIENCES = {"public": "publik (tanpa masuk)", "signed-in": "semua pengguna yang sudah masuk"}
_ROLE_LABELS = {
    "media": "mitra media",
    "verifier": "verifikator",
    "orders": "staf media order",
    "finance": "staf keuangan",
    "editor": "editor",
    "admin": "administrator",
}


def _who(roles) -> str:
    if isinstance(roles, list):
        return ", ".join(_ROLE_LABELS.get(r, r) for r in roles)
    return _AUDIENCES.get(roles, str(roles))


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _fields_table(schema_name: str, schemas: dict) -> str:
    schema = schemas.get(schema_name, {})
    required = set(schema.get("required", []))
    rows = ["| isian | jenis | wajib | keterangan |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("type") or ", ".join(p.get("type", "?") for p in prop.get("anyOf", []))
        limits = []
        if "minLength" in prop:
            limits.append(f"min {prop['minLength']}")
        if "maxLength" in prop:
            limits.append(f"maks {prop['maxLength']}")
        note = prop.get("description", "")
        if limits:
            note = f"{note} ({', '.join(limits)} karakter)".strip()
        rows.append(f"| `{name}` | {kind} | {'ya' if name in required else 'tidak'} | {note} |")
    return "\n".join(rows)


def render(spec: dict) -> str:
    schemas = spec.get("components", {}).get("schemas", {})
    shared = spec.get("components", {}).get("responses", {})
    parts = []
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            who = _who(op.get("x-roles", ""))
            parts.append(f"## {op.get('summary', '')}\n")
            parts.append(f"`{method.upper()} {path}` — boleh dipanggil oleh: {who}.\n")
            if op.get("description"):
                parts.append(op["description"].strip() + "\n")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body and "$ref" in body:
                parts.append(f"**Isi permintaan** (`{_ref_name(body['$ref'])}`):\n")
                parts.append(_fields_table(_ref_name(body["$ref"]), schemas) + "\n")
            parts.append("**Jawaban:**\n")
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    response = shared.get(_ref_name(response["$ref"]), {})
                parts.append(f"- `{status}` {response.get('description', '')}")
            parts.append("")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri != PAGE or MARKER not in markdown:
        return markdown
    spec = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    return markdown.replace(MARKER, render(spec))


def on_post_build(config) -> None:
    target = Path(config["site_dir"]) / "referensi-api" / "openapi.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OPENAPI_FILE, target)
