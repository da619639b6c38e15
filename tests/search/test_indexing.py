"""The search outbox: written with the term, applied after commit, never lost (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from glossary.extensions import db
from glossary.models import SearchOutbox, Term
from glossary.search import get_backend
from glossary.services.checks import check_database
from glossary.services.indexing import apply_pending, check_index, pending_count, reindex
from glossary.services.search import search_terms
from tests.search.conftest import COUNTRIES


def fuzzy_texts(query: str) -> list[str]:
    return [row.term.text for row in search_terms(query).rows if row.match == "fuzzy"]


def test_term_writes_add_outbox_rows_in_the_same_transaction(
    search_app: Any, add_concepts: Callable[..., list[str]]
):
    add_concepts(COUNTRIES[:1], apply=False)
    terms = db.session.scalar(select(func.count(Term.id)))
    rows = set(db.session.scalars(select(SearchOutbox.term_id)))
    assert terms == 4
    assert rows == set(db.session.scalars(select(Term.id)))


def test_a_failed_transaction_leaves_no_outbox_row(search_app: Any):
    from glossary.errors import InvalidInput
    from glossary.services.actors import CLI
    from glossary.services.terms import create_concept

    two_preferred = [
        {"lang": "kk", "text": "а", "status": "preferred"},
        {"lang": "kk", "text": "б", "status": "preferred"},
    ]
    try:
        create_concept(CLI, terms=two_preferred)
    except InvalidInput:
        db.session.rollback()
    assert pending_count() == 0
    assert db.session.scalar(select(func.count(Term.id))) == 0


def test_crash_between_commit_and_index_loses_nothing(
    search_app: Any, add_concepts: Callable[..., list[str]]
):
    """Committed terms whose outbox was never applied (the process died) are pending, not
    drift; applying the outbox later makes the index whole and the check clean."""
    add_concepts(COUNTRIES, apply=False)
    if get_backend().name == "whoosh":
        assert fuzzy_texts("Kazakstn") == []  # the index has not seen them
    waiting = check_index()
    assert waiting.ok and waiting.pending == pending_count() > 0
    report = check_database()
    assert report.ok
    assert any("wait for the search index" in note for note in report.notes)

    assert apply_pending() == waiting.pending
    assert "Kazakhstan" in fuzzy_texts("Kazakstn")
    caught_up = check_index()
    assert caught_up.ok and caught_up.pending == 0
    assert check_database().notes == []


def test_applying_twice_is_harmless(search_app: Any, add_concepts: Callable[..., list[str]]):
    add_concepts(COUNTRIES[:2], apply=False)
    ids = list(db.session.scalars(select(SearchOutbox.term_id)))
    backend = get_backend()
    # A run killed after the index commit but before the rows were deleted: applied again.
    from glossary.search.documents import load_terms

    backend.index(load_terms(ids))
    apply_pending()
    assert check_index().ok
    assert len(search_terms("Oʻzbekiston", limit=100).rows) == len(
        {row.term.id for row in search_terms("Oʻzbekiston", limit=100).rows}
    )


def test_check_reports_drift_apart_from_pending(
    search_app: Any, add_concepts: Callable[..., list[str]]
):
    add_concepts(COUNTRIES)
    backend = get_backend()
    if backend.name == "postgres":
        # The columns are the index: a term cannot be missing from it.
        assert check_index().ok
        return
    lost = db.session.scalar(select(Term.id).where(Term.text == "Kazakhstan"))
    backend.remove([lost])  # an index that lost an entry
    changed = db.session.scalar(select(Term.id).where(Term.text == "ılık"))
    # A status changed behind Tamyr's back (no outbox row): the entry is stale.
    db.session.execute(update(Term).where(Term.id == changed).values(status="deprecated"))
    db.session.commit()
    drift = check_index()
    assert drift.missing == [lost] and drift.stale == [changed]
    report = check_database()
    assert not report.ok
    assert any("missing from the search index" in p for p in report.problems)

    count, _ = reindex()
    assert count == db.session.scalar(select(func.count(Term.id)))
    assert check_index().ok and check_database().ok


def test_reindex_builds_aside_and_swaps(search_app: Any, add_concepts: Callable[..., list[str]]):
    add_concepts(COUNTRIES)
    backend = get_backend()
    if backend.name != "whoosh":
        assert reindex()[0] == db.session.scalar(select(func.count(Term.id)))
        return
    from glossary.search.whoosh_backend import iter_generations

    before = backend._live_name()
    reindex()
    after = backend._live_name()
    assert after != before
    # The replaced generation is kept for searchers still reading it; older ones go.
    assert {p.name for p in iter_generations(backend.root)} == {before, after}
    reindex()
    assert before not in {p.name for p in iter_generations(backend.root)}
    assert "Kazakhstan" in fuzzy_texts("Kazakstn")


def test_a_status_change_reaches_the_index(search_app: Any, add_concepts: Callable[..., list[str]]):
    from glossary.services.terms import queue_index

    add_concepts(COUNTRIES)
    term_id = db.session.scalar(select(Term.id).where(Term.text == "Kazakhstan"))
    db.session.execute(update(Term).where(Term.id == term_id).values(status="rejected"))
    queue_index([term_id])
    db.session.commit()
    apply_pending()
    rejected = search_terms("Kazakhstan", lang="en").rows
    assert [(r.term.id, r.term.status) for r in rejected] == [(term_id, "rejected")]
    assert check_index().ok
