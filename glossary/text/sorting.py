"""Alphabetical order by each language's own alphabet, kept as data in the registry.

Kazakh puts ә after а and ғ after г, Turkish ç after c and ı before i, Uzbek ends with
oʻ gʻ sh ch ng: code point order and ``str.lower()`` get all of these wrong.

``sort_key`` turns a text into a string whose code points follow the alphabet, so plain
string comparison (in C) does the work: each alphabet letter becomes one character in a
private-use band, in alphabet order. One ``str.translate`` does it, with digraph letters
replaced first; there is no per-character Python loop.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from glossary.text.casing import casefold
from glossary.text.folding import fold_apostrophes, nfc
from glossary.text.languages import find_language

# Alphabet letter number r becomes chr(_BAND + r) (Supplementary Private Use Area-A): above
# every space, digit and punctuation mark, so "ak kuş" < "akşam" as in a dictionary.
_BAND = 0xF0000
# Letters outside the alphabet (q w x in Turkish, Latin in a Kazakh list) come after all of
# its letters, among themselves in code point order: each is prefixed with this mark.
_FOREIGN = "\U000f1000"


class _Collation(dict[int, str]):
    """An alphabet's translate table that completes itself.

    Alphabet letters map to their band characters. Any other character is worked out the
    first time it is met and remembered, so ``str.translate`` never misses (a miss costs
    CPython a KeyError per character): an accented letter the alphabet lacks sorts as its
    base letter (Turkish ``kâr`` beside ``kar``), combining marks drop out, other letters
    get the foreign mark, and everything else stays itself.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char:
            value = "".join(self[ord(part)] for part in decomposed)
        elif unicodedata.category(char) == "Mn":
            value = ""
        elif char.isalpha():
            value = _FOREIGN + char
        else:
            value = char
        self[code] = value
        return value


def _letter_form(letter: str, lang: str) -> str:
    # Alphabet and text go through the same folds, so oʻ in the data meets o' and o‘ in text.
    return fold_apostrophes(casefold(letter, lang))


@functools.lru_cache(maxsize=256)
def _alphabet(lang: str) -> tuple[_Collation, Callable[[str], str] | None] | None:
    """The translate table and the digraph replacer (None without digraphs) for ``lang``."""
    info = find_language(lang)
    if info is None or not info.alphabet:
        return None
    band = {
        _letter_form(letter, lang): chr(_BAND + rank) for rank, letter in enumerate(info.alphabet)
    }
    table = _Collation({ord(letter): mark for letter, mark in band.items() if len(letter) == 1})
    # Longest first, so the regex takes sh before s: leftmost-longest, as a reader does.
    multi = sorted((letter for letter in band if len(letter) > 1), key=len, reverse=True)
    if not multi:
        return table, None
    pattern = re.compile("|".join(map(re.escape, multi)))
    return table, functools.partial(pattern.sub, lambda match: band[match[0]])


def sort_key(text: str, lang: str) -> tuple[str, str]:
    """A key that orders texts by ``lang``'s alphabet, ignoring case (Turkic casing included).

    Letters the alphabet lacks sort after it by code point; an accented letter it lacks
    sorts as its base letter. Ties are broken by the NFC text. Languages without an
    alphabet in the registry sort by NFC + casefold.
    """
    folded = fold_apostrophes(casefold(text, lang))
    alphabet = _alphabet(lang)
    if alphabet is None:
        return folded, nfc(text)
    table, digraphs = alphabet
    if digraphs is not None:
        folded = digraphs(folded)
    return folded.translate(table), nfc(text)
