"""The role matrix over every HTML route, read off ``app.url_map``.

Every unsafe-method route (POST, PUT, PATCH, DELETE) refuses an anonymous visitor (a redirect
to /login, or 401/403) and a viewer, and writes nothing, unless it is listed below as a
public or any-account write; routes that need a moderator also refuse an editor. A route added
later is in this matrix the day it lands: it must refuse, or be listed here with a reason.
Each request carries a valid CSRF token and the fields of the form a page renders for that
route, so a refusal is the role check's and not CSRF's or the form validation's.
(tests/reliability/test_security.py covers CSRF, headers and hostile text over the same routes.)
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from glossary.extensions import db
from glossary.services.actors import CLI
from glossary.services.users import create_user
from tests.reliability.routes import UNSAFE_METHODS, page_rules, room, signed_in, url
from tests.web.page_helpers import PASSWORD, csrf_token, new_client

__all__ = ["room"]  # the fixture, used by name

# Writes anyone may make, signed in or not (endpoint: why).
PUBLIC_WRITES = {
    "web.login": "signing in",
    "web.logout": "ends only the caller's own session",
    "meetup_pages.join": "a meetup guest joins with the code on the projector, no account needed",
    "web.set_preferred_script": "a display preference kept in the caller's own session",
}
# Writes any account may make, a viewer's included.
SIGNED_IN_WRITES = {
    "web.account": "one's own account settings",
    "web.post_comment": "discussion is open to every account",
}
# Writes that need a moderator (or a meetup's organiser): an editor is refused too.
MODERATOR_WRITES = {
    "web.revert",
    "web.merge_concept",
    "web.split_concept_page",
    "meetup_pages.create_meetup",
    "meetup_pages.open_ballot",
    "meetup_pages.close_ballot",
    "meetup_pages.close_meetup",
    "meetup_pages.rotate_code",
}
# Pages an anonymous visitor is sent to sign in from (or refused).
PRIVATE_PAGES = {
    "web.account",
    "web.new_concept",
    "exchange_pages.import_form",
    "meetup_pages.dashboard",
}


class _Forms(HTMLParser):
    """Each POST form of a page: its action and the fields a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        name = found.get("name")
        if tag == "form" and found.get("method", "").lower() == "post":
            self._fields = {}
            self.forms.append((found.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag == "option" and self._select and not self._fields.get(self._select):
            self._fields[self._select] = found.get("value", "")  # the first real choice
        elif not name:
            return
        elif tag == "select":
            self._select = name
        elif tag == "input" and found.get("type") in ("checkbox", "radio", "file"):
            self._fields.setdefault(name, found.get("value", "on"))
        elif tag in ("input", "button", "textarea"):
            # The first submit button wins; an empty text field gets a plausible value.
            self._fields.setdefault(name, found.get("value") or "probe")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def _form_bodies(app: Flask, room: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Form fields per action path, from every GET page as the organiser (an admin) sees it."""
    client = signed_in(app)
    bodies: dict[str, dict[str, str]] = {}
    for rule in page_rules(app, "GET"):
        if rule.rule.startswith("/login/mediawiki"):
            continue  # redirects to the wiki
        page = url(rule.rule, room)
        response = client.get(page)
        if response.mimetype != "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for action, fields in parser.forms:
            fields.pop("csrf_token", None)
            bodies.setdefault(urlsplit(action).path or page, fields)  # no action: the page
    return bodies


def _row_counts() -> dict[str, int]:
    db.session.rollback()  # see what other requests committed
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _is_refusal(response: Any) -> bool:
    if response.status_code in (401, 403):
        return True
    location = urlsplit(response.headers.get("Location", "")).path
    return response.status_code in (302, 303) and location == "/login"


class _Matrix:
    """Sends each unsafe route's form as a given visitor and describes what came back."""

    def __init__(self, app: Flask, room: dict[str, Any]) -> None:
        self.app, self.room = app, room
        self.bodies = _form_bodies(app, room)
        self.rules = [
            (rule, method)
            for rule in page_rules(app, *UNSAFE_METHODS)
            for method in sorted(set(UNSAFE_METHODS) & rule.methods)
        ]
        for role in ("viewer", "editor", "moderator"):
            create_user(CLI, role, role, PASSWORD)

    def send(self, who: str, rule: Rule, method: str) -> tuple[Any, bool]:
        """(response, whether any table's row count changed)."""
        client = new_client(self.app) if who == "anonymous" else signed_in(self.app, who)
        token = csrf_token(client, "/login" if who == "anonymous" else "/account")
        path = url(rule.rule, self.room)
        before = _row_counts()
        data = {**self.bodies.get(path, {}), "csrf_token": token}
        response = client.open(path, method=method, data=data)
        return response, _row_counts() != before


@pytest.fixture
def matrix(app: Flask, room: dict[str, Any]) -> _Matrix:
    return _Matrix(app, room)


def _must_refuse(matrix: _Matrix, who: str, skip: set[str]) -> list[str]:
    """The routes (outside ``skip``) that ``who`` was not refused, or that wrote for them."""
    wrong = []
    for rule, method in matrix.rules:
        if rule.endpoint in skip:
            continue
        response, wrote = matrix.send(who, rule, method)
        assert response.status_code < 500, f"{method} {rule.rule} as {who}"
        if not _is_refusal(response) or wrote:
            status = f"{response.status_code} {response.headers.get('Location', '')}".strip()
            wrong.append(
                f"{method} {rule.rule} ({rule.endpoint}) as {who}: {status}, wrote={wrote}"
            )
    return wrong


def test_the_matrix_finds_the_routes_and_its_lists_name_real_ones(matrix, app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    listed = set(PUBLIC_WRITES) | set(SIGNED_IN_WRITES) | MODERATOR_WRITES | PRIVATE_PAGES
    assert listed <= endpoints, f"listed but gone: {listed - endpoints}"
    assert len(matrix.rules) >= 20, [rule.rule for rule, _ in matrix.rules]
    # The forms were found, so the requests below carry real fields.
    assert len(matrix.bodies) >= 10, sorted(matrix.bodies)


def test_anonymous_visitors_are_refused_every_write_but_the_public_ones(matrix):
    wrong = _must_refuse(matrix, "anonymous", set(PUBLIC_WRITES))
    assert not wrong, "not refused (refuse, or list in PUBLIC_WRITES with a reason):\n" + "\n".join(
        wrong
    )


def test_a_viewer_is_refused_every_write_that_needs_a_role(matrix):
    wrong = _must_refuse(matrix, "viewer", set(PUBLIC_WRITES) | set(SIGNED_IN_WRITES))
    assert not wrong, "not refused (refuse, or list in SIGNED_IN_WRITES):\n" + "\n".join(wrong)


def test_an_editor_is_refused_what_needs_a_moderator(matrix):
    editor_writes = {rule.endpoint for rule, _ in matrix.rules} - MODERATOR_WRITES
    wrong = _must_refuse(matrix, "editor", editor_writes)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", ["viewer", "editor", "moderator"])
def test_each_role_gets_past_the_check_on_the_writes_meant_for_it(matrix, who):
    """The lists are not stricter than the app: the lowest role a route is meant for is let
    through (its answer may still be a validation message, never a refusal)."""
    meant = {
        "viewer": set(SIGNED_IN_WRITES),
        "moderator": MODERATOR_WRITES,
        "editor": {rule.endpoint for rule, _ in matrix.rules}
        - set(PUBLIC_WRITES)
        - set(SIGNED_IN_WRITES)
        - MODERATOR_WRITES,
    }[who]
    refused = []
    for rule, method in matrix.rules:
        if rule.endpoint in meant:
            response, _ = matrix.send(who, rule, method)
            assert response.status_code < 500, f"{method} {rule.rule} as {who}"
            if _is_refusal(response):
                refused.append(f"{method} {rule.rule} as {who}: {response.status_code}")
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_every_page_answers_anonymous_visitors_and_viewers_without_an_error(app, room, who):
    client = new_client(app) if who == "anonymous" else None
    if client is None:
        create_user(CLI, who, who, PASSWORD)
        client = signed_in(app, who)
    pages = page_rules(app, "GET")
    assert len(pages) >= 20
    for rule in pages:
        response = client.get(url(rule.rule, room))
        assert response.status_code < 500, f"GET {rule.rule} as {who}"
        if who == "anonymous" and rule.endpoint in PRIVATE_PAGES:
            assert _is_refusal(response), f"GET {rule.rule} is private"
