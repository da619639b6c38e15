"""Changing existing concepts and terms, each change recorded in history with before/after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from glossary.errors import Conflict, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import TERM_STATUSES, Concept, Definition, Term
from glossary.services import history
from glossary.services.actors import Actor
from glossary.services.languages import ensure_language, resolve_language
from glossary.services.terms import WIKIDATA_QID, prepare_text, queue_index, term_snapshot
from glossary.text.folding import clean_text

# When a term becomes preferred, the one it replaces stays usable: it drops to admitted.
DEMOTED_STATUS = "admitted"


def get_term(term_id: int) -> Term:
    term = db.session.get(Term, term_id)
    if term is None:
        raise NotFound(f"no term {term_id}")
    return term


def _clean_optional(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return clean_text(value) or None
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from exc


def concept_snapshot(concept: Concept) -> dict[str, Any]:
    return {
        "domain": concept.domain,
        "wikidata": concept.wikidata,
        "note": concept.note,
        "definitions": {d.lang: d.text for d in concept.definitions},
    }


def _set_definitions(concept: Concept, changes: dict[str, str | None]) -> None:
    """Merge per language: a text replaces or adds, null or "" removes that language's one."""
    current = {d.lang: d for d in concept.definitions}
    for raw_lang, raw_text in changes.items():
        lang = resolve_language(raw_lang, raw_text)
        text = _clean_optional(raw_text, f"definitions.{raw_lang}")
        existing = current.get(lang)
        if text is None:
            if existing is not None:
                concept.definitions.remove(existing)
                db.session.delete(existing)
        elif existing is not None:
            existing.text = text
        else:
            ensure_language(lang)
            concept.definitions.append(Definition(lang=lang, text=text))


def update_concept(
    actor: Actor,
    concept: Concept,
    changes: dict[str, Any],
    *,
    action: str = "concept.update",
    context: dict[str, Any] | None = None,
) -> Concept:
    """Change a concept's domain, definitions, note or Wikidata item (editors).

    ``action`` and ``context`` (extra keys for the history row's ``after``) let curation
    record a revert through the same path as an edit.
    """
    actor.require("editor")
    before = concept_snapshot(concept)
    if "wikidata" in changes:
        wikidata = changes["wikidata"] or None
        if wikidata and not WIKIDATA_QID.match(wikidata):
            raise InvalidInput(f"{wikidata!r} is not a Wikidata item id like Q42", field="wikidata")
        concept.wikidata = wikidata
    if "domain" in changes:
        concept.domain = _clean_optional(changes["domain"], "domain")
    if "note" in changes:
        concept.note = _clean_optional(changes["note"], "note")
    if "definitions" in changes:
        _set_definitions(concept, changes["definitions"] or {})
    db.session.flush()
    db.session.refresh(concept, ["definitions"])
    after = concept_snapshot(concept)
    if after != before:
        changed = [key for key in after if after[key] != before[key]]
        history.record(
            actor,
            action,
            "concept",
            concept.uid,
            concept_id=concept.id,
            before={key: before[key] for key in changed},
            after={**{key: after[key] for key in changed}, **(context or {})},
        )
        # The domain is a search filter: the index documents must follow it.
        queue_index([term.id for term in concept.terms])
    db.session.commit()
    return concept


def _change_text(term: Term, raw: str) -> None:
    prepared = prepare_text(raw, term.lang)
    clash = db.session.scalar(
        select(Term).where(
            Term.concept_id == term.concept_id,
            Term.lang == term.lang,
            Term.norm == prepared.norm,
            Term.id != term.id,
        )
    )
    if clash is not None:
        raise Conflict(
            f"this concept already has the {clash.lang} term {clash.text!r}", term=clash.id
        )
    term.text, term.norm, term.folded, term.key = (
        prepared.text,
        prepared.norm,
        prepared.folded,
        prepared.key,
    )


def _change_status(actor: Actor, term: Term, status: str) -> list[Term]:
    """Set ``status``; a new preferred term demotes the old one. Returns the demoted terms."""
    if status not in TERM_STATUSES:
        raise InvalidInput(
            f"unknown status {status!r}; use one of {', '.join(TERM_STATUSES)}", field="status"
        )
    actor.require("moderator")
    demoted: list[Term] = []
    if status == "preferred":
        demoted = list(
            db.session.scalars(
                select(Term).where(
                    Term.concept_id == term.concept_id,
                    Term.lang == term.lang,
                    Term.status == "preferred",
                    Term.id != term.id,
                )
            )
        )
        for other in demoted:
            other.status = DEMOTED_STATUS
        db.session.flush()  # the one-preferred index must see the demotion first
    term.status = status
    return demoted


def update_term(
    actor: Actor,
    term: Term,
    changes: dict[str, Any],
    *,
    action: str = "term.update",
    context: dict[str, Any] | None = None,
) -> Term:
    """Change a term's text, part of speech or note (editors) or status (moderators).

    ``action`` and ``context`` as in :func:`update_concept`.
    """
    actor.require("editor")
    before = {**term_snapshot(term), "note": term.usage_note}
    demoted: list[Term] = []
    if "text" in changes:
        _change_text(term, str(changes["text"] or ""))
    if "pos" in changes:
        term.pos = _clean_optional(changes["pos"], "pos")
    if "note" in changes:
        term.usage_note = _clean_optional(changes["note"], "note")
    if "status" in changes and changes["status"] != term.status:
        demoted = _change_status(actor, term, str(changes["status"]))
    db.session.flush()
    after = {**term_snapshot(term), "note": term.usage_note}
    for other in demoted:
        history.record(
            actor,
            "term.demote",
            "term",
            other.id,
            concept_id=other.concept_id,
            before={"status": "preferred"},
            after={"status": other.status, "replaced_by": term.id},
        )
    if after != before:
        changed = [key for key in after if after[key] != before[key]]
        history.record(
            actor,
            action,
            "term",
            term.id,
            concept_id=term.concept_id,
            before={key: before[key] for key in changed},
            after={**{key: after[key] for key in changed}, **(context or {})},
        )
        queue_index([term.id, *(other.id for other in demoted)])
    db.session.commit()
    return term
