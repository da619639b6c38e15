"""/api/v1/coverage and /api/v1/changes: what the Coverage and Recent changes pages show."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from glossary.api.pagination import (
    Page,
    PageArgs,
    decode_id_cursor,
    encode_cursor,
    page_schema,
)
from glossary.services.browse import coverage, is_known_domain, languages_by_tag
from glossary.services.changes import recent_changes

blp = Blueprint(
    "reports", __name__, url_prefix="/api/v1", description="Coverage and recent changes"
)


def _known_language(tag: str) -> None:
    if tag not in languages_by_tag():
        raise ValidationError(f"unknown language {tag!r}")


def _known_domain(domain: str) -> None:
    if not is_known_domain(domain):
        raise ValidationError(f"no concept has the domain {domain!r}")


# -- coverage ----------------------------------------------------------------------------------
class CoverageArgs(Schema):
    domain = fields.String(
        load_default=None,
        validate=[validate.Length(min=1, max=100), _known_domain],
        metadata={"description": "only concepts in this domain (one of `domains`)"},
    )


class CoverageRowSchema(Schema):
    tag = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "autonym, else English name"})
    dir = fields.String(attribute="direction", required=True)
    preferred = fields.Integer(
        required=True, metadata={"description": "concepts with a preferred term in it"}
    )
    any_term = fields.Integer(
        required=True, metadata={"description": "concepts with a term in it (not rejected)"}
    )


class CoverageSchema(Schema):
    concepts = fields.Integer(required=True, metadata={"description": "live concepts in scope"})
    domain = fields.String(allow_none=True, required=True)
    languages = fields.List(fields.Nested(CoverageRowSchema), attribute="rows", required=True)
    domains = fields.List(
        fields.String(), required=True, metadata={"description": "domains to filter by"}
    )


@blp.route("/coverage")
@blp.arguments(CoverageArgs, location="query")
@blp.response(200, CoverageSchema)
def coverage_report(args: dict[str, Any]) -> Any:
    """Per language: how many concepts have a preferred term, and how many have any term."""
    report = coverage(args["domain"])
    return {
        "concepts": report.concepts,
        "domain": args["domain"],
        "rows": report.rows,
        "domains": report.domains,
    }


# -- recent changes ----------------------------------------------------------------------------
class ChangesArgs(PageArgs):
    lang = fields.String(
        load_default=None,
        validate=[validate.Length(min=1, max=35), _known_language],
        metadata={"description": "only changes to terms in this language"},
    )


class SegmentSchema(Schema):
    op = fields.String(required=True, validate=validate.OneOf(["same", "del", "ins"]))
    text = fields.String(required=True)


class FieldChangeSchema(Schema):
    name = fields.String(required=True, metadata={"example": "definitions.kk"})
    before = fields.String(allow_none=True, required=True)
    after = fields.String(allow_none=True, required=True)
    segments = fields.List(
        fields.Nested(SegmentSchema),
        required=True,
        metadata={"description": "a word or character diff of free text; empty for codes"},
    )


class RecentChangeSchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(allow_none=True, required=True)
    action = fields.String(required=True, metadata={"example": "term.update"})
    entity = fields.String(required=True)
    entity_id = fields.String(required=True)
    concept = fields.String(attribute="concept_uid", allow_none=True, required=True)
    concept_label = fields.String(allow_none=True, required=True)
    subject = fields.String(
        allow_none=True, required=True, metadata={"description": "the term's text"}
    )
    subject_lang = fields.String(allow_none=True, required=True)
    changed = fields.List(
        fields.Nested(FieldChangeSchema), attribute="fields", data_key="fields", required=True
    )
    revertable = fields.Boolean(
        required=True, metadata={"description": "POST /history/{id}/revert can undo it"}
    )


RecentChangesPageSchema = page_schema("RecentChangesPage", RecentChangeSchema)


@blp.route("/changes")
@blp.arguments(ChangesArgs, location="query")
@blp.response(200, RecentChangesPageSchema)
def changes(args: dict[str, Any]) -> Any:
    """The newest changes across the termbase, newest first (votes left out: a ballot's
    close sums them up), one page at a time (follow `next`)."""
    page = recent_changes(
        before=decode_id_cursor(args["cursor"]), lang=args["lang"], limit=args["limit"]
    )
    return Page(page.entries, encode_cursor(page.older) if page.older is not None else None)
