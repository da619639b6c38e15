"""Transliteration between the scripts of Turkic languages, driven by data tables.

Each table is one JSON file in ``data/translit/`` named after the table (``kk-Cyrl-Latn``). Fields:

- ``lang``, ``source_script``, ``target_script``; ``default: true`` marks the table that
  :func:`to_script` and the search key use for that language and pair of scripts.
- ``map``: lowercase source letters (one or more characters) to lowercase output. Longer keys
  win, so digraphs such as crh ``къ`` beat ``к``.
- ``rules``: context overrides, tried before ``map`` for the same key, each
  ``{"from", "to", "after": [...], "before": [...]}``. A context is ``start`` (no letter before),
  ``end`` (no letter after) or the name of a set of letters in ``classes``; the rule applies
  when one ``after`` and one ``before`` context hold.
- ``fold_apostrophes``: read every apostrophe look-alike (ʻ ʼ ‘ ’ ` ´) as ``'`` first.
- ``source_case`` / ``target_case``: ``"turkic"`` when I/ı and İ/i are case pairs;
  ``target_upper`` overrides single capitals (Karakalpak ``ı`` → ``Í``).
- ``chain``: a list of table names applied in turn, instead of ``map``.
- ``markers`` and ``recognise_order`` (recognition tables only): a regular expression that
  identifies text written in that older romanisation (see :func:`latin_scheme`).
- ``title``, ``sources``, ``notes``: where the letters come from and what is simplified.

Case is restored from the source: a capital stays Title case (``Ш`` → ``Sh``) unless its
neighbours are capitals too (``ШАР`` → ``SHAR``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

TABLE_DIR = Path(__file__).parent / "data" / "translit"

# Apostrophe look-alikes (TURKIC Part 2 §5); tables that ask for it read them all as ASCII '.
APOSTROPHES = "ʻʼ‘’`´′ʽ‛"
# Characters every text has: str.translate is much slower on a character its map lacks
# (CPython raises and clears a LookupError for each), so the maps pass these on explicitly.
_COMMON = " 0123456789-.,;:!?()'\""

# The letters of each script, for telling which tables a text needs.
SCRIPT_LETTERS = {
    "Arab": re.compile(
        "[\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
        "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
    ),
    "Cyrl": re.compile("[\u0400-\u0481\u048a-\u052f\u1c80-\u1c88\ua640-\ua66e\ua680-\ua69d]"),
    "Latn": re.compile(
        "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1d00-\u1d7f"
        "\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a]"
    ),
}

_TURKIC_UPPER = {"i": "İ", "ı": "I"}
_SUBTAG_SEPARATOR = re.compile(r"[-_@.]")


def scripts_of(text: str) -> set[str]:
    """The scripts (``Cyrl``, ``Latn``, ``Arab``) whose letters occur in ``text``."""
    return {script for script, letters in SCRIPT_LETTERS.items() if letters.search(text)}


@dataclass(frozen=True, slots=True)
class Table:
    """One compiled table; build it with :func:`get_table`, never per call."""

    name: str
    lang: str
    source_script: str
    target_script: str
    default: bool
    key_rank: int | None
    recognise_order: int | None
    markers: re.Pattern[str] | None
    chain: tuple[str, ...]
    source_letters: frozenset[str]  # every letter the keys use: which texts this table can read
    fold: tuple[tuple[str, str], ...]  # replacements made before str.lower (İ, I, apostrophes)
    upper: dict[str, str]  # capitals that str.upper gets wrong for this alphabet (i → İ)
    values: dict[str, str]  # the map
    rule_values: tuple[str, ...]  # output of rule n, matched by the regex group "r<n>"
    context_rx: re.Pattern[str] | None  # rules and multi-letter keys only
    any_rx: re.Pattern[str] | None  # every key, for the case-keeping path
    singles: dict[int, str]  # str.translate map of the single-letter keys

    def lower(self, text: str) -> str:
        """Lowercase the way this table's keys are written; keeps every index in place."""
        for char, replacement in self.fold:
            if char in text:  # a C-level scan; far cheaper than str.translate with a dict
                text = text.replace(char, replacement)
        return text.lower()

    def convert(self, text: str, keep_case: bool = True) -> str:
        """Transliterate ``text``; with ``keep_case=False`` the result is lowercase (faster)."""
        if self.chain:
            for name in self.chain:
                text = get_table(name).convert(text, keep_case)
            return text
        lowered = self.lower(text)
        if not keep_case:
            # Multi-letter and context keys by regex, then single letters in one C-level pass;
            # _compile checks that no output letter is itself a single-letter key.
            if self.context_rx is not None:
                lowered = self.context_rx.sub(self._value, lowered)
            return lowered.translate(self.singles)
        return self._convert_cased(text, lowered)

    def _value(self, match: re.Match[str]) -> str:
        group = match.lastgroup
        return self.rule_values[int(group[1:])] if group else self.values[match.group()]

    def _convert_cased(self, text: str, lowered: str) -> str:
        assert self.any_rx is not None
        out: list[str] = []
        pos = 0
        for match in self.any_rx.finditer(lowered):
            start, end = match.span()
            out.append(text[pos:start])
            value = self._value(match)
            if value and text[start:end] != lowered[start:end]:
                value = self._recase(value, text, start, end)
            out.append(value)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def _recase(self, value: str, text: str, start: int, end: int) -> str:
        source = text[start:end]
        cased = [c for c in source if c.lower() != c.upper()]
        if not cased or not cased[0].isupper():
            return value
        all_caps = all(c.isupper() for c in cased)
        if all_caps and len(cased) == 1:
            # One capital letter: UPPER inside an all-caps word (ШАР → SHAR), else Title (Шар).
            after = text[end : end + 1]
            before = text[start - 1 : start] if start else ""
            neighbour = after if after.isalpha() else before
            all_caps = neighbour.isalpha() and neighbour.isupper()
        if all_caps:
            return "".join(self.upper.get(c) or c.upper() for c in value)
        for i, char in enumerate(value):
            if char.lower() != char.upper():
                return value[:i] + (self.upper.get(char) or char.upper()) + value[i + 1 :]
        return value


def _context(names: list[str], classes: dict[str, str], table: str, key: str | None) -> str:
    """Lookbehinds placed after ``key`` (what precedes it), or lookaheads if ``key`` is None."""
    alternatives = []
    for name in names:
        if name in classes:
            letters = "".join(re.escape(c) for c in classes[name])
            alternatives.append(f"(?=[{letters}])" if key is None else f"(?<=[{letters}]{key})")
        elif key is None and name == "end":
            alternatives.append(r"(?![^\W\d_])")
        elif key is not None and name == "start":
            # Not after a letter, nor inside a word after an apostrophe (ULY mes'ul) or a mark.
            alternatives.append(rf"(?<![^\W\d_]{key})(?<!['\u0300-\u036f]{key})")
        else:
            raise ValueError(f"{table}: unknown context {name!r}")
    return "(?:" + "|".join(alternatives) + ")" if alternatives else ""


def _key_patterns(data: dict, values: dict[str, str]) -> tuple[list[str], list[str]]:
    """Regex alternatives for the rules and the multi-letter keys, and the rules' outputs.

    Longest key first and, for equal lengths, rules (in file order) before plain keys: the
    regex takes the first alternative that matches, so this order is "longest match, context
    first". Each rule starts with its literal key and checks what precedes it with a
    lookbehind placed after the key, so the engine can skip to positions where a key letter
    occurs instead of testing lookbehinds everywhere.
    """
    name, classes = data["name"], data.get("classes", {})
    ranked: list[tuple[int, int, int, str]] = []
    outputs = []
    for i, rule in enumerate(data.get("rules", [])):
        key = re.escape(rule["from"])
        pattern = (
            key
            + _context(rule.get("after", []), classes, name, key)
            + _context(rule.get("before", []), classes, name, None)
        )
        ranked.append((-len(rule["from"]), 0, i, f"(?P<r{i}>{pattern})"))
        outputs.append(rule["to"])
    ranked += [(-len(k), 1, i, re.escape(k)) for i, k in enumerate(values) if len(k) > 1]
    return [pattern for *_, pattern in sorted(ranked)], outputs


def _compile(data: dict) -> Table:
    name = data["name"]
    fold = {"İ": "i", "I": "ı" if data.get("source_case") == "turkic" else "i"}
    if data.get("fold_apostrophes"):
        fold.update(dict.fromkeys(APOSTROPHES, "'"))
    values: dict[str, str] = dict(data.get("map", {}))
    if not values and not data.get("chain"):
        raise ValueError(f"{name}: a table needs a 'map' or a 'chain'")
    for key in values:
        if not key or key != key.translate(str.maketrans(fold)).lower():
            raise ValueError(f"{name}: map key {key!r} must be non-empty and lowercase")
    patterns, rule_values = _key_patterns(data, values)
    singles = {ord(k): v for k, v in values.items() if len(k) == 1}
    outputs = set("".join(values.values()) + "".join(rule_values))
    if clash := outputs & {chr(c) for c in singles}:
        raise ValueError(f"{name}: output letters {sorted(clash)} are also single-letter keys")
    single_class = "".join(re.escape(chr(c)) for c in sorted(singles))
    every_key = patterns + ([f"[{single_class}]"] if singles else [])
    upper = dict(_TURKIC_UPPER) if data.get("target_case") == "turkic" else {}
    upper.update(data.get("target_upper", {}))
    markers = data.get("markers")
    return Table(
        name=name,
        lang=data["lang"],
        source_script=data["source_script"],
        target_script=data["target_script"],
        default=bool(data.get("default")),
        key_rank=data.get("key_rank"),
        recognise_order=data.get("recognise_order"),
        markers=re.compile(markers) if markers else None,
        chain=tuple(data.get("chain", ())),
        source_letters=frozenset(c for key in values for c in key if c.isalpha()),
        fold=tuple(fold.items()),
        upper=upper,
        values=values,
        rule_values=tuple(rule_values),
        context_rx=re.compile("|".join(patterns)) if patterns else None,
        any_rx=re.compile("|".join(every_key)) if every_key else None,
        singles={ord(c): c for c in _COMMON} | singles,
    )


@cache
def _table_names() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in TABLE_DIR.glob("*.json")))


def available_tables() -> list[str]:
    """Names of all transliteration tables, sorted."""
    return list(_table_names())


@cache
def get_table(name: str) -> Table:
    """The compiled table ``name``; loaded and compiled once per process."""
    path = TABLE_DIR / f"{name}.json"
    if name not in _table_names():
        raise KeyError(f"unknown transliteration table {name!r}; see available_tables()")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise ValueError(f"{path.name}: 'name' must be {name!r}")
    return _compile(data)


def transliterate(text: str, table_name: str) -> str:
    """Transliterate ``text`` with the table ``table_name``, keeping Title/UPPER case."""
    return get_table(table_name).convert(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=4096)
def base_language(lang: str) -> str:
    """The primary language subtag: ``kk-Latn`` → ``kk``, ``uz_UZ@cyrillic`` → ``uz``."""
    return _SUBTAG_SEPARATOR.split(lang.strip(), maxsplit=1)[0].lower()


@cache
def _defaults() -> dict[tuple[str, str, str], str]:
    found: dict[tuple[str, str, str], str] = {}
    for name in available_tables():
        table = get_table(name)
        if table.default:
            found[(table.lang, table.source_script, table.target_script)] = name
    return found


def default_table(lang: str, source_script: str, target_script: str) -> str | None:
    """The name of the default table of ``lang`` between two scripts, or ``None``."""
    return _defaults().get((base_language(lang), source_script, target_script))


@cache
def _recognisers(lang: str) -> tuple[Table, ...]:
    found = [get_table(n) for n in available_tables()]
    found = [t for t in found if t.markers is not None and (not lang or t.lang == lang)]
    return tuple(sorted(found, key=lambda t: (t.recognise_order or 0, t.name)))


def latin_scheme(text: str, lang: str | None = None) -> str | None:
    """The recognition table whose markers ``text`` shows (e.g. a kk 2017 apostrophe spelling).

    Returns ``None`` for text in the language's current Latin alphabet, which needs no reading.
    With no ``lang``, every language's recognition tables are tried.
    """
    for table in _recognisers(base_language(lang) if lang else ""):
        if table.markers is not None and table.markers.search(table.lower(text)):
            return table.name
    return None


def _pick(lang: str, source: str, target: str, text: str) -> str | None:
    if source == "Latn" and target == "Cyrl":
        scheme = latin_scheme(text, lang)
        if scheme is not None:
            return scheme
    return default_table(lang, source, target)


def to_script(text: str, lang: str, target_script: str) -> str | None:
    """``text`` shown in ``target_script`` with ``lang``'s tables, or ``None`` if it has none.

    Text already in the target script comes back unchanged; letters of other scripts pass
    through (``Windows жүйесі`` → ``Windows jüiesı``).
    """
    text = unicodedata.normalize("NFC", text)
    convert: list[Callable[[str], str]] = []
    for source in sorted(scripts_of(text) - {target_script}):
        name = _pick(base_language(lang), source, target_script, text)
        if name is None:
            return None
        convert.append(get_table(name).convert)
    for step in convert:
        text = step(text)
    return text
