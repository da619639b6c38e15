"""/api/v1 moderator tools: merge a duplicate concept in, split terms off, revert a change."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from glossary.api.auth import current_actor
from glossary.api.schemas import ConceptSchema, id_field
from glossary.services import curation
from glossary.services.terms import get_concept

blp = Blueprint(
    "curation", __name__, url_prefix="/api/v1", description="Merging, splitting, reverting"
)


class MergeSchema(Schema):
    other = fields.String(
        required=True,
        validate=validate.Length(min=1, max=36),
        metadata={"description": "uid of the duplicate concept to merge into this one"},
    )


class SplitSchema(Schema):
    terms = fields.List(
        id_field(),
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "ids of this concept's terms that move to a new concept"},
    )


@blp.route("/concepts/<string:uid>/merge", methods=["POST"])
@blp.arguments(MergeSchema)
@blp.response(200, ConceptSchema)
def merge(body: dict[str, Any], uid: str) -> Any:
    """Merge concept `other` into this one (moderators); `other`'s uid then resolves here."""
    target = get_concept(uid)
    return curation.merge_concepts(current_actor(), target, get_concept(body["other"]))


@blp.route("/concepts/<string:uid>/split", methods=["POST"])
@blp.arguments(SplitSchema)
@blp.response(201, ConceptSchema)
def split(body: dict[str, Any], uid: str) -> Any:
    """Move the chosen terms to a new concept (moderators); answers with the new concept."""
    return curation.split_concept(current_actor(), get_concept(uid), body["terms"])


@blp.route("/history/<int:change_id>/revert", methods=["POST"])
@blp.response(200, ConceptSchema)
def revert(change_id: int) -> Any:
    """Set the fields a recorded change touched back (moderators); 409 if changed since."""
    return curation.revert_change(current_actor(), change_id)
