"""The cross-script search key: what must meet, what must not, and why (TURKIC Part 1 §4)."""

from __future__ import annotations

import pytest

from glossary.text.searchkey import loose_key, query_keys, search_key, skeleton

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

# Stored terms with their language, then queries as a user types them (no language).
MUST_MEET = {
    "Kazakhstan": [("Қазақстан", "kk"), ("Qazaqstan", "kk-Latn"), ("Kazakhstan", "en")],
    "Uzbekistan in Uzbek": [
        ("Oʻzbekiston", "uz"),
        ("O'zbekiston", "uz"),
        ("O‘zbekiston", "uz"),
        ("Ўзбекистон", "uz-Cyrl"),
    ],
    "Turkey": [("Türkiye", "tr"), ("TÜRKİYE", "tr"), ("Түркия", "ky"), ("Түркия", "kk")],
    "Uyghur": [("ئۇيغۇر", "ug"), ("Uyghur", "ug-Latn"), ("Uyghur", "en"), ("Уйғур", "kk")],
    "Kazakh Latin schemes": [
        ("Бұрыңғы", "kk"),
        ("Būryñğy", "kk-Latn"),
        ("Buryn'g'y", "kk-Latn"),
        ("Buryńǵy", "kk-Latn"),
        ("Burıñğı", "kk-Latn"),
    ],
    "Kazakh у in every scheme": [
        ("тау", "kk"),
        ("tau", "kk-Latn"),
        ("tay'", "kk-Latn"),
        ("taw", "kk-Latn"),
    ],
    "Turkmen": [("Ныязов", "tk-Cyrl"), ("Nyýazow", "tk"), ("Ниязов", "ru")],
    "Azerbaijani": [("Азәрбајҹан", "az-Cyrl"), ("Azərbaycan", "az"), ("Azarbaycan", "tr")],
    "Uyghur Latin digraph apostrophe": [("باشلانغۇچ", "ug"), ("bashlan'ghuch", "ug-Latn")],
    "Kazakh ñğ and English ng": [("Маңғыстау", "kk"), ("Mangystau", "en"), ("Мангистау", "ru")],
}


@pytest.mark.parametrize("group", MUST_MEET)
def test_stored_forms_share_one_key(group: str) -> None:
    keys = {search_key(text, lang) for text, lang in MUST_MEET[group]}
    assert len(keys) == 1, keys


@pytest.mark.parametrize("group", MUST_MEET)
def test_every_form_typed_as_a_query_finds_them(group: str) -> None:
    stored = search_key(*MUST_MEET[group][0])
    for text, _ in MUST_MEET[group]:
        assert stored in query_keys(text), text


def test_the_keys_themselves() -> None:
    assert search_key("Қазақстан", "kk") == "kazakstan"
    assert search_key("Türkiye", "tr") == "turkia"
    assert search_key("ئۇيغۇر", "ug") == "uigur"
    assert search_key("Oʻzbekiston", "uz") == "ozbakiston"


def test_kazakh_and_uzbek_names_of_uzbekistan_meet_only_at_the_loose_level() -> None:
    # Өзбекстан (kk) and Oʻzbekiston (uz) are two word forms (e/i epenthesis, a/o), not spellings.
    kazakh, uzbek = search_key("Өзбекстан", "kk"), search_key("Oʻzbekiston", "uz")
    assert (kazakh, uzbek) == ("ozbakstan", "ozbakiston")
    assert loose_key(kazakh) == loose_key(uzbek) == "ozbkstn"
    assert loose_key(search_key("Ўзбекистон", "uz-Cyrl")) == "ozbkstn"


MUST_NOT_MEET = [
    (("сор", "kk"), ("cop", "en")),  # look-alike letters, but whole tokens are never folded
    (("kar", "tr"), ("kartal", "tr")),  # the key is not a prefix match
    (("Windows 10", "en"), ("Windows 100", "en")),  # digits never collapse
]


@pytest.mark.parametrize(("one", "other"), MUST_NOT_MEET)
def test_must_not_meet(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert search_key(*one) != search_key(*other)
    assert not set(query_keys(one[0])) & set(query_keys(other[0]))


def test_an_apostrophe_keeps_two_letters_out_of_a_digraph() -> None:
    assert search_key("Is'hoq", "uz") == "ishok" != search_key("Ishoq", "uz")
    # Typed with no language, s' could also be the Kazakh 2017 letter for ш: both readings.
    assert query_keys("Is'hoq") == ["ishok", "isok"]


def test_cyrillic_сор_is_keyed_through_transliteration() -> None:
    assert search_key("сор", "kk") == "sor"
    assert query_keys("cop") == ["cop"]


def test_a_latin_letter_inside_a_cyrillic_word_is_folded() -> None:
    # Kazakh typed without і: a Latin i inside the word, and a Latin c for с.
    assert search_key("бiр", "kk") == search_key("бір", "kk") == "bir"
    assert search_key("cөз", "kk") == search_key("сөз", "kk")
    assert query_keys("Windows жүйесі")[0] == "vindovs juiasi"


SKELETON_MERGES = [
    ("İSTANBUL", "istanbul"),  # İ I ı i are all i
    ("ılık", "ilik"),
    ("şiş", "sis"),  # diacritics off
    ("ä ə e", "a a a"),  # front/back of the same height and rounding
    ("ö ü ū", "o u u"),
    ("qazaq", "kazak"),  # q x kh are k
    ("xan khan", "kan kan"),
    ("wagon", "vagon"),
    ("ğ gh", "g g"),
    ("ş sh", "s s"),
    ("ç ch", "c c"),
    ("ž zh j", "j j j"),
    ("ñ ň ŋ ng", "ng ng ng ng"),
    ("yol", "iol"),  # y is i
    ("ma'no maʼno", "mano mano"),  # apostrophes dropped
    ("Nyýazow", "niazov"),  # runs collapse
    ("e-mail, (1)", "amail 1"),  # punctuation dropped, digits kept
]


@pytest.mark.parametrize(("latin", "expected"), SKELETON_MERGES)
def test_skeleton_merges(latin: str, expected: str) -> None:
    assert skeleton(latin) == expected


def test_query_keys_tries_every_table_whose_letters_the_query_uses() -> None:
    # ў is Uzbek (oʻ) or Karakalpak (w); Uzbek ranks first.
    assert query_keys("Ўзбекистон") == ["ozbakiston", "vzbakiston"]
    # ғ/қ point to Kazakh first; every candidate table keys this word the same way.
    assert query_keys("Қазақстан") == ["kazakstan"]
    assert query_keys("ئۇيغۇر") == ["uigur"]
    assert query_keys("") == []


def test_query_keys_puts_the_given_language_first() -> None:
    assert query_keys("Ўзбекистон", "kaa")[0] == "vzbakiston"
    assert query_keys("Ўзбекистон", "uz-Cyrl") == ["ozbakiston", "vzbakiston"]


def test_query_keys_reads_an_older_kazakh_spelling_as_well() -> None:
    assert query_keys("tay'") == ["tai", "tau"]
