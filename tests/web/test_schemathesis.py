"""schemathesis against the OpenAPI spec, authenticated: no operation answers 5xx.

Runs on an installation of its own (the generated calls create users and change roles), with a
reviewer token for the queue and an administrator's for the rest. Bounded: a few examples per
operation, well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import response_schema_conformance
from sqlalchemy import select

from commsguard.store.tables import User
from commsguard.web.security import create_token

from .conftest import Installation, build_installation


@pytest.fixture(scope="module")
def fuzz_inst(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    return build_installation(Path(tmp_path_factory.mktemp("fuzz")))


@pytest.fixture(scope="module")
def fuzz_tokens(fuzz_inst: Installation) -> dict[str, str]:
    out = {}
    with fuzz_inst.session() as s:
        for name in ("reviewer", "admin"):
            user = s.scalars(select(User).where(User.username == name)).one()
            out[name] = create_token(s, user=user, scopes=["check", "read", "review", "admin"])[1]
    return out


@pytest.fixture(scope="module")
def api_schema(fuzz_inst: Installation) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_inst.app)


def _call(case: Case, tokens: dict[str, str]) -> None:
    who = "reviewer" if case.path.startswith("/api/v1/findings") else "admin"
    # Keep the two acting accounts usable: generated PATCHes go to other users.
    if case.method == "PATCH" and case.path_parameters:
        case.path_parameters["user_id"] = max(3, int(case.path_parameters.get("user_id", 3)))
    response = case.call(headers={"Authorization": f"Bearer {tokens[who]}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code < 400:
        case.validate_response(response, checks=[response_schema_conformance])


def _my_paths() -> set[tuple[str, str]]:
    """The service's own operations (other areas fuzz theirs in their own tests)."""
    from fastapi.routing import APIRoute

    from commsguard.web.api.main import PREFIX, ROUTE_MODULES

    out = set()
    for module in ROUTE_MODULES:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            out |= {(m, PREFIX + route.path) for m in route.methods}
    return out


def test_no_server_errors(api_schema: schemathesis.BaseSchema,
                          fuzz_tokens: dict[str, str]) -> None:
    mine = _my_paths()
    operations = [
        op for op in (result.ok() for result in api_schema.get_all_operations())
        if (op.method.upper(), op.path) in mine
    ]
    assert len(operations) >= 20
    for operation in operations:

        # A register change rebuilds the engine (most of a second): fewer examples there.
        examples = 3 if "/registers/" in operation.path else 20

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case) -> None:
            _call(case, fuzz_tokens)

        run()


def test_no_server_errors_in_the_other_areas(
    api_schema: schemathesis.BaseSchema, fuzz_tokens: dict[str, str]
) -> None:
    # Governance, web use, quarantine and policy versions: fewer examples each, as whichever of
    # the two accounts the route admits (a 403 would test nothing beyond the role check).
    mine = _my_paths()
    operations = [
        op for op in (result.ok() for result in api_schema.get_all_operations())
        if (op.method.upper(), op.path) not in mine
    ]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case) -> None:
            for who in ("admin", "reviewer"):
                response = case.call(headers={"Authorization": f"Bearer {fuzz_tokens[who]}"})
                assert response.status_code < 500, (case.method, case.path, response.text[:500])
                if response.status_code != 403:
                    break
            if response.status_code < 400:
                case.validate_response(response, checks=[response_schema_conformance])

        run()
