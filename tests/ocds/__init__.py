"""Validate an OCDS 1.1 release package against the official schema, as the Open Contracting Partnership's own
tools do: JSON Schema draft 4, with the ``date-time`` format checked.

The two schema files are OCDS 1.1.5, copied unchanged from pinned PyPI releases of the Open Contracting
Partnership (see SOURCE.md); the package schema names the release schema by its URL, so both go into one
registry and nothing is fetched from the network.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

HERE = Path(__file__).parent


def _resource(name: str) -> tuple[str, Resource]:
    schema = json.loads((HERE / name).read_text(encoding="utf-8"))
    return schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)


def validator() -> Draft4Validator:
    package_url, package = _resource("release-package-schema.json")
    release_url, release = _resource("release-schema.json")
    registry = Registry().with_resources([(package_url, package), (release_url, release)])
    return Draft4Validator(package.contents, registry=registry, format_checker=FormatChecker())


def errors(package: dict) -> list[str]:
    """Every way the package breaks the schema, as "path: message" lines; empty when it validates."""
    found = sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    return ["/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in found]
