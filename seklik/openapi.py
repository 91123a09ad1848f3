"""Keep functions/openapi.yaml's schemas equal to the pydantic models.

Paths, summaries and responses are written by hand in the YAML file; the
``components.schemas`` section is generated from ``PUBLISHED_MODELS`` so the
document can never disagree with what the API validates.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from chalicelib.api.models import PUBLISHED_MODELS

from .stack import ROOT

OPENAPI_FILE = ROOT / "functions" / "openapi.yaml"
_REF_TEMPLATE = "#/components/schemas/{model}"


def model_schemas() -> dict:
    schemas: dict = {}
    for model in PUBLISHED_MODELS:
        schema = model.model_json_schema(ref_template=_REF_TEMPLATE)
        for name, nested in schema.pop("$defs", {}).items():
            schemas[name] = nested
        schemas[model.__name__] = schema
    return schemas


def load(path: Path = OPENAPI_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def refresh_schemas(write: bool = True, path: Path = OPENAPI_FILE) -> bool:
    """Replace components.schemas; True when it differed from the models."""
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    wanted = model_schemas()
    if document["components"].get("schemas") == wanted:
        return False
    if write:
        head, marker, _ = text.partition("\n  schemas:")
        if not marker:
            raise ValueError("functions/openapi.yaml must end with the components.schemas section")
        generated = yaml.safe_dump({"schemas": wanted}, sort_keys=False, allow_unicode=True, width=100)
        indented = "".join(f"  {line}\n" for line in generated.splitlines())
        path.write_text(head + "\n" + indented, encoding="utf-8")
    return True
