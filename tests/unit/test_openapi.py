"""functions/openapi.yaml describes exactly the routes the app has, with their access rules."""

import pytest

from chalicelib.api.http import Routes
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
        elif len(allowed) == 6:
            assert documented == "signed-in", (path, method)
        else:
            assert sorted(documented) == sorted(r.value for r in allowed), (path, method)


def test_schemas_are_generated_from_the_current_models():
    assert openapi.refresh_schemas(write=False) is False, "run `seklik openapi` to refresh functions/openapi.yaml"


def test_every_reference_resolves(spec):
    names = set(spec["components"]["schemas"]) | set(spec["components"]["responses"])

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    assert value.rsplit("/", 1)[-1] in names, value
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
