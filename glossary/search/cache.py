"""Search and autocomplete answers kept per process until the searchable data changes.

Editors and meetup phones ask the same few queries again and again (a concept being voted on,
the first letters of a common word), and an answer costs several indexed lookups plus, when
those find little, a Whoosh fuzzy pass. So answers (term ids with how they matched, never the
term objects, which are loaded fresh) are kept in a small LRU per application, under the
*searchable version*: one cheap query over indexed columns that changes whenever a term or
concept is written, and whenever the search outbox grows or is applied (its smallest and largest
ids), so an answer computed before the index caught up is not kept after it has.

Terms are never deleted (DESIGN.md §3), so every change that can alter an answer moves one of:
the newest term id, the newest term or concept ``updated_at`` (set on every update), or the
outbox. Nodes of a multi-node deployment each keep their own cache under the same rule.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy import func

from glossary.models import Concept, SearchOutbox, Term
from glossary.versions import probe

T = TypeVar("T")
_EXTENSION = "tamyr.search_cache"


def searchable_version() -> tuple[object, ...]:
    """A value that differs after any write that can change a search answer."""
    return probe(
        func.max(Term.id),
        func.max(Term.updated_at),
        func.max(Concept.updated_at),
        # Not a count: after `import --defer-index` the outbox may hold a million rows. The
        # index applies the oldest rows first, so every catch-up moves the smallest id.
        func.min(SearchOutbox.id),
        func.max(SearchOutbox.id),
    )


class AnswerCache:
    """A thread-safe LRU of answers, emptied when the searchable version moves on."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
        self._version: tuple[object, ...] | None = None
        self._lock = threading.Lock()

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer to ``key``, or ``compute()``'s, kept for next time."""
        if self.size <= 0:
            return compute()
        version = searchable_version()
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._version = version
            elif key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[return-value]
        value = compute()  # outside the lock: a slow query must not hold up the others
        with self._lock:
            if version == self._version:
                self._answers[key] = value
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return value


def answer_cache(app: Flask | None = None) -> AnswerCache:
    """The cache of the application's search backend (one per gunicorn worker), sized by
    ``SEARCH_CACHE_SIZE`` (0 turns it off)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    caches: dict[tuple[str, str], AnswerCache] = app.extensions.setdefault(_EXTENSION, {})
    slot = (app.config["SEARCH_BACKEND"], str(app.config["INDEX_DIR"]))  # as get_backend's
    cache = caches.get(slot)
    if cache is None:
        size = int(app.config["SEARCH_CACHE_SIZE"])
        cache = caches[slot] = AnswerCache(size)
    return cache
