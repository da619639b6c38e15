"""Language-aware case mapping: Turkic dotted/dotless I where the registry says so.

Python's ``str.lower()`` maps I→i and İ→i + U+0307 (TURKIC.md Part 2 §3.3), which is wrong
for tr, az, crh-Latn, gag, tt-Latn and kk-Latn. Those languages get the SpecialCasing ``tr``
rules here; every other language gets plain Unicode case mapping. Results are always NFC.
"""

from __future__ import annotations

import re
import unicodedata

from glossary.text.languages import find_language

# A lowercased İ from a non-Turkic tool: meaningless in Turkic text, so repaired to i.
_I_WITH_COMBINING_DOT = "i\u0307"
# A word starts at the text's start or after whitespace or a hyphen; an apostrophe does not
# start one (Türkiye'nin, oʻzbek), unlike str.title(). Leading punctuation is skipped over.
_WORD_START = re.compile(
    r"(?<![^\s\-\u2010\u2011\u2013\u2014])[^\w\s\-\u2010\u2011\u2013\u2014]*\w"
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def uses_turkic_casing(lang: str) -> bool:
    """Whether ``lang`` (a registry tag, or anything resolve_tag reads) has I↔ı, İ↔i pairs."""
    info = find_language(lang)
    return info is not None and info.casing == "turkic"


def _turkic_prepared(text: str) -> str:
    # NFC first: it turns I + U+0307 into İ, which the callers then map.
    text = _nfc(text)
    if "\u0307" in text:
        text = text.replace(_I_WITH_COMBINING_DOT, "i")
    return text


# The Turkic pairs are mapped before str.lower/upper/casefold, which then never see I, İ or i.
# Two str.replace calls beat str.translate here: they run in C and cost nothing when absent.
def _turkic_lowered_i(text: str) -> str:
    return _turkic_prepared(text).replace("İ", "i").replace("I", "ı")


def lower(text: str, lang: str) -> str:
    """Lower-case ``text`` by ``lang``'s rules (tr: ISPARTA → ısparta; en: → isparta)."""
    if uses_turkic_casing(lang):
        return _nfc(_turkic_lowered_i(text).lower())
    return _nfc(_nfc(text).lower())


def upper(text: str, lang: str) -> str:
    """Upper-case ``text`` by ``lang``'s rules (tr: istanbul → İSTANBUL; en: → ISTANBUL)."""
    if uses_turkic_casing(lang):
        return _nfc(_turkic_prepared(text).replace("i", "İ").upper())
    return _nfc(_nfc(text).upper())


def casefold(text: str, lang: str) -> str:
    """Caseless form for comparison: Turkic folding (I→ı, İ→i) or Unicode full casefold."""
    if uses_turkic_casing(lang):
        return _nfc(_turkic_lowered_i(text).casefold())
    return _nfc(_nfc(text).casefold())


def _title_first(match: re.Match[str], turkic: bool) -> str:
    word_start = match[0]
    first = word_start[-1]
    # str.title() on one character gives its titlecase form (ǆ → ǅ, ß → Ss).
    titled = "İ" if turkic and first == "i" else first.title()
    return word_start[:-1] + titled


def title(text: str, lang: str) -> str:
    """Upper-case the first letter of each word and lower-case the rest (tr: istanbul → İstanbul).

    Unlike ``str.title()``, an apostrophe inside a word does not start a new one:
    ``türkiye'nin`` → ``Türkiye'nin``, ``oʻzbekiston`` → ``Oʻzbekiston``.
    """
    turkic = uses_turkic_casing(lang)
    lowered = lower(text, lang)
    return _nfc(_WORD_START.sub(lambda match: _title_first(match, turkic), lowered))
