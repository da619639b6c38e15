"""Case mapping: the Turkic dotted/dotless I where the registry says so, Unicode elsewhere."""

from __future__ import annotations

import unicodedata

import pytest

from glossary.text.casing import casefold, lower, title, upper, uses_turkic_casing

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

TURKIC = ["tr", "az", "crh-Latn", "gag", "tt-Latn", "kk-Latn"]
NOT_TURKIC = ["en", "uz", "tk", "kaa", "ug-Latn", "kk", "ru", "de-DE"]
COMBINING_DOT = "\u0307"


def test_python_gets_turkish_wrong_which_is_why_this_module_exists():
    assert "İSTANBUL".lower() == "i" + COMBINING_DOT + "stanbul"
    assert "ILIK".casefold() != "ılık".casefold()


@pytest.mark.parametrize("lang", TURKIC)
@pytest.mark.parametrize(
    ("upper_text", "lower_text"),
    [("İSTANBUL", "istanbul"), ("ILIK", "ılık"), ("DİYARBAKIR", "diyarbakır"),
     ("ISPARTA", "ısparta"), ("IĞDIR", "ığdır"), ("İĞNE", "iğne")],
)  # fmt: skip
def test_turkic_lower_and_upper_round_trip(lang: str, upper_text: str, lower_text: str):
    assert lower(upper_text, lang) == lower_text
    assert upper(lower_text, lang) == upper_text


def test_isparta_depends_on_the_language():
    assert lower("ISPARTA", "tr") == "ısparta"
    assert lower("ISPARTA", "en") == "isparta"
    assert lower("ISPARTA", "uz") == "isparta"


@pytest.mark.parametrize("lang", TURKIC)
def test_i_uppercases_to_dotted_capital_in_turkic_languages(lang: str):
    assert upper("i", lang) == "İ"
    assert upper("ı", lang) == "I"
    assert lower("I", lang) == "ı"
    assert lower("İ", lang) == "i"


@pytest.mark.parametrize("lang", NOT_TURKIC)
def test_other_languages_use_plain_unicode(lang: str):
    assert upper("i", lang) == "I"
    assert lower("I", lang) == "i"
    assert upper("ı", lang) == "I"  # the same in both systems


def test_plain_unicode_keeps_the_dot_of_a_capital_i_with_dot():
    # Unicode's own lowercase of İ outside tr/az; Turkic languages never produce it.
    assert lower("İ", "en") == "i" + COMBINING_DOT


@pytest.mark.parametrize("lang", TURKIC)
def test_turkic_results_never_contain_a_combining_dot(lang: str):
    for text in ["İSTANBUL", "I\u0307STANBUL", "i\u0307stanbul", "Diyarbakır"]:
        for result in (lower(text, lang), upper(text, lang), title(text, lang)):
            assert COMBINING_DOT not in result, (text, result)


def test_decomposed_input_gives_nfc_output():
    decomposed = unicodedata.normalize("NFD", "ŞİŞLİ ÇÖĞÜŞ")
    assert lower(decomposed, "tr") == "şişli çöğüş"
    assert upper(unicodedata.normalize("NFD", "şişli"), "tr") == "ŞİŞLİ"
    assert lower(unicodedata.normalize("NFD", "ÄÖÜ"), "en") == "äöü"
    assert unicodedata.is_normalized("NFC", lower(decomposed, "en"))


def test_cyrillic_casing_is_unaffected():
    assert lower("ҚАЗАҚСТАН", "kk") == "қазақстан"
    assert upper("өзбекстан", "uz-Cyrl") == "ӨЗБЕКСТАН"
    assert lower("ҖӘЙ", "tt") == "җәй"
    assert lower("АЗӘРБАЈҸАН", "az-Cyrl") == "азәрбајҹан"


def test_aliases_of_turkic_languages_get_turkic_casing():
    assert uses_turkic_casing("tr_TR")
    assert uses_turkic_casing("crh")  # bare crh is crh-Latn
    assert uses_turkic_casing("tt_RU@iqtelif")
    assert uses_turkic_casing("az-Latn-AZ")
    assert not uses_turkic_casing("tt")
    assert not uses_turkic_casing("crh-Cyrl")
    assert not uses_turkic_casing("not a tag")
    assert lower("ILIK", "tr-TR") == "ılık"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("istanbul", "tr", "İstanbul"),
        ("ısparta", "tr", "Isparta"),
        ("İSTANBUL BOĞAZI", "tr", "İstanbul Boğazı"),
        ("ISPARTA", "en", "Isparta"),
        ("türkiye'nin başkenti", "tr", "Türkiye'nin Başkenti"),
        ("oʻzbekiston respublikasi", "uz", "Oʻzbekiston Respublikasi"),
        ("O'ZBEKISTON", "uz", "O'zbekiston"),
        ("qırım-tatar", "crh-Latn", "Qırım-Tatar"),
        ("«istanbul»", "tr", "«İstanbul»"),
        ("ҚАЗАҚ ТІЛІ", "kk", "Қазақ Тілі"),
        ("", "tr", ""),
    ],
)
def test_title(text: str, lang: str, expected: str):
    assert title(text, lang) == expected


def test_title_differs_from_str_title_on_apostrophes():
    assert "türkiye'nin".title() == "Türkiye'Nin"
    assert title("türkiye'nin", "tr") == "Türkiye'nin"


@pytest.mark.parametrize(
    ("a", "b"),
    [("İSTANBUL", "istanbul"), ("ILIK", "ılık"), ("DİYARBAKIR", "diyarbakır"), ("Iğdır", "IĞDIR")],
)
def test_turkish_casefold_equates_case_variants(a: str, b: str):
    assert casefold(a, "tr") == casefold(b, "tr")


def test_turkish_casefold_keeps_dotted_and_dotless_apart():
    assert casefold("ılık", "tr") != casefold("ilik", "tr")
    assert casefold("ILIK", "tr") != casefold("İLİK", "tr")


def test_default_casefold_is_full_unicode_folding():
    assert casefold("STRASSE", "en") == casefold("straße", "en")
    assert casefold("ҚАЗАҚ", "kk") == "қазақ"
