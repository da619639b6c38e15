"""Property-based tests of the Turkic text core: folding, NFC, transliteration, keys, suffixes."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from glossary.text.folding import clean_text, fold_for_search, identity_norm, nfc
from glossary.text.searchkey import loose_key, search_key
from glossary.text.suffixes import (
    available_languages,
    dictionary_forms,
    grammar,
    is_suffix_chain,
)
from glossary.text.translit import (
    SCRIPT_LETTERS,
    available_tables,
    default_table,
    get_table,
    to_script,
    transliterate,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

TURKIC_LETTERS = (
    "abcçdefgğhıijklmnoöprsştuüvyzəqxñäwáéíóúýžňŋ'ʻʼ"
    "ABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZƏQXÑÄW"
    "абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяәўҳҷҗҹјҝ"
    "АБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯӘЎҲ"
    "ئابپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىي"
)
# Real-looking words, plus the whole of Unicode for what users paste (controls excluded:
# clean_text refuses them, and terms never hold them).
turkic_text = st.text(alphabet=TURKIC_LETTERS + " -.", max_size=40)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
texts = st.one_of(turkic_text, any_text)
LANGS = ["kk", "tr", "az", "uz", "tt", "ky", "tk", "crh", "ug", "ba", "kaa", "en", "kk-Latn"]


@given(texts)
def test_search_folding_is_idempotent_and_nfc(text: str):
    folded = fold_for_search(text)
    assert fold_for_search(folded) == folded
    assert unicodedata.is_normalized("NFC", folded)
    assert folded == folded.strip() and "  " not in folded


@given(texts, st.sampled_from(LANGS))
def test_identity_norm_is_idempotent_and_nfc(text: str, lang: str):
    norm = identity_norm(text, lang)
    assert identity_norm(norm, lang) == norm
    assert unicodedata.is_normalized("NFC", norm)


@given(texts)
def test_clean_text_is_a_fixed_point_in_nfc(text: str):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert nfc(cleaned) == cleaned
    # Folding does not care whether it saw the raw or the stored form.
    assert fold_for_search(cleaned) == fold_for_search(" ".join(nfc(cleaned).split()))


@given(texts)
def test_nfc_and_nfd_spellings_fold_alike(text: str):
    decomposed = unicodedata.normalize("NFD", text)
    assert fold_for_search(decomposed) == fold_for_search(text)


# -- transliteration ----------------------------------------------------------------------------
# The pairs whose round trip TURKIC.md promises and tests/text/test_translit.py checks on
# sentences: any reordering of those words must round-trip too (the tables are contextual,
# so this exercises word starts and ends in new neighbourhoods).
ROUND_TRIP_WORDS = {
    ("uz-Cyrl-Latn", "uz-Latn-Cyrl"): ["Ўзбекистон", "маъно", "Ғафур", "Эргаш", "йўл", "Тошкент"],
    ("az-Cyrl-Latn", "az-Latn-Cyrl"): ["Азәрбајҹан", "әлифбасы", "Илһам", "Бакы"],
    ("tk-Cyrl-Latn", "tk-Latn-Cyrl"): ["Ныязов", "Теҗен", "Чаршаңңы", "Ер"],
    ("tt-Cyrl-Latn", "tt-Latn-Cyrl"): [
        "Казан",
        "балык",
        "ачкыч",
        "китап",
        "чия",
        "дөя",
        "җырлау",
        "давыл",
        "яңак",
    ],
    ("crh-Cyrl-Latn", "crh-Latn-Cyrl"): ["Къырым", "Акъмесджит", "къырымтатарджа"],
    ("kaa-Cyrl-Latn", "kaa-Latn-Cyrl"): ["Қарақалпақстан", "Нөкис", "Ырыс"],
    ("ug-Cyrl-Latn", "ug-Latn-Cyrl"): ["Уйғур", "Қәшқәр"],
}


@pytest.mark.parametrize(("there", "back"), list(ROUND_TRIP_WORDS))
@given(data=st.data())
def test_promised_round_trips_hold_for_any_word_order(there: str, back: str, data):
    words = data.draw(st.lists(st.sampled_from(ROUND_TRIP_WORDS[(there, back)]), max_size=8))
    separators = data.draw(st.lists(st.sampled_from([" ", ", ", " - ", ". "]), min_size=8))
    text = "".join(w + s for w, s in zip(words, separators, strict=False)).strip()
    assert transliterate(transliterate(text, there), back) == text


def _source_alphabet(name: str) -> str:
    table = get_table(name)
    letters = "".join(sorted(c for c in table.source_letters if len(c) == 1))
    return letters + letters.upper()


CYRILLIC_TO_LATIN = [
    name
    for name in available_tables()
    if get_table(name).source_script == "Cyrl" and get_table(name).target_script == "Latn"
]


@pytest.mark.parametrize("name", CYRILLIC_TO_LATIN)
@given(data=st.data())
def test_cyrillic_to_latin_tables_leave_no_letter_of_their_alphabet(name: str, data):
    text = data.draw(st.text(alphabet=_source_alphabet(name) + " ", max_size=30))
    assert not SCRIPT_LETTERS["Cyrl"].search(transliterate(text, name))


@given(
    st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzəqxñ ABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ", max_size=30)
)
def test_text_already_in_the_target_script_comes_back_unchanged(text: str):
    for lang in ("kk", "uz", "az", "tt", "tk"):
        assert default_table(lang, "Cyrl", "Latn") is not None
        assert to_script(text, lang, "Latn") == nfc(text)


# -- search keys ----------------------------------------------------------------------------------
_KEY_SHAPE = re.compile(r"^(?:[^\W_]+(?: [^\W_]+)*)?$")


@given(texts, st.sampled_from(LANGS))
def test_search_keys_are_lowercase_latin_skeletons(text: str, lang: str):
    key = search_key(text, lang)
    assert _KEY_SHAPE.match(key), key
    assert key == key.lower()
    if set(text) <= set(TURKIC_LETTERS + " -."):
        # Turkic Cyrillic always becomes Latin (letters of other languages, such as
        # Macedonian ѐ, may pass through: no table has them).
        assert not SCRIPT_LETTERS["Cyrl"].search(key)
    # Not "a key is its own skeleton": an apostrophe blocks a digraph (s'h) and is then
    # dropped, so a key may hold "sh" that a second skeleton would merge.
    assert not re.search(r"([^\W\d_])\1", key)  # runs of one letter collapsed
    assert len(loose_key(key)) <= len(key)


@given(turkic_text, st.sampled_from(LANGS))
def test_search_key_ignores_nfc_and_surrounding_space(text: str, lang: str):
    key = search_key(text, lang)
    assert search_key(unicodedata.normalize("NFD", text), lang) == key
    assert search_key(f"  {text} ", lang) == key


# -- suffixes -----------------------------------------------------------------------------------
SUFFIX_LANGS = available_languages()


@pytest.mark.parametrize("lang", SUFFIX_LANGS)
@given(data=st.data())
def test_dictionary_forms_are_never_longer_than_the_surface(lang: str, data):
    g = grammar(lang)
    assert g is not None
    alphabet = "".join(sorted(set(g.vowels) | {c for a in g.alternations for c in a[0]}))
    surface = data.draw(st.text(alphabet=alphabet + "'", min_size=1, max_size=12))
    for form in dictionary_forms(surface, lang):
        assert 0 < len(form) <= len(surface)
        assert form != surface or any(e == b for e, b in g.alternations)


@pytest.mark.parametrize("lang", SUFFIX_LANGS)
@given(stem=st.text(min_size=1, max_size=10), rest=st.text(max_size=12))
def test_suffix_chains_accept_nothing_and_never_fail(lang: str, stem: str, rest: str):
    assert is_suffix_chain(stem, "", lang)
    assume(rest)
    assert is_suffix_chain(stem, rest, lang) in (True, False)
