"""Tamyr: a cross-Turkic terminology service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from glossary.config import instance_dir, load_settings
from glossary.resources import resource_dir


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints and the CLI."""
    folder = instance_dir()
    app = Flask(
        __name__,
        instance_path=str(folder) if folder else None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    app.config.update(load_settings(app.instance_path, config))
    app.config.setdefault("API_TITLE", "Tamyr")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Turkic text stays readable

    from glossary import database, extensions

    database.init_app(app)
    extensions.api.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    extensions.limiter.init_app(app)

    from glossary.api import register_api
    from glossary.api.problems import register_error_handlers
    from glossary.cli import register_commands
    from glossary.ops import init_ops
    from glossary.services.indexing import register_index_hooks
    from glossary.web import init_web

    register_api(extensions.api)
    register_error_handlers(app)
    init_ops(app)  # first: its request id and timer wrap every other hook
    init_web(app)
    register_index_hooks(app)
    register_commands(app)
    return app
