"""Search: the backend interface, its Whoosh and PostgreSQL implementations, sentence lookup.

``get_backend(app)`` returns the backend ``TAMYR_SEARCH_BACKEND`` names, one per application
(and so one per gunicorn worker): its searchers and caches are reused across requests.
"""

from __future__ import annotations

from flask import Flask, current_app

from glossary.config import ConfigError
from glossary.search.base import SearchBackend

_EXTENSION = "tamyr.search"


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The configured backend of ``app`` (default: the current app), created once."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    name = app.config["SEARCH_BACKEND"]
    backends: dict[tuple[str, str], SearchBackend] = app.extensions.setdefault(_EXTENSION, {})
    slot = (name, str(app.config["INDEX_DIR"]))
    backend = backends.get(slot)
    if backend is None:
        backend = backends[slot] = _create(app, name)
    return backend


def _create(app: Flask, name: str) -> SearchBackend:
    if name == "postgres":
        from glossary.search.postgres_backend import PostgresBackend

        if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
            raise ConfigError(
                "TAMYR_SEARCH_BACKEND=postgres needs a PostgreSQL TAMYR_DATABASE_URL; "
                "use the default whoosh backend with SQLite"
            )
        return PostgresBackend()
    from glossary.search.whoosh_backend import WhooshBackend

    return WhooshBackend(app.config["INDEX_DIR"], app.config["SEARCH_FUZZY_SECONDS"])


__all__ = ["SearchBackend", "get_backend"]
