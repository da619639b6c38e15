"""Cleaning, term identity, the loose search fold, and tokens."""

from __future__ import annotations

import re
import unicodedata

import pytest

from glossary.text.folding import (
    Token,
    clean_text,
    fold_apostrophes,
    fold_for_search,
    identity_norm,
    nfc,
    tokenize,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

# ʻ U+02BB, ' U+0027, ‘ U+2018, ’ U+2019, ʼ U+02BC, ` U+0060 (TURKIC.md Part 1 §3)
UZBEK_O = ["oʻ", "o'", "o‘", "o’", "oʼ", "o`"]


# --- nfc and clean_text ------------------------------------------------------------------


def test_nfc_composes():
    assert nfc("s\u0327") == "ş"
    assert nfc("I\u0307") == "İ"
    assert nfc("i\u0307") == "i\u0307"  # no precomposed form exists


def test_clean_text_trims_collapses_and_composes():
    assert clean_text("  Salam\u00a0\t dünya\n ") == "Salam dünya"
    assert clean_text(unicodedata.normalize("NFD", "Şişli  Köprüsü")) == "Şişli Köprüsü"
    assert clean_text("\u2028a\u3000b\x85c") == "a b c"
    assert clean_text("   ") == ""


def test_clean_text_drops_invisible_format_marks():
    assert clean_text("\ufeffкітап") == "кітап"  # a spreadsheet's BOM
    assert clean_text("data\u00adbase") == "database"  # soft hyphen
    assert clean_text("\u202bئۇيغۇر\u202c") == "ئۇيغۇر"  # bidi embedding
    assert clean_text("zero\u200bwidth") == "zerowidth"


def test_clean_text_keeps_zwnj_which_is_spelling_in_arabic_script():
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x07b", "a\x1bb", "a\x1fb", "a\x7fb", "a\x9bb"])
def test_clean_text_refuses_control_characters(bad: str):
    code = f"U+{ord(bad[1]):04X}"
    with pytest.raises(ValueError, match=re.escape(f"control character {code} at position 1")):
        clean_text(bad)


def test_clean_text_refuses_lone_surrogates():
    undecodable = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    with pytest.raises(ValueError, match=re.escape("lone surrogate U+DCE9 at position 3")):
        clean_text(undecodable)


# --- identity_norm ----------------------------------------------------------------------


def test_turkish_identity_keeps_dotted_and_dotless_i_apart():
    assert identity_norm("ılık", "tr") != identity_norm("ilik", "tr")
    assert identity_norm("ILIK", "tr") == identity_norm("ılık", "tr")
    assert identity_norm("İSTANBUL", "tr") == identity_norm("istanbul", "tr")
    assert identity_norm("DİYARBAKIR", "tr") == identity_norm("diyarbakır", "tr")


def test_identity_is_nfc():
    assert identity_norm(unicodedata.normalize("NFD", "Şeker"), "tr") == "şeker"


def test_kazakh_identity_is_plain_casefold():
    assert identity_norm("ДЕРЕКҚОР", "kk") == identity_norm("дерекқор", "kk") == "дерекқор"
    assert identity_norm("Іс", "kk") == "іс"


def test_identity_is_stricter_than_search():
    assert identity_norm("ılık", "tr") != identity_norm("ilik", "tr")
    assert fold_for_search("ılık") == fold_for_search("ilik")


# --- fold_for_search --------------------------------------------------------------------


def test_python_casefold_alone_misses_turkish():
    assert "İSTANBUL".casefold() != "istanbul"
    assert fold_for_search("İSTANBUL") == "istanbul"


@pytest.mark.parametrize("text", ["İSTANBUL", "ISTANBUL", "istanbul", "ıstanbul", "I\u0307stanbul"])
def test_all_four_turkic_is_meet(text: str):
    assert fold_for_search(text) == "istanbul"


def test_turkish_examples():
    assert fold_for_search("DİYARBAKIR") == fold_for_search("diyarbakır") == "diyarbakir"
    assert fold_for_search("ILIK") == fold_for_search("ılık") == fold_for_search("ilik")
    assert fold_for_search("i\u0307stanbul") == "istanbul"  # str.lower('İ') residue


def test_every_apostrophe_look_alike_meets():
    folded = {fold_for_search(o + "zbekiston") for o in UZBEK_O}
    assert folded == {"o'zbekiston"}
    assert {fold_for_search(g + "alaba") for g in ["Gʻ", "G'", "G‘", "G’", "Gʼ", "G`"]} == {
        "g'alaba"
    }
    assert fold_apostrophes("maʼno oʻrta") == "ma'no o'rta"


@pytest.mark.parametrize(("cedilla", "comma"), [("ş", "ș"), ("Ş", "Ș"), ("ţ", "ț"), ("Ţ", "Ț")])
def test_cedilla_and_comma_below_meet(cedilla: str, comma: str):
    assert fold_for_search(f"a{cedilla}a") == fold_for_search(f"a{comma}a")


def test_gagauz_and_romanian_keyboard_spellings_meet():
    assert fold_for_search("Țara Găgăuzească") == fold_for_search("ţara găgăuzească")
    assert fold_for_search("ŞİŞLİ") == fold_for_search("șișli") == "şişli"


def test_uly_e_acute_and_diaeresis_meet():
    assert fold_for_search("Uyghur Latin Yéziqi") == fold_for_search("UYGHUR LATIN YËZIQI")


def test_turned_e_meets_schwa():
    assert fold_for_search("Azǝrbaycan") == fold_for_search("AZƏRBAYCAN") == "azərbaycan"


def test_arabic_script_look_alikes_meet():
    uyghur = "كىتاب"  # kaf U+0643, alef maksura U+0649
    persian_keyboard = "کیتاب"  # keheh U+06A9, Farsi yeh U+06CC
    assert fold_for_search(uyghur) == fold_for_search(persian_keyboard)
    assert fold_for_search("ئۇيغۇرچە") == fold_for_search("ئۇيغۇرچه")  # ae vs heh
    assert fold_for_search("ھۆكۈمەت") == fold_for_search("هۆكۈمەت")  # heh doachashmee vs heh
    assert fold_for_search("قازاقـشا") == fold_for_search("قازاقشا")  # kashida


def test_arabic_script_distinct_letters_stay_apart():
    assert fold_for_search("ئۆي") != fold_for_search("ئۈي")
    assert fold_for_search("ق") != fold_for_search("ك")


def test_whole_tokens_in_another_script_never_meet():
    assert fold_for_search("сор") != fold_for_search("cop")
    assert fold_for_search("сор") == "сор"
    assert fold_for_search("cop") == "cop"
    assert fold_for_search("Қазақстан") != fold_for_search("Qazaqstan")


def test_latin_letters_inside_a_cyrillic_word_become_cyrillic():
    latin_i = "бiлiм"  # Latin i U+0069 in a Kazakh word
    assert latin_i != "білім"
    assert fold_for_search(latin_i) == fold_for_search("білім") == "білім"
    assert fold_for_search("İс") == fold_for_search("Іс")  # Latin İ into a Cyrillic word
    assert fold_for_search("Kазақ") == fold_for_search("Казақ") == "казақ"  # Latin K


def test_the_majority_script_of_a_token_wins():
    # Three Latin letters, two Cyrillic: the token is read as Latin; з and қ have no Latin
    # look-alike, so they stay and the token stays mixed.
    assert fold_for_search("Kaзaқ") == "kaзaқ"


def test_cyrillic_letters_inside_a_latin_word_become_latin():
    cyrillic_schwa = "Azәrbaycan"  # Cyrillic ә U+04D9 in an Azerbaijani word
    assert fold_for_search(cyrillic_schwa) == fold_for_search("Azərbaycan")
    assert fold_for_search("Tүrkiye") == fold_for_search("Tyrkiye")


def test_mixed_script_fold_is_per_token():
    assert fold_for_search("бiлiм cop") == "білім cop"
    assert fold_for_search("сор білім") == "сор білім"


def test_fold_collapses_whitespace_and_is_idempotent():
    text = "  Oʻzbekiston\tRESPUBLIKASI \n İSTANBUL  бiлiм "
    once = fold_for_search(text)
    assert once == "o'zbekiston respublikasi istanbul білім"
    assert fold_for_search(once) == once


def test_fold_is_nfc():
    assert fold_for_search(unicodedata.normalize("NFD", "Şeker Ğ Ö Ü")) == "şeker ğ ö ü"
    assert unicodedata.is_normalized("NFC", fold_for_search("ΐ STRASSE"))


def test_fold_drops_invisible_marks():
    assert fold_for_search("\ufeffdata\u00adbase") == "database"


# --- tokenize ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def test_tokens_keep_inner_apostrophes():
    assert _words("Türkiye'nin başkenti") == ["Türkiye'nin", "başkenti"]
    assert _words("oʻzbek tili, O'zbekiston va O‘zbekiston") == [
        "oʻzbek", "tili", "O'zbekiston", "va", "O‘zbekiston"
    ]  # fmt: skip
    assert _words("maʼno") == ["maʼno"]


def test_edge_apostrophes_and_quotes_are_not_part_of_a_word():
    assert _words("‘kitap’ 'su'") == ["kitap", "su"]
    assert _words("Türkiye' ") == ["Türkiye"]


def test_hyphens_split_and_digits_are_tokens():
    assert _words("qırım-tatar 2023-yil 5 kitap") == ["qırım", "tatar", "2023", "yil", "5", "kitap"]
    assert _words("2023'te") == ["2023'te"]


def test_token_offsets_point_into_the_original_string():
    text = "  Қазақ тілі — oʻzbek, ئۇيغۇرچە!"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["Қазақ", "тілі", "oʻzbek", "ئۇيغۇرچە"]
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert tokens[0] == Token("Қазақ", 2, 7)


def test_tokens_keep_combining_marks_of_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "şeker çay")
    assert [nfc(t.text) for t in tokenize(decomposed)] == ["şeker", "çay"]


def test_tokenize_empty():
    assert tokenize("") == []
    assert tokenize(" — , ") == []


@pytest.mark.parametrize("variant", ["o'zbek", "o‘zbek", "o’zbek", "oʼzbek", "o`zbek"])
def test_identity_treats_apostrophe_lookalikes_as_one_term(variant):
    assert identity_norm(variant, "uz") == identity_norm("oʻzbek", "uz")
