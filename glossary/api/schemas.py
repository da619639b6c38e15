"""marshmallow schemas: the JSON shapes of DESIGN.md §8, shared by the API and `--json`."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from glossary.models import TERM_STATUSES


class LanguageSchema(Schema):
    tag = fields.String(required=True)
    name = fields.String(required=True)
    autonym = fields.String(allow_none=True)
    script = fields.String(allow_none=True)
    dir = fields.String(attribute="direction", required=True)
    casing = fields.String()
    plural_forms = fields.String(allow_none=True)
    registered = fields.Boolean()


class TermSchema(Schema):
    id = fields.Integer(dump_only=True)
    concept = fields.Function(lambda term: term.concept.uid, dump_only=True)
    lang = fields.String(required=True)
    text = fields.String(required=True)
    status = fields.String(dump_only=True)
    pos = fields.String(allow_none=True)
    note = fields.String(attribute="usage_note", allow_none=True)
    source = fields.Function(lambda term: term.source.name if term.source else None, dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class ConceptSchema(Schema):
    uid = fields.String(dump_only=True)
    domain = fields.String(allow_none=True)
    definitions = fields.Method("_definitions")
    wikidata = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    terms = fields.List(fields.Nested(TermSchema))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    def _definitions(self, concept: Any) -> dict[str, str]:
        return {d.lang: d.text for d in concept.definitions}


class NewTermSchema(Schema):
    lang = fields.String(required=True, validate=validate.Length(min=1, max=35))
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))
    pos = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))
    status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(TERM_STATUSES)
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class NewConceptSchema(Schema):
    domain = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    definitions = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=35)),
        values=fields.String(validate=validate.Length(min=1, max=5000)),
        load_default=dict,
    )
    wikidata = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^Q[1-9][0-9]{0,11}$")
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    terms = fields.List(
        fields.Nested(NewTermSchema), load_default=list, validate=validate.Length(max=500)
    )


class StatsSchema(Schema):
    concepts = fields.Integer(required=True)
    terms = fields.Integer(required=True)
    languages = fields.Integer(required=True)
    meetups = fields.Integer(required=True)
    votes = fields.Integer(required=True)
