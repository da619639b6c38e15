"""The Whoosh schema and analyzers: Turkic tokens, folded the Tamyr way, never Whoosh's way.

Whoosh's stock analyzers lower-case with ``str.lower()`` (so ``İstanbul`` ≠ ``istanbul`` and
``ILIK`` ≠ ``ılık``) and split ``o'zbek`` at the apostrophe. Here the tokenizer is
:func:`glossary.text.folding.tokenize` (apostrophe-joined words stay whole) and the only filter
is :func:`glossary.text.folding.fold_for_search`, the same fold the ``folded`` column holds.

The schema is pickled into the index, so these classes must keep their import path.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Filter, NgramFilter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from glossary.search.base import Candidate, IndexedTerm, Suggestion
from glossary.text.folding import fold_for_search
from glossary.text.folding import tokenize as split_words
from glossary.text.searchkey import loose_key

# Edge n-grams from the 2nd character (autocomplete starts there) up to this length; a longer
# query word is looked up by its first EDGE_MAX characters and then ranked on the full text.
EDGE_MIN, EDGE_MAX = 2, 20
# Words this long or longer are typo-tolerant (shorter ones have too many one-edit neighbours).
TYPO_MIN = 4
# Words repeat across terms and every term's words are analysed twice (words, edges): the fold
# of each distinct word is computed once (a pure function; bounded memory).
_fold_word = lru_cache(maxsize=1 << 16)(fold_for_search)


def typo_variants(word: str) -> set[str]:
    """The word and each form of it with one letter deleted (symmetric-delete typo keys).

    Indexing these for every term word and looking up those of a query word finds, with a
    handful of exact term lookups, every word one edit away (insertion, deletion,
    substitution, transposition) and some two away. Whoosh's FuzzyTerm walks a Levenshtein
    automaton over the whole term list in Python instead: 100+ ms at 20k terms.
    """
    if len(word) < TYPO_MIN:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def typo_keys(text: str) -> str:
    """Every typo variant of every word of ``text``, space-separated for a KEYWORD field."""
    return " ".join(sorted({v for word in text.split() for v in typo_variants(word)}))


class TurkicTokenizer(Tokenizer):  # type: ignore[misc]
    """Words and numbers as :func:`glossary.text.folding.tokenize` finds them (oʻzbek whole)."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # an ID-like use: the whole value is one token
            token.text = token.original = value
            token.boost, token.stopped, token.pos = 1.0, False, start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, found in enumerate(split_words(value)):
            token.text = found.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = found.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + found.start
                token.endchar = start_char + found.end
            yield token


class SearchFoldFilter(Filter):  # type: ignore[misc]
    """The Turkic search fold (İ I ı i → i, apostrophe look-alikes → ', …) on every token."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = _fold_word(token.text)
            yield token


def word_analyzer() -> Analyzer:
    return TurkicTokenizer() | SearchFoldFilter()


def edge_analyzer() -> Analyzer:
    return word_analyzer() | NgramFilter(EDGE_MIN, EDGE_MAX, at="start")


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        concept=STORED(),
        text=STORED(),
        lang=ID(stored=True),
        status=ID(stored=True),
        domain=ID(stored=True),
        meetup=ID(stored=True),
        norm=ID(stored=True),
        folded=ID(stored=True),
        key=ID(stored=True),
        # Vowels inside words dropped from the key: Өзбекстан and Oʻzbekiston meet here.
        loose=ID(),
        # Folded words and key words together: typos and later words in either script.
        words=TEXT(analyzer=word_analyzer(), phrase=False),
        edges=TEXT(analyzer=edge_analyzer(), phrase=False),
        typos=KEYWORD(),
    )


def to_document(term: IndexedTerm) -> dict[str, Any]:
    searchable = f"{term.folded} {term.key}"
    document: dict[str, Any] = {
        "id": str(term.id),
        "concept": term.concept,
        "text": term.text,
        "lang": term.lang,
        "status": term.status,
        "norm": term.norm,
        "folded": term.folded,
        "key": term.key,
        "loose": loose_key(term.key),
        "words": searchable,
        "edges": searchable,
        # The key only: every query is keyed too, and a Cyrillic or Arabic term's folded words
        # would double the unique terms, which dominate Whoosh's build time.
        "typos": typo_keys(term.key),
    }
    if term.domain:
        document["domain"] = term.domain
    if term.meetup is not None:
        document["meetup"] = str(term.meetup)
    return document


def from_stored(fields: dict[str, Any]) -> IndexedTerm:
    meetup = fields.get("meetup")
    return IndexedTerm(
        id=int(fields["id"]),
        concept=fields["concept"],
        lang=fields["lang"],
        text=fields["text"],
        norm=fields["norm"],
        folded=fields["folded"],
        key=fields["key"],
        status=fields["status"],
        domain=fields.get("domain") or None,
        meetup=int(meetup) if meetup else None,
    )


def to_candidate(fields: dict[str, Any]) -> Candidate:
    return from_stored(fields).candidate()


def to_suggestion(fields: dict[str, Any]) -> Suggestion:
    return Suggestion(fields["concept"], int(fields["id"]), fields["lang"], fields["text"])
