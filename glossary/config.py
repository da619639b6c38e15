"""Settings from ``TAMYR_*`` environment variables (DESIGN.md §7)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and what to do."""


ENV_SETTINGS = {
    # environment variable -> Flask config key
    "TAMYR_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "TAMYR_SEARCH_BACKEND": "SEARCH_BACKEND",
    "TAMYR_INDEX_DIR": "INDEX_DIR",
    "TAMYR_SECRET_KEY": "SECRET_KEY",
    "TAMYR_REDIS_URL": "REDIS_URL",
    "TAMYR_BASE_URL": "BASE_URL",
    # MediaWiki OAuth 2 sign-in (optional): the wiki's base URL and the consumer's credentials
    "TAMYR_OAUTH_WIKI_URL": "OAUTH_WIKI_URL",
    "TAMYR_OAUTH_CLIENT_ID": "OAUTH_CLIENT_ID",
    "TAMYR_OAUTH_CLIENT_SECRET": "OAUTH_CLIENT_SECRET",
}

SEARCH_BACKENDS = ("whoosh", "postgres")


def instance_dir() -> Path | None:
    """``TAMYR_INSTANCE_DIR`` if set: the folder for the SQLite file and the search index."""
    value = os.environ.get("TAMYR_INSTANCE_DIR")
    return Path(value).resolve() if value else None


def load_settings(instance_path: str, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides (tests, ``serve --demo``)."""
    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'tamyr.sqlite3'}",
        "SEARCH_BACKEND": "whoosh",
        "INDEX_DIR": str(Path(instance_path) / "index"),
        "SEARCH_CACHE_SIZE": 4096,  # answers kept per worker until the terms change; 0: off
        "SEARCH_FUZZY_SECONDS": 0.025,  # Whoosh's fuzzy level collects this long at most
        "SECRET_KEY": None,
        "REDIS_URL": None,
        "BASE_URL": None,
        "DEMO": False,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    for env_name, key in ENV_SETTINGS.items():
        if value := os.environ.get(env_name):
            settings[key] = value
    settings.update(overrides or {})
    _validate(settings)
    return settings


def _validate(settings: dict[str, Any]) -> None:
    if settings["SEARCH_BACKEND"] not in SEARCH_BACKENDS:
        raise ConfigError(
            f"TAMYR_SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS)}, "
            f"not {settings['SEARCH_BACKEND']!r}"
        )
    relaxed = settings.get("DEBUG") or settings.get("TESTING") or settings.get("DEMO")
    if not settings.get("SECRET_KEY"):
        if not (relaxed or settings.get("CLI")):
            raise ConfigError(
                "TAMYR_SECRET_KEY is not set: set it to a long random string "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        # Debug, demo and one-shot CLI runs sign nothing that must outlive the process.
        settings["SECRET_KEY"] = os.urandom(32).hex()
