"""Whoosh's fuzzy level runs for a bounded time and answers with what it found by then."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask

from glossary.search.base import SearchFilters, SearchQuery
from glossary.search.whoosh_backend import FUZZY_SECONDS, WhooshBackend


def fuzzy_texts(backend: WhooshBackend, text: str) -> list[str]:
    return [c.text for c in backend.fuzzy(SearchQuery.parse(text), SearchFilters(), 50)]


def test_the_app_bounds_fuzzy_search_by_its_setting(search_app: Flask):
    from glossary.config import load_settings
    from glossary.search import get_backend

    backend = get_backend(search_app)
    if isinstance(backend, WhooshBackend):
        assert backend.fuzzy_seconds == search_app.config["SEARCH_FUZZY_SECONDS"]
    assert (
        load_settings(search_app.instance_path, {"SECRET_KEY": "x"})["SEARCH_FUZZY_SECONDS"]
        == FUZZY_SECONDS
    )


def test_an_exhausted_time_budget_answers_with_real_matches_not_an_error(
    app: Flask, add_concepts: Callable[..., list[str]], tmp_path: Path
):
    saved = app.config["INDEX_DIR"]
    app.config["INDEX_DIR"] = str(tmp_path / "index")  # the outbox is applied to this index
    try:
        add_concepts(
            [{"terms": [{"lang": "en", "text": f"Kazakhstan region {n}"}]} for n in range(300)]
        )
        generous = fuzzy_texts(WhooshBackend(tmp_path / "index", fuzzy_seconds=5.0), "Kazakstn")
        spent = fuzzy_texts(WhooshBackend(tmp_path / "index", fuzzy_seconds=0.0), "Kazakstn")
    finally:
        app.config["INDEX_DIR"] = saved
    assert len(generous) == 50
    assert all(text.startswith("Kazakhstan region") for text in generous + spent)
    assert len(spent) <= 50
