"""Keeping the search index in step with the database through the search outbox.

Every term change writes an outbox row in its own transaction (services/terms.py,
services/records.py). :func:`apply_pending` turns rows into index updates *after* that commit:
under the one-writer lock it reads a window of rows, streams the terms' current state into one
index writer, commits the index once, and only then deletes those rows. Killed anywhere in
between, the rows are still there and the next run applies them again, which is harmless:
indexing a term twice gives the same entry. A full :func:`reindex` holds the same lock while it
builds aside, so no row can be consumed by the old index during the build; the rows left are
applied to the new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import Flask, Response, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from glossary.extensions import db
from glossary.models import SearchOutbox
from glossary.search import get_backend
from glossary.search.base import IndexedTerm, chunked
from glossary.search.documents import ID_BATCH, load_terms

log = logging.getLogger(__name__)

# Outbox rows per index commit. Every Whoosh commit writes (and may merge) a segment, so a few
# large commits are far cheaper than many small ones; a window this size is ~15 MB of rows.
APPLY_BATCH = 100_000
# A web request waits this long for another writer before leaving its rows for the next one.
REQUEST_WAIT_SECONDS = 10.0
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class IndexCheck:
    """`tamyr check`'s view of the index: drift excludes terms whose changes are pending."""

    backend: str
    documents: int = 0
    pending: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.missing or self.extra or self.stale)

    def messages(self) -> tuple[list[str], list[str]]:
        """(problems, notes) worded for `tamyr check`."""
        problems = list(self.problems)
        for ids, what in (
            (self.missing, "are missing from the search index"),
            (self.extra, "are in the search index but not searchable in the database"),
            (self.stale, "are indexed with outdated text, status or filters"),
        ):
            if ids:
                sample = ", ".join(map(str, ids[:5])) + (", …" if len(ids) > 5 else "")
                problems.append(f"{len(ids)} terms {what} (ids {sample}): run `tamyr reindex`")
        notes = []
        if self.pending:
            notes.append(
                f"{self.pending} term changes wait for the search index "
                "(`tamyr reindex --pending` applies them)"
            )
        return problems, notes


def pending_count() -> int:
    return int(db.session.scalar(select(func.count(SearchOutbox.id))) or 0)


def _apply_batch(session: Session) -> int:
    """Index one window of outbox rows, then delete them; returns how many rows it took."""
    rows = session.execute(
        select(SearchOutbox.id, SearchOutbox.term_id, SearchOutbox.op)
        .order_by(SearchOutbox.id)
        .limit(APPLY_BATCH)
    ).all()
    if not rows:
        return 0
    latest = {term_id: op for _id, term_id, op in rows}  # ordered by id: the last op wins
    wanted = sorted(term_id for term_id, op in latest.items() if op == "index")
    found: set[int] = set()

    def documents() -> Iterator[IndexedTerm]:
        # Streamed into one writer: the window's terms are never all in memory at once.
        for ids in chunked(wanted, ID_BATCH):
            for document in load_terms(ids, session):
                found.add(document.id)
                yield document

    backend = get_backend()
    backend.index(documents())
    backend.remove(term_id for term_id in latest if term_id not in found)
    _delete_applied(session, [row_id for row_id, _term, _op in rows])
    return len(rows)


def _delete_applied(session: Session, row_ids: list[int]) -> None:
    # Only after the index committed: a crash before the commit re-applies the rows next time.
    # By id, not by range: a row another transaction has yet to commit may sit in the range.
    for ids in chunked(row_ids, ID_BATCH):
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids)))
    session.commit()


def apply_pending(
    wait: float | None = None, progress: Callable[[int], None] | None = None
) -> int | None:
    """Apply every pending outbox row to the index; None if another writer held the lock
    for longer than ``wait`` seconds (its run, or the next one, applies the rows)."""
    backend = get_backend()
    with backend.exclusive(wait) as acquired:
        if not acquired:
            return None
        applied = 0
        # A session of its own: the caller's transaction is neither committed nor disturbed.
        with Session(db.engine) as session:
            while taken := _apply_batch(session):
                applied += taken
                if progress is not None:
                    progress(applied)
        return applied


def upgrade_index() -> int | None:
    """Rebuild an index written in an older release's format (else None: nothing to do)."""
    if get_backend().is_current():
        return None
    return reindex()[0]


def reindex(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Rebuild the whole index aside, swap it in, then apply what changed meanwhile.

    Returns (terms indexed, outbox rows applied afterwards).
    """
    count = get_backend().rebuild(progress)
    return count, apply_pending() or 0


def check_index() -> IndexCheck:
    """Compare the index with the database; pending outbox rows are counted, not drift."""
    backend = get_backend()
    pending_ids = set(db.session.scalars(select(SearchOutbox.term_id)))
    report = backend.check()
    return IndexCheck(
        backend=backend.name,
        documents=report.documents,
        pending=pending_count(),
        missing=[i for i in report.missing if i not in pending_ids],
        extra=[i for i in report.extra if i not in pending_ids],
        stale=[i for i in report.stale if i not in pending_ids],
        problems=report.problems,
    )


def register_index_hooks(app: Flask) -> None:
    """Apply the outbox after every successful write request (read-your-writes search)."""

    @app.after_request
    def _apply_after_write(response: Response) -> Response:
        from flask import request

        if request.method in _WRITE_METHODS and response.status_code < 400:
            try:
                apply_pending(wait=REQUEST_WAIT_SECONDS)
            except Exception:  # the commit stands; the rows wait for the next writer
                current_app.logger.exception("applying the search outbox failed")
        return response
