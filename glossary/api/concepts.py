"""/api/v1/concepts: list, create, read (with ETag), change, and add terms."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from glossary.api.auth import current_actor
from glossary.api.pagination import PageArgs, id_page, page_schema
from glossary.api.schemas import (
    ConceptListArgs,
    ConceptPatchSchema,
    ConceptSchema,
    NewConceptSchema,
    NewTermSchema,
    TermSchema,
)
from glossary.models import Concept
from glossary.services import editing
from glossary.services import terms as term_service

blp = Blueprint("concepts", __name__, url_prefix="/api/v1", description="Concepts and their terms")

ConceptPageSchema = page_schema("ConceptPage", ConceptSchema)
ETAG_HEADER = {
    "ETag": {
        "description": "changes whenever the concept or a term changes",
        "schema": {"type": "string"},
    }
}


class ConceptQueryArgs(PageArgs, ConceptListArgs):
    pass


@blp.route("/concepts")
class Concepts(MethodView):
    @blp.arguments(ConceptQueryArgs, location="query")
    @blp.response(200, ConceptPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Concepts, oldest first, one page at a time (follow `next`)."""
        query = select(Concept).where(Concept.merged_into_id.is_(None))
        if args["domain"]:
            query = query.where(Concept.domain == args["domain"])
        return id_page(query, Concept.id, limit=args["limit"], cursor=args["cursor"])

    @blp.arguments(NewConceptSchema)
    @blp.response(201, ConceptSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a concept with its terms (editors; statuses other than proposed: moderators)."""
        return term_service.create_concept(current_actor(), **body)


@blp.route("/concepts/<string:uid>")
class ConceptResource(MethodView):
    @blp.response(200, ConceptSchema, headers=ETAG_HEADER)
    @blp.alt_response(304, description="Not modified: the `If-None-Match` ETag is current")
    @blp.doc(
        parameters=[
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "an ETag from an earlier answer; 304 if nothing changed",
            }
        ]
    )
    def get(self, uid: str) -> Any:
        """One concept with all its terms. Send `If-None-Match` to get 304 when unchanged."""
        data = ConceptSchema().dump(term_service.get_concept(uid))
        body = json.dumps(data, sort_keys=True, ensure_ascii=False)
        etag = hashlib.sha256(body.encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            response = current_app.json.response(data)
        response.set_etag(etag)
        return response

    @blp.arguments(ConceptPatchSchema)
    @blp.response(200, ConceptSchema)
    def patch(self, body: dict[str, Any], uid: str) -> Any:
        """Change domain, definitions (merged per language), note or Wikidata item (editors)."""
        concept = term_service.get_concept(uid)
        return editing.update_concept(current_actor(), concept, body)


@blp.route("/concepts/<string:uid>/terms", methods=["POST"])
@blp.arguments(NewTermSchema)
@blp.response(201, TermSchema)
def add_term(body: dict[str, Any], uid: str) -> Any:
    """Add a term to a concept (editors; a status other than proposed: moderators)."""
    return term_service.add_term(current_actor(), term_service.get_concept(uid), body)
