"""Search through the service layer on each backend: matching, ranking, filters, paging, suggest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glossary.errors import InvalidInput
from glossary.services.search import search_terms, suggest_terms


def found(query: str, **options: Any) -> list[tuple[str, str, str]]:
    """(lang, text, match) of every row of the first page."""
    return [(r.term.lang, r.term.text, r.match) for r in search_terms(query, **options).rows]


@pytest.mark.parametrize(
    ("query", "lang", "text", "match"),
    [
        ("Қазақстан", "kk", "Қазақстан", "exact"),
        ("TÜRKİYE", "tr", "Türkiye", "exact"),
        ("İSTANBUL", "tr", "İstanbul", "exact"),
        ("istanbul", "tr", "İstanbul", "exact"),
        ("ILIK", "tr", "ılık", "exact"),
        ("O'zbekiston", "uz", "Oʻzbekiston", "exact"),
        ("OʻZBEKISTON", "uz", "Oʻzbekiston", "exact"),
        ("ılık", "tr", "ilik", "folded"),
        ("Qazaqstan", "kk", "Қазақстан", "script"),
        ("Kazakhstan", "kk", "Қазақстан", "script"),
        ("O'zbekiston", "uz-Cyrl", "Ўзбекистон", "script"),
        # kk and uz name the country differently: they meet on the loose key, last.
        ("Өзбекстан", "uz", "Oʻzbekiston", "fuzzy"),
        ("turkiye", "tr", "Türkiye", "script"),
        ("Uyghur", "ug", "ئۇيغۇر", "script"),
        ("Уйғур", "ug-Latn", "Uyghur", "script"),
        ("veri tab", "tr", "veri tabanı", "prefix"),
        ("tabanı", "tr", "veri tabanı", "prefix"),
        ("Kazakstn", "en", "Kazakhstan", "fuzzy"),
        ("Uzbekistn", "en", "Uzbekistan", "fuzzy"),
    ],
)
def test_finds_terms_however_they_are_typed(
    countries: list[str], query: str, lang: str, text: str, match: str
):
    assert (lang, text, match) in found(query)


def test_ranking_is_exact_folded_script_prefix_fuzzy(
    countries: list[str], add_concepts: Callable[..., list[str]]
):
    add_concepts(
        [
            {"terms": [{"lang": "en", "text": "Kazakhstan tenge"}]},
            {"terms": [{"lang": "en", "text": "Kazakhstani"}]},
        ]
    )
    rows = search_terms("kazakhstan", limit=100).rows
    matches = [row.match for row in rows]
    order = ["exact", "folded", "script", "prefix", "fuzzy"]
    assert matches == sorted(matches, key=order.index)
    assert matches[0] == "exact" and {"script", "prefix"} <= set(matches)
    scores = [row.score for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_identity_beats_the_loose_fold(countries: list[str]):
    """ILIK is tr ılık exactly; ilik (marrow) is a different word, only a folded match."""
    rows = found("ILIK", lang="tr")
    assert rows[:2] == [("tr", "ılık", "exact"), ("tr", "ilik", "folded")]


def test_preferred_before_proposed_within_a_level(
    countries: list[str], add_concepts: Callable[..., list[str]]
):
    add_concepts(
        [
            {"terms": [{"lang": "kk", "text": "Ұйғырлар", "status": "deprecated"}]},
            {"terms": [{"lang": "kk", "text": "Ұйғыр", "status": "preferred"}]},
        ]
    )
    statuses = [row.term.status for row in search_terms("Ұйғыр", lang="kk").rows]
    assert statuses[:2] == ["preferred", "proposed"]
    assert statuses[-1] == "deprecated"


def test_one_row_per_term(countries: list[str]):
    ids = [row.term.id for row in search_terms("Oʻzbekiston", limit=100).rows]
    assert len(ids) == len(set(ids))


def test_filters_by_language_status_and_domain(countries: list[str]):
    assert {lang for lang, _, _ in found("Qazaqstan", lang="kk")} == {"kk"}
    assert found("Türkiye", statuses=["admitted"]) == [("en", "Türkiye", "exact")]
    assert found("Türkiye", statuses=["admitted,preferred"], lang="tr") == [
        ("tr", "Türkiye", "exact")
    ]
    assert found("ilik", domain="weather") == [("tr", "ılık", "folded")]
    assert found("ilik", domain="geography") == []


def test_a_language_alias_is_resolved(countries: list[str]):
    assert {lang for lang, _, _ in found("Ўзбекистон", lang="uz@cyrillic")} == {"uz-Cyrl"}


def test_cursor_pages_through_without_gaps_or_repeats(
    search_app: Any, add_concepts: Callable[..., list[str]]
):
    add_concepts([{"terms": [{"lang": "tr", "text": f"kitap {n:02d}"}]} for n in range(25)])
    add_concepts([{"terms": [{"lang": "tr", "text": "kitap"}]}])
    everything = [row.term.id for row in search_terms("kitap", limit=100).rows]
    assert len(everything) == 26
    pages, cursor = [], None
    while True:
        page = search_terms("kitap", limit=10, cursor=cursor)
        pages.append([row.term.id for row in page.rows])
        cursor = page.next
        if cursor is None:
            break
    assert [len(p) for p in pages] == [10, 10, 6]
    assert [i for p in pages for i in p] == everything


def test_a_cursor_belongs_to_its_query(countries: list[str], add_concepts: Any):
    add_concepts([{"terms": [{"lang": "tr", "text": f"kar {n}"}]} for n in range(5)])
    cursor = search_terms("kar", limit=2).next
    assert cursor is not None
    with pytest.raises(InvalidInput, match="another query"):
        search_terms("kitap", limit=2, cursor=cursor)
    with pytest.raises(InvalidInput, match="cursor"):
        search_terms("kar", cursor="not-a-cursor")


def test_suggest_starts_at_the_second_character(countries: list[str]):
    assert suggest_terms("Q") == []
    texts = [s.text for s in suggest_terms("Qa")]
    assert "Qazaqstan" in texts
    assert "Қазақстан" in texts  # the Latin key of the Cyrillic term starts with qa
    assert [s.text for s in suggest_terms("Qa", lang="kk")] == ["Қазақстан"]


def test_suggest_shape_and_later_words(countries: list[str]):
    suggestion = suggest_terms("taban")[0]
    assert (suggestion.lang, suggestion.text) == ("tr", "veri tabanı")
    assert set(suggestion.as_dict()) == {"concept", "term", "lang", "text"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("x" * 10_000, "at most"),
        ("ab\x00c", "q"),
        ("ab\ud800", "q"),
    ],
)
def test_bad_queries_are_clear_errors(search_app: Any, query: str, message: str):
    with pytest.raises(InvalidInput, match=message):
        search_terms(query)


def test_unknown_language_and_status_are_clear_errors(search_app: Any):
    with pytest.raises(InvalidInput, match="unknown language"):
        search_terms("kitap", lang="xx-Zzzz")
    with pytest.raises(InvalidInput, match="unknown status"):
        search_terms("kitap", statuses=["approved"])


@pytest.mark.parametrize("query", ["Qazaqstan", "O'zbekiston", "ILIK", "Kazakstn"])
def test_the_backend_protocol_ranks_like_the_service(countries: list[str], query: str):
    from glossary.search import get_backend
    from glossary.search.base import SearchFilters, SearchQuery

    page = get_backend().search(SearchQuery.parse(query), SearchFilters(), 5)
    service = search_terms(query, limit=5)
    assert [(h.term_id, h.match) for h in page.hits] == [
        (row.term.id, row.match) for row in service.rows
    ]
