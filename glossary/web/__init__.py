"""HTML pages: thin views that call services and render templates."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("web", __name__)

from glossary.web import pages  # noqa: E402,F401  (registers the routes on bp)


def init_web(app: Flask) -> None:
    """Register the HTML blueprint and what the pages need (sessions, CSRF, UI language)."""
    app.register_blueprint(bp)
