"""The HTML routes of the app, read off ``app.url_map``, and a room of data to fill their URLs:
what the whole-app security and permission tests share, so a route added later is checked
without anyone remembering to list it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from glossary.extensions import limiter
from glossary.services.actors import CLI, actor_for
from glossary.services.comments import add_comment
from glossary.services.indexing import apply_pending
from glossary.services.meetups import create_meetup, join_meetup
from glossary.services.terms import create_concept
from glossary.services.users import create_user
from glossary.services.voting import open_ballot
from tests.web.page_helpers import PASSWORD, new_client, post_form, text

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def room(app: Flask) -> dict[str, Any]:
    """A concept, a meetup with an open ballot, a guest and a comment, every text of them
    hostile; the values fill the routes' URL arguments."""
    limiter.reset()
    organiser = create_user(CLI, "organiser", "admin", PASSWORD)
    actor = actor_for(organiser)
    concept = create_concept(
        CLI,
        domain="computing",
        definitions={"en": f"definition {XSS}", "kk": f"анықтама {XSS}"},
        terms=[
            {"lang": "en", "text": f"database {XSS}", "note": XSS, "status": "preferred"},
            {"lang": "kk", "text": f"дерекқор {XSS}", "note": XSS},
        ],
    )
    meetup = create_meetup(actor, name=f"Meetup {XSS}", place=XSS, quorum=1)
    join_meetup(meetup.id, meetup.join_code, f"Guest {XSS}")
    ballot = open_ballot(actor, concept.uid, "kk", meetup_id=meetup.id)
    add_comment(actor, concept, f"comment {XSS}")
    apply_pending()
    yield {
        "uid": concept.uid,
        "meetup_id": meetup.id,
        "ballot_id": ballot.id,
        "code": meetup.join_code,
        "token": "no-such-import",
        "filename": "tamyr.js",
    }
    limiter.reset()


def signed_in(app: Flask, username: str = "organiser") -> Any:
    client = new_client(app)
    response = post_form(client, "/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, text(response)[:300]
    return client


def page_rules(app: Flask, *methods: str) -> list[Any]:
    """Every HTML route's rule (not the API, static files or ops) answering one of ``methods``."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if set(methods) & rule.methods
            and not rule.rule.startswith(("/api/", "/static/"))
            and rule.endpoint.split(".")[0] != "ops"
        ),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def page_routes(app: Flask, method: str) -> list[str]:
    """Every HTML route that answers ``method``."""
    return sorted({rule.rule for rule in page_rules(app, method)})


def url(rule: str, room: dict[str, Any]) -> str:
    """The rule with the room's values; another id (a route added later) is 1, the first row."""
    return _ARGUMENT.sub(lambda found: str(room.get(found.group(1), 1)), rule)
