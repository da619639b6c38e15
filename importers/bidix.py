"""Apertium bilingual dictionary (``.dix``) reader: one concept per ``<e>`` entry.

The language pair comes from the file name, as Apertium names its files:
``apertium-kaz-tat.kaz-tat.dix`` has Kazakh (``kaz``, the ``<l>`` side, the source language)
on the left and Tatar (``tat``, ``<r>``) on the right. Codes are passed through raw (ISO 639-3);
the service maps them to Tamyr's tags.

How an entry becomes two terms:

* its pieces are joined in order: ``<p><l>…</l><r>…</r></p>`` adds to each side, ``<i>…</i>``
  (identity) adds the same text to both, ``<par>`` (a paradigm reference) adds nothing;
* inside a side, ``<b/>`` is a space, ``<g>…</g>`` (the invariable part of a multiword) is
  kept as text, ``<j/>`` (a join of two lexical units) is written ``+``, and the first ``<s n>``
  tag gives the part of speech (``n`` → noun, ``vblex`` → verb, …; unknown tags stay raw);
* ``r="LR"``/``r="RL"`` entries translate one way only; they import, with the direction noted;
* entries with a ``<re>`` regular expression, or with no text on a side (tag-only rules), are
  not terms: they are skipped with a warning. Punctuation entries (``<s n="cm"/>`` …) and
  entries inside ``<pardef>`` (paradigm parts, not dictionary entries) are never terms; they are
  skipped silently and counted in ``info.extra``.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from importers.base import ConceptRecord, ImportFormatError, TermRecord
from importers.xmlsafe import XmlReader, local_name, normalize_space

# Apertium's tag names for parts of speech, to the plain names Tamyr shows; others stay raw.
APERTIUM_POS = {
    "n": "noun",
    "np": "proper noun",
    # Kinds of proper noun; a few entries carry them without "np".
    "top": "proper noun",
    "ant": "proper noun",
    "cog": "proper noun",
    "pat": "proper noun",
    "org": "proper noun",
    "adj": "adjective",
    "v": "verb",
    "vblex": "verb",
    "vbser": "verb",
    "vbhaver": "verb",
    "vbmod": "verb",
    "vaux": "verb",
    "adv": "adverb",
    "num": "numeral",
    "prn": "pronoun",
    "det": "determiner",
    "post": "postposition",
    "pr": "preposition",
    "cnjcoo": "conjunction",
    "cnjsub": "conjunction",
    "cnjadv": "conjunction",
    "ij": "interjection",
    "abbr": "abbreviation",
    "part": "particle",
}
# Punctuation entries ("," → ",") are tokenizer rules, not terms.
PUNCTUATION_TAGS = frozenset(
    {"sent", "cm", "lpar", "rpar", "lquot", "rquot", "quot", "guio", "apos", "punct"}
)
LICENCE = "GPL-3.0"  # Apertium's linguistic data; both sample pairs ship GPL-3.0 (SOURCES.md)

# "apertium-kaz-tat.kaz-tat.dix": the last dotted part before .dix names the pair.
_PAIR = re.compile(r"(?:^|\.)([a-z]{2,3}(?:_[A-Za-z]+)?)-([a-z]{2,3}(?:_[A-Za-z]+)?)$")
# The concept note of a one-way entry (the terms are still equivalents, just not reversible).
_DIRECTIONS = {
    "LR": "Apertium translates {left} → {right} only (r=LR)",
    "RL": "Apertium translates {right} → {left} only (r=RL)",
}


class BidixReader(XmlReader):
    """Read an Apertium bilingual dictionary into two-term concepts."""

    format = "bidix"
    extensions = (".dix",)
    roots = frozenset({"dictionary"})
    entries = frozenset({"e"})
    left: str  # the pair's language codes, set by start()
    right: str
    _skipped: Counter[str]

    def start(self) -> None:
        """The pair and provenance come from the file name, before anything is parsed."""
        self.left, self.right = self._pair()
        package = self.path.name.split(".")[0]
        self.info.source_lang = self.source_lang or self.left
        self.info.target_lang = self.right
        self.info.source_name = f"Apertium {package}"
        self.info.licence = LICENCE
        if package.startswith("apertium-"):
            self.info.url = f"https://github.com/apertium/{package}"
        self._skipped = Counter(paradigm=0, punctuation=0)

    def finish(self) -> None:
        """Count what was skipped silently, for the import report."""
        for reason, count in self._skipped.items():
            self.info.extra[f"skipped_{reason}_entries"] = str(count)

    def _pair(self) -> tuple[str, str]:
        """The (left, right) language codes from the file name, else --source-lang/--lang."""
        stem = self.path.name.removesuffix(".dix")
        match = _PAIR.search(stem)
        if match:
            return match.group(1), match.group(2)
        if self.source_lang and self.lang:
            return self.source_lang, self.lang
        raise ImportFormatError(
            self.path,
            "cannot tell the language pair from the file name; name it like "
            "apertium-kaz-tat.kaz-tat.dix or pass --source-lang and --lang",
        )

    def read_entry(self, entry: etree._Element) -> ConceptRecord | None:
        """Turn one ``<e>`` into a two-term concept, or None when it holds no terms."""
        parent = entry.getparent()
        if parent is not None and local_name(parent) == "pardef":
            self._skipped["paradigm"] += 1
            return None
        line = entry.sourceline
        sides = _Side(), _Side()
        for piece in entry:
            name = local_name(piece)
            if name == "re":
                self.problem("regular-expression entry is not a term; skipped", line, "warning")
                return None
            if name == "i":
                sides[0].add(piece)
                sides[1].add(piece)
            elif name == "p":
                for side, element in zip(sides, _lr(piece), strict=True):
                    if element is not None:
                        side.add(element)
        if sides[0].tag in PUNCTUATION_TAGS:
            self._skipped["punctuation"] += 1
            return None
        texts = [side.text() for side in sides]
        if not all(texts):
            self.problem("entry lacks text on a side (a tag-only rule?); skipped", line, "warning")
            return None
        direction = _DIRECTIONS.get(entry.get("r", ""))
        return ConceptRecord(
            terms=[
                TermRecord(lang=lang, text=text, pos=side.pos, line=line)
                for lang, text, side in zip((self.left, self.right), texts, sides, strict=True)
            ],
            note=direction.format(left=self.left, right=self.right) if direction else None,
            line=line,
        )


def _lr(pair: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    left = right = None
    for element in pair:
        name = local_name(element)
        if name == "l" and left is None:
            left = element
        elif name == "r" and right is None:
            right = element
    return left, right


class _Side:
    """One side of an entry, built from its pieces in document order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.tag: str | None = None  # the first Apertium tag, raw

    @property
    def pos(self) -> str | None:
        """The part of speech in plain words (raw Apertium tag when unknown)."""
        return APERTIUM_POS.get(self.tag, self.tag) if self.tag else None

    def add(self, element: etree._Element) -> None:
        """Append an ``<l>``/``<r>``/``<i>`` (or a ``<g>`` inside one) to this side."""
        if element.text:
            self.parts.append(element.text)
        for child in element:
            name = local_name(child)
            if name == "b":
                self.parts.append(" ")
            elif name == "j":
                self.parts.append("+")
            elif name == "g":
                self.add(child)
            elif name == "s" and self.tag is None:
                self.tag = child.get("n") or None
            if child.tail:
                self.parts.append(child.tail)

    def text(self) -> str:
        return normalize_space("".join(self.parts))
