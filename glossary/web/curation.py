"""Moderator tools on the concept page: merge a duplicate in, split terms off, revert a change.

The services check the role; the early ``require`` here only makes a refusal independent of
what the form holds (as in propose.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from glossary.errors import TamyrError
from glossary.models import Term
from glossary.services.curation import (
    MODERATOR,
    concept_of_change,
    merge_concepts,
    revert_change,
    split_concept,
)
from glossary.services.terms import get_concept
from glossary.web import bp
from glossary.web.auth import page_actor
from glossary.web.forms import MergeForm, SplitForm


def uid_from(text: str) -> str:
    """A concept uid from what a moderator pastes: the uid itself or its page's address."""
    path = urlsplit(text.strip()).path.rstrip("/")
    return path.rsplit("/", 1)[-1]


def split_form_for(terms: list[Term]) -> SplitForm:
    form = SplitForm()
    form.terms.choices = [SelectChoice(t.id, f"{t.text} ({t.lang})") for t in terms]
    return form


def _refusal(error: TamyrError) -> None:
    """Role refusals are a 401/403 page; anything else is a message on the concept page."""
    if error.status in (401, 403):
        raise error
    flash(error.detail, "error")


@bp.post("/concepts/<uid>/merge")
@login_required
def merge_concept(uid: str) -> Response:
    actor = page_actor()
    actor.require(MODERATOR)
    target = get_concept(uid)
    form = MergeForm()
    if not form.validate_on_submit():
        flash(_("Give the id or page address of the concept to merge."), "error")
        return redirect(url_for("web.concept", uid=uid) + "#curation")
    try:
        merge_concepts(actor, target, get_concept(uid_from(form.other.data or "")))
    except TamyrError as error:
        _refusal(error)
    else:
        flash(_("The concepts are merged."), "info")
    return redirect(url_for("web.concept", uid=uid))


@bp.post("/concepts/<uid>/split")
@login_required
def split_concept_page(uid: str) -> Response:
    actor = page_actor()
    actor.require(MODERATOR)
    concept = get_concept(uid)
    form = split_form_for(concept.terms)
    if not form.validate_on_submit():
        flash(_("Choose the terms to split off."), "error")
        return redirect(url_for("web.concept", uid=uid) + "#curation")
    try:
        created = split_concept(actor, concept, list(form.terms.data or []))
    except TamyrError as error:
        _refusal(error)
        return redirect(url_for("web.concept", uid=uid) + "#curation")
    flash(_("The terms are split off into a new concept."), "info")
    return redirect(url_for("web.concept", uid=created.uid))


@bp.post("/changes/<int:change_id>/revert")
@login_required
def revert(change_id: int) -> Response:
    actor = page_actor()
    actor.require(MODERATOR)
    # The form is only its CSRF token, which the app checks before any page view.
    try:
        concept = revert_change(actor, change_id)
    except TamyrError as error:
        _refusal(error)
        uid = concept_of_change(change_id)
        back = url_for("web.concept", uid=uid) if uid else url_for("web.changes")
        return redirect(back + "#history")
    flash(_("The change is reverted."), "info")
    return redirect(url_for("web.concept", uid=concept.uid) + "#history")
