"""Meetup pages for organisers: the list, creating a meetup, the dashboard and the projector.

Views only parse the form, call ``glossary.services.meetups``/``voting``/``ballots`` and
render; every rule (who organises, when a ballot may open, how it is decided) lives there.
The participant's side (joining, voting, proposing) is in :mod:`glossary.web.participants`.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from glossary.errors import Conflict, InvalidInput, NotFound, TamyrError, Unauthorized
from glossary.models import Ballot
from glossary.services import ballots, meetups, voting
from glossary.services.browse import ConceptHit, group_by_concept, languages_by_tag
from glossary.services.languages import list_languages
from glossary.services.search import search_terms
from glossary.services.terms import get_concept
from glossary.web import _page_error as web_page_error
from glossary.web.auth import page_actor

bp = Blueprint("meetup_pages", __name__)

# The projector asks for the tally this often; a room sees a vote land within seconds.
SCREEN_REFRESH_SECONDS = 3
LABEL_KEYS = ("other_terms", "definitions")  # the projector's script needs only the numbers
FINDER_ROWS, FINDER_CONCEPTS = 30, 8  # the dashboard's concept finder: terms read, concepts shown


def page_error(error: TamyrError) -> BaseResponse | tuple[str, int]:
    """Service refusals as pages; someone not signed in is sent to sign in first."""
    if isinstance(error, Unauthorized):
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    return web_page_error(error)


bp.register_error_handler(TamyrError, page_error)


def base_url() -> str:
    """Where phones reach this server: TAMYR_BASE_URL, else the address the organiser used."""
    return current_app.config.get("BASE_URL") or request.host_url


def _label(others: list[dict[str, str]], definitions: dict[str, str]) -> dict[str, Any]:
    """What a ballot is about, in the words people already have: other languages' terms."""
    shown = [term for term in others if term["status"] != "rejected"]
    shown.sort(key=lambda t: (t["status"] != "preferred", t["lang"] != "en", t["lang"], t["text"]))
    definition = definitions.get("en") or next(iter(definitions.values()), None)
    return {"terms": shown[:6], "definition": definition}


def ballot_cards(ballot_rows: list[Ballot]) -> list[dict[str, Any]]:
    """Each ballot's public view (tallies, never who voted how) with its concept label."""
    cards = []
    for ballot in ballot_rows:
        view = voting.ballot_view(ballot)
        concept = get_concept(view["concept"])
        others = [
            {"lang": t.lang, "text": t.text, "status": t.status}
            for t in concept.terms
            if t.lang != ballot.lang
        ]
        view["label"] = _label(others, {d.lang: d.text for d in concept.definitions})
        cards.append(view)
    return cards


def open_ballot_cards(meetup_id: int) -> list[dict[str, Any]]:
    """The open ballots of a meetup, labelled, in a fixed number of queries (busy pages)."""
    cards = ballots.open_ballot_tallies(meetup_id)
    for card in cards:
        card["label"] = _label(card.pop("other_terms"), card.pop("definitions"))
    return cards


def _back_to_dashboard(meetup_id: int) -> BaseResponse:
    return redirect(url_for("meetup_pages.dashboard", meetup_id=meetup_id))


# -- list and create -------------------------------------------------------------------------
@bp.get("/meetups")
def meetup_list() -> str:
    actor = page_actor()
    rows = meetups.list_meetups()
    return render_template(
        "meetups/list.html",
        meetups=rows,
        states={m.id: meetups.current_state(m) for m in rows},
        can_create=actor.has_role("moderator"),
    )


def _form_number(name: str, default: float, kind: type[int] | type[float]) -> float:
    raw = request.form.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(_("%(field)s must be a number", field=name), field=name) from None


@bp.post("/meetups")
def create_meetup() -> BaseResponse | tuple[str, int]:
    actor = page_actor()
    try:
        meetup = meetups.create_meetup(
            actor,
            name=request.form.get("name", ""),
            place=request.form.get("place"),
            quorum=int(_form_number("quorum", 3, int)),
            threshold=_form_number("threshold", 0.6, float),
            secret=request.form.get("secret") == "on",
        )
    except InvalidInput as error:
        flash(error.detail, "error")
        rows = meetups.list_meetups()
        page = render_template(
            "meetups/list.html",
            meetups=rows,
            states={m.id: meetups.current_state(m) for m in rows},
            can_create=True,
            form=request.form,
        )
        return page, 422
    return _back_to_dashboard(meetup.id)


# -- the organiser's dashboard ---------------------------------------------------------------
def find_concepts(wanted: str) -> list[ConceptHit]:
    """Concepts to open a ballot on: a pasted uid or concept URL, else a term search."""
    try:
        return [ConceptHit(get_concept(_concept_uid(wanted)))]
    except NotFound:
        pass
    rows = search_terms(wanted, limit=FINDER_ROWS).rows
    return group_by_concept(rows, languages_by_tag())[:FINDER_CONCEPTS]


@bp.get("/meetups/<int:meetup_id>/organise")
def dashboard(meetup_id: int) -> str:
    actor = page_actor()
    meetups.require_organiser(actor, meetup_id)
    meetup = meetups.get_meetup(meetup_id)
    wanted = request.args.get("find", "").strip()
    return render_template(
        "meetups/dashboard.html",
        meetup=meetup,
        state=meetups.current_state(meetup),
        join_url=meetups.join_url(meetup, base_url()),
        ballots=ballot_cards(ballots.meetup_ballots(meetup_id)),
        languages=list_languages(),
        wanted=wanted,
        ballot_lang=request.args.get("lang", ""),
        found=find_concepts(wanted) if wanted else [],
    )


def _run_organiser_action(meetup_id: int, action: Any, done: str) -> BaseResponse:
    """Run one organiser write; a refusal the organiser can fix is shown on the dashboard."""
    try:
        action()
    except (InvalidInput, Conflict, NotFound) as error:
        flash(error.detail, "error")
    else:
        flash(done, "info")
    return _back_to_dashboard(meetup_id)


@bp.post("/meetups/<int:meetup_id>/ballots")
def open_ballot(meetup_id: int) -> BaseResponse:
    actor = page_actor()
    meetups.require_organiser(actor, meetup_id)
    concept = request.form.get("concept", "").strip()
    lang = request.form.get("lang", "").strip()

    def work() -> None:
        if not concept or not lang:
            raise InvalidInput(_("choose a concept and a language"))
        voting.open_ballot(actor, _concept_uid(concept), lang, meetup_id=meetup_id)

    return _run_organiser_action(meetup_id, work, _("The ballot is open."))


def _concept_uid(pasted: str) -> str:
    """Organisers paste a concept's uid or its whole page URL (``…/concepts/<uid>``)."""
    return pasted.rstrip("/").rsplit("/", 1)[-1]


@bp.post("/meetups/<int:meetup_id>/ballots/<int:ballot_id>/close")
def close_ballot(meetup_id: int, ballot_id: int) -> BaseResponse:
    actor = page_actor()
    if ballots.get_ballot(ballot_id).meetup_id != meetup_id:
        raise InvalidInput(_("this ballot belongs to another meetup"))
    return _run_organiser_action(
        meetup_id, lambda: ballots.close_ballot(actor, ballot_id), _("The ballot is closed.")
    )


@bp.post("/meetups/<int:meetup_id>/rotate-code")
def rotate_code(meetup_id: int) -> BaseResponse:
    actor = page_actor()
    return _run_organiser_action(
        meetup_id,
        lambda: meetups.rotate_join_code(actor, meetup_id),
        _("A new join code is in place; the old one no longer admits anyone."),
    )


@bp.post("/meetups/<int:meetup_id>/close")
def close_meetup(meetup_id: int) -> BaseResponse:
    actor = page_actor()
    return _run_organiser_action(
        meetup_id,
        lambda: ballots.close_meetup(actor, meetup_id),
        _("The meetup is closed and its ballots are decided."),
    )


# -- the projector ---------------------------------------------------------------------------
@bp.get("/meetups/<int:meetup_id>/screen")
def screen(meetup_id: int) -> str:
    actor = page_actor()
    meetups.require_organiser(actor, meetup_id)  # the screen shows the join code
    meetup = meetups.get_meetup(meetup_id)
    return render_template(
        "meetups/screen.html",
        meetup=meetup,
        state=meetups.current_state(meetup),
        join_url=meetups.join_url(meetup, base_url()),
        ballots=open_ballot_cards(meetup_id),
        refresh=SCREEN_REFRESH_SECONDS,
    )


@bp.get("/meetups/<int:meetup_id>/tally.json")
def tally(meetup_id: int) -> Response:
    """The open ballots' tallies for the projector's script; public, like every tally."""
    meetup = meetups.get_meetup(meetup_id)
    actor = page_actor()
    payload: dict[str, Any] = {
        "meetup": meetup.id,
        "state": meetups.current_state(meetup),
        "ballots": [
            {key: value for key, value in card.items() if key not in LABEL_KEYS}
            for card in ballots.open_ballot_tallies(meetup_id)
        ],
    }
    if meetups.is_organiser(actor, meetup_id):
        payload["join_code"] = meetup.join_code
        payload["join_url"] = meetups.join_url(meetup, base_url())
    response = jsonify(payload)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/meetups/<int:meetup_id>/qr.svg")
def join_qr(meetup_id: int) -> Response:
    """The current join URL as a QR code (organisers: it carries the code)."""
    meetups.require_organiser(page_actor(), meetup_id)
    svg = meetups.join_qr_svg(meetups.get_meetup(meetup_id), base_url())
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


from glossary.web import participants  # noqa: E402,F401  (registers the guest routes on bp)
