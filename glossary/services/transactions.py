"""Short write transactions that survive a busy SQLite file and concurrent inserts.

A meetup is 150 phones writing within seconds. Each write runs as one short transaction
through :func:`run_write`:

- on SQLite it starts with ``BEGIN IMMEDIATE``: Python's sqlite3 module otherwise runs the
  reads before the first INSERT outside any transaction, so a vote could be checked against
  an open ballot and then stored after another worker closed it. Taking the write lock first
  makes the whole unit serial, and the busy timeout queues writers instead of failing them;
- on PostgreSQL the work locks the rows it depends on (``FOR SHARE``/``FOR UPDATE``);
- a lock timeout, deadlock or serialization failure, or a unique constraint lost to a
  concurrent insert, rolls back and runs the work again, which then sees the winner's row.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from glossary.extensions import db

T = TypeVar("T")
ATTEMPTS = 8
# PostgreSQL SQLSTATEs worth another try: serialization failure, deadlock, lock not available.
RETRY_SQLSTATES = {"40001", "40P01", "55P03"}


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    original = exc.orig
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return "locked" in message or "busy" in message
    return getattr(original, "sqlstate", None) in RETRY_SQLSTATES


def _begin() -> None:
    """Open the transaction; on SQLite take the write lock now (see the module docstring)."""
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection) and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_write(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``work`` in one transaction and commit it, retrying lost races.

    ``work`` must be safe to run again: it reloads what it needs and raises service errors
    (which roll back) for requests it refuses. Objects it returns are live after the commit.
    """
    # Whatever the request read so far is done with: start the unit on a fresh transaction.
    db.session.commit()
    for attempt in range(attempts):
        try:
            _begin()
            result = work()
            db.session.commit()
            return result
        except (OperationalError, IntegrityError) as exc:
            db.session.rollback()
            if attempt == attempts - 1 or not _retryable(exc):
                raise
        except BaseException:
            db.session.rollback()
            raise
        # Jittered backoff so the losers of one race do not collide again in lockstep.
        time.sleep(random.uniform(0, min(0.02 * 2**attempt, 0.5)))
    raise AssertionError("unreachable")  # pragma: no cover
