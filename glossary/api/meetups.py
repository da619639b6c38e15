"""/api/v1 meetups, ballots and votes (DESIGN.md §8), and the rate limits that guard them.

Rate limits never stop a room behind one NAT address: failed joins are limited per address,
writes per token or signed-in user, and reads not at all here.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, session
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from sqlalchemy import select

from glossary.api.auth import current_actor
from glossary.api.meetup_schemas import (
    BallotListArgs,
    BallotPageSchema,
    BallotSchema,
    DecisionSchema,
    JoinedSchema,
    JoinSchema,
    MeetupDecisionsSchema,
    MeetupPageSchema,
    MeetupSchema,
    NewBallotSchema,
    NewMeetupSchema,
    OnlineBallotSchema,
    ProposalSchema,
    TallySchema,
    VoteSchema,
)
from glossary.api.pagination import Page, PageArgs, id_page
from glossary.api.schemas import TermSchema
from glossary.extensions import limiter
from glossary.models import Ballot, Meetup
from glossary.services import ballots, meetups, voting
from glossary.services.users import hash_token

WRITE_LIMIT = "10 per second"  # per token or user: generous, a person taps, a script floods
FAILED_JOIN_LIMIT = "30 per minute"  # per address; codes have ~2**40 values

blp = Blueprint("meetups", __name__, url_prefix="/api/v1", description="Meetups, ballots and votes")


# -- rate limits -------------------------------------------------------------------------------
def _writer_key() -> str:
    """Who is writing: the bearer token, else the signed-in user (web forms), else nobody."""
    _scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if token.strip():
        return "token:" + hash_token(token.strip())
    user_id = session.get("_user_id")  # Flask-Login's session key
    return f"user:{user_id}" if user_id else ""


def _anonymous() -> bool:
    # Anonymous writes are refused with 401 before they cost anything; joins have their own limit.
    return not _writer_key()


def _write_limit() -> str:
    return str(current_app.config.get("RATELIMIT_WRITES", WRITE_LIMIT))


def _failed_join_limit() -> str:
    return str(current_app.config.get("RATELIMIT_FAILED_JOINS", FAILED_JOIN_LIMIT))


# One bucket per token or user across every write of this area (votes, proposals, ballots).
limit_writes = limiter.shared_limit(
    _write_limit,
    scope="meetup-writes",
    key_func=_writer_key,
    exempt_when=_anonymous,
    error_message="too many writes with this token; slow down",
)
# Failed joins only, per address: a whole room joining from one NAT address is never counted.
limit_failed_joins = limiter.limit(
    _failed_join_limit,
    key_func=get_remote_address,
    deduct_when=lambda response: response.status_code in (403, 404),
    error_message="too many failed joins from this address; wait a minute and check the code",
)


# -- meetups -----------------------------------------------------------------------------------
@blp.route("/meetups")
class Meetups(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeetupPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Meetups, newest first, one page at a time (follow `next`)."""
        actor = current_actor()
        page = id_page(
            select(Meetup), Meetup.id, limit=args["limit"], cursor=args["cursor"], newest_first=True
        )
        return Page([meetups.meetup_view(actor, m) for m in page.rows], page.next)

    @limit_writes
    @blp.arguments(NewMeetupSchema)
    @blp.response(201, MeetupSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a meetup (moderators); its creator organises it and sees the join code."""
        actor = current_actor()
        return meetups.meetup_view(actor, meetups.create_meetup(actor, **body))


@blp.route("/meetups/<int:meetup_id>")
@blp.response(200, MeetupSchema)
def meetup(meetup_id: int) -> Any:
    """One meetup; the join code only for its organisers."""
    return meetups.meetup_view(current_actor(), meetups.get_meetup(meetup_id))


@blp.route("/meetups/<int:meetup_id>/join", methods=["POST"])
@limit_failed_joins
@blp.arguments(JoinSchema)
@blp.response(201, JoinedSchema)
def join(body: dict[str, Any], meetup_id: int) -> Any:
    """Join with the code on the projector: a participant of this meetup and its token."""
    user, token = meetups.join_meetup(meetup_id, body["code"], body["name"])
    return {"participant": user.id, "token": token, "meetup": meetup_id}


@blp.route("/meetups/<int:meetup_id>/rotate-code", methods=["POST"])
@limit_writes
@blp.response(200, MeetupSchema)
def rotate_code(meetup_id: int) -> Any:
    """Replace the join code (organisers); people who joined stay in."""
    actor = current_actor()
    return meetups.meetup_view(actor, meetups.rotate_join_code(actor, meetup_id))


@blp.route("/meetups/<int:meetup_id>/qr.svg")
@blp.doc(responses={"200": {"description": "SVG", "content": {"image/svg+xml": {}}}})
def join_qr(meetup_id: int) -> Response:
    """The join URL as a QR code for the projector (organisers: it carries the code)."""
    meetups.require_organiser(current_actor(), meetup_id)
    base_url = current_app.config.get("BASE_URL") or request.host_url
    svg = meetups.join_qr_svg(meetups.get_meetup(meetup_id), base_url)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


class BallotQueryArgs(PageArgs, BallotListArgs):
    pass


# One rule for both methods: two rules on one path make Werkzeug answer 405, not 404, for an
# id out of range.
@blp.route("/meetups/<int:meetup_id>/ballots")
class MeetupBallots(MethodView):
    @blp.arguments(BallotQueryArgs, location="query")
    @blp.response(200, BallotPageSchema)
    def get(self, args: dict[str, Any], meetup_id: int) -> Any:
        """The meetup's ballots, oldest first, with their candidates' tallies (`state=open`:
        the ones taking votes now). Public, like every tally."""
        meetups.get_meetup(meetup_id)
        query = ballots.meetup_ballots_query(meetup_id, args["state"])
        page = id_page(query, Ballot.id, limit=args["limit"], cursor=args["cursor"])
        return Page(voting.ballot_views(page.rows), page.next)

    @limit_writes
    @blp.arguments(NewBallotSchema)
    @blp.response(201, BallotSchema)
    def post(self, body: dict[str, Any], meetup_id: int) -> Any:
        """Open a (concept, language) slot for votes in the meetup (organisers)."""
        ballot = voting.open_ballot(
            current_actor(),
            body["concept"],
            body["lang"],
            meetup_id=meetup_id,
            closes_at=body["closes_at"],
        )
        return voting.ballot_view(ballot)


@blp.route("/meetups/<int:meetup_id>/close", methods=["POST"])
@limit_writes
@blp.response(200, MeetupDecisionsSchema)
def close_meetup(meetup_id: int) -> Any:
    """Close the meetup and all its ballots; the decisions (the same again when repeated)."""
    return ballots.close_meetup(current_actor(), meetup_id)


# -- ballots and votes -------------------------------------------------------------------------
@blp.route("/ballots", methods=["POST"])
@limit_writes
@blp.arguments(OnlineBallotSchema)
@blp.response(201, BallotSchema)
def open_online_ballot(body: dict[str, Any]) -> Any:
    """Open an online ballot outside meetups (moderators), closing at ``closes_at``."""
    ballot = voting.open_ballot(
        current_actor(), body["concept"], body["lang"], closes_at=body["closes_at"]
    )
    return voting.ballot_view(ballot)


@blp.route("/ballots/<int:ballot_id>")
@blp.response(200, BallotSchema)
def ballot(ballot_id: int) -> Any:
    """A ballot with its candidates and their tallies, and its decision once closed."""
    return voting.ballot_view(ballots.get_ballot(ballot_id))


@blp.route("/ballots/<int:ballot_id>/close", methods=["POST"])
@limit_writes
@blp.response(200, DecisionSchema)
def close_ballot(ballot_id: int) -> Any:
    """Close a ballot and apply the rules (organisers); closing again returns the same."""
    return ballots.close_ballot(current_actor(), ballot_id)


@blp.route("/ballots/<int:ballot_id>/terms", methods=["POST"])
@limit_writes
@blp.arguments(ProposalSchema)
@blp.response(201, TermSchema)
@blp.alt_response(200, schema=TermSchema, description="the same term was already proposed")
def propose(body: dict[str, Any], ballot_id: int) -> Any:
    """Propose a candidate term for the ballot's slot; the same text merges (200)."""
    term, created = voting.propose_term(current_actor(), ballot_id, body)
    return term, 201 if created else 200


@blp.route("/terms/<int:term_id>/vote", methods=["PUT"])
@limit_writes
@blp.arguments(VoteSchema)
@blp.response(200, TallySchema)
def vote(body: dict[str, Any], term_id: int) -> Any:
    """Approve (1), object (-1) or abstain (0); voting again changes the vote."""
    return voting.cast_vote(current_actor(), term_id, body["value"])


@blp.route("/terms/<int:term_id>/votes")
@blp.response(200, TallySchema)
def votes(term_id: int) -> Any:
    """The term's tally in its slot's latest ballot."""
    return voting.term_votes(current_actor(), term_id)
