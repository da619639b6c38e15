"""The shared search backend: PostgreSQL itself, for several web nodes without local files.

The ``folded`` and ``key`` columns *are* the index (written in the term's own transaction), so
indexing is a no-op and nothing can drift; migration 0002 adds what the queries need: ``COLLATE
"C"`` B-trees for prefix ranges and pg_trgm GIN indexes for typos and later-word prefixes, and
0003 makes the planner choose those GIN indexes.
Fuzzy queries run inside a savepoint with a statement timeout, which bounds their cost and is
undone, with the pg_trgm thresholds, when the savepoint is rolled back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select, text
from sqlalchemy.exc import DBAPIError

from glossary.extensions import db
from glossary.models import Term
from glossary.search.base import (
    Candidate,
    HitPage,
    IndexedTerm,
    IndexReport,
    SearchFilters,
    SearchQuery,
    Suggestion,
)
from glossary.search.columns import CANDIDATE_COLUMNS, candidates, filtered, search_page
from glossary.search.documents import count_terms

# One advisory lock id for "the search index writer" (the ASCII of "tamy").
LOCK_ID = 0x74616D79
SIMILARITY_THRESHOLD = 0.3
WORD_SIMILARITY_THRESHOLD = 0.6
FUZZY_TIMEOUT_MS = 250
FUZZY_LIMIT = 50
WORD_PREFIX_MIN = 3  # a trigram index cannot narrow a shorter LIKE pattern
REQUIRED_INDEXES = (
    "ix_terms_folded_c",
    "ix_terms_key_c",
    "ix_terms_folded_trgm",
    "ix_terms_key_trgm",
)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PostgresBackend:
    """Search answered by PostgreSQL from the term columns; see the module docstring."""

    name = "postgres"

    def index(self, terms: Iterable[IndexedTerm]) -> int:
        return sum(1 for _ in terms)  # the columns were written with the term

    def remove(self, ids: Iterable[int]) -> int:
        return sum(1 for _ in ids)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        count = count_terms()
        if progress is not None:
            progress(count)
        return count

    @contextmanager
    def exclusive(self, wait: float | None = None) -> Iterator[bool]:
        """A session advisory lock on its own connection: it dies with a killed holder."""
        with db.engine.connect() as connection:
            deadline = None if wait is None else time.monotonic() + wait
            while True:
                got = connection.scalar(select(func.pg_try_advisory_lock(LOCK_ID)))
                if got or (deadline is not None and time.monotonic() >= deadline):
                    break
                time.sleep(0.05)
            try:
                yield bool(got)
            finally:
                if got:
                    connection.scalar(select(func.pg_advisory_unlock(LOCK_ID)))
                connection.rollback()

    # -- reading -------------------------------------------------------------------------------
    def _bounded(self, query: Any) -> list[Candidate]:
        """Run a trigram query with its thresholds and a timeout, inside a savepoint."""
        return [Candidate(*row) for row in self._bounded_rows(query)]

    def _bounded_rows(self, query: Any) -> list[Any]:
        """The rows of a trigram query run with its settings, inside a savepoint; none when it
        times out (the cheaper levels' rows are then the answer)."""
        savepoint = db.session.begin_nested()
        try:
            # The GIN indexes are chosen because migration 0003 prices the trigram operators.
            db.session.execute(
                text(
                    "SELECT set_config('statement_timeout', :timeout, true),"
                    " set_config('pg_trgm.similarity_threshold', :similarity, true),"
                    " set_config('pg_trgm.word_similarity_threshold', :word, true)"
                ),
                {
                    "timeout": str(FUZZY_TIMEOUT_MS),
                    "similarity": str(SIMILARITY_THRESHOLD),
                    "word": str(WORD_SIMILARITY_THRESHOLD),
                },
            )
            return list(db.session.execute(query))
        except DBAPIError:
            return []
        finally:
            savepoint.rollback()

    def fuzzy(self, query: SearchQuery, filters: SearchFilters, limit: int) -> list[Candidate]:
        """Typos, later-word prefixes and loose cross-script keys, by trigram similarity."""
        folded = literal(query.folded)
        matches: list[ColumnElement[bool]] = [
            Term.folded.op("%")(folded),
            folded.op("<%")(Term.folded),
        ]
        scores: list[Any] = [
            func.similarity(Term.folded, folded),
            func.word_similarity(folded, Term.folded),
        ]
        for key in query.keys:
            matches += [Term.key.op("%")(key), literal(key).op("<%")(Term.key)]
            scores += [func.similarity(Term.key, key), func.word_similarity(key, Term.key)]
        statement = (
            candidates(filters)
            .where(or_(*matches))
            .order_by(func.greatest(*scores).desc(), Term.id)
            .limit(limit)
        )
        return self._bounded(statement)

    def search(
        self, query: SearchQuery, filters: SearchFilters, limit: int, cursor: str | None = None
    ) -> HitPage:
        fuzzy = lambda: self.fuzzy(query, filters, FUZZY_LIMIT)  # noqa: E731
        return search_page(self.name, fuzzy, query, filters, limit, cursor)

    def suggest(self, prefix: str, lang: str | None = None, limit: int = 10) -> list[Suggestion]:
        """Terms with a later word starting with ``prefix`` (the columns give first words)."""
        if len(prefix) < WORD_PREFIX_MIN:
            return []
        from glossary.models import Concept

        pattern = f"% {_escape_like(prefix)}%"
        statement = (
            filtered(select(*CANDIDATE_COLUMNS, Concept.uid), SearchFilters(lang=lang))
            .where(
                or_(
                    Term.folded.like(pattern, escape="\\"),
                    Term.key.like(pattern, escape="\\"),
                )
            )
            .order_by(func.length(Term.text), Term.id)
            .limit(limit)
        )
        rows = self._bounded_rows(statement)
        return [Suggestion(uid, id_, lang_, text_) for id_, lang_, text_, *_, uid in rows]

    def is_current(self) -> bool:
        return True  # migrations keep the columns and their indexes current

    def check(self) -> IndexReport:
        """Nothing can drift; the extension and the indexes the queries rely on must exist."""
        report = IndexReport(documents=count_terms())
        if not db.session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")):
            report.problems.append("the pg_trgm extension is missing: run `tamyr init`")
        present = set(
            db.session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'terms'"))
        )
        for name in REQUIRED_INDEXES:
            if name not in present:
                report.problems.append(f"the index {name} is missing: run `tamyr init`")
        return report
