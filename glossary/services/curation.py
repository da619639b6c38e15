"""Moderators tidy the termbase: merge a duplicate concept into another, split terms off into
a concept of their own, revert one recorded change. Each writes history and search outbox
rows in the same transaction, like every other change.

Nothing is deleted: a merged concept stays, pointing at the one that absorbed it
(``merged_into_id``), so its uid keeps resolving in URLs, exports and imports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from glossary.errors import Conflict, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import Ballot, Comment, Concept, History, Term
from glossary.services import editing, history
from glossary.services.actors import Actor
from glossary.services.changes import REVERTABLE_FIELDS, is_revertable
from glossary.services.terms import get_concept, queue_index, term_snapshot

MODERATOR = "moderator"
# A merge that meets a term twice keeps the target's; only an undecided one takes over the
# decision the duplicate's copy had.
UNDECIDED = "proposed"
MAX_REDIRECTS = 10  # merges re-point older redirects, so a chain longer than one is rare


def resolve_merged(concept: Concept) -> Concept | None:
    """The live concept a merged one now lives in (None when ``concept`` is live itself)."""
    target = concept
    for _ in range(MAX_REDIRECTS):
        if target.merged_into_id is None:
            return target if target is not concept else None
        found = db.session.get(Concept, target.merged_into_id)
        if found is None:
            break
        target = found
    return target if target is not concept else None


def _refuse_if_merged(*concepts: Concept) -> None:
    for concept in concepts:
        if concept.merged_into_id is not None:
            raise Conflict(f"concept {concept.uid} is already merged into another one")


def _refuse_open_ballots(concept_ids: list[int], langs: set[str] | None = None) -> None:
    """Moving terms under an open ballot would change its candidates mid-vote."""
    query = select(Ballot).where(Ballot.concept_id.in_(concept_ids), Ballot.state == "open")
    if langs is not None:
        query = query.where(Ballot.lang.in_(langs))
    ballot = db.session.scalars(query.limit(1)).first()
    if ballot is not None:
        raise Conflict(f"close the open {ballot.lang} ballot {ballot.id} first", ballot=ballot.id)


def _absorb(kept: Term, copy: Term, preferred_langs: set[str]) -> str | None:
    """Fold a duplicate's copy of a term into the target's; returns the kept term's old
    status if it changed."""
    kept.pos = kept.pos or copy.pos
    kept.usage_note = kept.usage_note or copy.usage_note
    if kept.status != UNDECIDED or copy.status == UNDECIDED:
        return None
    wanted = copy.status
    if wanted == "preferred" and kept.lang in preferred_langs:
        wanted = editing.DEMOTED_STATUS
    old, kept.status = kept.status, wanted
    if wanted == "preferred":
        preferred_langs.add(kept.lang)
    return old


def merge_concepts(actor: Actor, target: Concept, duplicate: Concept) -> Concept:
    """Move the duplicate's terms, definitions and comments into ``target``; mark it merged.

    A term both have (same language and identity) is kept once, the target's; a second
    preferred term in a language drops to admitted. What cannot move (a definition in a
    language the target defines already, the duplicate's copy of a shared term) stays with
    the merged concept, where history and old links still find it.
    """
    actor.require(MODERATOR)
    if target.id == duplicate.id:
        raise InvalidInput("a concept cannot be merged into itself", field="other")
    _refuse_if_merged(target, duplicate)
    _refuse_open_ballots([target.id, duplicate.id])
    existing = {(term.lang, term.norm): term for term in target.terms}
    preferred_langs = {term.lang for term in target.terms if term.status == "preferred"}
    moved: list[Term] = []
    for term in list(duplicate.terms):
        kept = existing.get((term.lang, term.norm))
        if kept is not None:
            old_status = _absorb(kept, term, preferred_langs)
            if old_status is not None:
                _record_status(actor, kept, target, old_status, duplicate)
            # Comments on the copy follow the term they were about.
            db.session.execute(
                update(Comment).where(Comment.term_id == term.id).values(term_id=kept.id)
            )
            continue
        if term.status == "preferred" and term.lang in preferred_langs:
            term.status = editing.DEMOTED_STATUS
            _record_status(actor, term, target, "preferred", duplicate)
        elif term.status == "preferred":
            preferred_langs.add(term.lang)
        term.concept = target  # one UPDATE sets concept and status: no moment with two preferred
        moved.append(term)
    _move_definitions(target, duplicate)
    for name in ("domain", "wikidata", "note"):
        if getattr(target, name) is None:
            setattr(target, name, getattr(duplicate, name))
    db.session.execute(
        update(Comment).where(Comment.concept_id == duplicate.id).values(concept_id=target.id)
    )
    # Concepts merged into the duplicate earlier now redirect straight to the target.
    db.session.execute(
        update(Concept)
        .where(Concept.merged_into_id == duplicate.id)
        .values(merged_into_id=target.id)
    )
    duplicate.merged_into_id = target.id
    db.session.flush()
    history.record(
        actor,
        "concept.merge",
        "concept",
        target.uid,
        concept_id=target.id,
        after={"merged": duplicate.uid, "terms": [term_snapshot(t) for t in moved]},
    )
    history.record(
        actor,
        "concept.merged",
        "concept",
        duplicate.uid,
        concept_id=duplicate.id,
        before={"merged_into": None},
        after={"merged_into": target.uid, "terms": [term_snapshot(t) for t in moved]},
    )
    # Every term of both: moved ones are indexed under the target's uid, the copies left
    # behind drop out (a merged concept's terms are not searchable), and the target's own
    # may have taken a status or the duplicate's domain, a search filter.
    queue_index([*(t.id for t in target.terms), *(t.id for t in duplicate.terms)])
    db.session.commit()
    db.session.refresh(target)
    return target


def _move_definitions(target: Concept, duplicate: Concept) -> None:
    defined = {definition.lang for definition in target.definitions}
    for definition in list(duplicate.definitions):
        if definition.lang not in defined:
            definition.concept = target


def _record_status(
    actor: Actor, term: Term, target: Concept, before: str, duplicate: Concept
) -> None:
    """A status a merge changed, as a revertable term.status row on the target concept."""
    history.record(
        actor,
        "term.status",
        "term",
        term.id,
        concept_id=target.id,  # the term's concept_id is only updated at the flush
        before={"status": before},
        after={"status": term.status, "merged": duplicate.uid},
    )


def split_concept(actor: Actor, concept: Concept, term_ids: list[int]) -> Concept:
    """Move the chosen terms (and comments on them) to a new concept in the same domain."""
    actor.require(MODERATOR)
    _refuse_if_merged(concept)
    wanted = set(term_ids)
    chosen = [term for term in concept.terms if term.id in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise InvalidInput(f"choose one or more terms of concept {concept.uid}", field="terms")
    if len(chosen) == len(concept.terms):
        raise InvalidInput("leave at least one term with the concept", field="terms")
    _refuse_open_ballots([concept.id], {term.lang for term in chosen})
    # At most one preferred term per language held in the old concept, so it holds here too.
    created = Concept(
        domain=concept.domain,
        created_by_id=actor.user_id,
        origin_meetup_id=concept.origin_meetup_id,
        source_id=concept.source_id,
    )
    db.session.add(created)
    for term in chosen:
        term.concept = created
    db.session.flush()
    db.session.execute(
        update(Comment).where(Comment.term_id.in_(wanted)).values(concept_id=created.id)
    )
    snapshots = [term_snapshot(term) for term in chosen]
    history.record(
        actor,
        "concept.split",
        "concept",
        concept.uid,
        concept_id=concept.id,
        after={"split_into": created.uid, "terms": snapshots},
    )
    history.record(
        actor,
        "concept.split_from",
        "concept",
        created.uid,
        concept_id=created.id,
        after={"split_from": concept.uid, "domain": created.domain, "terms": snapshots},
    )
    queue_index([term.id for term in chosen])
    db.session.commit()
    return created


def concept_of_change(history_id: int) -> str | None:
    """The uid of the concept a recorded change belongs to (where to show its outcome)."""
    query = (
        select(Concept.uid)
        .join(History, History.concept_id == Concept.id)
        .where(History.id == history_id)
    )
    return db.session.scalar(query)


def revert_change(actor: Actor, history_id: int) -> Concept:
    """Set the fields one recorded change touched back to their values before it.

    Refused (409) when a later change has touched one of those fields since: reverting
    would silently undo that one too, so it is reverted first. Returns the concept.
    """
    actor.require(MODERATOR)
    row = db.session.get(History, history_id)
    if row is None:
        raise NotFound(f"no change {history_id}")
    if not is_revertable(row.action, row.entity, row.before):
        raise InvalidInput(f"a {row.action} change cannot be reverted", field="change")
    fields = [key for key in row.before or {} if key in REVERTABLE_FIELDS[row.entity]]
    context = {"reverts": row.id}
    if row.entity == "term":
        term = editing.get_term(int(row.entity_id))
        concept = term.concept
        _refuse_if_merged(concept)
        current = {**term_snapshot(term), "note": term.usage_note}
        _refuse_stale(row, fields, current)
        changes = {key: row.before[key] for key in fields}  # type: ignore[index]
        editing.update_term(actor, term, changes, action="term.revert", context=context)
        return concept
    concept = get_concept(row.entity_id)
    _refuse_if_merged(concept)
    current = editing.concept_snapshot(concept)
    _refuse_stale(row, fields, current)
    changes = {key: row.before[key] for key in fields}  # type: ignore[index]
    if "definitions" in changes:
        # The row holds every definition before: languages added since are removed again.
        old = changes["definitions"] or {}
        changes["definitions"] = {**dict.fromkeys(current["definitions"]), **old}
    editing.update_concept(actor, concept, changes, action="concept.revert", context=context)
    return concept


def _refuse_stale(row: History, fields: list[str], current: dict[str, Any]) -> None:
    before, after = row.before or {}, row.after or {}
    if all(current.get(key) == before.get(key) for key in fields):
        raise Conflict(f"change {row.id} is already undone", change=row.id)
    stale = [key for key in fields if key in after and current.get(key) != after[key]]
    if stale:
        raise Conflict(
            f"{', '.join(stale)} changed again after change {row.id}: revert the later one first",
            change=row.id,
        )
