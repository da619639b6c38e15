"""The /api/v1 endpoints of the foundation: languages, stats and concepts."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from glossary.api.auth import current_actor
from glossary.api.schemas import (
    ConceptSchema,
    LanguageSchema,
    NewConceptSchema,
    NewTermSchema,
    StatsSchema,
    TermSchema,
)
from glossary.services import terms as term_service
from glossary.services.languages import list_languages
from glossary.services.stats import termbase_stats

blp = Blueprint("termbase", __name__, url_prefix="/api/v1", description="The termbase")


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


@blp.route("/concepts")
class Concepts(MethodView):
    @blp.arguments(NewConceptSchema)
    @blp.response(201, ConceptSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a concept with its terms (editors; statuses other than proposed: moderators)."""
        return term_service.create_concept(current_actor(), **body)


@blp.route("/concepts/<string:uid>")
@blp.response(200, ConceptSchema)
def concept(uid: str) -> Any:
    """One concept with all its terms."""
    return term_service.get_concept(uid)


@blp.route("/concepts/<string:uid>/terms", methods=["POST"])
@blp.arguments(NewTermSchema)
@blp.response(201, TermSchema)
def add_term(body: dict[str, Any], uid: str) -> Any:
    """Add a term to a concept (editors)."""
    return term_service.add_term(current_actor(), term_service.get_concept(uid), body)
