"""functions/openapi.yaml describes exactly the routes the app has, with their access rules."""

import pytest

from chalicelib.api.http import Routes
from chalicelib.domain.accounts import Role
from seklik import openapi


@pytest.fixture(scope="module")
def spec():
    return openapi.load()


def _declared_routes(chalice_app):
    return {(path, method) for path, methods in chalice_app.routes.items() for method in methods}


def test_every_route_is_documented_and_every_documented_route_exists(spec, chalice_app):
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    assert documented == _declared_routes(chalice_app)


def test_every_route_of_the_app_goes_through_the_shared_checks(chalice_app):
    assert set(Routes.declared) == _declared_routes(chalice_app)


def test_documented_roles_match_the_server_side_checks(spec, chalice_app):
    for (path, method), allowed in Routes.declared.items():
        documented = spec["paths"][path][method.lower()]["x-roles"]
        if allowed is None:
            assert documented == "public", (path, method)
        elif allowed == frozenset(Role):
            assert documented == "signed-in", (path, method)
        else:
            assert sorted(documented) == sorted(r.value for r in allowed), (path, method)


def test_schemas_are_generated_from_the_current_models():
    assert openapi.refresh_schemas(write=False) is False, "run `seklik openapi` to refresh functions/openapi.yaml"


def test_every_reference_resolves(spec):
    def resolve(ref: str):
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(node, dict) and part in node, ref
            node = node[part]
        return node

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    resolve(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)


# Codes every route can answer through the shared edge (api/http.py) rather
# than one route's rules, and those that only the CLI and the daily job meet.
NOT_PER_ROUTE = {"BODY_TOO_LARGE", "DIRECT_ACCESS_REFUSED", "INTERNAL_ERROR", "SETUP_ALREADY_DONE", "COMPANY_STATE",
                 "SUBSCRIPTION_STATE"}


def workflow_codes() -> set[str]:
    """The codes the workflow tables refuse with (upper-case; rate lines refuse per field in lower case)."""
    import importlib
    import pkgutil

    from chalicelib import domain
    from chalicelib.domain.workflow import REGISTRY

    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"chalicelib.domain.{module.name}")
    return {verb.code for workflow in REGISTRY for verb in workflow.verbs.values() if verb.code.isupper()}


def test_every_error_code_the_api_raises_is_named_in_the_description():
    import re

    from seklik.stack import ROOT

    source = "\n".join(p.read_text() for p in (ROOT / "functions" / "chalicelib").rglob("*.py"))
    raised = set(re.findall(r"(?:SeklikError|conflict|bad_request)\(\s*\"([A-Z][A-Z_]+)\"", source)) | workflow_codes()
    assert {"ALREADY_ACTIVATED", "FILE_TYPE_MISMATCH", "NOT_AWAITING_VERIFICATION"} <= raised  # the pattern works
    text = openapi.OPENAPI_FILE.read_text(encoding="utf-8")
    undocumented = sorted(code for code in raised - NOT_PER_ROUTE if code not in text)
    assert not undocumented, f"name these error codes in functions/openapi.yaml: {undocumented}"


@pytest.mark.parametrize("path", ["/api/v1/media", "/api/v1/orders"])
def test_registration_and_orders_document_their_idempotency_key_header(spec, path):
    from chalicelib.api.http import _IDEMPOTENCY_KEY

    operation = spec["paths"][path]["post"]
    (header,) = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["required"] is False
    assert header["schema"]["pattern"] == _IDEMPOTENCY_KEY.pattern
    (success,) = [answer for status, answer in operation["responses"].items() if status in ("201", "202")]
    assert "Idempotent-Replayed" in success["headers"]
