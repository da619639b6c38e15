"""Property-based conformance of the whole API against its own OpenAPI document.

Schemathesis loads /api/v1/openapi.json from the app (WSGI, no network) and sends generated
requests to every operation; each answer must not be a 5xx and must match the documented
status codes, content types and response schemas. Examples are bounded and derandomized so the
run is repeatable and takes well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MUST_SUCCEED = (
    "GET /concepts",
    "POST /concepts",
    "GET /concepts/{uid}",
    "PATCH /concepts/{uid}",
    "POST /concepts/{uid}/comments",
    "GET /concepts/{uid}/history",
    "PATCH /terms/{term_id}",
    "POST /users",
    "GET /me",
)
# The meetups area keeps its own write limit (RATELIMIT_WRITES) beside the API-wide one.
WRITE_LIMIT_SETTINGS = ("API_WRITE_RATE_LIMIT", "RATELIMIT_WRITES")
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _fuzz(
    app, headers: dict[str, str], examples: int, known: dict[str, Any]
) -> tuple[list[str], set[str]]:
    """Run every operation's generated cases: one line per failing operation, and the
    operations that answered at least once with a success.

    Path parameters named in ``known`` are set to real objects, so operations get past 404 and
    their bodies and answers are checked too; random ids would only ever find nothing.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    succeeded: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(FUZZ, max_examples=examples)
        def run(case: schemathesis.Case) -> None:
            for name in case.path_parameters or {}:
                if name in known:
                    case.path_parameters[name] = known[name]
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            if response.status_code < 400:
                succeeded.add(case.operation.label)

        try:
            run()
        except Exception as exc:  # report every operation, not just the first
            failures.append(f"{operation.label}: {exc}")
    return failures, succeeded


@pytest.fixture(autouse=True)
def _whoosh_names_from_the_os(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hypothesis reseeds the global ``random`` for every example, and Whoosh names its new
    segments with it: the same "random" name twice makes a commit fail. The OS never repeats."""
    import random

    import whoosh.util

    monkeypatch.setattr(whoosh.util, "random", random.SystemRandom())


@pytest.fixture
def known_objects(client, concept, admin_token) -> Iterator[dict[str, Any]]:
    """Real ids for path parameters, and write limits out of the way of a burst of requests."""
    from glossary.services.actors import CLI
    from glossary.services.users import create_token, get_user, tokens_of

    admin = get_user("admin")
    create_token(CLI, admin, "spare")  # DELETE /tokens/{id} revokes this one, not ours
    known: dict[str, Any] = {
        "uid": concept["uid"],
        "term_id": concept["terms"][1]["id"],
        "user_id": admin.id,
        "token_id": tokens_of(admin)[0].id,
    }
    meetup = client.post(
        "/api/v1/meetups",
        json={
            "name": "Kazan 2026",
            "place": "Kazan",
            "quorum": 1,
            "threshold": 0.5,
            "secret": False,
        },
        headers=bearer(admin_token),
    )
    if meetup.status_code == 201:
        known["meetup_id"] = meetup.get_json()["id"]
        ballot = client.post(
            f"/api/v1/meetups/{known['meetup_id']}/ballots",
            json={"concept": concept["uid"], "lang": "kk"},
            headers=bearer(admin_token),
        )
        if ballot.status_code == 201:
            known["ballot_id"] = ballot.get_json()["id"]
    saved = {key: client.application.config.get(key) for key in WRITE_LIMIT_SETTINGS}
    client.application.config.update(dict.fromkeys(WRITE_LIMIT_SETTINGS, "100000/second"))
    yield known
    client.application.config.update(saved)


def test_every_operation_conforms_as_admin(app, known_objects, admin_token):
    """Pytest 9 broke schemathesis' own pytest plugin, so we drive Hypothesis directly."""
    failures, succeeded = _fuzz(app, bearer(admin_token), examples=12, known=known_objects)
    assert not failures, "\n\n".join(failures)
    # Generated data must reach the handlers, not only their 404s and 422s.
    for label in MUST_SUCCEED:
        assert f"{label.split()[0]} /api/v1{label.split()[1]}" in succeeded, label


def test_every_operation_conforms_anonymously(app, concept):
    failures, _ = _fuzz(app, {}, examples=4, known={"uid": concept["uid"]})
    assert not failures, "\n\n".join(failures)
