"""Database wiring: engine settings per dialect, migrations, and a consistent session scope."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from glossary.extensions import db, migrate
from glossary.resources import resource_dir


def init_app(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        _prepare_sqlite(app, uri)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))


def _prepare_sqlite(app: Flask, uri: str) -> None:
    path = uri.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # Several gunicorn workers share one file: wait for a lock rather than fail at once.
    options.setdefault("connect_args", {}).setdefault("timeout", 30)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets readers go on while a meetup writes; NORMAL is durable at commit in WAL.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


# A bulk write this large changes what the planner should know about the tables.
BULK_ROWS = 1000


def refresh_statistics(rows_written: int) -> None:
    """After a bulk write on PostgreSQL, ANALYZE the tables search plans depend on.

    Until autovacuum gets round to it (never, where it is off), the planner thinks the freshly
    filled tables are nearly empty and walks every term for a fuzzy query rather than the
    trigram indexes: the level then hits its timeout and finds nothing. PostgreSQL's own advice
    after a bulk load is to run ANALYZE; on a million terms it samples and takes about a second.
    """
    if rows_written < BULK_ROWS or db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE terms, concepts, definitions")
        connection.commit()
