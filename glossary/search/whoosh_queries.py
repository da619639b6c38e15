"""The Whoosh backend's reading: which term documents a query's words point to, at a bounded cost.

A query word stands for itself, for the index words that start with it (a later word's prefix)
and for the key words one edit away (found through their word documents' typo keys). Whoosh's
own ``And`` of such ``Or`` queries walks every posting list of every alternative until the lists
meet, before its collector can check a clock: a three-word query of common syllables took
1.6 s at a million terms. Here each word's postings are read, rarest alternative first, up to a
budget, and the words' documents are intersected. A word more common than the budget narrows
nothing and is left out of the intersection (the ranking still compares whole texts); a query
of only such words gets no fuzzy candidates, and the column levels answer it. Cost: at most
``POSTINGS_BUDGET`` postings a word, whatever the termbase.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable
from itertools import islice

from whoosh.query import Or, Term
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
# and this many words one edit away.
PREFIX_EXPANSIONS = 64
TYPO_WORDS = 32
# Postings read for one query word; a word whose alternatives hold more is too common to
# narrow the search.
POSTINGS_BUDGET = 20_000
EXACT, NEAR = 2, 1  # closeness of a document to a query word: the word itself, or near it

Closeness = dict[int, int]  # document number → how close its words are to one query word


def prefixed_words(searcher: Searcher, word: str) -> list[str]:
    """The first index words that start with ``word`` (a bounded expansion), ``word`` too."""
    if len(word) < PREFIX_MIN:
        return []
    expansions = searcher.reader().expand_prefix("words", word)
    return [text.decode("utf-8") for text in islice(expansions, PREFIX_EXPANSIONS)]


def words_one_edit_away(searcher: Searcher, word: str) -> list[str]:
    """Key words sharing a one-letter deletion with ``word`` (its typo neighbours)."""
    if not typo_tolerant(word):
        return []
    query = Or([Term("typos", variant) for variant in sorted(typo_variants(word))])
    documents = islice(searcher.docs_for_query(query), TYPO_WORDS)
    return [searcher.stored_fields(docnum)["word"] for docnum in documents]


def closeness(
    searcher: Searcher, word: str, near: Iterable[str], deadline: float
) -> Closeness | None:
    """The documents holding ``word`` or a word ``near`` it; None if there are too many."""
    reader = searcher.reader()
    frequency = {word: reader.doc_frequency("words", word)}
    for other in near:
        frequency.setdefault(other, reader.doc_frequency("words", other))
    if frequency[word] > POSTINGS_BUDGET:
        return None
    found: Closeness = {}
    budget = POSTINGS_BUDGET
    # The word itself first, then its rarest alternatives, as many as the budget holds.
    for alternative in sorted(frequency, key=lambda w: (w != word, frequency[w])):
        budget -= frequency[alternative]
        if budget < 0 or (alternative != word and time.monotonic() > deadline):
            break
        if not frequency[alternative]:
            continue
        weight = EXACT if alternative == word else NEAR
        for docnum in searcher.postings("words", alternative).all_ids():
            if found.get(docnum, 0) < weight:
                found[docnum] = weight
    return found


def intersect(per_word: list[Closeness | None]) -> Closeness | None:
    """Documents every narrowing word points to, scored by summed closeness; None if no word
    narrows anything."""
    narrowing = sorted((c for c in per_word if c is not None), key=len)
    if not narrowing:
        return None
    smallest, *others = narrowing
    scores: Closeness = {}
    for docnum, score in smallest.items():
        for other in others:
            extra = other.get(docnum)
            if extra is None:
                break
            score += extra
        else:
            scores[docnum] = score
    return scores


def fuzzy_scores(searcher: Searcher, query: SearchQuery, seconds: float) -> Closeness:
    """Documents of terms whose words start with, or are one edit from, the query's words (in
    folded or key form), or share its vowel-less key, scored by closeness."""
    deadline = time.monotonic() + seconds
    best: Closeness = {}
    groups = [
        [
            closeness(
                searcher,
                word,
                [*prefixed_words(searcher, word), *words_one_edit_away(searcher, word)],
                deadline,
            )
            for word in words
        ]
        for words in (query.words, query.key_words)
        if words
    ]
    for key in query.keys:
        if key_words := words_of(key):
            groups.append([closeness(searcher, loose_token(w), (), deadline) for w in key_words])
    for group in groups:
        for docnum, score in (intersect(group) or {}).items():
            if best.get(docnum, 0) < score:
                best[docnum] = score
    return best


def prefix_scores(searcher: Searcher, words: list[str]) -> Closeness:
    """Documents of terms with a word starting with each of ``words``."""
    deadline = time.monotonic() + 1.0  # the budget bounds this; the clock only guards it
    group = [closeness(searcher, w, prefixed_words(searcher, w), deadline) for w in words]
    return intersect(group) or {}


def best_documents(
    searcher: Searcher, scores: Closeness, lang: str | None, limit: int
) -> list[int]:
    """The term ids of the ``limit`` closest documents, of language ``lang`` if given."""
    documents = sorted(scores)
    if lang:
        matcher = searcher.postings("lang", lang) if ("lang", lang) in searcher.reader() else None
        kept = []
        for docnum in documents:  # ascending, so one forward pass over the language's list
            if matcher is None or not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                kept.append(docnum)
        documents = kept
    chosen = heapq.nsmallest(limit, documents, key=lambda docnum: (-scores[docnum], docnum))
    return [int(searcher.stored_fields(docnum)["id"]) for docnum in chosen]
