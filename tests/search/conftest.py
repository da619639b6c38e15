"""Fixtures for search tests: a termbase built through the services, on either backend.

``search_app`` runs each test once per backend: Whoosh always, PostgreSQL's own backend when the
suite runs on PostgreSQL (``TAMYR_TEST_DATABASE_URL``); on SQLite that backend cannot exist.
Every test gets its own index folder, because the session database restarts term ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import ON_POSTGRES

BACKENDS = [
    "whoosh",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not ON_POSTGRES, reason="the postgres backend needs TAMYR_TEST_DATABASE_URL=PostgreSQL"
        ),
    ),
]

# Country names as CLDR and the national alphabets write them (TURKIC.md Part 1 §3-4).
COUNTRIES: list[dict[str, Any]] = [
    {
        "domain": "geography",
        "terms": [
            {"lang": "kk", "text": "Қазақстан", "status": "preferred"},
            {"lang": "kk-Latn", "text": "Qazaqstan", "status": "preferred"},
            {"lang": "en", "text": "Kazakhstan", "status": "preferred"},
            {"lang": "tr", "text": "Kazakistan", "status": "preferred"},
        ],
    },
    {
        "domain": "geography",
        "terms": [
            {"lang": "uz", "text": "Oʻzbekiston", "status": "preferred"},
            {"lang": "uz-Cyrl", "text": "Ўзбекистон", "status": "preferred"},
            {"lang": "kk", "text": "Өзбекстан", "status": "preferred"},
            {"lang": "en", "text": "Uzbekistan", "status": "preferred"},
        ],
    },
    {
        "domain": "geography",
        "terms": [
            {"lang": "tr", "text": "Türkiye", "status": "preferred"},
            {"lang": "kk", "text": "Түркия", "status": "preferred"},
            {"lang": "en", "text": "Türkiye", "status": "admitted"},
        ],
    },
    {
        "domain": "geography",
        "terms": [
            {"lang": "tr", "text": "İstanbul", "status": "preferred"},
            {"lang": "kk", "text": "Стамбул", "status": "preferred"},
        ],
    },
    {
        "domain": "weather",
        "terms": [
            {"lang": "tr", "text": "ılık", "status": "preferred"},
            {"lang": "en", "text": "lukewarm", "status": "preferred"},
        ],
    },
    {
        "domain": "anatomy",
        "terms": [
            {"lang": "tr", "text": "ilik", "status": "preferred"},
            {"lang": "en", "text": "bone marrow", "status": "preferred"},
        ],
    },
    {
        "domain": "people",
        "terms": [
            {"lang": "ug", "text": "ئۇيغۇر", "status": "preferred"},
            {"lang": "ug-Latn", "text": "Uyghur", "status": "preferred"},
            {"lang": "kk", "text": "Ұйғыр", "status": "proposed"},
        ],
    },
    {
        "domain": "computing",
        "terms": [
            {"lang": "tr", "text": "veri tabanı", "status": "preferred"},
            {"lang": "kk", "text": "дерекқор", "status": "preferred"},
            {"lang": "en", "text": "database", "status": "preferred"},
        ],
    },
    {
        "domain": "computing",
        "terms": [
            {"lang": "tr", "text": "kitap", "status": "preferred"},
            {"lang": "kk", "text": "кітап", "status": "preferred"},
            {"lang": "en", "text": "book", "status": "preferred"},
        ],
    },
]


@pytest.fixture(params=BACKENDS)
def search_app(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The app on one search backend, with an index folder of this test's own."""
    saved = app.config["SEARCH_BACKEND"], app.config["INDEX_DIR"]
    app.config["SEARCH_BACKEND"] = request.param
    app.config["INDEX_DIR"] = str(tmp_path / "index")
    try:
        yield app
    finally:
        app.config["SEARCH_BACKEND"], app.config["INDEX_DIR"] = saved


@pytest.fixture
def add_concepts() -> Callable[..., list[str]]:
    """Create concepts through the terms service (outbox rows and all); returns their uids.

    The outbox is applied afterwards unless ``apply=False`` (a crash before indexing).
    """
    from glossary.services.actors import CLI
    from glossary.services.indexing import apply_pending
    from glossary.services.terms import create_concept

    def add(concepts: list[dict[str, Any]], apply: bool = True) -> list[str]:
        uids = [create_concept(CLI, **concept).uid for concept in concepts]
        if apply:
            apply_pending()
        return uids

    return add


@pytest.fixture
def countries(search_app: Flask, add_concepts: Callable[..., list[str]]) -> list[str]:
    return add_concepts(COUNTRIES)
