"""The phone side of a meetup: joining with the code, one screen per ballot, voting, proposing.

Guests join with the code on the projector and a display name; the meetups service makes them
a participant scoped to that meetup, and they are signed in with a session (Flask-Login).
A phone only ever sees tallies and its own votes, never how anyone else voted.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from glossary.api.meetups import limit_failed_joins
from glossary.errors import Conflict, Forbidden, InvalidInput
from glossary.models import Meetup
from glossary.services import ballots, meetups, voting
from glossary.services.actors import Actor
from glossary.web.auth import page_actor, sign_in
from glossary.web.meetups import ballot_cards, bp, open_ballot_cards

VOTE_CHOICES = {"approve": 1, "object": -1, "abstain": 0}


def can_vote_in(actor: Actor, meetup_id: int) -> bool:
    """Guests of this meetup, and editors and above (who vote without a code)."""
    if actor.meetup_id is not None:
        return actor.meetup_id == meetup_id
    return actor.has_role("editor")


# -- joining ---------------------------------------------------------------------------------
@bp.route("/join", methods=["GET", "POST"])
@bp.route("/join/<code>", methods=["GET", "POST"])
@limit_failed_joins  # the API's: per address, failed joins only (a room shares one NAT address)
def join(code: str = "") -> BaseResponse | tuple[str, int] | str:
    code = request.form.get("code", code).strip()
    if not code:
        return render_template("meetups/join.html", code="", meetup=None)
    try:
        meetup = meetups.find_meetup_by_code(code)
    except Forbidden as error:
        return render_template("meetups/join.html", code=code, meetup=None, error=error.detail), 403
    actor = page_actor()
    if can_vote_in(actor, meetup.id):  # already in: straight to the ballots
        return redirect(url_for("meetup_pages.participant", meetup_id=meetup.id))
    if request.method == "GET":
        return render_template("meetups/join.html", code=code, meetup=meetup)
    try:
        user, _token = meetups.join_meetup(meetup.id, code, request.form.get("name", ""))
    except (InvalidInput, Conflict) as error:
        page = render_template("meetups/join.html", code=code, meetup=meetup, error=error.detail)
        return page, error.status
    sign_in(user)
    return redirect(url_for("meetup_pages.participant", meetup_id=meetup.id))


# -- the participant's screens ---------------------------------------------------------------
def _ballot_of(meetup: Meetup, ballot_id: int) -> dict[str, Any]:
    ballot = ballots.get_ballot(ballot_id)
    if ballot.meetup_id != meetup.id:
        raise Forbidden(_("this ballot belongs to another meetup"))
    return ballot_cards([ballot])[0]


@bp.get("/meetups/<int:meetup_id>")
def participant(meetup_id: int) -> str:
    meetup = meetups.get_meetup(meetup_id)
    actor = page_actor()
    return render_template(
        "meetups/participant.html",
        meetup=meetup,
        state=meetups.current_state(meetup),
        ballots=open_ballot_cards(meetup_id),
        can_vote=can_vote_in(actor, meetup_id),
        organiser=meetups.is_organiser(actor, meetup_id),
    )


@bp.get("/meetups/<int:meetup_id>/ballots/<int:ballot_id>")
def ballot_screen(meetup_id: int, ballot_id: int) -> str:
    meetup = meetups.get_meetup(meetup_id)
    actor = page_actor()
    card = _ballot_of(meetup, ballot_id)
    open_ids = [b.id for b in ballots.meetup_ballots(meetup_id, open_only=True)]
    position = open_ids.index(ballot_id) if ballot_id in open_ids else None
    following = (
        open_ids[position + 1] if position is not None and position + 1 < len(open_ids) else None
    )
    return render_template(
        "meetups/ballot.html",
        meetup=meetup,
        ballot=card,
        mine=ballots.own_votes(actor.user_id, ballot_id),
        can_vote=can_vote_in(actor, meetup_id),
        following=following,
        choices=VOTE_CHOICES,
    )


def _back_to_ballot(meetup_id: int, ballot_id: int, anchor: str | None = None) -> BaseResponse:
    url = url_for("meetup_pages.ballot_screen", meetup_id=meetup_id, ballot_id=ballot_id)
    return redirect(f"{url}#{anchor}" if anchor else url)


@bp.post("/meetups/<int:meetup_id>/ballots/<int:ballot_id>/vote")
def vote(meetup_id: int, ballot_id: int) -> BaseResponse:
    card = _ballot_of(meetups.get_meetup(meetup_id), ballot_id)
    choice = request.form.get("value", "")
    term_raw = request.form.get("term", "")
    if choice not in VOTE_CHOICES or not term_raw.isdigit():
        raise InvalidInput(_("choose approve, object or abstain on a candidate"))
    term_id = int(term_raw)
    if term_id not in {c["id"] for c in card["candidates"]}:
        raise InvalidInput(_("this term is not a candidate of this ballot"))
    try:
        voting.cast_vote(page_actor(), term_id, VOTE_CHOICES[choice])
    except Conflict as error:
        flash(error.detail, "error")
    return _back_to_ballot(meetup_id, ballot_id, f"term-{term_id}")


@bp.post("/meetups/<int:meetup_id>/ballots/<int:ballot_id>/propose")
def propose(meetup_id: int, ballot_id: int) -> BaseResponse:
    _ballot_of(meetups.get_meetup(meetup_id), ballot_id)
    try:
        term, created = voting.propose_term(
            page_actor(), ballot_id, {"text": request.form.get("text", "")}
        )
    except (InvalidInput, Conflict) as error:
        flash(error.detail, "error")
        return _back_to_ballot(meetup_id, ballot_id)
    message = _("Your proposal is on the ballot.") if created else _("It is already a candidate.")
    flash(message, "info")
    return _back_to_ballot(meetup_id, ballot_id, f"term-{term.id}")
