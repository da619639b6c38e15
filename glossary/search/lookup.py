"""Sentence lookup: every known term of one language in a text, with character spans.

A term matches at a word start; its last word may carry a suffix chain of the language
(:mod:`glossary.text.suffixes`: ``Қазақстанның``, ``Türkiye'nin``, ``kitabı`` for ``kitap``),
its other words must be there as they are. Stems shorter than three letters match whole words
only. Where terms overlap, the longest match wins (``relational database`` over ``database``);
every term with that same span is returned.

The matcher is a dictionary from folded word to terms, built once per language and term-set
version and cached per process: a lookup costs one version query plus a few dictionary probes
per word, however large the termbase.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.text.folding import fold_for_search, tokenize, word_texts
from glossary.text.suffixes import (
    MIN_STEM,
    dictionary_forms,
    is_suffix_chain,
    starts_with_vowel,
)
from glossary.versions import probe


@dataclass(frozen=True, slots=True)
class LookupMatch:
    start: int  # character offsets into the text as given
    end: int
    term_id: int


def _word_matches(word: str, stem: str, lang: str) -> bool:
    """Does text word ``word`` show the term word ``stem``, perhaps with suffixes?"""
    if word == stem:
        return True
    if len(stem) < MIN_STEM:
        return False
    if word.startswith(stem) and is_suffix_chain(stem, word[len(stem) :], lang):
        return True
    # The stem's last consonant may alternate before a vowel (kitap → kitabı).
    for length in range(len(stem), len(word)):
        surface, rest = word[:length], word[length:]
        if stem in dictionary_forms(surface, lang) and starts_with_vowel(rest, lang):
            return is_suffix_chain(surface, rest, lang)
    return False


class Matcher:
    """Terms of one language indexed by their words; see the module docstring."""

    def __init__(self, lang: str, terms: list[tuple[int, str]]) -> None:
        self.lang = lang
        # first word -> [(all words, term id)], longest terms first
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for term_id, folded in terms:
            words = tuple(word_texts(folded))
            if words:
                self._by_first[words[0]].append((words, term_id))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def _first_words(self, word: str) -> list[str]:
        """Dictionary words that ``word`` may be an inflected form of, longest first."""
        found = [word] if word in self._by_first else []
        for length in range(len(word) - 1, MIN_STEM - 1, -1):
            prefix = word[:length]
            for candidate in (prefix, *dictionary_forms(prefix, self.lang)):
                if candidate in self._by_first and candidate not in found:
                    found.append(candidate)
        return found

    def _longest_at(self, words: list[str], i: int) -> tuple[int, list[int]]:
        """(number of words, term ids) of the longest terms starting at word ``i``."""
        best, ids = 0, []
        for first in self._first_words(words[i]):
            for term_words, term_id in self._by_first[first]:
                size = len(term_words)
                if size < best or i + size > len(words):
                    continue
                # Only the last word inflects: "veri tabanında", "maʼlumotlar bazasida".
                leading_ok = words[i : i + size - 1] == list(term_words[:-1])
                if leading_ok and _word_matches(words[i + size - 1], term_words[-1], self.lang):
                    if size > best:
                        best, ids = size, []
                    if term_id not in ids:
                        ids.append(term_id)
        return best, ids

    def find(self, text: str) -> list[LookupMatch]:
        tokens = tokenize(text)
        words = [fold_for_search(token.text) for token in tokens]
        matches: list[LookupMatch] = []
        i = 0
        while i < len(tokens):
            size, ids = self._longest_at(words, i)
            if not size:
                i += 1
                continue
            start, end = tokens[i].start, tokens[i + size - 1].end
            matches.extend(LookupMatch(start, end, term_id) for term_id in ids)
            i += size
        return matches


_cache: dict[tuple[str, str], tuple[tuple[object, ...], Matcher]] = {}
_cache_lock = threading.Lock()


def term_set_version() -> tuple[object, ...]:
    """Changes whenever a term is added or edited, or a concept merged (cheap with the
    ``updated_at`` indexes of migration 0002)."""
    return probe(func.max(Term.id), func.max(Term.updated_at), func.max(Concept.updated_at))


def _build(lang: str) -> Matcher:
    rows = db.session.execute(
        select(Term.id, Term.folded)
        .join(Concept, Term.concept_id == Concept.id)
        .where(Term.lang == lang, Concept.merged_into_id.is_(None))
    )
    return Matcher(lang, [(term_id, folded) for term_id, folded in rows])


def matcher_for(lang: str) -> Matcher:
    """The cached matcher of ``lang``, rebuilt when the term set changed."""
    version = term_set_version()
    slot = (db.engine.url.render_as_string(), lang)
    cached = _cache.get(slot)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cache_lock:  # one build per process, however many threads ask at once
        cached = _cache.get(slot)
        if cached is None or cached[0] != version:
            cached = _cache[slot] = (version, _build(lang))
    return cached[1]


def find_terms(text: str, lang: str) -> list[LookupMatch]:
    """Every known ``lang`` term in ``text``, in text order (see the module docstring)."""
    return matcher_for(lang).find(text)
