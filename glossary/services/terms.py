"""Concepts and terms: creating them with their search columns, history and outbox rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from glossary.errors import Conflict, Forbidden, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import TERM_STATUSES, Concept, Definition, SearchOutbox, Term
from glossary.services import history
from glossary.services.actors import Actor
from glossary.services.languages import ensure_language, resolve_language
from glossary.text.folding import clean_text, fold_for_search, identity_norm
from glossary.text.searchkey import search_key

WIKIDATA_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
MAX_TERM_LENGTH = 500


@dataclass(frozen=True, slots=True)
class TermText:
    """A term's text with the three derived columns the database indexes."""

    text: str
    norm: str
    folded: str
    key: str


def prepare_text(raw: str, lang: str) -> TermText:
    """NFC-clean a term and derive its identity, search fold and cross-script key."""
    try:
        text = clean_text(raw)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="text") from exc
    if not text:
        raise InvalidInput("a term's text must not be empty", field="text")
    if len(text) > MAX_TERM_LENGTH:
        raise InvalidInput(f"a term is at most {MAX_TERM_LENGTH} characters", field="text")
    return TermText(text, identity_norm(text, lang), fold_for_search(text), search_key(text, lang))


def check_status(actor: Actor, status: str | None) -> str:
    """The status a new term gets: ``proposed`` unless a moderator says otherwise."""
    status = status or "proposed"
    if status not in TERM_STATUSES:
        raise InvalidInput(
            f"unknown status {status!r}; use one of {', '.join(TERM_STATUSES)}", field="status"
        )
    if status != "proposed" and not actor.has_role("moderator"):
        raise Forbidden(f"setting a term's status to {status!r} needs the moderator role")
    return status


def term_snapshot(term: Term) -> dict[str, Any]:
    return {"lang": term.lang, "text": term.text, "status": term.status, "pos": term.pos}


def queue_index(term_ids: list[int], op: str = "index") -> None:
    """Outbox rows in the caller's transaction, so the index can never miss a commit."""
    db.session.add_all(SearchOutbox(term_id=term_id, op=op) for term_id in term_ids)


def get_concept(uid: str) -> Concept:
    concept = db.session.scalar(select(Concept).where(Concept.uid == uid))
    if concept is None:
        raise NotFound(f"no concept with uid {uid}")
    return concept


def recent_concepts(limit: int = 20) -> list[Concept]:
    query = (
        select(Concept)
        .where(Concept.merged_into_id.is_(None))
        .order_by(Concept.created_at.desc(), Concept.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _term_values(actor: Actor, spec: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for a new term from an API/CLI-shaped dict."""
    lang = resolve_language(str(spec.get("lang") or ""), spec.get("text"))
    ensure_language(lang)
    prepared = prepare_text(str(spec.get("text") or ""), lang)
    return {
        "lang": lang,
        "text": prepared.text,
        "norm": prepared.norm,
        "folded": prepared.folded,
        "key": prepared.key,
        "pos": spec.get("pos") or None,
        "status": check_status(actor, spec.get("status")),
        "usage_note": spec.get("note") or None,
        "created_by_id": actor.user_id,
    }


def _check_one_preferred(statuses: list[tuple[str, str]]) -> None:
    langs = [lang for lang, status in statuses if status == "preferred"]
    for lang in set(langs):
        if langs.count(lang) > 1:
            raise InvalidInput(f"a concept has at most one preferred term in {lang}", field="terms")


def create_concept(
    actor: Actor,
    *,
    domain: str | None = None,
    definitions: dict[str, str] | None = None,
    wikidata: str | None = None,
    note: str | None = None,
    terms: list[dict[str, Any]] | None = None,
) -> Concept:
    """Create a concept with its definitions and terms in one transaction."""
    actor.require("editor")
    if wikidata and not WIKIDATA_QID.match(wikidata):
        raise InvalidInput(f"{wikidata!r} is not a Wikidata item id like Q42", field="wikidata")
    concept = Concept(
        domain=(domain or None),
        wikidata=wikidata or None,
        note=note or None,
        created_by_id=actor.user_id,
    )
    db.session.add(concept)
    for raw_lang, text in (definitions or {}).items():
        lang = resolve_language(raw_lang, text)
        ensure_language(lang)
        concept.definitions.append(Definition(lang=lang, text=clean_text(text)))
    seen: set[tuple[str, str]] = set()
    for spec in terms or []:
        values = _term_values(actor, spec)
        if (values["lang"], values["norm"]) in seen:  # the same term twice in a request: one
            continue
        seen.add((values["lang"], values["norm"]))
        concept.terms.append(Term(**values))
    _check_one_preferred([(t.lang, t.status) for t in concept.terms])
    db.session.flush()
    history.record(
        actor,
        "concept.create",
        "concept",
        concept.uid,
        concept_id=concept.id,
        after={
            "domain": concept.domain,
            "wikidata": concept.wikidata,
            "terms": [term_snapshot(t) for t in concept.terms],
        },
    )
    queue_index([term.id for term in concept.terms])
    db.session.commit()
    return concept


def add_term(actor: Actor, concept: Concept, spec: dict[str, Any]) -> Term:
    """Add one term to a concept; the same text again (by identity) is a clear 409."""
    actor.require("editor")
    values = _term_values(actor, spec)
    for existing in concept.terms:
        if existing.lang == values["lang"] and existing.norm == values["norm"]:
            raise Conflict(
                f"{concept.uid} already has the {existing.lang} term {existing.text!r}",
                term=existing.id,
            )
    _check_one_preferred(
        [(t.lang, t.status) for t in concept.terms] + [(values["lang"], values["status"])]
    )
    term = Term(**values)
    concept.terms.append(term)
    db.session.flush()
    history.record(
        actor, "term.add", "term", term.id, concept_id=concept.id, after=term_snapshot(term)
    )
    queue_index([term.id])
    db.session.commit()
    return term
