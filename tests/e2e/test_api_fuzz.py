"""Generated requests from functions/openapi.yaml against the running API (schemathesis, pinned).

For each caller (anonymous, a verified partner, and each staff role with its
cookie and CSRF header), every operation that caller may reach gets requests
that fit the schema and requests that do not. Every answer must be no 5xx, a
status the operation documents, the documented content type and body, and
for every 4xx the one error shape; a request made wrong on purpose is refused;
an anonymous caller gets 401 from every operation that is not public, and a
signed-in caller's session lasts the whole run (the two operations that end it,
logout and change password, are left out). Bounded by examples per operation
and mode, so the whole run takes a few minutes of the two workers; what ran is
printed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable

from tests.cooperation import YEAR, client

OPENAPI = Path(__file__).resolve().parents[2] / "functions" / "openapi.yaml"
# Per operation and generation mode, and per caller; a deeper run by hand: SEKLIK_FUZZ_EXAMPLES=50
# SEKLIK_FUZZ_SEED=7 pytest tests/e2e/test_api_fuzz.py -s
EXAMPLES = int(os.environ.get("SEKLIK_FUZZ_EXAMPLES", "3"))
SEED = os.environ.get("SEKLIK_FUZZ_SEED")  # unset: the same requests every run, so CI is reproducible
PERSONAS = ("anonymous", "media", "orders", "verifier", "finance", "admin", "editor", "auditor")
# They end the caller's session (their own tests are in tests/integration/test_auth_api.py).
SESSION_ENDERS = {"logout", "changePassword"}


CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


@pytest.fixture(scope="module")
def schema():
    import schemathesis

    return schemathesis.openapi.from_path(str(OPENAPI))


def the_checks() -> list:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks

    return [not_a_server_error] + [getattr(checks, name) for name in CHECKS[1:]]


def refused_when_made_wrong():
    """schemathesis's negative_data_rejection, with 413 (a body over 64 KB, refused before it is read) a refusal."""
    import schemathesis
    from schemathesis.specs.openapi.checks import negative_data_rejection

    @schemathesis.check
    def refused_when_made_wrong(ctx, response, case):
        return None if response.status_code == 413 else negative_data_rejection(ctx, response, case)

    return refused_when_made_wrong


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


def fuzz(schema, persona: str, session: requests.Session, known: dict, web: str, only: str | None = None):
    """Every operation ``persona`` may reach, in both generation modes; the failures found and the statuses seen.

    An anonymous caller must get 401 NOT_AUTHENTICATED from every operation that is not public; a signed-in
    caller must never get 401 (its session must last through the run: the operations that end it are left out).
    A request made wrong on purpose must be refused (4xx)."""
    from schemathesis.generation import GenerationMode

    failures: list[str] = []
    statuses: Counter = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        if only and operation.path != only:
            continue
        if operation.definition.raw.get("operationId") in SESSION_ENDERS or not reachable(operation, persona):
            continue
        public = operation.definition.raw.get("x-roles", "public") == "public"
        fixed = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            checks = the_checks() + ([refused_when_made_wrong()] if mode is GenerationMode.NEGATIVE else [])

            def send(case, checks=checks) -> None:
                response = case.call(base_url=web, session=session, timeout=20)
                statuses[response.status_code] += 1
                label = f"{case.method} {case.formatted_path}"
                try:
                    case.validate_response(response, checks=checks)
                except BaseExceptionGroup as failure:  # schemathesis's FailureGroup: what failed, and the replay
                    failures.append(f"{label}: {failure}")
                if problem := error_shape(response):
                    failures.append(f"{label}: {problem}")
                code = (response.json().get("error") or {}).get("code") if response.status_code == 401 else None
                if persona == "anonymous" and not public and (response.status_code, code) != (401, "NOT_AUTHENTICATED"):
                    failures.append(f"{label}: anonymous got {response.status_code}, not 401 NOT_AUTHENTICATED")
                if persona != "anonymous" and response.status_code == 401:
                    failures.append(f"{label}: the signed-in {persona} got 401 ({code})")

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
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:  # a valid request must always be possible
                    failures.append(f"{operation.label}: no valid request can be generated")
                # negative: nothing to make wrong (no body or query; path parameters fixed above)
            except Exception as error:  # a schema hypothesis cannot generate from is a finding too
                failures.append(f"{operation.label} ({mode.value}): could not generate: {error!r}"[:400])
    return failures, statuses


@pytest.mark.parametrize("persona", PERSONAS)
def test_generated_requests_get_documented_answers_in_the_error_shape(persona, schema, cast, make_user, web):
    session = session_for(persona, cast, make_user, web)
    known = {"company_id": cast["company_id"], "year": YEAR, "code": cast["product"]}
    started = time.monotonic()
    failures, statuses = fuzz(schema, persona, session, known, web)
    print(f"\n{persona}: {sum(statuses.values())} requests in {time.monotonic() - started:.1f} s, "
          f"statuses {dict(sorted(statuses.items()))}, {len(failures)} failures")
    if persona != "anonymous":
        me = session.get(f"{web}/api/v1/auth/me", timeout=10)
        assert me.status_code == 200, f"the {persona}'s session did not last the run: {me.status_code}"
        # Most answers to a signed-in caller are about its request, not about who it is.
        assert statuses[401] == 0 and sum(statuses.values()) > 0
    assert not failures, "\n\n".join(failures[:15])


def test_the_checks_refuse_an_answer_the_schema_does_not_document(schema, cast, make_user, web, services):
    """The fuzzing above can fail: real answers, checked against the schema with one thing changed, are refused,
    by the checks themselves and by the whole run."""
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
        changed_schema = schemathesis.openapi.from_dict(changed)
        operation = next(r.ok() for r in changed_schema.get_all_operations() if r.ok().path == "/api/v1/auth/me")
        case = operation.Case()
        response = case.call(base_url=web, timeout=10)
        assert response.status_code == 401 and error_shape(response) is None
        with pytest.raises(BaseExceptionGroup, match=f"(?i){expected}"):
            case.validate_response(response, checks=the_checks())
        failures, statuses = fuzz(changed_schema, "anonymous", requests.Session(), {}, web, only="/api/v1/auth/me")
        assert statuses[401] > 0 and failures and all(expected in f.lower() for f in failures)
    # The error shape; a protected route must answer an anonymous caller 401, and a signed-in caller never.
    assert error_shape(FakeAnswer(404, {"detail": "Not Found"})) is not None
    assert error_shape(FakeAnswer(500, "<html>")) is not None
    signed_in = session_for("media", cast, make_user, web)
    failures, _ = fuzz(schema, "anonymous", signed_in, {}, web, only="/api/v1/auth/me")
    assert failures and all("anonymous got 200" in f for f in failures)
    failures, _ = fuzz(schema, "media", requests.Session(), {}, web, only="/api/v1/auth/me")
    assert failures and all("the signed-in media got 401" in f for f in failures)


class FakeAnswer:
    def __init__(self, status: int, body):
        self.status_code, self._body = status, body
        self.text = str(body)

    def json(self):
        if isinstance(self._body, str):
            raise ValueError("not JSON")
        return self._body
