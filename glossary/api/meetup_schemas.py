"""marshmallow schemas of the meetups area: meetups, joining, ballots, votes and decisions."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import Schema, fields, validate

from glossary.api.pagination import page_schema


# -- schemas -----------------------------------------------------------------------------------
def _utc_datetime(**kwargs: Any) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=UTC, allow_none=True, **kwargs)


class NewMeetupSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    quorum = fields.Integer(load_default=3, validate=validate.Range(min=1, max=100_000))
    threshold = fields.Float(
        load_default=0.6, validate=validate.Range(min=0, max=1, min_inclusive=False)
    )
    secret = fields.Boolean(load_default=False)
    starts = _utc_datetime(load_default=None)
    ends = _utc_datetime(load_default=None)


class MeetupSchema(Schema):
    id = fields.Integer()
    uid = fields.String()
    name = fields.String()
    place = fields.String(allow_none=True)
    starts = fields.DateTime(allow_none=True)
    ends = fields.DateTime(allow_none=True)
    state = fields.String()
    quorum = fields.Integer()
    threshold = fields.Float()
    secret = fields.Boolean()
    join_code = fields.String(metadata={"description": "only for the meetup's organisers"})
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class JoinSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))


class JoinedSchema(Schema):
    participant = fields.Integer()
    token = fields.String(metadata={"description": "bearer token valid in this meetup only"})
    meetup = fields.Integer()


class NewBallotSchema(Schema):
    concept = fields.String(required=True, validate=validate.Length(min=1, max=36))
    lang = fields.String(required=True, validate=validate.Length(min=1, max=35))
    closes_at = _utc_datetime(load_default=None)


class OnlineBallotSchema(NewBallotSchema):
    closes_at = _utc_datetime(required=True)


class CandidateSchema(Schema):
    id = fields.Integer(required=True)
    lang = fields.String(required=True)
    text = fields.String(required=True)
    status = fields.String(required=True)
    pos = fields.String(allow_none=True, required=True)
    up = fields.Integer(required=True)
    down = fields.Integer(required=True)
    abstain = fields.Integer(required=True)
    voters = fields.Integer(required=True, metadata={"description": "people who voted on it"})


class BallotSchema(Schema):
    id = fields.Integer()
    meetup = fields.Integer(allow_none=True)
    concept = fields.String()
    lang = fields.String()
    state = fields.String()
    opened_at = fields.DateTime()
    closes_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    quorum = fields.Integer()
    threshold = fields.Float()
    secret = fields.Boolean()
    voters = fields.Integer()
    candidates = fields.List(fields.Nested(CandidateSchema))
    outcome = fields.Dict(allow_none=True)


class DecisionSchema(Schema):
    ballot = fields.Integer()
    meetup = fields.Integer(allow_none=True)
    concept = fields.String()
    lang = fields.String()
    quorum = fields.Integer()
    threshold = fields.Float()
    voters = fields.Integer()
    result = fields.String(metadata={"description": "winner, tie, no_winner or no_quorum"})
    winner = fields.Integer(allow_none=True)
    terms = fields.List(fields.Dict())
    closed_at = fields.String()
    closed_by = fields.String()


class MeetupDecisionsSchema(Schema):
    meetup = fields.Integer()
    state = fields.String()
    decisions = fields.List(fields.Nested(DecisionSchema))


class ProposalSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))
    pos = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class VoteSchema(Schema):
    value = fields.Integer(required=True, strict=True, validate=validate.OneOf([1, -1, 0]))


class TallySchema(Schema):
    up = fields.Integer()
    down = fields.Integer()
    abstain = fields.Integer()
    voters = fields.Integer(metadata={"description": "people who voted on this term"})
    ballot = fields.Integer(allow_none=True)
    state = fields.String(allow_none=True)
    slot_voters = fields.Integer(metadata={"description": "people who voted on the slot"})
    quorum = fields.Integer()
    threshold = fields.Float()
    secret = fields.Boolean()
    votes = fields.List(fields.Dict(), metadata={"description": "open ballots only"})
    voted = fields.List(fields.String(), metadata={"description": "secret: organisers only"})


class BallotListArgs(Schema):
    state = fields.String(
        load_default=None,
        validate=validate.OneOf(["open", "closed"]),
        metadata={"description": "only open or only closed ballots"},
    )


MeetupPageSchema = page_schema("MeetupPage", MeetupSchema)
BallotPageSchema = page_schema("BallotPage", BallotSchema)
