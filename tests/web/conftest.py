"""Fixtures for the web pages: signed-in test clients, a live server and a real browser.

Browser tests drive Debian's chromium (``apt-get install chromium``) through Playwright; no
browser is ever downloaded. They skip, saying why, only where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.page_helpers import new_client

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def csrf_token(html: str) -> str:
    found = CSRF_FIELD.search(html) or re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


def make_user(name: str, role: str) -> Any:
    from glossary.services.actors import CLI
    from glossary.services.users import create_user

    return create_user(CLI, name, role, PASSWORD)


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_token(page)},
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client: each request in its own app context, as in production (the
    ``app`` fixture's long-lived context would otherwise share ``g`` — the cached user,
    UI language and CSRF token — between requests)."""
    return new_client(app)


@pytest.fixture
def editor_client(app: Flask) -> FlaskClient:
    make_user("aigerim", "editor")
    client = new_client(app)
    assert sign_in(client, "aigerim").status_code == 302
    return client


@pytest.fixture
def viewer_client(app: Flask) -> FlaskClient:
    make_user("bolat", "viewer")
    client = new_client(app)
    assert sign_in(client, "bolat").status_code == 302
    return client


# -- a live server with a small termbase -------------------------------------------------------
SEED = [
    {
        "domain": "computing",
        "wikidata": "Q68",
        "definitions": {"en": "A machine that processes data by following instructions."},
        "terms": [
            {"lang": "en", "text": "computer", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "компьютер", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "есептеуіш машина", "status": "deprecated"},
            {"lang": "tr", "text": "bilgisayar", "status": "preferred", "pos": "noun"},
            {"lang": "uz", "text": "kompyuter", "status": "preferred"},
            {"lang": "ky", "text": "компьютер", "status": "preferred"},
            {"lang": "az", "text": "kompüter", "status": "preferred"},
            {"lang": "ug", "text": "كومپيۇتېر", "status": "preferred"},
        ],
    },
    {
        "domain": "computing",
        "wikidata": "Q8513",
        "definitions": {
            "en": "An organised collection of data stored electronically.",
            "kk": "Электронды түрде сақталған реттелген деректер жиынтығы.",
        },
        "terms": [
            {"lang": "en", "text": "database", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "дерекқор", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "деректер базасы", "status": "admitted"},
            {"lang": "tr", "text": "veritabanı", "status": "preferred"},
            {"lang": "uz", "text": "maʼlumotlar bazasi", "status": "preferred"},
            {"lang": "ky", "text": "маалымат базасы"},
            {"lang": "ug", "text": "سانلىق مەلۇمات ئامبىرى", "status": "preferred"},
        ],
    },
    {
        "domain": "computing",
        "terms": [
            {"lang": "en", "text": "keyboard", "status": "preferred"},
            {"lang": "kk", "text": "пернетақта", "status": "preferred"},
            {"lang": "tr", "text": "klavye", "status": "preferred"},
            {"lang": "uz", "text": "klaviatura"},
            {"lang": "ug", "text": "كۇنۇپكا تاختىسى"},
        ],
    },
]


@dataclass
class LiveServer:
    url: str
    app: Flask
    concepts: dict[str, str]  # English term -> concept uid


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real HTTP server (werkzeug, in a thread, on a free port) over a temp SQLite file."""
    from werkzeug.serving import make_server

    from glossary import create_app
    from glossary.cli.database import init_database
    from glossary.services.actors import CLI
    from glossary.services.indexing import apply_pending
    from glossary.services.terms import create_concept

    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}",
            "INDEX_DIR": str(folder / "index"),
        }
    )
    concepts = {}
    with app.app_context():
        init_database()
        for spec in SEED:
            concept = create_concept(CLI, **spec)
            concepts[spec["terms"][0]["text"]] = concept.uid
        make_user("aigerim", "editor")
        make_user("bolat", "viewer")
        apply_pending()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, concepts)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) at a laptop size; tests may resize it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
