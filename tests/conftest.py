"""Shared fixtures.

The suite runs against SQLite by default and against PostgreSQL when
``TAMYR_TEST_DATABASE_URL`` names one (``.ci/run`` does both). Real sample files live beside
the clone in ``../shared/samples``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url, text

SAMPLES = Path(
    os.environ.get(
        "TAMYR_SAMPLES", Path(__file__).resolve().parents[1].parent / "shared" / "samples"
    )
)
TEST_DATABASE_URL = os.environ.get("TAMYR_TEST_DATABASE_URL")
ON_POSTGRES = bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))
# `tamyr` processes on PostgreSQL search with the postgres backend, as deployments beyond one
# machine do (DESIGN.md §9). Whoosh over PostgreSQL is still covered: the in-process suite
# (services, API, web) runs with Whoosh on both databases.
PROCESS_SEARCH_BACKEND = "postgres" if ON_POSTGRES else "whoosh"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked ``same_on_every_database`` (text, file readers, processes on their own
    SQLite instance, the browser's live server) run once: .ci/run's PostgreSQL pass deselects
    them. A marked test that asks for a database of the kind under test is a mistake."""
    for item in items:
        if item.get_closest_marker("same_on_every_database") and "fresh_database_url" in getattr(
            item, "fixturenames", ()
        ):
            raise pytest.UsageError(f"{item.nodeid} uses the database under test")


@pytest.fixture(scope="session")
def samples() -> Path:
    """The real sample files; tests that need them skip with a reason where they are absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"sample files not found at {SAMPLES} (set TAMYR_SAMPLES or check out shared/)")
    return SAMPLES


def _reset_postgres(url: str) -> None:
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from glossary import create_app
    from glossary.cli.database import init_database

    folder = tmp_path_factory.mktemp("instance")
    if TEST_DATABASE_URL:
        _reset_postgres(TEST_DATABASE_URL)
        uri = TEST_DATABASE_URL
    else:
        uri = f"sqlite:///{folder / 'test.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": uri,
            "INDEX_DIR": str(folder / "index"),
            # Tests write back to back far faster than people; tests/api checks the real limit.
            "API_WRITE_RATE_LIMIT": "10000/second",
            # A loaded CI machine must not cut a fuzzy search short mid-test; the bound itself
            # is tested in tests/search/test_fuzzy_bound.py.
            "SEARCH_FUZZY_SECONDS": 5.0,
        }
    )
    with app.app_context():
        init_database()
    yield app


def _wipe(app: Flask) -> None:
    """Empty every table but the schema version, then seed the languages again."""
    from glossary.extensions import db
    from glossary.services.languages import seed_languages

    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
    seed_languages()
    db.session.commit()


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    """The app with an app context pushed and a database holding only the languages."""
    with _session_app.app_context():
        _wipe(_session_app)
        yield _session_app
        from glossary.extensions import db

        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test, for commands run as real processes."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    name = f"tamyr_fresh_{uuid.uuid4().hex[:12]}"
    admin = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def admin_token(app: Flask) -> str:
    from glossary.services.actors import CLI
    from glossary.services.users import create_token, create_user

    user = create_user(CLI, "admin", "admin", "correct horse battery")
    return create_token(CLI, user, "tests")


@pytest.fixture
def editor_token(app: Flask) -> str:
    from glossary.services.actors import CLI
    from glossary.services.users import create_token, create_user

    user = create_user(CLI, "editor", "editor", "correct horse battery")
    return create_token(CLI, user, "tests")
