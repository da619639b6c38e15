"""Fixtures for the HTTP API tests: a token per role and a concept to act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

ROLES_AND_ANONYMOUS = ("anonymous", "viewer", "participant", "editor", "moderator", "admin")


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app: Flask) -> Iterator[None]:
    """Counters live in the shared limiter; user ids repeat between tests, counters must not."""
    from glossary.extensions import limiter

    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def token_for(app: Flask) -> Callable[[str], str | None]:
    """A live API token for a new user of ``role``; None for anonymous."""
    from glossary.services.actors import CLI
    from glossary.services.users import create_token, create_user

    made: dict[str, str | None] = {"anonymous": None}

    def make(role: str) -> str | None:
        if role not in made:
            user = create_user(CLI, f"{role}-user", role, None)  # no argon2: keeps the matrix fast
            made[role] = create_token(CLI, user, "tests")
        return made[role]

    return make


@pytest.fixture
def concept(client: FlaskClient, admin_token: str) -> dict[str, Any]:
    """A concept with an English preferred term and a proposed Kazakh one."""
    body = {
        "domain": "computing",
        "definitions": {"en": "An organised collection of data"},
        "terms": [
            {"lang": "en", "text": "database", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "дерекқор"},
            {"lang": "kk", "text": "деректер базасы"},
        ],
    }
    response = client.post("/api/v1/concepts", json=body, headers=bearer(admin_token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def term_id(concept: dict[str, Any], text: str) -> int:
    return next(term["id"] for term in concept["terms"] if term["text"] == text)
