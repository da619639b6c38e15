"""marshmallow schemas: the JSON shapes of DESIGN.md §8, shared by the API and `--json`."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from glossary.models import ROLES, TERM_STATUSES

# Ids in bodies and queries fit the 32-bit id columns; a bigger one is a 422, not a DB error.
MAX_ID = 2**31 - 1


def id_field(**kwargs: Any) -> fields.Integer:
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


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
    definitions = fields.Method(
        "_definitions",
        metadata={
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "language tag -> definition",
        },
    )
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


class ConceptPatchSchema(Schema):
    """Only the fields sent change; null clears. ``definitions`` merge per language."""

    domain = fields.String(allow_none=True, validate=validate.Length(max=100))
    definitions = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=35)),
        values=fields.String(allow_none=True, validate=validate.Length(max=5000)),
        metadata={"description": "language -> text; null or an empty text removes it"},
    )
    wikidata = fields.String(allow_none=True, validate=validate.Regexp(r"^(Q[1-9][0-9]{0,11})?$"))
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))


class TermPatchSchema(Schema):
    """Only the fields sent change. A status change needs the moderator role."""

    text = fields.String(validate=validate.Length(min=1, max=500))
    pos = fields.String(allow_none=True, validate=validate.Length(max=30))
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))
    status = fields.String(
        validate=validate.OneOf(TERM_STATUSES),
        metadata={"description": "preferred demotes the language's old preferred term"},
    )


class ConceptListArgs(Schema):
    domain = fields.String(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "only concepts in this domain"},
    )


class CommentSchema(Schema):
    id = fields.Integer(required=True)
    concept = fields.String(required=True, metadata={"description": "the concept's uid"})
    term = fields.Integer(allow_none=True, required=True)
    author = fields.String(allow_none=True, required=True)
    text = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class NewCommentSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    term = id_field(load_default=None, allow_none=True, metadata={"description": "a term's id"})


class ChangeSchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(attribute="actor_name", required=True)
    action = fields.String(required=True, metadata={"example": "term.update"})
    entity = fields.String(required=True)
    entity_id = fields.String(required=True)
    before = fields.Dict(allow_none=True, required=True)
    after = fields.Dict(allow_none=True, required=True)


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    role = fields.String(load_default="viewer", validate=validate.OneOf(ROLES))
    password = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=10, max=1000),
        load_only=True,
        metadata={"description": "omit for a token-only (bot) account"},
    )


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "the token's first letters"})
    user = fields.String(attribute="user.username", required=True)
    meetup = fields.Integer(attribute="meetup_id", allow_none=True)
    created_at = fields.DateTime(required=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(Schema):
    name = fields.String(load_default="default", validate=validate.Length(min=1, max=100))


class NewTokenResultSchema(TokenSchema):
    token = fields.String(
        required=True, metadata={"description": "shown once; only its SHA-256 is stored"}
    )


class MeSchema(UserSchema):
    tokens = fields.List(fields.Nested(TokenSchema), required=True)
