"""/api/v1/search, /api/v1/suggest and /api/v1/lookup: thin handlers over services/search.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from glossary.api.schemas import TermSchema
from glossary.errors import TamyrError
from glossary.services import search as search_service

blp = Blueprint("search", __name__, url_prefix="/api/v1", description="Search and lookup")


@blp.before_request
def _query_string_is_utf8() -> None:
    """Werkzeug turns undecodable bytes (a lone surrogate's CESU-8 bytes, Latin-1) into U+FFFD,
    which would search for a replacement character; say the request is malformed instead."""
    try:
        unquote_to_bytes(request.query_string).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TamyrError(f"the query string is not UTF-8 (byte {exc.start})") from exc


class SearchArgs(Schema):
    q = fields.String(required=True, metadata={"description": "what to look for, any script"})
    lang = fields.String(load_default=None, metadata={"description": "only terms in this language"})
    status = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": "only terms with these statuses (repeat or comma-separate)"},
    )
    domain = fields.String(load_default=None)
    meetup = fields.Integer(load_default=None)
    limit = fields.Integer(
        load_default=search_service.DEFAULT_LIMIT,
        validate=validate.Range(1, search_service.MAX_LIMIT),
    )
    cursor = fields.String(load_default=None, metadata={"description": "`next` of the last page"})


class SearchHitSchema(TermSchema):
    """A term object plus how it matched."""

    match = fields.String(
        required=True, validate=validate.OneOf(["exact", "folded", "script", "prefix", "fuzzy"])
    )
    score = fields.Float(required=True)


class SearchResultsSchema(Schema):
    results = fields.List(fields.Nested(SearchHitSchema), attribute="rows", required=True)
    next = fields.String(allow_none=True, required=True)


class SuggestArgs(Schema):
    q = fields.String(required=True)
    lang = fields.String(load_default=None)
    limit = fields.Integer(
        load_default=search_service.SUGGEST_LIMIT,
        validate=validate.Range(1, search_service.MAX_LIMIT),
    )


class SuggestionSchema(Schema):
    concept = fields.String(required=True)
    term = fields.Integer(required=True)
    lang = fields.String(required=True)
    text = fields.String(required=True)


class SuggestionsSchema(Schema):
    suggestions = fields.List(fields.Nested(SuggestionSchema), required=True)


class LookupBodySchema(Schema):
    text = fields.String(required=True)
    lang = fields.String(required=True)


class LookupMatchSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    surface = fields.String(required=True)
    term = fields.Nested(TermSchema, required=True)


class LookupSchema(Schema):
    matches = fields.List(fields.Nested(LookupMatchSchema), required=True)


@blp.route("/search")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchResultsSchema)
def search(args: dict[str, Any]) -> Any:
    """Terms matching `q` across scripts and spellings, best first, one row per term."""
    return search_service.search_terms(
        args["q"],
        lang=args["lang"],
        statuses=args["status"],
        domain=args["domain"],
        meetup=args["meetup"],
        limit=args["limit"],
        cursor=args["cursor"],
    )


@blp.route("/suggest")
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, SuggestionsSchema)
def suggest(args: dict[str, Any]) -> Any:
    """Autocomplete from the 2nd character."""
    found = search_service.suggest_terms(args["q"], lang=args["lang"], limit=args["limit"])
    return {"suggestions": found}


@blp.route("/lookup", methods=["POST"])
@blp.arguments(LookupBodySchema)
@blp.response(200, LookupSchema)
def lookup(body: dict[str, Any]) -> Any:
    """Every known term of `lang` in `text`, with character spans, suffixes allowed."""
    return {"matches": search_service.lookup_terms(body["text"], body["lang"])}
