"""How the Whoosh backend lays out its index: term documents, word documents, its format.

Whoosh holds only what the columns cannot answer (glossary/search/whoosh_schema.py): these tests
pin down that what it finds still reaches the right terms through the database, across writers
and filters, and that an index of an older format is never misread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from glossary.extensions import db
from glossary.models import Term
from glossary.search import get_backend
from glossary.search.base import SearchFilters, SearchQuery
from glossary.search.whoosh_backend import WhooshBackend, iter_generations
from glossary.services.indexing import apply_pending, check_index
from glossary.services.terms import queue_index
from tests.search.conftest import COUNTRIES


@pytest.fixture
def whoosh_app(app: Flask, tmp_path: Path) -> Any:
    saved = app.config["SEARCH_BACKEND"], app.config["INDEX_DIR"]
    app.config["SEARCH_BACKEND"] = "whoosh"
    app.config["INDEX_DIR"] = str(tmp_path / "index")
    try:
        yield app
    finally:
        app.config["SEARCH_BACKEND"], app.config["INDEX_DIR"] = saved


def fuzzy(text: str, **filters: Any) -> list[str]:
    backend = get_backend()
    return [c.text for c in backend.fuzzy(SearchQuery.parse(text), SearchFilters(**filters), 50)]


def test_a_word_first_seen_in_an_earlier_writer_still_leads_typos_to_new_terms(
    whoosh_app: Flask, add_concepts: Callable[..., list[str]]
):
    add_concepts([{"terms": [{"lang": "en", "text": "Kazakhstan"}]}])
    # A later commit, so a later writer: the word document of "kazakhstan" exists already.
    add_concepts([{"terms": [{"lang": "en", "text": "Kazakhstan region"}]}])
    assert sorted(fuzzy("Kazakstn")) == ["Kazakhstan", "Kazakhstan region"]
    searcher = get_backend()._searcher()
    words = [f["word"] for f in searcher.all_stored_fields() if "word" in f]
    key = db.session.scalar(select(Term.key).where(Term.text == "Kazakhstan"))
    assert words.count(key) == 1  # written once, not once per term or writer
    assert len(words) == len(set(words))


def test_numbers_are_found_by_prefix_but_never_as_typos(
    whoosh_app: Flask, add_concepts: Callable[..., list[str]]
):
    add_concepts([{"terms": [{"lang": "en", "text": f"ISO {n}"}]} for n in (9001, 9002, 14001)])
    assert fuzzy("9001") == ["ISO 9001"]
    assert sorted(fuzzy("900")) == ["ISO 9001", "ISO 9002"]


def test_filters_the_index_does_not_hold_are_applied_by_the_database(
    whoosh_app: Flask, add_concepts: Callable[..., list[str]]
):
    country = {"lang": "en", "text": "Kazakhstan", "status": "preferred"}
    anthem = {"lang": "en", "text": "Kazakhstan anthem", "status": "proposed"}
    add_concepts(
        [{"domain": "geography", "terms": [country]}, {"domain": "music", "terms": [anthem]}]
    )
    assert fuzzy("Kazakstn", domain="music") == ["Kazakhstan anthem"]
    assert fuzzy("Kazakstn", statuses=("preferred",)) == ["Kazakhstan"]
    assert fuzzy("Kazakstn", lang="kk") == []


def test_an_index_of_an_older_format_is_not_read_and_the_next_write_rebuilds_it(
    whoosh_app: Flask, add_concepts: Callable[..., list[str]]
):
    add_concepts(COUNTRIES)
    backend = get_backend()
    assert isinstance(backend, WhooshBackend)
    (live,) = list(iter_generations(backend.root))
    (live / "TAMYR_FORMAT").write_text("1", encoding="utf-8")  # as an older release left it
    backend.close()

    assert fuzzy("Kazakstn") == []  # not misread
    report = check_index()
    assert not report.ok
    assert any("older Tamyr" in problem for problem in report.problems)

    queue_index([db.session.scalar(select(Term.id).where(Term.text == "Türkiye"))])
    db.session.commit()
    apply_pending()
    assert backend.is_current()
    assert "Kazakhstan" in fuzzy("Kazakstn")  # every term, not only the one written
    assert check_index().ok
