"""The cross-script search key (TURKIC Part 1 §4).

Every term gets a Latin key: Cyrillic and Arabic-script text is transliterated with its
language's table (:mod:`glossary.text.translit`), Latin text is taken as is, and both are
reduced by :func:`skeleton`, so that ``Қазақстан``, ``Qazaqstan`` and ``Kazakhstan`` all key
to ``kazakstan``. The key is a recall level: exact and same-language matches rank above it.

What the skeleton merges, and why:

- case, with İ I ı i all ``i``; diacritics off (ş s, ğ g, ö o, ü ū u, é ë e, …);
- vowels keep height and rounding but lose front/back, because Turkic vowel harmony and
  cognates across languages differ mostly there: a e ə ä → ``a``; i ı y í ï ý → ``i``
  (y is the glide the kk 2021 alphabet writes as i, and Turkmen/Kazakh y is ы);
  o ö ó → ``o``; u ü ū ú → ``u``. So Türkiye, Түркия (Türkiya) and Türkia meet as ``turkia``;
- q x kh → ``k``: kk Qazaqstan must meet en Kazakhstan, whose kh stands for Russian х, and
  uz/az/ug x is that same х. h alone stays ``h`` (Turkish h, Kazakh һ);
- w v → ``v``; gh ğ → ``g``; sh ş → ``s``; ch ç → ``c``; zh ž j → ``j``;
- ñ ň ń ŋ → ``ng``, the spelling uz, ULY and English use; with the collapse below, kk ñğ
  (Маңғыстау) and the 2017 n'g' both give ``ng`` as English Mangystau does;
- apostrophes block a digraph (ULY bashlan'ghuch is n + gh, s'h is s + h) and are then
  dropped, as is all other punctuation; runs of the same letter collapse (Nyýazow, Ниязов
  → ``niazov``).

``Өзбекстан`` (kk) and ``Oʻzbekiston`` (uz) still differ (``ozbakstan`` / ``ozbakiston``):
they are different word forms, not spellings. :func:`loose_key` is the fuzzier level where
they meet (``ozbkstn``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from glossary.text.translit import (
    SCRIPT_LETTERS,
    Table,
    available_tables,
    base_language,
    default_table,
    get_table,
    latin_scheme,
    scripts_of,
)

_CYRILLIC_FALLBACK = "und-Cyrl-Latn"
_ARABIC_FALLBACK = "ug-Arab-Latn"  # the only Arabic-script table; closest for kk-Arab, azb, …

# Look-alikes folded inside a token that mixes Cyrillic and Latin (TURKIC Part 1 §3), towards the
# token's majority script; whole tokens are never folded, so сор and cop stay apart.
_LATIN_LOOKALIKES = "AaBCcEeHhKkMOoPpTXxYyIiəƏɵ"
_CYRILLIC_LOOKALIKES = "АаВСсЕеНһКкМОоРрТХхУуІіәӘө"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES + "ҮүЈј", _LATIN_LOOKALIKES + "YyJj")
_TOKEN = re.compile(r"[^\W\d_]+")
_CYRILLIC = SCRIPT_LETTERS["Cyrl"]
_LATIN = SCRIPT_LETTERS["Latn"]
_ARABIC = SCRIPT_LETTERS["Arab"]
_NOT_LATIN = re.compile(f"{_CYRILLIC.pattern}|{_ARABIC.pattern}")

_DIGRAPHS = {"kh": "k", "gh": "g", "sh": "s", "ch": "c", "zh": "j"}
_DIGRAPH = re.compile("|".join(_DIGRAPHS))
_NOT_LETTER = re.compile(r"[^\w\s]|_")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_INNER_VOWEL = re.compile(r"\B[aiou]")


def _skeleton_map() -> dict[int, str]:
    """One translate map: lowercase Latin letter → its class; apostrophe look-alikes → '."""
    # Merges win over "diacritics off" (ž is j, not z; ñ is ng, not n).
    merges = {"q": "k", "x": "k", "w": "v", "y": "i", "e": "a", "ž": "j", "ñ": "ng", "ň": "ng"}
    merges["ń"] = "ng"
    # Letters with no decomposition to an ASCII base.
    special = {"ı": "i", "ə": "a", "ǝ": "a", "æ": "a", "ɵ": "o", "ø": "o", "ŋ": "ng", "ꞑ": "ng"}
    special |= {"ß": "ss", "đ": "d", "ł": "l", "ħ": "h", "ſ": "s"}
    special |= dict.fromkeys("ʻʼ‘’`´′ʽ‛ʹʺ", "'")
    # Passed on explicitly: str.translate is slow on characters its map lacks.
    table: dict[int, str] = {ord(c): c for c in " 0123456789-.,;:!?()'\""}
    for code in [*range(0x61, 0x7B), *range(0xDF, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if char in merges:
            table[code] = merges[char]
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base.isascii() and base.isalpha() and char.lower() == char:
            table[code] = merges.get(base, base)
    for char, value in special.items():
        table[ord(char)] = "".join(merges.get(c, c) for c in value)
    return table


_SKELETON = _skeleton_map()


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def skeleton(latin_text: str) -> str:
    """Reduce Latin text to the coarse key (see the module docstring for every merge)."""
    # str.lower turns İ into i + U+0307; the mark goes with the punctuation below.
    text = _nfc(latin_text).lower().translate(_SKELETON)
    if "h" in text:  # every digraph ends in h
        text = _DIGRAPH.sub(_digraph, text)
    return _collapse(" ".join(_NOT_LETTER.sub("", text).split()))


def _digraph(match: re.Match[str]) -> str:
    return _DIGRAPHS[match.group()]


def _collapse(text: str) -> str:
    # The search is a cheap scan; a substitution with a backreference is not, and most keys
    # have no doubled letter.
    return _REPEATS.sub(_first, text) if _REPEATS.search(text) else text


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def loose_key(key: str) -> str:
    """A fuzzier level over a key: vowels after a word's first letter are dropped.

    ``loose_key('ozbakstan') == loose_key('ozbakiston') == 'ozbkstn'``. Much noisier than the
    key itself (``bal`` and ``bel`` meet), so only for a last-resort search level.
    """
    return _collapse(_INNER_VOWEL.sub("", key))


def _fold_token(match: re.Match[str]) -> str:
    token = match.group()
    cyrillic = len(_CYRILLIC.findall(token))
    latin = len(_LATIN.findall(token))
    if not cyrillic or not latin:
        return token
    return token.translate(_TO_CYRILLIC if cyrillic >= latin else _TO_LATIN)


def _prepare(text: str) -> tuple[str, set[str]]:
    """NFC, mixed-token look-alikes folded, and the scripts left in the text."""
    text = _nfc(text)
    if not _NOT_LATIN.search(text):  # most terms: one scan instead of three
        return text, {"Latn"}
    scripts = scripts_of(text)
    if "Cyrl" in scripts and "Latn" in scripts:
        text = _TOKEN.sub(_fold_token, text)
        scripts = scripts_of(text)
    return text, scripts


@cache
def _key_table(lang: str, script: str) -> Table:
    name = default_table(lang, script, "Latn")
    return get_table(name or (_CYRILLIC_FALLBACK if script == "Cyrl" else _ARABIC_FALLBACK))


def _to_latin(text: str, scripts: set[str], cyrillic: Table, arabic: Table) -> str:
    if "Cyrl" in scripts:
        text = cyrillic.convert(text, keep_case=False)
        if cyrillic.name != _CYRILLIC_FALLBACK and _CYRILLIC.search(text):
            # Letters the language's own table lacks (a Russian щ in a kk term, a typo).
            text = get_table(_CYRILLIC_FALLBACK).convert(text, keep_case=False)
    if "Arab" in scripts:
        text = arabic.convert(text, keep_case=False)
    return text


def _recognised_key(text: str, scheme: str) -> str:
    """Key of Latin text written in an older romanisation: read back to Cyrillic, re-key."""
    table = get_table(scheme)
    cyrillic = table.convert(text, keep_case=False)
    return skeleton(_key_table(table.lang, "Cyrl").convert(cyrillic, keep_case=False))


def search_key(text: str, lang: str) -> str:
    """The Latin search key of a stored term ``text`` in language ``lang`` (a BCP 47 tag).

    Latin text is keyed as is, except that kk Latin in an older romanisation (2017
    apostrophes, 2018 acutes, MediaWiki kk-latn) is first read back through Cyrillic.
    """
    text, scripts = _prepare(text)
    base = base_language(lang)
    if scripts <= {"Latn"}:
        scheme = latin_scheme(text, base)
        return _recognised_key(text, scheme) if scheme else skeleton(text)
    return skeleton(_to_latin(text, scripts, _key_table(base, "Cyrl"), _key_table(base, "Arab")))


@cache
def _key_tables(script: str) -> tuple[Table, ...]:
    """The tables that key ``script`` text into Latin, by rank (``key_rank`` in the data)."""
    tables = [get_table(name) for name in available_tables()]
    tables = [
        t
        for t in tables
        if t.default
        and t.key_rank is not None
        and (t.source_script, t.target_script) == (script, "Latn")
    ]
    return tuple(sorted(tables, key=lambda t: (t.key_rank or 0, t.name)))


@cache
def _candidates(script: str, letters: frozenset[str]) -> tuple[Table, ...]:
    """Tables able to read ``letters``, most likely first; the best partial fits if none can."""
    tables = _key_tables(script)
    covering = [t for t in tables if letters <= t.source_letters]
    if covering:
        return tuple(covering)
    best = max(len(letters & t.source_letters) for t in tables)
    return tuple(t for t in tables if len(letters & t.source_letters) == best)


def _letters(text: str, pattern: re.Pattern[str]) -> frozenset[str]:
    return frozenset(pattern.findall(text.lower()))


def query_keys(text: str, lang: str | None = None) -> list[str]:
    """The distinct keys of a search query, most likely first.

    A query carries no language unless given: its Cyrillic is keyed with every table whose
    letters it uses (ў/ғ/қ → uz, kk; ә/ң/ө → kk, tt, ba …; plain Russian letters → all),
    its Arabic script with the Uyghur table, and Latin is taken as is and, where it shows an
    older kk romanisation, also read back through Cyrillic. A given ``lang`` keys first.
    """
    keys = [search_key(text, lang)] if lang else []
    text, scripts = _prepare(text)
    if scripts <= {"Latn"}:
        keys.append(skeleton(text))
        scheme = latin_scheme(text)
        if scheme:
            keys.append(_recognised_key(text, scheme))
    else:
        cyrillic = _candidates("Cyrl", _letters(text, _CYRILLIC)) if "Cyrl" in scripts else ()
        arabic = _candidates("Arab", _letters(text, _ARABIC)) if "Arab" in scripts else ()
        fallback = get_table(_CYRILLIC_FALLBACK)
        for cyr in cyrillic or (fallback,):
            for arab in arabic or (get_table(_ARABIC_FALLBACK),):
                keys.append(skeleton(_to_latin(text, scripts, cyr, arab)))
    return [key for key in dict.fromkeys(keys) if key]
