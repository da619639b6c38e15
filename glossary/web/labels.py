"""The reader's words for the canonical tokens the data keeps in English (statuses, match
kinds, roles, ballot results, vote values): one mapping each, shared by forms, badges and
history lines. The tokens stay what forms post and the API returns; only labels translate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from glossary.models import ROLES, TERM_STATUSES
from glossary.search.base import ALL_KINDS
from glossary.web import bp

STATUS_LABELS = {
    "proposed": _l("proposed"),
    "preferred": _l("preferred"),
    "admitted": _l("admitted"),
    "deprecated": _l("deprecated"),
    "rejected": _l("rejected"),
}
MATCH_LABELS = {
    "exact": _l("exact match"),
    "folded": _l("spelling variant"),
    "script": _l("other script"),
    "prefix": _l("beginning of a word"),
    "fuzzy": _l("similar spelling"),
}
ROLE_LABELS = {
    "viewer": _l("viewer"),
    "participant": _l("meetup participant"),
    "editor": _l("editor"),
    "moderator": _l("moderator"),
    "admin": _l("administrator"),
}
RESULT_LABELS = {
    "winner": _l("a preferred term was chosen"),
    "tie": _l("a tie: no term was chosen"),
    "no_winner": _l("no candidate reached the threshold"),
    "no_quorum": _l("no quorum: nothing changed"),
}
VOTE_LABELS = {"1": _l("approve"), "-1": _l("object"), "0": _l("abstain")}
POS_LABELS = {
    "noun": _l("noun"),
    "verb": _l("verb"),
    "adj": _l("adjective"),
    "adv": _l("adverb"),
}
# A new token in the models must get a label here too (tests/web check it).
assert set(STATUS_LABELS) == set(TERM_STATUSES)
assert set(MATCH_LABELS) == set(ALL_KINDS)
assert set(ROLE_LABELS) == set(ROLES)


def label_for(labels: Mapping[str, object], token: object) -> str:
    """``token`` in the reader's language; an unknown one (a newer writer's) as it is."""
    label = labels.get(str(token))
    return str(label) if label is not None else str(token)


def options(labels: Mapping[str, object], tokens: Iterable[str]) -> list[SelectChoice]:
    """Select options: canonical tokens as values, translated words (lazy) as labels."""
    return [SelectChoice(token, labels.get(token, token)) for token in tokens]  # type: ignore[arg-type]


@bp.app_template_global()
def status_label(status: str) -> str:
    return label_for(STATUS_LABELS, status)


@bp.app_template_global()
def match_label(kind: str) -> str:
    return label_for(MATCH_LABELS, kind)


@bp.app_template_global()
def pos_label(pos: str) -> str:
    return label_for(POS_LABELS, pos)


@bp.app_template_global()
def role_label(role: str) -> str:
    return label_for(ROLE_LABELS, role)


@bp.app_template_global()
def result_label(result: str) -> str:
    return label_for(RESULT_LABELS, result)
