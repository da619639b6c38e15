"""Sorting by each language's own alphabet (TURKIC.md Part 1 §7)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from glossary.text.sorting import sort_key

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def _words(text: str) -> list[str]:
    return text.split()


def _sorted(words: list[str], lang: str) -> list[str]:
    shuffled = words[:]
    random.Random(1).shuffle(shuffled)  # the input order must not matter
    return sorted(shuffled, key=lambda word: sort_key(word, lang))


def test_turkish_alphabet_order():
    expected = _words(
        "ağaç ağır cam Çay çiçek dağ ılık Isparta ilik İstanbul oda öğretmen ÖRDEK su şeker "
        "un ütü zeytin"
    )
    assert _sorted(expected, "tr") == expected


def test_code_point_order_would_be_wrong_for_turkish():
    words = _words("çiçek cam zeytin ılık ilik")
    assert sorted(words) == _words("cam ilik zeytin çiçek ılık")
    assert _sorted(words, "tr") == _words("cam çiçek ılık ilik zeytin")


def test_turkish_capital_i_sorts_with_dotless_i():
    # ISPARTA is ısparta in Turkish, so it sorts among the ı words, before every i word.
    assert _sorted(_words("ilik ISPARTA ılık"), "tr") == _words("ılık ISPARTA ilik")
    # In English the same capital I is plain i.
    assert _sorted(_words("isparta ISPARTA ink"), "en") == _words("ink ISPARTA isparta")


def test_turkish_circumflex_sorts_beside_its_base_letter():
    assert _sorted(_words("kar kâr kas hâlâ hala"), "tr") == _words("hala hâlâ kar kâr kas")


def test_letters_outside_the_alphabet_come_after_it_by_code_point():
    # q, w and x are not Turkish letters.
    words = _words("zeytin Washington Quebec Xerox ağaç")
    assert _sorted(words, "tr") == _words("ağaç zeytin Quebec Washington Xerox")


def test_kazakh_alphabet_order():
    expected = _words(
        "ағаш әке бала ғылым дерекқор кітап қала нан ңғ орын өзен тіл ұлт үй ыдыс іні эра ядро"
    )
    assert _sorted(expected, "kk") == expected


def test_kazakh_latin_words_in_a_cyrillic_list_sort_after_it():
    assert _sorted(_words("iPhone ядро ағаш"), "kk") == _words("ағаш ядро iPhone")


def test_uzbek_digraph_letters_sort_at_the_end_of_the_alphabet():
    # oʻ gʻ sh ch ng are letters after z, in that order: olma < zebra < oʻrdak.
    expected = _words("gul olma ota sabzi zebra oʻrdak gʻisht shahar choy")
    assert _sorted(expected, "uz") == expected


def test_uzbek_tutuq_belgisi_is_the_last_letter():
    assert _sorted(_words("maʼno mato mana"), "uz") == _words("mana mato maʼno")


def test_uzbek_apostrophe_variants_sort_as_the_same_letter():
    variants = _words("oʻrdak o'rdak o‘rdak o’rdak oʼrdak o`rdak")
    keys = {sort_key(word, "uz")[0] for word in variants}
    assert len(keys) == 1
    assert _sorted(_words("o'rdak zebra olma"), "uz") == _words("olma zebra o'rdak")


def test_uzbek_cyrillic_order():
    expected = _words("бола олма шаҳар юлдуз ўрдак қалам ғишт ҳаво")
    assert _sorted(expected, "uz-Cyrl") == expected


def test_azerbaijani_order():
    # ə after e, x after h, q after k.
    expected = _words("ev əl hava xalq kitab qələm lalə")
    assert _sorted(expected, "az") == expected


def test_turkmen_order():
    # ä after e, ž after j, ý after y.
    expected = _words("ene äpet jaý žurnal ýyl")
    assert _sorted(_words("ýyl žurnal äpet jaý ene"), "tk") == expected


def test_sakha_digraph_letters():
    # дь and нь are letters after д and ҥ.
    assert _sorted(_words("дьиэ дуо ньир ноҕо ҥ"), "sah") == _words("дуо дьиэ ноҕо ҥ ньир")


def test_kyrgyz_and_tatar_order():
    assert _sorted(_words("үй уул өрдөк оюн ңа нан"), "ky") == _words("нан ңа оюн өрдөк уул үй")
    assert _sorted(_words("җир жыр әни ана һава хат"), "tt") == _words("ана әни жыр җир хат һава")


def test_sorting_ignores_case():
    assert _sorted(_words("Бала ағаш ӘКЕ"), "kk") == _words("ағаш ӘКЕ Бала")
    assert _sorted(_words("ZEYTİN Ağaç çay"), "tr") == _words("Ağaç çay ZEYTİN")


def test_case_variants_have_a_stable_order():
    assert sort_key("Ak", "tr")[0] == sort_key("ak", "tr")[0]
    assert _sorted(_words("ak Ak AK"), "tr") == _words("AK Ak ak")


def test_prefixes_and_spaces_sort_first():
    assert _sorted(["akşam", "ak", "ak kuş"], "tr") == ["ak", "ak kuş", "akşam"]


@pytest.mark.parametrize("lang", ["krc", "de-DE", "xx"])
def test_languages_without_an_alphabet_sort_by_casefold(lang: str):
    assert sort_key("STRASSE", lang)[0] == "strasse"
    assert _sorted(_words("b A c"), lang) == _words("A b c")


def test_aliases_find_the_alphabet():
    assert sort_key("çay", "tr_TR") == sort_key("çay", "tr")
    assert _sorted(["zeytin", "çay"], "tur") == ["çay", "zeytin"]


def test_uyghur_vowel_initial_words_sort_together_by_their_vowel():
    words = _words("يول بالا ئۇيغۇر ئەل ئانا قول")
    assert _sorted(words, "ug") == _words("ئانا ئەل ئۇيغۇر بالا قول يول")


def test_another_script_in_a_list_sorts_after_the_alphabet():
    assert _sorted(_words("Қазақ zeytin ağaç"), "tr") == _words("ağaç zeytin Қазақ")


def test_decomposed_input_sorts_like_composed():
    decomposed = unicodedata.normalize("NFD", "çiçek")
    assert sort_key(decomposed, "tr")[0] == sort_key("çiçek", "tr")[0]
    assert _sorted([decomposed, "cam", "dağ"], "tr") == ["cam", decomposed, "dağ"]
