"""Turkic suffix chains, as data: may ``rest`` follow ``stem`` as a chain of inflections?

Sentence lookup (TURKIC.md Part 1 §6) finds a term at a word start and must then decide whether
the remainder is a suffix chain of the language (``kar`` + ``larda``) or the rest of another
word (``kar`` + ``tal``). One JSON file per language in ``data/suffixes/`` describes:

- ``slots``: suffix positions in order (plural, possessive, case, copula); a chain takes at
  most one suffix from each slot, left to right, and may skip any.
- suffix templates: lowercase letters are literal; an uppercase letter is an *archiphoneme*
  whose letter depends on what precedes it; ``(…)`` is a buffer used only where it avoids a
  vowel or consonant clash: ``(y)A`` is ``ya`` after a vowel, ``a`` after a consonant, and
  ``(I)m`` is ``m`` after a vowel, ``ım`` after a consonant.
- ``archiphonemes``: ordered rules ``{"after": …, "vowel": …, "then": …}``; the first rule whose
  ``after`` (the preceding letter) and ``vowel`` (the last vowel so far) hold gives the letter
  (or letters). A condition is a class name from ``classes``, ``vowel``, or literal letters.
- ``alternations``: a stem's final consonant as it appears before a vowel-initial suffix
  (``b`` for ``p``: kitap → kitabı); the matcher uses them to find the dictionary form.

Matching runs on :func:`fold_for_search` text, where Turkish ı and i are one letter: the rules
are written on real letters and, at load time, every folded letter stands for all the letters
that fold to it, so a folded ``i`` takes both ``a`` and ``e`` harmony.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from glossary.text.folding import fold_for_search

MIN_STEM = 3  # shorter stems match whole words only (TURKIC.md Part 1 §6)
_DATA = "data/suffixes"
_APOSTROPHE = "'"  # fold_for_search turns every look-alike into U+0027


@dataclass(frozen=True, slots=True)
class _Rule:
    after: frozenset[str] | None  # None: any preceding letter
    vowel: frozenset[str] | None
    then: tuple[str, ...]


@dataclass(frozen=True)
class Grammar:
    """One language's suffix data, compiled; see the module docstring."""

    lang: str
    vowels: frozenset[str]
    unfold: dict[str, frozenset[str]]  # folded letter -> the real letters it stands for
    rules: dict[str, tuple[_Rule, ...]]
    alternations: tuple[tuple[str, str], ...]  # (surface ending, dictionary ending)
    slots: tuple[tuple[str, ...], ...]


def _letters(spec: str, classes: dict[str, str], vowels: str) -> frozenset[str]:
    if spec == "vowel":
        return frozenset(vowels)
    return frozenset(classes.get(spec, spec))


def _compile(data: dict) -> Grammar:
    vowels, classes = data["vowels"], data.get("classes", {})
    rules: dict[str, tuple[_Rule, ...]] = {}
    for name, entries in data.get("archiphonemes", {}).items():
        if not (len(name) == 1 and name.isupper()):
            raise ValueError(f"{data['lang']}: archiphoneme {name!r} must be one capital letter")
        rules[name] = tuple(
            _Rule(
                _letters(e["after"], classes, vowels) if "after" in e else None,
                _letters(e["vowel"], classes, vowels) if "vowel" in e else None,
                tuple([e["then"]] if isinstance(e["then"], str) else e["then"]),
            )
            for e in entries
        )
    unfold: dict[str, set[str]] = {}
    for letter in data["alphabet"] + vowels:
        unfold.setdefault(fold_for_search(letter), set()).add(letter)
    slots = tuple(tuple(slot["suffixes"]) for slot in data["slots"])
    for template in (t for slot in slots for t in slot):
        for char in template:
            if char.isupper() and char not in rules:
                raise ValueError(f"{data['lang']}: {template!r} uses undefined {char!r}")
    return Grammar(
        lang=data["lang"],
        vowels=frozenset(fold_for_search(v) for v in vowels),
        unfold={k: frozenset(v) for k, v in unfold.items()},
        rules=rules,
        alternations=tuple(
            (fold_for_search(surface), fold_for_search(base))
            for surface, base in data.get("alternations", {}).items()
        ),
        slots=slots,
    )


@cache
def grammar(lang: str) -> Grammar | None:
    """The suffix grammar of ``lang`` (a registry tag), or None if Tamyr has none."""
    name = f"{lang}.json"
    folder = resources.files(__package__).joinpath(_DATA)
    if not folder.joinpath(name).is_file():
        return None
    return _compile(json.loads(folder.joinpath(name).read_text(encoding="utf-8")))


def available_languages() -> list[str]:
    folder = resources.files(__package__).joinpath(_DATA)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


# -- realising templates ----------------------------------------------------------------------

# What a suffix's shape depends on: the last letter so far and the last vowel so far.
Context = tuple[str, str]


def _context(text: str, g: Grammar, before: Context = ("", "")) -> Context:
    last, vowel = before
    for char in text:
        last = char
        if char in g.vowels:
            vowel = char
    return last, vowel


def _realise_letter(name: str, context: Context, g: Grammar) -> set[str]:
    last, vowel = context
    results: set[str] = set()
    # A folded letter stands for every real letter folding to it: take each reading.
    for real_last in g.unfold.get(last, {last}):
        for real_vowel in g.unfold.get(vowel, {vowel}):
            for rule in g.rules[name]:
                if (rule.after is None or real_last in rule.after) and (
                    rule.vowel is None or real_vowel in rule.vowel
                ):
                    results.update(fold_for_search(letter) for letter in rule.then)
                    break
    return results


def _starts_with_vowel(template: str, g: Grammar) -> bool:
    first = template[0]
    if first.isupper():
        return all(
            letter in g.vowels
            for rule in g.rules[first]
            for letter in map(fold_for_search, rule.then)
        )
    return fold_for_search(first) in g.vowels


def _parse(template: str) -> list[tuple[str, bool]]:
    """Segments of a template: (text, optional)."""
    segments: list[tuple[str, bool]] = []
    rest = template
    while rest:
        if rest[0] == "(":
            close = rest.index(")")
            segments.append((rest[1:close], True))
            rest = rest[close + 1 :]
        else:
            cut = rest.find("(")
            cut = len(rest) if cut < 0 else cut
            segments.append((rest[:cut], False))
            rest = rest[cut:]
    return segments


@lru_cache(maxsize=65536)
def realise(lang: str, template: str, context: Context) -> frozenset[str]:
    """Every folded form ``template`` takes after ``context`` in ``lang``."""
    g = grammar(lang)
    assert g is not None
    forms: set[tuple[str, Context]] = {("", context)}
    for segment, optional in _parse(template):
        grown: set[tuple[str, Context]] = set()
        for form, ctx in forms:
            if optional and (ctx[0] in g.vowels) == _starts_with_vowel(segment, g):
                grown.add((form, ctx))  # the buffer would make a clash: leave it out
                continue
            partial = {(form, ctx)}
            for char in segment:
                options = (
                    _realise_letter(char, ctx, g) if char.isupper() else {fold_for_search(char)}
                )
                partial = {
                    (f + option, _context(option, g, c)) for f, c in partial for option in options
                }
            grown |= partial
        forms = grown
    return frozenset(form for form, _ in forms)


@lru_cache(maxsize=65536)
def _chain(lang: str, rest: str, context: Context, slot: int) -> bool:
    if not rest:
        return True
    g = grammar(lang)
    assert g is not None
    for position in range(slot, len(g.slots)):
        for template in g.slots[position]:
            for form in realise(lang, template, context):
                if form and rest.startswith(form):
                    after = _context(form, g, context)
                    if _chain(lang, rest[len(form) :], after, position + 1):
                        return True
    return False


def is_suffix_chain(stem: str, rest: str, lang: str) -> bool:
    """Whether folded ``rest`` is a plausible suffix chain after folded ``stem`` in ``lang``.

    An empty rest is always fine; one leading apostrophe is allowed (Türkiye'nin, kar'a).
    Languages without suffix data accept only the empty rest.
    """
    if not rest:
        return True
    g = grammar(lang)
    if g is None:
        return False
    if rest.startswith(_APOSTROPHE):
        rest = rest[1:]
        if not rest:
            return False
    return _chain(lang, rest, _context(stem, g), 0)


def dictionary_forms(surface: str, lang: str) -> list[str]:
    """The dictionary forms a stem seen as ``surface`` before a vowel may have (kitab → kitap)."""
    g = grammar(lang)
    if g is None:
        return []
    return [
        surface[: -len(ending)] + base
        for ending, base in g.alternations
        if surface.endswith(ending) and len(surface) > len(ending)
    ]


def starts_with_vowel(text: str, lang: str) -> bool:
    """Whether folded ``text`` (after an optional apostrophe) begins with a vowel of ``lang``."""
    g = grammar(lang)
    text = text.lstrip(_APOSTROPHE)
    return g is not None and bool(text) and text[0] in g.vowels
