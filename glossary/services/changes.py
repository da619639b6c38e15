"""Reading history as a wiki does: recent changes across the termbase, and what each change
changed, field by field, with word- or character-level diffs of text.

Everything here returns plain values; templates escape them (a diff is a list of segments,
never pre-built HTML), so a term like ``<script>`` can only ever show as text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, select

from glossary.extensions import db
from glossary.models import Concept, History, Term, User
from glossary.services.browse import STATUS_ORDER

PAGE_SIZE = 50
# Votes come by the hundred at a meetup and would drown the edits; the ballot.close row
# sums them up, and the concept page still lists each (hiding voters of secret ballots).
VOTE_ACTIONS = ("vote.cast", "vote.change", "vote.import")
# The keys of a history row worth showing a reader; the rest (ballot ids, file names, tallies)
# is bookkeeping. Dicts among them (definitions) are shown one key at a time.
SHOWN_FIELDS = (
    "lang",
    "text",
    "status",
    "pos",
    "note",
    "domain",
    "wikidata",
    "definitions",
    "terms",
    "value",
    "result",
    "merged",
    "merged_into",
    "split_into",
    "split_from",
)
# Free text gets a word/character diff; codes (status, language) just before → after.
TEXT_FIELDS = frozenset({"text", "note", "domain", "definitions"})
# Changes a moderator can undo: they record the fields' values before, and the fields are
# ones editing.update_term/update_concept can set back.
REVERTABLE_FIELDS = {
    "term": ("text", "status", "pos", "note"),
    "concept": ("domain", "wikidata", "note", "definitions"),
}
REVERTABLE_ACTIONS = frozenset(
    {"term.update", "term.status", "term.demote", "term.revert", "concept.update", "concept.revert"}
)
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a diff: ``op`` is ``same``, ``del`` or ``ins``."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one change: ``name`` is ``status`` or ``definitions.kk``."""

    name: str
    before: str | None
    after: str | None
    segments: tuple[Segment, ...] = ()

    @property
    def base(self) -> str:
        """The field without its sub-key (``definitions`` for ``definitions.kk``)."""
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str | None:
        return self.name.split(".", 1)[1] if "." in self.name else None


@dataclass
class ChangeEntry:
    """A history row ready to read: who, when, on what, and the fields it changed."""

    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: str
    concept_uid: str | None = None
    concept_label: str | None = None
    subject: str | None = None  # the term's text, when the change is to a term
    subject_lang: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    revertable: bool = False


@dataclass(frozen=True, slots=True)
class ChangesPage:
    entries: list[ChangeEntry]
    older: int | None  # pass as ``before`` for the next page; None on the last one


def text_diff(before: str, after: str) -> tuple[Segment, ...]:
    """Word-level diff of phrases, character-level of single words (``ılık`` → ``ilik``)."""
    if any(char.isspace() for char in before + after):
        old, new = _WORDS.findall(before), _WORDS.findall(after)
    else:
        old, new = list(before), list(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "same", "".join(old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(segments, "del", "".join(old[i1:i2]))
        if tag in ("insert", "replace"):
            _append(segments, "ins", "".join(new[j1:j2]))
    return tuple(segments)


def _append(segments: list[Segment], op: str, text: str) -> None:
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    elif text:
        segments.append(Segment(op, text))


def display_value(value: Any) -> str | None:
    """A stored value as words: term lists as ``text (lang)``, nothing as None."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, list):
        return ", ".join(_list_item(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {display_value(item) or '—'}" for key, item in value.items())
    return str(value)


def _list_item(item: Any) -> str:
    if isinstance(item, dict) and "text" in item:
        return f"{item['text']} ({item['lang']})" if item.get("lang") else str(item["text"])
    return str(display_value(item))


def describe_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[FieldChange]:
    """What a change did to each shown field, in a stable order."""
    before, after = before or {}, after or {}
    changes: list[FieldChange] = []
    for name in SHOWN_FIELDS:
        if name not in before and name not in after:
            continue
        old, new = before.get(name), after.get(name)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    changes.append(_field(f"{name}.{key}", name, old.get(key), new.get(key)))
        elif name not in before or old != new:
            changes.append(_field(name, name, old, new))
    return changes


def _field(name: str, base: str, old: Any, new: Any) -> FieldChange:
    before, after = display_value(old), display_value(new)
    segments = text_diff(before, after) if before and after and base in TEXT_FIELDS else ()
    return FieldChange(name, before, after, segments)


def is_revertable(action: str, entity: str, before: dict[str, Any] | None) -> bool:
    fields = REVERTABLE_FIELDS.get(entity, ())
    return action in REVERTABLE_ACTIONS and any(key in fields for key in before or {})


def concept_label(concept: Concept) -> str:
    """The English term if there is one (the shared working language), else the best term."""
    ranked = sorted(concept.terms, key=lambda t: (t.lang != "en", STATUS_ORDER.index(t.status)))
    return ranked[0].text if ranked else concept.uid


def _entry(row: dict[str, Any], actor: str | None) -> ChangeEntry:
    """``row`` holds a history row's columns (from the table or from concept_history)."""
    before, after = row["before"], row["after"]
    subject = (after or {}).get("text") or (before or {}).get("text")
    return ChangeEntry(
        id=row["id"],
        at=row["at"],
        actor=actor,
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        subject=subject if row["entity"] == "term" and isinstance(subject, str) else None,
        fields=describe_fields(before, after),
        revertable=is_revertable(row["action"], row["entity"], before),
    )


def _columns(row: History) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


def describe_history(entries: Iterable[dict[str, Any]], terms: Iterable[Term]) -> list[ChangeEntry]:
    """A concept page's history (services.meetups.concept_history's dicts) with diffs;
    ``terms`` names the terms that status-only rows refer to by id."""
    by_id = {str(term.id): term for term in terms}
    described = []
    for item in entries:
        entry = _entry(item, item["actor"])
        _name_subject(entry, by_id)
        described.append(entry)
    return described


def _name_subject(entry: ChangeEntry, terms: dict[str, Term]) -> None:
    term = terms.get(entry.entity_id) if entry.entity == "term" else None
    if term is not None:
        entry.subject = entry.subject or term.text
        entry.subject_lang = term.lang


def recent_changes(
    *, before: int | None = None, lang: str | None = None, limit: int = PAGE_SIZE
) -> ChangesPage:
    """The newest termbase changes (votes left out), one page, in a fixed number of queries.

    ``lang`` keeps changes to terms in that language (a term's language never changes, so
    the term's current row answers it); ``before`` is the ``older`` id of the previous page.
    """
    query = select(History).where(
        History.concept_id.is_not(None), History.action.not_in(VOTE_ACTIONS)
    )
    if before is not None:
        query = query.where(History.id < before)
    if lang:
        # entity_id is text (concept rows hold a uid): compare as text, never cast it to int.
        on_term = and_(History.entity == "term", History.entity_id == cast(Term.id, String))
        query = query.join(Term, on_term).where(Term.lang == lang)
    rows = list(db.session.scalars(query.order_by(History.id.desc()).limit(limit + 1)))
    older = rows[limit - 1].id if len(rows) > limit else None
    rows = rows[:limit]
    names = _actor_names(rows)
    concepts = _concepts(row.concept_id for row in rows)
    terms = _terms(row.entity_id for row in rows if row.entity == "term")
    entries = []
    for row in rows:
        entry = _entry(_columns(row), names.get(row.actor_id, row.actor_name))
        concept = concepts.get(row.concept_id) if row.concept_id is not None else None
        if concept is not None:
            entry.concept_uid, entry.concept_label = concept.uid, concept_label(concept)
        _name_subject(entry, terms)
        entries.append(entry)
    return ChangesPage(entries, older)


def _actor_names(rows: list[History]) -> dict[int | None, str]:
    """Shown names (guests by the name they joined with), as on the concept page."""
    ids = {row.actor_id for row in rows if row.actor_id is not None}
    if not ids:
        return {}
    users = db.session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids))
    )
    return {user_id: display or username for user_id, display, username in users}


def _concepts(ids: Iterable[int | None]) -> dict[int, Concept]:
    wanted = {concept_id for concept_id in ids if concept_id is not None}
    if not wanted:
        return {}
    # Concept.terms loads with selectin: one more query for every concept's terms, not one each.
    return {c.id: c for c in db.session.scalars(select(Concept).where(Concept.id.in_(wanted)))}


def _terms(ids: Iterable[str]) -> dict[str, Term]:
    wanted = {int(term_id) for term_id in ids if term_id.isdigit()}
    if not wanted:
        return {}
    return {str(t.id): t for t in db.session.scalars(select(Term).where(Term.id.in_(wanted)))}
