"""The Whoosh schema: Turkic words, folded the Tamyr way, and as little else as will do.

Whoosh's stock analyzers lower-case with ``str.lower()`` (so ``İstanbul`` ≠ ``istanbul`` and
``ILIK`` ≠ ``ılık``) and split ``o'zbek`` at the apostrophe. Here words are found by
:func:`glossary.text.folding.tokenize` (apostrophe-joined words stay whole) and folded by
:func:`glossary.text.folding.fold_for_search`, the same fold the ``folded`` column holds.

Whoosh answers only what the database columns cannot (DESIGN.md §4): a later word's prefix,
a typo, a loose cross-script key. Its cost follows the number of distinct index words and of
postings, so a term's document holds just its words (folded and keyed, plus a vowel-less form
of each key word), its language and, stored, its id and a fingerprint. The candidates it finds
are read back from the database, which also applies the other filters. Two kinds of documents
share the index:

* a **term document** per term: ``id``, ``fp``, ``lang``, ``words``;
* a **word document** per distinct key word, written once when the word is first seen: ``word``
  and its ``typos`` (the word with each letter deleted in turn). A query word's own deletions
  find every word one edit away; the terms holding those words are then an exact lookup. Typo
  keys per word instead of per term: a word shared by a thousand terms costs one document.

The schema is pickled into the index, so these classes must keep their import path.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import KeywordAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, FieldType, Schema
from whoosh.formats import Existence

from glossary.search.base import IndexedTerm
from glossary.text.folding import fold_for_search, word_texts
from glossary.text.searchkey import loose_key

# Later-word prefixes start at the 2nd character (autocomplete starts there).
PREFIX_MIN = 2
# Words this long or longer are typo-tolerant (shorter ones have too many one-edit neighbours).
TYPO_MIN = 4
# A vowel-less key word is marked so that it never passes for a word of that spelling.
LOOSE_MARK = "~"
# Bump when documents change shape: an index of another format is rebuilt, never misread.
INDEX_FORMAT = "2"
# Words repeat across terms: the fold of each distinct word is computed once (a pure function;
# bounded memory).
_fold_word = lru_cache(maxsize=1 << 16)(fold_for_search)
_loose_word = lru_cache(maxsize=1 << 16)(loose_key)


def typo_tolerant(word: str) -> bool:
    """Long enough to have few one-edit neighbours, and not a number: ``2019`` and ``2018``
    are different things, not one thing mistyped."""
    return len(word) >= TYPO_MIN and not any(c.isdigit() for c in word)


def typo_variants(word: str) -> set[str]:
    """The word and each form of it with one letter deleted (symmetric-delete typo keys).

    Indexed for every word and looked up for a query word, these find every word one edit
    away (insertion, deletion, substitution, transposition) and some two away, with a handful
    of exact lookups. Whoosh's FuzzyTerm walks a Levenshtein automaton over the whole word list
    in Python instead: 100+ ms at 20k terms.
    """
    if not typo_tolerant(word):
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def loose_token(word: str) -> str:
    """The index word standing for ``word``'s vowel-less form (Өзбекстан and Oʻzbekiston meet
    there); the word itself where it has no inner vowel (a number), which costs nothing."""
    loose = _loose_word(word)
    return word if loose == word else LOOSE_MARK + loose


def words_of(text: str) -> list[str]:
    return [_fold_word(word) for word in word_texts(text)]


Posting = tuple[bytes, int, float, bytes]  # word, frequency, weight, encoded value


class WordSet(FieldType):  # type: ignore[misc]
    """A field given its words already split and folded: each is indexed once, with no
    frequency or position (Whoosh's analysis pipeline would only re-split them)."""

    def __init__(self) -> None:
        self.format = Existence()
        self.analyzer = KeywordAnalyzer()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value: Iterable[str], **kwargs: Any) -> Iterator[Posting]:
        for word in value:
            yield word.encode("utf-8"), 1, 1.0, b""


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        fp=STORED(),
        lang=ID(),
        words=WordSet(),
        word=ID(stored=True),
        typos=KEYWORD(),
    )


def fingerprint(term: IndexedTerm) -> int:
    """A stable digest of everything a term's entry was written from (``tamyr check`` compares
    it with the database: a term changed without its outbox row shows up as stale)."""
    fields = (term.id, term.concept, term.lang, term.text, term.norm, term.folded, term.key,
              term.status, term.domain, term.meetup)  # fmt: skip
    return zlib.crc32("\x1f".join(map(str, fields)).encode())


def term_document(term: IndexedTerm) -> tuple[dict[str, Any], list[str]]:
    """A term's document, and its key words (whose word documents carry the typo keys)."""
    keyed = words_of(term.key)
    words = set(words_of(term.folded))
    words.update(keyed)
    words.update(loose_token(word) for word in keyed)
    document = {"id": str(term.id), "fp": fingerprint(term), "lang": term.lang, "words": words}
    return document, keyed


def word_document(word: str) -> dict[str, Any]:
    return {"word": word, "typos": " ".join(sorted(typo_variants(word)))}
