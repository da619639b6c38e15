"""Driving HTML pages through the test client: CSRF tokens, signing in, reading pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from glossary.models import User
from glossary.services.actors import CLI
from glossary.services.users import create_user

PASSWORD = "correct horse battery"
_CSRF_FIELD = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


class PageClient(FlaskClient):
    """A test client whose every request gets its own application context, as in production.

    The ``app`` fixture keeps one context pushed for the whole test; requests would share its
    ``g``, where Flask-Login caches the signed-in user, so one client's user would leak into
    another client's requests.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def new_client(app: Flask) -> PageClient:
    """A fresh browser (its own cookie jar)."""
    return PageClient(app, app.response_class, use_cookies=True)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of this client's session, read off a page the way a browser gets it."""
    field = _CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert field, f"no csrf_token field on {path}"
    return _VALUE.search(field.group(0)).group(1)


def post_form(
    client: FlaskClient, path: str, data: dict | None = None, *, token_from: str = "/login"
) -> TestResponse:
    """POST a form the way the page would, CSRF token included."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)})


def sign_in_as(client: FlaskClient, username: str, role: str) -> User:
    """A local account with ``role``, signed in through the /login form."""
    user = create_user(CLI, username, role, PASSWORD)
    response = post_form(
        client, "/login", {"username": username, "password": PASSWORD}, token_from="/login"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return user


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect every SQL statement sent while the block runs (for N+1 checks)."""
    from glossary.extensions import db

    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
