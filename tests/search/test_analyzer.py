"""The Turkic analysis both backends share: folding, tokens, Whoosh's analyzer, suffix chains.

These run without a database: they pin down what the index and the lookup matcher store.
"""

from __future__ import annotations

import pytest

from glossary.search.base import Candidate, SearchQuery, classify, rank
from glossary.search.lookup import Matcher
from glossary.search.whoosh_schema import loose_token, typo_variants, words_of
from glossary.text.folding import fold_for_search, identity_norm
from glossary.text.searchkey import query_keys, search_key
from glossary.text.suffixes import (
    available_languages,
    dictionary_forms,
    is_suffix_chain,
)


def analyzed(text: str) -> list[str]:
    return words_of(text)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("TÜRKİYE", "Türkiye"),
        ("İSTANBUL", "istanbul"),
        ("ISTANBUL", "İstanbul"),
        ("ILIK", "ılık"),
        ("O'zbekiston", "Oʻzbekiston"),
        ("O‘zbekiston", "Oʻzbekiston"),
        ("O`zbekiston", "Oʻzbekiston"),
        ("maʼlumot", "ma’lumot"),
        ("Kișinău", "Kişinău"),
    ],
)
def test_search_fold_makes_keyboard_variants_meet(typed: str, stored: str):
    assert fold_for_search(typed) == fold_for_search(stored)
    assert analyzed(typed) == analyzed(stored)


def test_fold_keeps_scripts_apart_in_whole_tokens():
    # Cyrillic "сор" and Latin "cop" look alike but are different words.
    assert fold_for_search("сор") != fold_for_search("cop")


def test_fold_repairs_a_latin_letter_inside_a_cyrillic_word():
    # Real catalogues type a Latin İ/i inside Kazakh Cyrillic words.
    assert fold_for_search("Бiрлiк") == fold_for_search("Бірлік")


def test_whoosh_analyzer_keeps_apostrophe_words_whole_unlike_stock_whoosh():
    from whoosh.analysis import StandardAnalyzer

    assert analyzed("Oʻzbekiston Respublikasi") == ["o'zbekiston", "respublikasi"]
    assert [t.text for t in StandardAnalyzer()("Oʻzbekiston")] != ["o'zbekiston"]


def test_whoosh_analyzer_folds_turkic_i_unlike_stock_whoosh():
    from whoosh.analysis import StandardAnalyzer

    assert analyzed("İSTANBUL") == analyzed("istanbul") == ["istanbul"]
    assert analyzed("ILIK") == analyzed("ılık")
    stock = StandardAnalyzer()
    assert [t.text for t in stock("İstanbul")] != [t.text for t in stock("istanbul")]


def test_numbers_are_not_typo_tolerant_words_are():
    # 2019 and 2018 are different things, not one thing mistyped.
    assert typo_variants("2019") == {"2019"}
    assert {"kazakhstan", "kazkhstan", "azakhstan"} <= typo_variants("kazakhstan")
    assert typo_variants("kazakhstan") & typo_variants("kazakstan")


def test_loose_tokens_are_marked_and_cost_nothing_for_numbers():
    assert loose_token("ozbakstan") == loose_token("ozbakiston") == "~ozbkstn"
    assert loose_token("2019") == "2019"


@pytest.mark.parametrize(
    ("query", "term", "lang"),
    [
        ("Qazaqstan", "Қазақстан", "kk"),
        ("Kazakhstan", "Қазақстан", "kk"),
        ("O'zbekiston", "Ўзбекистон", "uz-Cyrl"),
        ("Oʻzbekiston", "Ўзбекистон", "uz-Cyrl"),
        ("Uyghur", "ئۇيغۇر", "ug"),
        ("TÜRKİYE", "Түркия", "kk"),
        ("turkiye", "Türkiye", "tr"),  # no ü on the keyboard: the key drops diacritics
    ],
)
def test_cross_script_keys_meet(query: str, term: str, lang: str):
    assert search_key(term, lang) in query_keys(query)


def _candidate(id_: int, lang: str, text: str, status: str = "preferred") -> Candidate:
    return Candidate(
        id_,
        lang,
        text,
        identity_norm(text, lang),
        fold_for_search(text),
        search_key(text, lang),
        status,
    )


def test_identity_is_stricter_than_search():
    """tr ILIK is exactly ılık; ilik is only a folded match (a different word)."""
    query = SearchQuery.parse("ILIK")
    warm, marrow = _candidate(1, "tr", "ılık"), _candidate(2, "tr", "ilik")
    assert [hit.match for _, hit in rank(query, [marrow, warm])] == ["exact", "folded"]


def test_rank_orders_levels_then_status():
    query = SearchQuery.parse("Qazaqstan")
    found = [
        _candidate(1, "en", "Qazaqstan Temir Joly"),  # prefix
        _candidate(2, "kk", "Қазақстан"),  # script
        _candidate(3, "kk-Latn", "QAZAQSTAN"),  # exact (case only)
        _candidate(4, "en", "Qazaqstan", "deprecated"),  # exact, but deprecated
        _candidate(5, "tt-Latn", "Qazaqstan", "proposed"),  # exact, proposed
    ]
    ranked = [(cand.id, hit.match) for cand, hit in rank(query, found)]
    assert ranked == [(3, "exact"), (5, "exact"), (4, "exact"), (2, "script"), (1, "prefix")]


def test_scores_fall_with_the_level_and_stay_positive():
    query = SearchQuery.parse("Ozbekiston")
    levels = [
        classify(query, _candidate(1, "uz", "Ozbekiston")),
        classify(query, _candidate(2, "uz", "Oʻzbekiston respublikasi")),
    ]
    assert levels[0][0] < levels[1][0]
    hits = [hit for _, hit in rank(query, [_candidate(3, "uz-Cyrl", "Ўзбекистон сўм")])]
    assert hits and 0 < hits[0].score < 1


# -- suffix chains ----------------------------------------------------------------------------


def chain(stem: str, rest: str, lang: str) -> bool:
    return is_suffix_chain(fold_for_search(stem), fold_for_search(rest), lang)


def test_every_listed_language_has_suffix_data():
    assert {"tr", "kk", "ky", "uz", "az", "tt"} <= set(available_languages())


@pytest.mark.parametrize(
    ("lang", "stem", "rest"),
    [
        ("tr", "kar", "lar"),
        ("tr", "kar", "da"),
        ("tr", "kar", "'a"),
        ("tr", "kar", "larda"),
        ("tr", "Türkiye", "'nin"),
        ("tr", "ev", "lerimizde"),
        ("kk", "Қазақстан", "ның"),
        ("kk", "файл", "дар"),
        ("kk", "файл", "ды"),
        ("kk", "кітап", "тар"),
        ("ky", "китеп", "тер"),
        ("ky", "шаар", "да"),
        ("uz", "Oʻzbekiston", "da"),
        ("uz", "kitob", "lar"),
        ("az", "kitab", "lar"),
        ("az", "Azərbaycan", "da"),
        ("tt", "китап", "лар"),
        ("tt", "Казан", "да"),
    ],
)
def test_plausible_suffix_chains_are_accepted(lang: str, stem: str, rest: str):
    assert chain(stem, rest, lang)


@pytest.mark.parametrize(
    ("lang", "stem", "rest"),
    [
        ("tr", "kar", "tal"),  # kartal "eagle" is another word
        ("tr", "ev", "lar"),  # front vowel stem takes -ler, not -lar
        ("tr", "kar", "'"),
        ("kk", "файл", "xyz"),
        ("kk", "Қазақстан", "бай"),
        ("ky", "китеп", "тар"),
        ("uz", "kitob", "xona"),
        ("az", "kitab", "çı"),
        ("tt", "китап", "ханә"),
    ],
)
def test_other_word_endings_are_rejected(lang: str, stem: str, rest: str):
    assert not chain(stem, rest, lang)


def test_languages_without_suffix_data_take_whole_words_only():
    assert chain("database", "", "en")
    assert not chain("database", "s", "en")


@pytest.mark.parametrize(
    ("lang", "surface", "dictionary"),
    [
        ("tr", "kitab", "kitap"),  # p/b
        ("tr", "kanad", "kanat"),  # t/d
        ("tr", "ağac", "ağaç"),  # ç/c
        ("tr", "ayağ", "ayak"),  # k/ğ
        ("kk", "кітаб", "кітап"),  # п/б
        ("kk", "тарағ", "тарақ"),  # қ/ғ
        ("kk", "күрег", "күрек"),  # к/г
    ],
)
def test_final_consonant_alternations(lang: str, surface: str, dictionary: str):
    assert fold_for_search(dictionary) in dictionary_forms(fold_for_search(surface), lang)


def _matcher(lang: str, *terms: str) -> Matcher:
    return Matcher(lang, [(i, fold_for_search(t)) for i, t in enumerate(terms, start=1)])


def spans(matcher: Matcher, text: str) -> list[tuple[str, int]]:
    return [(text[m.start : m.end], m.term_id) for m in matcher.find(text)]


def test_matcher_finds_suffixed_forms_with_spans():
    kk = _matcher("kk", "Қазақстан", "кітап", "тарақ")
    assert spans(kk, "Қазақстанның астанасы") == [("Қазақстанның", 1)]
    assert spans(kk, "кітабы мен тарағы") == [("кітабы", 2), ("тарағы", 3)]
    tr = _matcher("tr", "Türkiye", "kar", "kitap", "ayak")
    assert spans(tr, "Türkiye'nin karlar karda kar'a kartal") == [
        ("Türkiye'nin", 1),
        ("karlar", 2),
        ("karda", 2),
        ("kar'a", 2),
    ]
    assert spans(tr, "kitabı ayağı") == [("kitabı", 3), ("ayağı", 4)]
    uz = _matcher("uz", "Oʻzbekiston")
    assert spans(uz, "O'zbekistonda yashayman") == [("O'zbekistonda", 1)]


def test_matcher_prefers_the_longest_term_and_inflects_only_the_last_word():
    tr = _matcher("tr", "veri", "veri tabanı")
    assert spans(tr, "veri tabanında veriler") == [("veri tabanında", 2), ("veriler", 1)]


def test_short_stems_match_whole_words_only():
    tr = _matcher("tr", "ev", "su")
    assert spans(tr, "ev evler su sular") == [("ev", 1), ("su", 2)]
