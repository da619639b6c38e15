"""The queries the Whoosh backend asks: a query word and what it stands for in the index.

A query word stands for the index words that start with it (a later word's prefix) and the key
words one edit away (found through their word documents' typo keys), each set bounded, so the
fuzzy level's cost does not grow with the termbase (see whoosh_schema.py for the documents).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from glossary.search.base import SearchQuery
from glossary.search.whoosh_schema import (
    PREFIX_MIN,
    loose_token,
    typo_tolerant,
    typo_variants,
    words_of,
)

# A query word stands for at most this many index words starting with it (code-point order)
# and this many words one edit away: the cost bound of the fuzzy level and of autocomplete.
PREFIX_EXPANSIONS = 64
TYPO_WORDS = 32


def any_word(words: Iterable[str]) -> Query:
    return Or([Term("words", word) for word in sorted(set(words))])


def prefixed_words(searcher: Searcher, word: str) -> list[str]:
    """``word`` and the first index words that start with it (a bounded expansion)."""
    found = [word]
    if len(word) >= PREFIX_MIN:
        expansions = searcher.reader().expand_prefix("words", word)
        found += [text.decode("utf-8") for text in islice(expansions, PREFIX_EXPANSIONS)]
    return found


def _words_one_edit_away(searcher: Searcher, word: str) -> list[str]:
    """Key words sharing a one-letter deletion with ``word`` (its typo neighbours)."""
    if not typo_tolerant(word):
        return []
    query = Or([Term("typos", variant) for variant in sorted(typo_variants(word))])
    documents = islice(searcher.docs_for_query(query), TYPO_WORDS)
    return [searcher.stored_fields(docnum)["word"] for docnum in documents]


def _word_clause(searcher: Searcher, word: str) -> Query:
    """The word starts a word of the term, or is one edit from one."""
    return any_word(prefixed_words(searcher, word) + _words_one_edit_away(searcher, word))


def fuzzy_query(searcher: Searcher, query: SearchQuery) -> Query | None:
    alternatives: list[Query] = [
        And([_word_clause(searcher, word) for word in words])
        for words in (query.words, query.key_words)
        if words
    ]
    for key in query.keys:
        if key_words := words_of(key):
            alternatives.append(And([Term("words", loose_token(w)) for w in key_words]))
    return Or(alternatives) if alternatives else None
