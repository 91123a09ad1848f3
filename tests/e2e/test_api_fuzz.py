"""Generated requests from functions/openapi.yaml against the running API (schemathesis, pinned).

For each caller (anonymous, a verified partner, and each staff role with its
cookie and CSRF header), every operation that caller may reach gets requests
that fit the schema and requests that do not. Every answer must be no 5xx, a
status the operation documents, the documented content type and body, and
for every 4xx the one error shape. Bounded by examples per operation and a
time budget per caller, so the whole run takes about two minutes; what ran is
printed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable

from tests.cooperation import YEAR, client

OPENAPI = Path(__file__).resolve().parents[2] / "functions" / "openapi.yaml"
# Per operation and generation mode, and per caller; a deeper run by hand: SEKLIK_FUZZ_EXAMPLES=50
# SEKLIK_FUZZ_SECONDS=600 SEKLIK_FUZZ_SEED=7 pytest tests/e2e/test_api_fuzz.py -s
EXAMPLES = int(os.environ.get("SEKLIK_FUZZ_EXAMPLES", "3"))
BUDGET_SECONDS = float(os.environ.get("SEKLIK_FUZZ_SECONDS", "25"))
SEED = os.environ.get("SEKLIK_FUZZ_SEED")  # unset: the same requests every run, so CI is reproducible
PERSONAS = ("anonymous", "media", "orders", "verifier", "finance", "admin", "editor", "auditor")


CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


@pytest.fixture(scope="module")
def schema():
    import schemathesis

    return schemathesis.openapi.from_path(str(OPENAPI))


def the_checks() -> list:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks

    return [not_a_server_error] + [getattr(checks, name) for name in CHECKS[1:]]


def session_for(persona: str, cast, make_user, web) -> requests.Session:
    session = requests.Session()
    if persona == "anonymous":
        return session
    scene = {"media": "partner", "orders": "staff", "verifier": "verifier", "finance": "finance", "admin": "admin"}
    if persona in scene:
        api = cast[scene[persona]]
    else:  # the cast has no editor nor auditor
        user, password = make_user(roles=(persona,), name=f"Staf {persona}")
        api = client(cast["chalice_app"])
        assert api.login(user.email, password).status == 200
    session.cookies.set("seklik_session", api.cookie, domain="127.0.0.1")
    session.headers["X-CSRF-Token"] = api.csrf
    return session


def reachable(operation, persona: str) -> bool:
    roles = operation.definition.raw.get("x-roles", "public")
    if persona == "anonymous":
        return True  # everything: public routes answer, the others must say 401 in the error shape
    return roles == "signed-in" or (isinstance(roles, list) and persona in roles)


def error_shape(response) -> str | None:
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} is not JSON: {response.text[:120]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)
            and isinstance(error.get("details"), list)):
        return f"{response.status_code} is not the error shape: {response.text[:160]!r}"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_generated_requests_get_documented_answers_in_the_error_shape(persona, schema, cast, make_user, web):
    from schemathesis.generation import GenerationMode

    checks = the_checks()
    session = session_for(persona, cast, make_user, web)
    known = {"company_id": cast["company_id"], "year": YEAR, "code": cast["product"]}
    failures: list[str] = []
    sent = {"operations": 0, "requests": 0}
    deadline = time.monotonic() + BUDGET_SECONDS

    def send(case) -> None:
        sent["requests"] += 1
        response = case.call(base_url=web, session=session, timeout=10)
        try:
            case.validate_response(response, checks=checks)
        except BaseExceptionGroup as failure:  # schemathesis's FailureGroup: what failed, and the request to replay
            failures.append(f"{case.method} {case.path}: {failure}")
        if problem := error_shape(response):
            failures.append(f"{case.method} {case.formatted_path}: {problem}")

    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        if time.monotonic() > deadline:
            break
        if not reachable(operation, persona):
            continue
        sent["operations"] += 1
        fixed = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                send(case)

            if SEED is not None:
                run = seed(int(SEED))(run)

            try:
                run()
            except Unsatisfiable:  # nothing to make wrong: no body or query, path parameters fixed above
                pass
            except Exception as error:  # a schema hypothesis cannot generate from is a finding too
                failures.append(f"{operation.label} ({mode.value}): could not generate: {error!r}"[:400])
    print(f"\n{persona}: {sent['operations']} operations, {sent['requests']} requests, "
          f"{len(failures)} failures")
    assert not failures, "\n\n".join(failures[:15])


def test_the_checks_refuse_an_answer_the_schema_does_not_document(web, services):
    """The fuzzing above can fail: a real answer, checked against the schema with one thing changed, is refused."""
    import copy

    import schemathesis
    import yaml

    raw = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    undocumented = copy.deepcopy(raw)
    del undocumented["paths"]["/api/v1/auth/me"]["get"]["responses"]["401"]
    other_body = copy.deepcopy(raw)
    other_body["components"]["responses"]["NotAuthenticated"]["content"]["application/json"]["schema"] = {
        "type": "object", "required": ["detail"]}
    for changed, expected in ((undocumented, "status code"), (other_body, "violates schema")):
        operation = next(r.ok() for r in schemathesis.openapi.from_dict(changed).get_all_operations()
                         if r.ok().path == "/api/v1/auth/me")
        case = operation.Case()
        response = case.call(base_url=web, timeout=10)
        assert response.status_code == 401 and error_shape(response) is None
        with pytest.raises(BaseExceptionGroup, match=f"(?i){expected}"):
            case.validate_response(response, checks=the_checks())
