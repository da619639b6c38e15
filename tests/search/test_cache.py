"""Kept search answers: a repeated query is answered without searching again, and any write
that can change the answer (a new term, an edit, a status decision, an index catch-up) is seen
by the very next query."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from glossary.extensions import db
from glossary.services.actors import CLI
from glossary.services.editing import update_term
from glossary.services.search import search_terms, suggest_terms


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def texts(query: str) -> list[str]:
    return [row.term.text for row in search_terms(query).rows]


def test_a_repeated_search_is_answered_from_the_cache(countries: list[str]):
    with counted_statements() as first:
        assert "Қазақстан" in texts("Qazaqstan")
    with counted_statements() as again:
        assert "Қазақстан" in texts("Qazaqstan")
    # The version probe, the language check and loading the found terms: no search queries.
    assert len(again) < len(first)
    assert len(again) <= 3


def test_a_new_term_is_found_by_the_next_identical_search(
    countries: list[str], add_concepts: Callable[..., list[str]]
):
    assert "Qazaqstan Respublikasy" not in texts("Qazaqstan")
    assert all(s.text != "Qazaqstan Respublikasy" for s in suggest_terms("Qazaq"))
    add_concepts([{"terms": [{"lang": "kk-Latn", "text": "Qazaqstan Respublikasy"}]}])
    assert "Qazaqstan Respublikasy" in texts("Qazaqstan")
    assert any(s.text == "Qazaqstan Respublikasy" for s in suggest_terms("Qazaq"))


def test_a_term_found_only_by_the_index_appears_once_the_outbox_is_applied(
    search_app: Flask, countries: list[str], add_concepts: Callable[..., list[str]]
):
    from glossary.services.indexing import apply_pending

    # A typo finds this term only through the search backend (the fuzzy level), which sees
    # it once the outbox is applied: the answer kept before that must not outlive it.
    add_concepts([{"terms": [{"lang": "en", "text": "Turkmenistan"}]}], apply=False)
    before = texts("Turkmenstan")
    apply_pending()
    # The postgres backend reads the terms table itself, so it finds the term at once.
    assert ("Turkmenistan" in before) == (search_app.config["SEARCH_BACKEND"] == "postgres")
    assert "Turkmenistan" in texts("Turkmenstan")


def test_a_status_change_reorders_the_next_answer(search_app: Flask, add_concepts):
    add_concepts(
        [
            {"terms": [{"lang": "en", "text": "keyboard", "status": "deprecated"}]},
            {"terms": [{"lang": "en", "text": "Keyboard", "status": "admitted"}]},
        ]
    )
    rows = search_terms("keyboard").rows
    assert [row.term.status for row in rows] == ["admitted", "deprecated"]
    deprecated = rows[1].term
    update_term(CLI, deprecated, {"status": "preferred"})
    db.session.commit()
    assert [row.term.status for row in search_terms("keyboard").rows] == [
        "preferred",
        "admitted",
    ]


def test_the_cache_can_be_turned_off(search_app: Flask, countries: list[str]):
    from glossary.search.cache import answer_cache

    cache = answer_cache()
    saved, cache.size = cache.size, 0
    try:
        with counted_statements() as first:
            texts("Qazaqstan")
        with counted_statements() as again:
            texts("Qazaqstan")
        assert len(again) == len(first)
    finally:
        cache.size = saved
