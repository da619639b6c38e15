"""HTML pages: thin views that call services and render templates."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__)

from glossary.web import pages  # noqa: E402,F401  (registers the routes on bp)
