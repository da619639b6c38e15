"""Fixtures for meetups and voting: people of every role, a concept with candidates, guests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from glossary.models import Concept, Term, User
from glossary.services.actors import CLI, Actor, actor_for
from glossary.services.meetups import create_meetup, join_meetup
from glossary.services.terms import create_concept
from glossary.services.users import create_token, create_user

ROLES = ("viewer", "editor", "moderator", "admin")


@dataclass
class Person:
    user: User
    token: str

    @property
    def actor(self) -> Actor:
        return actor_for(self.user, self.user.meetup_id)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def people(app: Flask) -> dict[str, Person]:
    """One signed-in person per role, each with an API token."""
    crowd = {}
    for role in ROLES:
        user = create_user(CLI, role, role, None)
        crowd[role] = Person(user, create_token(CLI, user, "tests"))
    return crowd


@pytest.fixture
def concept(app: Flask, people: dict[str, Person]) -> Concept:
    """ "Database" with three Kazakh candidates, all proposed, and an English preferred term."""
    return create_concept(
        people["moderator"].actor,
        domain="computing",
        definitions={"en": "an organised collection of data"},
        terms=[
            {"lang": "en", "text": "database", "status": "preferred"},
            {"lang": "kk", "text": "дерекқор"},
            {"lang": "kk", "text": "деректер қоры"},
            {"lang": "kk", "text": "мәліметтер базасы"},
        ],
    )


def kk_terms(concept: Concept) -> list[Term]:
    """The concept's Kazakh terms in creation order."""
    return [t for t in concept.terms if t.lang == "kk"]


def new_meetup(moderator: Person, **rules: object) -> int:
    meetup = create_meetup(moderator.actor, name="Almaty Wikimedia meetup", place="Almaty", **rules)
    return meetup.id


def guests(meetup_id: int, count: int, prefix: str = "guest") -> list[Person]:
    """``count`` participants joined with the meetup's current code."""
    from glossary.extensions import db
    from glossary.models import Meetup

    code = db.session.get(Meetup, meetup_id).join_code  # type: ignore[union-attr]
    joined = []
    for number in range(count):
        user, token = join_meetup(meetup_id, code, f"{prefix} {number}")
        joined.append(Person(user, token))
    return joined


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app: Flask) -> None:
    """Rate-limit counters live in the app's memory storage; every test starts with none."""
    from glossary.extensions import limiter

    limiter.reset()


def auth(person: Person | None) -> dict[str, str]:
    return person.headers if person is not None else {}


class OneActorPerRequestClient(FlaskClient):
    """A test client whose every request finds out afresh who is calling.

    The ``app`` fixture keeps an app context pushed, and Flask reuses it for test requests,
    so ``g`` (where the API caches the caller) would carry one request's actor into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if has_app_context():
            g.pop("actor", None)
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return OneActorPerRequestClient(app, app.response_class, use_cookies=True)
