"""/api/v1 reference data: the languages Tamyr knows and the termbase's counts."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from glossary.api.schemas import LanguageSchema, StatsSchema
from glossary.services.languages import list_languages
from glossary.services.stats import termbase_stats

blp = Blueprint("termbase", __name__, url_prefix="/api/v1", description="Languages and counts")


@blp.route("/languages")
@blp.response(200, LanguageSchema(many=True))
def languages() -> Any:
    """Every language Tamyr knows, registry order first."""
    return list_languages()


@blp.route("/stats")
@blp.response(200, StatsSchema)
def stats() -> Any:
    """The same counts as `tamyr stats`."""
    return termbase_stats()
