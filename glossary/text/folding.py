"""Normalisation of term text: cleaning, identity, the loose search fold, and tokens.

Three strengths, strictest first (TURKIC.md Part 1 §3):
- ``clean_text``: what is stored. NFC, whitespace collapsed, invisible format marks dropped.
- ``identity_norm``: what makes two terms the same term. NFC + the language's own case
  folding, so Turkish ``ılık`` and ``ilik`` stay different words.
- ``fold_for_search``: what a query meets. Language-independent and deliberately loose.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from glossary.text.casing import casefold
from glossary.text.languages import SCRIPT_LETTERS

# ʻ U+02BB ‘ U+2018 ' U+0027 ` U+0060 ’ U+2019 ʼ U+02BC are the look-alikes TURKIC.md lists for
# Uzbek oʻ/gʻ and the tutuq belgisi; ´ ′ ʽ ‛ are further marks of the same shape that
# keyboards without ʻ produce. Search meets all of them as U+0027.
APOSTROPHES = "ʻ‘'`’ʼ´′ʽ‛"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")

# Format characters with no meaning in a stored term: soft hyphen, zero-width space, the
# bidi marks/embeddings/isolates (Tamyr sets dir= itself) and the BOM a spreadsheet leaves in
# its first cell. ZWJ/ZWNJ stay: they are orthographic in Arabic-script text.
_INVISIBLE = "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_INVISIBLE_MARK = re.compile(f"[{_INVISIBLE}]")
# C0/C1 controls other than the whitespace ones (TAB LF VT FF CR, NEL), and lone surrogates
# (what surrogateescape leaves of undecodable bytes). U+001C–U+001F count as whitespace for
# str.split() but are data separators, never text, so they are refused too.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


class _CharMap:
    """Replaces the characters of a small map in one C regex scan.

    Faster than ``str.translate`` on non-ASCII text, where CPython raises (and clears) a
    KeyError for every character the table leaves alone; text without any of the
    characters, the usual case, costs only the scan.
    """

    def __init__(self, mapping: dict[str, str]) -> None:
        self._pattern = re.compile("[" + "".join(map(re.escape, mapping)) + "]")
        self._replace = lambda match: mapping[match[0]]

    def __call__(self, text: str) -> str:
        return self._pattern.sub(self._replace, text)


# The loose fold, applied after NFC and before casefold (so İ is mapped before casefold
# can turn it into i + U+0307):
_SEARCH_MAP = _CharMap(
    {
        **dict.fromkeys(APOSTROPHES, "'"),
        # The four Turkic i's meet (I itself casefolds to i).
        "İ": "i",
        "ı": "i",
        # Comma below (Romanian/Moldovan keyboards, Gagauz in practice) meets the cedilla.
        "ș": "ş",
        "Ș": "ş",
        "ț": "ţ",
        "Ț": "ţ",
        # ULY writes the same letter é or ë; ǝ (turned e) stands in for ə.
        "ë": "é",
        "Ë": "é",
        "ǝ": "ə",
        "Ǝ": "ə",
        # Arabic script (TURKIC.md Part 2 §5). Persian keyboards give keheh and Farsi yeh;
        # Uyghur writes kaf U+0643 and yeh U+064A / alef maksura U+0649. Farsi yeh has no
        # dots when final, so it can stand for either ي or ى: all three meet.
        "ک": "ك",
        "ی": "ي",
        "ى": "ي",
        # Heh U+0647 is typed for both Uyghur ae ە U+06D5 and heh doachashmee ھ U+06BE
        # (CLDR's own ug exemplar writes ئه with U+0647). Its shape does not say which, so all
        # three meet; exact matches still rank above folded ones.
        "ه": "ە",
        "ھ": "ە",
        # Invisible marks and the kashida, which only stretch or join letters.
        **dict.fromkeys("\u0640\u200c\u200d" + _INVISIBLE, ""),
    }
)

# Cyrillic/Latin pairs that look the same (ICU SpoofChecker, TURKIC.md Part 2 §5), used only
# inside a token that mixes the two scripts, to turn the minority script into the majority
# one. Pairs are read column by column (а/a, е/e …); where a letter has two look-alikes,
# the first pair listed wins that direction (Latin y → Cyrillic у, not ү).
_CONFUSABLES = [
    pair
    for cyrillic, latin in (
        ("аеорсуүхііјһәөҫԛԝѕёӧӓӱ", "aeopcyyxiıjhəɵçqwsëöäÿ"),
        ("АВЕКМНОРСТХҮУІІЈӘӨҪԚԜЅЁӦӒ", "ABEKMHOPCTXYYIİJƏƟÇQWSËÖÄ"),
    )
    for pair in zip(cyrillic, latin, strict=True)
]
_TO_CYRILLIC = str.maketrans({lat: cyr for cyr, lat in reversed(_CONFUSABLES)})
_TO_LATIN = str.maketrans({cyr: lat for cyr, lat in reversed(_CONFUSABLES)})
_CYRILLIC_LETTER = SCRIPT_LETTERS["Cyrl"]
_LATIN_LETTER = SCRIPT_LETTERS["Latn"]

# A token: letters, digits and combining marks, with apostrophes allowed between them
# (oʻzbek, Türkiye'nin, O'zbekiston); hyphens and everything else separate tokens.
# Runs of letters, each run followed by its marks, keep the regex fast (one iteration per run).
_WORD = (
    r"(?:[^\W_]+[\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u200c\u200d]*)+"
)
_TOKEN = re.compile(rf"{_WORD}(?:[{APOSTROPHES}]{_WORD})*")


class Token(NamedTuple):
    """A word or number and its character offsets into the original string."""

    text: str
    start: int
    end: int


def nfc(text: str) -> str:
    """Unicode NFC (precomposed ş, ğ, İ …), the form every stored text is in."""
    return unicodedata.normalize("NFC", text)


def fold_apostrophes(text: str) -> str:
    """Every apostrophe look-alike (ʻ ‘ ` ’ ʼ …) as U+0027."""
    return _APOSTROPHE.sub("'", text)


def _refuse_controls(text: str) -> None:
    bad = _FORBIDDEN.search(text)
    if bad is None:
        return
    char, where = bad[0], bad.start()
    if "\ud800" <= char <= "\udfff":
        raise ValueError(
            f"text has a lone surrogate U+{ord(char):04X} at position {where}: "
            "the input was not valid UTF-8/UTF-16 and must be decoded strictly"
        )
    raise ValueError(
        f"text has the control character U+{ord(char):04X} at position {where}; "
        "control characters are not allowed in terms"
    )


def clean_text(text: str) -> str:
    """The stored form of a term: NFC, trimmed, inner whitespace runs as one space.

    Invisible format marks (soft hyphen, ZWSP, bidi controls, BOM) are dropped; other
    control characters and lone surrogates raise ValueError.
    """
    _refuse_controls(text)
    return " ".join(nfc(_INVISIBLE_MARK.sub("", text)).split())


def identity_norm(text: str, lang: str) -> str:
    """A term's identity within its language: NFC + the language's own case folding.

    tr: ``ILIK`` = ``ılık`` ≠ ``ilik``, ``İSTANBUL`` = ``istanbul``; kk: Unicode casefold.
    Apostrophe look-alikes are one: ``oʻzbek`` typed as ``o'zbek`` is the same term, not a
    second one beside it (TURKIC.md Part 2 §5: there is no official rule on which to use).
    """
    return fold_apostrophes(casefold(text, lang))


def _mixed_script_token(match: re.Match[str]) -> str:
    token = match[0]
    cyrillic = len(_CYRILLIC_LETTER.findall(token))
    latin = len(_LATIN_LETTER.findall(token))
    if not (cyrillic and latin):
        return token
    # The minority script is the stray one (a Latin İ typed into a Kazakh word). On a tie,
    # Cyrillic wins: Latin letters slipping into Cyrillic text is the commoner accident.
    return token.translate(_TO_CYRILLIC if cyrillic >= latin else _TO_LATIN)


def _unmix_scripts(text: str) -> str:
    if _CYRILLIC_LETTER.search(text) and _LATIN_LETTER.search(text):
        return _TOKEN.sub(_mixed_script_token, text)
    return text


def fold_for_search(text: str) -> str:
    """The loose, language-independent search form of ``text`` (TURKIC.md Part 1 §3).

    NFC; confusable letters unified inside tokens that mix Cyrillic and Latin (never across
    whole tokens: Cyrillic ``сор`` ≠ Latin ``cop``); İ I ı i → i; apostrophe look-alikes → ';
    ş/ș, ţ/ț, é/ë and Arabic-script look-alikes unified; casefolded; whitespace collapsed.
    """
    folded = _SEARCH_MAP(_unmix_scripts(nfc(text))).casefold()
    # casefold can decompose (ΐ), and Farsi yeh + hamza above recomposes to ئ only now.
    # Unmixed again once lowercase: some capitals have no look-alike of their own (Һ, while
    # һ/h pair), so "AAҺ" is only recognised as Latin once it reads "aaһ" (found by fuzzing).
    folded = _unmix_scripts(nfc(folded))
    if "\u0307" in folded:
        folded = folded.replace("i\u0307", "i")  # a lowercased İ from a non-Turkic tool
    return " ".join(folded.split())


def tokenize(text: str) -> list[Token]:
    """Words (keeping inner apostrophes) and numbers, with offsets into ``text``."""
    return [Token(m[0], m.start(), m.end()) for m in _TOKEN.finditer(text)]


def word_texts(text: str) -> list[str]:
    """The texts of :func:`tokenize`'s tokens, without their offsets."""
    return _TOKEN.findall(text)
