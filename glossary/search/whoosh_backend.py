"""The embedded search backend: a Whoosh index under ``INDEX_DIR``.

Layout::

    INDEX_DIR/CURRENT        name of the live generation (replaced atomically)
    INDEX_DIR/write.lock     flock: one writer at a time across workers and commands
    INDEX_DIR/gen-…/         a Whoosh index; a full rebuild writes a new one beside the live one
    INDEX_DIR/gen-…/TAMYR_FORMAT   the document format it was written in (whoosh_schema.py)

A rebuild builds a new generation aside, then swaps ``CURRENT`` with one ``os.replace``: killed
at any point, the old index stays live. Incremental writes go through Whoosh's own commit,
which also replaces its table of contents by a rename, so a killed writer leaves the previous
commit readable. Searchers are kept per thread and refreshed only when the index changed.
A generation of another format (an upgrade changed the documents) is not read: the fuzzy
level finds nothing from it, ``check`` says so, and the next write rebuilds it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from glossary.search.base import (
    Candidate,
    HitPage,
    IndexedTerm,
    IndexReport,
    SearchFilters,
    SearchQuery,
    Suggestion,
)
from glossary.search.columns import candidates_by_id, search_page, suggestions_by_id
from glossary.search.documents import stream_terms
from glossary.search.locks import file_lock
from glossary.search.whoosh_queries import best_documents, fuzzy_scores, prefix_scores
from glossary.search.whoosh_schema import (
    INDEX_FORMAT,
    PREFIX_MIN,
    build_schema,
    fingerprint,
    term_document,
    typo_tolerant,
    word_document,
    words_of,
)
from glossary.search.whoosh_tuning import tune_whoosh

FUZZY_LIMIT = 50
# The fuzzy level reads at most a budget of postings per query word (whoosh_queries.py); past
# this long it reads no more near words and answers with what it found (DESIGN.md §4: fuzzy at
# a bounded cost).
FUZZY_SECONDS = 0.025
WRITER_TIMEOUT = 60.0
# The writer's in-memory posting pool; past it, Whoosh pickles postings into sorted runs.
WRITER_LIMIT_MB = 256
# Filters other than the language are applied by the database to the candidates Whoosh
# found; with one of those set, Whoosh is asked for this many times as many.
FILTERED_OVERFETCH = 4
_GENERATION_PREFIX = "gen-"
_FORMAT_FILE = "TAMYR_FORMAT"


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
        (path / _FORMAT_FILE).write_text(INDEX_FORMAT, encoding="utf-8")
        return name, whoosh_index.create_in(str(path), build_schema())

    def _live(self) -> str:
        """The live generation's name, creating an empty first generation if there is none."""
        name = self._live_name()
        if name is None:
            with self.exclusive():
                name = self._live_name()
                if name is None:
                    name, _ = self._new_generation()
                    self._swap_to(name)
        return name

    def _index(self) -> Any:
        return whoosh_index.open_dir(str(self.root / self._live()))

    def is_current(self) -> bool:
        """Was the live generation written in this release's document format? (An older one is
        not read, and the next write rebuilds it.)"""
        try:
            written = (self.root / self._live() / _FORMAT_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
        return written.strip() == INDEX_FORMAT

    def _searcher(self) -> Searcher | None:
        """This thread's searcher, reopened after a swap and refreshed after a commit; None
        while the live generation is of an older format."""
        local = self._local
        signature = _signature(self._pointer)
        searcher: Searcher | None = getattr(local, "searcher", None)
        if searcher is None or signature != getattr(local, "signature", None):
            if searcher is not None:
                searcher.close()
            local.searcher = None
            if not self.is_current():
                return None
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
        if not self.is_current():
            # The rebuild reads every term from the database, these included.
            count = 1 + sum(1 for _ in terms)
            self.rebuild()
            return count
        writer = self._index().writer(timeout=WRITER_TIMEOUT, limitmb=WRITER_LIMIT_MB)
        try:
            count = _write_terms(writer, chain([first], terms))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return count

    def remove(self, ids: Iterable[int]) -> int:
        ids = list(ids)
        if ids and self.is_current():
            with self._index().writer(timeout=WRITER_TIMEOUT) as writer:
                for term_id in ids:
                    writer.delete_by_term("id", str(term_id))
        return len(ids)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Write every searchable term into a new generation, then swap it in."""
        with self.exclusive():
            previous = self._live_name()
            name, fresh = self._new_generation()
            writer = fresh.writer(limitmb=WRITER_LIMIT_MB)
            try:
                count = _write_terms(writer, _counted(stream_terms(), progress))
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
    def fuzzy(self, query: SearchQuery, filters: SearchFilters, limit: int) -> list[Candidate]:
        """Later-word prefixes, typos and loose cross-script keys: what columns cannot do."""
        searcher = self._searcher()
        if searcher is None:
            return []
        narrowed = filters.statuses or filters.domain or filters.meetup is not None
        wanted = limit * FILTERED_OVERFETCH if narrowed else limit
        scores = fuzzy_scores(searcher, query, self.fuzzy_seconds)
        ids = best_documents(searcher, scores, filters.lang, wanted)
        return candidates_by_id(ids, filters)[:limit]

    def search(
        self, query: SearchQuery, filters: SearchFilters, limit: int, cursor: str | None = None
    ) -> HitPage:
        fuzzy = lambda: self.fuzzy(query, filters, FUZZY_LIMIT)  # noqa: E731
        return search_page(self.name, fuzzy, query, filters, limit, cursor)

    def suggest(self, prefix: str, lang: str | None = None, limit: int = 10) -> list[Suggestion]:
        words = [word for word in words_of(prefix) if len(word) >= PREFIX_MIN]
        searcher = self._searcher()
        if not words or searcher is None:
            return []
        scores = prefix_scores(searcher, words)
        return suggestions_by_id(best_documents(searcher, scores, lang, limit))

    def check(self) -> IndexReport:
        """Compare every indexed entry with what the database says it should be."""
        report = IndexReport()
        searcher = self._searcher()
        if searcher is None:
            report.problems.append(
                "the search index was written by an older Tamyr: run `tamyr reindex`"
            )
            return report
        expected = {term.id: fingerprint(term) for term in stream_terms()}
        seen: set[int] = set()
        for fields in searcher.all_stored_fields():
            if "id" not in fields:
                continue  # a word document (typo keys)
            term_id = int(fields["id"])
            report.documents += 1
            seen.add(term_id)
            if term_id not in expected:
                report.extra.append(term_id)
            elif expected[term_id] != fields["fp"]:
                report.stale.append(term_id)
        report.missing = sorted(set(expected) - seen)
        return report

    def document_count(self) -> int:
        searcher = self._searcher()
        return int(searcher.doc_count()) if searcher is not None else 0


def _counted(
    terms: Iterable[IndexedTerm], progress: Callable[[int], None] | None
) -> Iterator[IndexedTerm]:
    if progress is None:
        yield from terms
        return
    for count, term in enumerate(terms, 1):
        yield term
        if count % 1000 == 0:
            progress(count)


def _write_terms(writer: Any, terms: Iterable[IndexedTerm]) -> int:
    """Add or replace each term's document, and a word document for each new key word.

    ``update_document`` would run a search per document to delete an older entry; after an
    import almost every term is new, and in an empty index all are. A term-dictionary
    membership test finds the few that are not (a deleted, not yet merged entry still answers
    yes: deleting it again is harmless). ``update_document`` cannot see entries of its own
    writer, so a repeated id would be indexed twice; here it is written once (the first time:
    callers pass each term once). Word documents are never replaced or removed: a word no term
    holds any more only leads a typo lookup to no term.
    """
    reader = writer.reader()
    replacing = reader.doc_count_all() > 0
    written: set[int] = set()
    words_seen: set[str] = set()
    try:
        for term in terms:
            if term.id in written:
                continue
            written.add(term.id)
            document, key_words = term_document(term)
            if replacing and ("id", document["id"]) in reader:
                writer.delete_by_term("id", document["id"])
            writer.add_document(**document)
            for word in key_words:
                if word in words_seen or not typo_tolerant(word):
                    continue
                words_seen.add(word)
                if not (replacing and ("word", word) in reader):
                    writer.add_document(**word_document(word))
    finally:
        reader.close()
    return len(written)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def iter_generations(root: Path) -> Iterator[Path]:
    """Generation folders under ``root`` (for tests and diagnostics)."""
    return iter(sorted(root.glob(f"{_GENERATION_PREFIX}*")))
