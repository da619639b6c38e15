"""Proposing: a new concept (after seeing similar ones), a term on a concept, a comment.

Roles are checked by the services on the server; the forms only hide what a person cannot do.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from glossary.errors import TamyrError
from glossary.models import TERM_STATUSES
from glossary.services.actors import Actor
from glossary.services.browse import ConceptHit, group_by_concept, languages_by_tag
from glossary.services.comments import add_comment
from glossary.services.languages import list_languages
from glossary.services.search import search_terms
from glossary.services.terms import add_term, create_concept, get_concept
from glossary.web import bp
from glossary.web.auth import page_actor
from glossary.web.forms import CommentForm, ConceptForm, TermForm
from glossary.web.labels import STATUS_LABELS, options

SIMILAR_LIMIT = 10


def language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(lang.tag, f"{lang.autonym or lang.name} ({lang.tag})")
        for lang in list_languages()
        if lang.registered
    ]


def status_choices(actor: Actor) -> list[SelectChoice]:
    """Only moderators may give a new term a status other than ``proposed``."""
    allowed = TERM_STATUSES if actor.has_role("moderator") else ("proposed",)
    return options(STATUS_LABELS, allowed)


def _term_spec(form: TermForm) -> dict[str, str | None]:
    return {
        "lang": form.lang.data,
        "text": form.text.data,
        "pos": form.pos.data or None,
        "status": form.status.data or "proposed",
        "note": form.note.data or None,
    }


def similar_concepts(text: str) -> list[ConceptHit]:
    """Concepts with a term like ``text`` in any language (``kompyuter`` in uz meets
    ``компьютер`` in kk), to show before creating another."""
    try:
        rows = search_terms(text, limit=SIMILAR_LIMIT).rows
    except TamyrError:
        return []
    return group_by_concept(rows, languages_by_tag())


@bp.route("/concepts/new", methods=["GET", "POST"])
@login_required
def new_concept() -> str | Response:
    actor = page_actor()
    actor.require("editor")
    form = ConceptForm()
    form.lang.choices = language_choices()
    form.status.choices = status_choices(actor)
    similar: list[ConceptHit] = []
    if form.validate_on_submit():
        similar = [] if form.confirmed.data else similar_concepts(form.text.data or "")
        if not similar:
            try:
                spec = _term_spec(form)
                definition = (form.definition.data or "").strip()
                created = create_concept(
                    actor,
                    domain=(form.domain.data or "").strip() or None,
                    wikidata=(form.wikidata.data or "").strip() or None,
                    definitions={str(spec["lang"]): definition} if definition else None,
                    terms=[spec],
                )
            except TamyrError as error:
                flash(error.detail, "error")
            else:
                flash(_("The concept is created."), "info")
                return redirect(url_for("web.concept", uid=created.uid))
        form.confirmed.data = "1"  # a second submit means "none of these, create it"
    return render_template("propose_concept.html", form=form, similar=similar)


@bp.post("/concepts/<uid>/terms")
@login_required
def propose_term(uid: str) -> Response:
    actor = page_actor()
    actor.require("editor")  # before reading the form: a refusal must not depend on it
    concept = get_concept(uid)
    form = TermForm()
    form.lang.choices = language_choices()
    form.status.choices = status_choices(actor)
    if form.validate_on_submit():
        try:
            add_term(actor, concept, _term_spec(form))
        except TamyrError as error:
            if error.status in (401, 403):
                raise
            flash(error.detail, "error")
        else:
            flash(_("The term is added."), "info")
    else:
        flash(_("Fill in the language and the term."), "error")
    return redirect(url_for("web.concept", uid=uid) + "#terms")


@bp.post("/concepts/<uid>/comments")
@login_required
def post_comment(uid: str) -> Response:
    concept = get_concept(uid)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            add_comment(page_actor(), concept, form.text.data or "")
        except TamyrError as error:
            flash(error.detail, "error")
    else:
        flash(_("A comment must not be empty."), "error")
    return redirect(url_for("web.concept", uid=uid) + "#comments")
