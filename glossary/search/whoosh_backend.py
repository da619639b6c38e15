"""The embedded search backend: a Whoosh index under ``INDEX_DIR``.

Layout::

    INDEX_DIR/CURRENT        name of the live generation (replaced atomically)
    INDEX_DIR/write.lock     flock: one writer at a time across workers and commands
    INDEX_DIR/gen-…/         a Whoosh index; a full rebuild writes a new one beside the live one

A rebuild builds a new generation aside, then swaps ``CURRENT`` with one ``os.replace``: killed
at any point, the old index stays live. Incremental writes go through Whoosh's own commit,
which also replaces its table of contents by a rename, so a killed writer leaves the previous
commit readable. Searchers are kept per thread and refreshed only when the index changed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from glossary.search.base import (
    Candidate,
    HitPage,
    IndexedTerm,
    IndexReport,
    SearchFilters,
    SearchQuery,
    Suggestion,
    decode_cursor,
    fingerprint,
    merge_phases,
    page_of,
)
from glossary.search.columns import EQUALITY_CAP, PREFIX_WINDOW
from glossary.search.documents import stream_terms
from glossary.search.locks import file_lock
from glossary.search.whoosh_schema import (
    EDGE_MAX,
    EDGE_MIN,
    TYPO_MIN,
    build_schema,
    from_stored,
    to_candidate,
    to_document,
    to_suggestion,
    typo_variants,
)
from glossary.search.whoosh_tuning import tune_whoosh
from glossary.text.searchkey import loose_key

FUZZY_LIMIT = 50
# The fuzzy level scores every document that shares a typo key with the query; a short common
# word at a million terms means tens of thousands (hundreds of ms). It gets this long to
# collect, then answers with the best it found (DESIGN.md §4: fuzzy at a bounded cost).
FUZZY_SECONDS = 0.025
WRITER_TIMEOUT = 60.0
# The writer's in-memory posting pool; past it, Whoosh pickles postings into sorted runs.
WRITER_LIMIT_MB = 256
_GENERATION_PREFIX = "gen-"


tune_whoosh()


class WhooshBackend:
    """Search over a Whoosh index in ``index_dir``; see the module docstring."""

    name = "whoosh"

    def __init__(self, index_dir: str | Path, fuzzy_seconds: float = FUZZY_SECONDS) -> None:
        self.root = Path(index_dir)
        self.fuzzy_seconds = fuzzy_seconds
        self._pointer = self.root / "CURRENT"
        self._lock_path = self.root / "write.lock"
        self._local = threading.local()

    # -- storage -------------------------------------------------------------------------------
    def exclusive(self, wait: float | None = None) -> AbstractContextManager[bool]:
        return self._exclusive(wait)

    @contextmanager
    def _exclusive(self, wait: float | None) -> Iterator[bool]:
        """The writer lock, re-entrant within a thread: ``apply_pending`` holds it while
        indexing, and the first write may need it again to create the first generation
        (a second ``flock`` on a new descriptor would wait for itself forever)."""
        local = self._local
        if getattr(local, "holding", 0):
            local.holding += 1
            try:
                yield True
            finally:
                local.holding -= 1
            return
        with file_lock(self._lock_path, wait) as acquired:
            local.holding = 1 if acquired else 0
            try:
                yield acquired
            finally:
                local.holding = 0

    def _live_name(self) -> str | None:
        try:
            return self._pointer.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def _swap_to(self, name: str) -> None:
        """Point ``CURRENT`` at generation ``name``, durably and atomically."""
        temporary = self.root / f"CURRENT.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self._pointer)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _new_generation(self) -> tuple[str, Any]:
        name = f"{_GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir(parents=True)
        return name, whoosh_index.create_in(str(path), build_schema())

    def _index(self) -> Any:
        """The live index, creating an empty first generation if there is none yet."""
        name = self._live_name()
        if name is None:
            with self.exclusive():
                name = self._live_name()
                if name is None:
                    name, _ = self._new_generation()
                    self._swap_to(name)
        return whoosh_index.open_dir(str(self.root / name))

    def _searcher(self) -> Searcher:
        """This thread's searcher, reopened after a swap and refreshed after a commit."""
        local = self._local
        signature = _signature(self._pointer)
        searcher: Searcher | None = getattr(local, "searcher", None)
        if searcher is None or signature != getattr(local, "signature", None):
            if searcher is not None:
                searcher.close()
            searcher = self._index().searcher()
            local.signature = _signature(self._pointer)
        elif not searcher.up_to_date():
            # Whoosh cannot refresh a searcher opened on an empty index (its reader has no
            # segments to reuse), so that one is reopened instead.
            if searcher.reader().segments() is None:
                searcher.close()
                searcher = self._index().searcher()
            else:
                searcher = searcher.refresh()
        local.searcher = searcher
        return searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

    # -- writing -------------------------------------------------------------------------------
    def index(self, terms: Iterable[IndexedTerm]) -> int:
        """Add or replace these terms in one writer and one commit (``terms`` may stream)."""
        terms = iter(terms)
        first = next(terms, None)
        if first is None:
            return 0
        writer = self._index().writer(timeout=WRITER_TIMEOUT, limitmb=WRITER_LIMIT_MB)
        try:
            count = _replace_documents(writer, chain([first], terms))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return count

    def remove(self, ids: Iterable[int]) -> int:
        ids = list(ids)
        if ids:
            with self._index().writer(timeout=WRITER_TIMEOUT) as writer:
                for term_id in ids:
                    writer.delete_by_term("id", str(term_id))
        return len(ids)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Write every searchable term into a new generation, then swap it in."""
        with self.exclusive():
            previous = self._live_name()
            name, fresh = self._new_generation()
            count = 0
            writer = fresh.writer(limitmb=WRITER_LIMIT_MB)
            try:
                for term in stream_terms():
                    writer.add_document(**to_document(term))
                    count += 1
                    if progress is not None and count % 1000 == 0:
                        progress(count)
                writer.commit()
            except BaseException:
                writer.cancel()
                shutil.rmtree(self.root / name, ignore_errors=True)
                raise
            self._swap_to(name)
            self._remove_generations(keep={name, previous})
        if progress is not None:
            progress(count)
        return count

    def _remove_generations(self, keep: set[str | None]) -> None:
        """Drop generations other than the live one and the one it replaced (a worker may
        still be answering a request from it) and builds a killed rebuild left behind."""
        for path in self.root.glob(f"{_GENERATION_PREFIX}*"):
            if path.name not in keep and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    # -- reading -------------------------------------------------------------------------------
    def _run(
        self, query: Query, filters: SearchFilters, limit: int, seconds: float | None = None
    ) -> list[dict[str, Any]]:
        # Filters go into the query, not Whoosh's ``filter=``: that one materialises the set
        # of every matching document (every kk term) on each call.
        restricted = And([query, *_filter_terms(filters)]) if _filter_terms(filters) else query
        searcher = self._searcher()
        if seconds is None:
            return [hit.fields() for hit in searcher.search(restricted, limit=limit)]
        # No SIGALRM: requests may run outside the main thread; the limit is checked between
        # documents, and the collector keeps the best ones found so far.
        bounded = TimeLimitCollector(searcher.collector(limit=limit), seconds, use_alarm=False)
        with suppress(TimeLimit):
            searcher.search_with_collector(restricted, bounded)
        return [hit.fields() for hit in bounded.results()]

    def _candidates(
        self, query: Query | None, filters: SearchFilters, limit: int, seconds: float | None = None
    ) -> list[Candidate]:
        if query is None:
            return []
        return [to_candidate(fields) for fields in self._run(query, filters, limit, seconds)]

    def fuzzy(self, query: SearchQuery, filters: SearchFilters, limit: int) -> list[Candidate]:
        """Later-word prefixes, typos and loose cross-script keys: what columns cannot do."""
        return self._candidates(_fuzzy_query(query), filters, limit, self.fuzzy_seconds)

    def search(
        self, query: SearchQuery, filters: SearchFilters, limit: int, cursor: str | None = None
    ) -> HitPage:
        print_ = fingerprint(self.name, query.text, query.kinds, filters)
        offset = decode_cursor(cursor, print_, EQUALITY_CAP)
        folded = Term("folded", query.folded)
        keys = Or([Term("key", key) for key in query.keys]) if query.keys else None
        phases = [
            lambda _seen: self._candidates(folded, filters, EQUALITY_CAP),
            lambda _seen: self._candidates(keys, filters, EQUALITY_CAP),
            lambda _seen: self._candidates(_edge_query(query), filters, PREFIX_WINDOW),
            lambda _seen: self.fuzzy(query, filters, FUZZY_LIMIT),
        ]
        hits, more = merge_phases(query, phases, offset + limit)
        return page_of(hits, more, offset, limit, print_, EQUALITY_CAP)

    def suggest(self, prefix: str, lang: str | None = None, limit: int = 10) -> list[Suggestion]:
        words = [w for w in prefix.split() if len(w) >= EDGE_MIN]
        if not words:
            return []
        query = And([Term("edges", word[:EDGE_MAX]) for word in words])
        return [to_suggestion(f) for f in self._run(query, SearchFilters(lang=lang), limit)]

    def check(self) -> IndexReport:
        """Compare every indexed entry with what the database says it should be."""
        report = IndexReport()
        expected = {term.id: hash(term) for term in stream_terms()}
        seen: set[int] = set()
        searcher = self._searcher()
        for fields in searcher.all_stored_fields():
            term = from_stored(fields)
            report.documents += 1
            seen.add(term.id)
            if term.id not in expected:
                report.extra.append(term.id)
            elif expected[term.id] != hash(term):
                report.stale.append(term.id)
        report.missing = sorted(set(expected) - seen)
        return report

    def document_count(self) -> int:
        return int(self._searcher().doc_count())


def _replace_documents(writer: Any, terms: Iterable[IndexedTerm]) -> int:
    """``update_document`` for each term, without its cost for terms not yet indexed.

    ``update_document`` runs a search per document to delete an older entry; after an import
    almost every term is new. A term-dictionary membership test finds the few that are not
    (a deleted, not yet merged entry still answers yes: deleting it again is harmless).
    ``update_document`` cannot see entries of its own writer, so a repeated id would be indexed
    twice; here it is written once (the first time: callers pass each term once).
    """
    reader = writer.reader()
    seen: set[int] = set()
    try:
        for term in terms:
            if term.id in seen:
                continue
            seen.add(term.id)
            key = str(term.id)
            if ("id", key) in reader:
                writer.delete_by_term("id", key)
            writer.add_document(**to_document(term))
    finally:
        reader.close()
    return len(seen)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _filter_terms(filters: SearchFilters) -> list[Query]:
    terms: list[Query] = []
    if filters.lang:
        terms.append(Term("lang", filters.lang))
    if filters.statuses:
        terms.append(Or([Term("status", status) for status in filters.statuses]))
    if filters.domain:
        terms.append(Term("domain", filters.domain))
    if filters.meetup is not None:
        terms.append(Term("meetup", str(filters.meetup)))
    return terms


def _edge_query(query: SearchQuery) -> Query | None:
    """Every query word starts a word of the term (in folded text or in the key)."""
    alternatives = [
        And([Term("edges", word[:EDGE_MAX]) for word in words])
        for words in (query.words, query.key_words)
        if words and all(len(word) >= EDGE_MIN for word in words)
    ]
    return Or(alternatives) if alternatives else None


def _word_clause(word: str) -> Query:
    """The word starts a term word, or is one edit from one (at most len(word) + 2 lookups:
    the cost bound of the fuzzy level)."""
    exact = Term("edges", word[:EDGE_MAX]) if len(word) >= EDGE_MIN else Term("words", word)
    if len(word) < TYPO_MIN:
        return exact
    return Or([exact, *(Term("typos", variant) for variant in sorted(typo_variants(word)))])


def _fuzzy_query(query: SearchQuery) -> Query | None:
    alternatives: list[Query] = [
        And([_word_clause(word) for word in words])
        for words in (query.words, query.key_words)
        if words
    ]
    alternatives += [Term("loose", loose) for key in query.keys if (loose := loose_key(key))]
    return Or(alternatives) if alternatives else None


def iter_generations(root: Path) -> Iterator[Path]:
    """Generation folders under ``root`` (for tests and diagnostics)."""
    return iter(sorted(root.glob(f"{_GENERATION_PREFIX}*")))
