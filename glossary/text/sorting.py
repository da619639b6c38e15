"""Alphabetical order by each language's own alphabet, kept as data in the registry.

Kazakh puts ә after а and ғ after г, Turkish ç after c and ı before i, Uzbek ends with
oʻ gʻ sh ch ng: code point order and ``str.lower()`` get all of these wrong.

``sort_key`` turns a text into a string whose code points follow the alphabet, so plain
string comparison (in C) does the work: each alphabet letter becomes one character in a
private-use band, in alphabet order. Everything is done with ``translate`` and regex
substitution; there is no per-character Python loop.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from glossary.text.casing import casefold
from glossary.text.folding import fold_apostrophes, nfc
from glossary.text.languages import find_language

# Alphabet letter number r becomes chr(_BAND + r) (Supplementary Private Use Area-A): above
# every space, digit and punctuation mark, so "ak kuş" < "akşam" as in a dictionary.
_BAND = 0xF0000
# Letters outside the alphabet (q w x in Turkish, Latin in a Kazakh list) come after all of
# its letters, among themselves in code point order: each is prefixed with this mark.
_FOREIGN = "\U000f1000"
_LETTER = re.compile(r"[^\W\d_]")  # private-use band characters are not \w, so never matched
_COMBINING = re.compile(r"[\u0300-\u036f]")


@dataclass(frozen=True, slots=True)
class _Alphabet:
    letters: dict[int, str]  # single-character letter → its band character
    digraphs: Callable[[str], str] | None  # replaces digraph letters (sh, oʻ, дь) by theirs


def _letter_form(letter: str, lang: str) -> str:
    # Alphabet and text go through the same folds, so oʻ in the data meets o' and o‘ in text.
    return fold_apostrophes(casefold(letter, lang))


@functools.lru_cache(maxsize=256)
def _alphabet(lang: str) -> _Alphabet | None:
    info = find_language(lang)
    if info is None or not info.alphabet:
        return None
    band = {
        _letter_form(letter, lang): chr(_BAND + rank) for rank, letter in enumerate(info.alphabet)
    }
    letters = {ord(letter): mark for letter, mark in band.items() if len(letter) == 1}
    multi = sorted((letter for letter in band if len(letter) > 1), key=len, reverse=True)
    digraphs = None
    if multi:
        pattern = re.compile("|".join(map(re.escape, multi)))
        digraphs = functools.partial(pattern.sub, lambda match: band[match[0]])
    return _Alphabet(letters, digraphs)


def sort_key(text: str, lang: str) -> tuple[str, str]:
    """A key that orders texts by ``lang``'s alphabet, ignoring case (Turkic casing included).

    Letters the alphabet lacks sort after it by code point; an accented letter it lacks
    sorts as its base letter (Turkish ``kâr`` beside ``kar``). Ties are broken by the NFC text.
    Languages without an alphabet in the registry sort by NFC + casefold.
    """
    folded = fold_apostrophes(casefold(text, lang))
    alphabet = _alphabet(lang)
    if alphabet is None:
        return folded, nfc(text)
    if alphabet.digraphs is not None:
        folded = alphabet.digraphs(folded)
    primary = folded.translate(alphabet.letters)
    # Decompose what is left outside the alphabet (â → a + ◌̂), drop the accents, map again.
    primary = _COMBINING.sub("", unicodedata.normalize("NFD", primary)).translate(alphabet.letters)
    return _LETTER.sub(_FOREIGN + r"\g<0>", primary), nfc(text)
