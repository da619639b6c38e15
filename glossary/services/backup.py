"""Backup and restore of the whole termbase (DESIGN.md §6: `tamyr backup`, `tamyr restore`).

A backup is read in one transaction that sees one moment of the database (REPEATABLE READ on
PostgreSQL, one read transaction on SQLite's WAL), so a vote cast meanwhile is either wholly in
it or wholly out. Restore writes everything in one transaction into a database that holds only
its languages (after `tamyr init`), with the original ids, so a damaged file or a refused row
leaves the target as it was. The search index is derived data: it is not in the file and is
rebuilt after the restore commits. The search outbox is left out for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Connection, Table, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from glossary.database import refresh_statistics
from glossary.extensions import db
from glossary.models import utcnow
from glossary.services.backup_format import (
    BackupError,
    BackupReader,
    BackupWriter,
    Header,
    decode_row,
    decoder_for,
)

# Derived data, rebuilt after a restore rather than carried in the file.
NOT_BACKED_UP = frozenset({"search_outbox"})
# Seeded by `tamyr init` and replaced by the backup's own rows; every other table must be empty.
SEEDED = frozenset({"languages"})
INSERT_BATCH = 1000
FETCH_BATCH = 2000

Progress = Callable[[int, int], None]  # (rows done, rows in the backup)


@dataclass
class RestoreResult:
    counts: dict[str, int]
    schema: str
    created: str
    indexed: int | None  # terms in the rebuilt index; None if the rebuild failed
    index_error: str | None = None


def backed_up_tables() -> list[Table]:
    """Every model table in foreign-key order (parents first), less the derived ones."""
    return [t for t in db.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def schema_revision(connection: Connection) -> str:
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise BackupError("the database has no schema yet: run `tamyr init` first")
    return str(revision)


@contextmanager
def _snapshot_connection() -> Iterator[Connection]:
    """A connection inside one read transaction that sees one consistent moment."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.execute(text("SET TRANSACTION READ ONLY"))
                yield connection
            return
        # pysqlite runs SELECTs outside any transaction unless told: each would see a
        # different moment. An explicit BEGIN holds one WAL read snapshot for all of them.
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.exec_driver_sql("ROLLBACK")


def write_backup(stream: IO[bytes], progress: Progress | None = None) -> Header:
    """Write a consistent snapshot of every table into ``stream``; returns its header."""
    tables = backed_up_tables()
    with _snapshot_connection() as connection:
        counts = {
            table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in tables
        }
        header = Header(
            schema=schema_revision(connection),
            created=utcnow().isoformat(),
            dialect=connection.dialect.name,
            counts=counts,
        )
        writer = BackupWriter(stream)
        writer.header(header)
        for table in tables:
            columns = [column.name for column in table.columns]
            writer.table(table.name, columns)
            order = list(table.primary_key.columns) or list(table.columns)
            result = connection.execution_options(yield_per=FETCH_BATCH).execute(
                select(*table.columns).order_by(*order)
            )
            for row in result:
                writer.row(row)
                if progress is not None and writer.rows % FETCH_BATCH == 0:
                    progress(writer.rows, header.rows)
            if progress is not None:
                progress(writer.rows, header.rows)
        writer.close()
    return header


# -- restore -----------------------------------------------------------------------------------
def occupied_tables(connection: Connection) -> dict[str, int]:
    """Tables (other than the seeded ones) that already hold rows, with their counts."""
    found = {}
    for table in backed_up_tables():
        if table.name in SEEDED:
            continue
        count = int(connection.scalar(select(func.count()).select_from(table)) or 0)
        if count:
            found[table.name] = count
    return found


@contextmanager
def _write_transaction() -> Iterator[Connection]:
    """One write transaction; on SQLite it takes the write lock before the first read."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            with connection.begin():
                yield connection
            return
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")


def restore_backup(
    stream: IO[bytes], progress: Progress | None = None, rebuild_index: bool = True
) -> RestoreResult:
    """Restore a backup into a database holding nothing but its languages; all or nothing."""
    reader = BackupReader(stream)
    header = reader.header
    tables = {table.name: table for table in backed_up_tables()}
    unknown = sorted(set(header.counts) - set(tables))
    if unknown:
        raise BackupError(f"the backup has tables this Tamyr does not know: {', '.join(unknown)}")
    try:
        with _write_transaction() as connection:
            _check_target(connection, header)
            for section in reader.sections():
                _restore_table(connection, tables[section.table], section, reader, progress)
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection, [tables[name] for name in header.counts])
    except IntegrityError as exc:
        raise BackupError(f"the backup breaks a database constraint: {exc.orig}") from exc
    except (DBAPIError, ValueError, TypeError) as exc:
        raise BackupError(f"the backup holds a value the database refuses: {exc}") from exc
    db.session.remove()  # sessions opened before the restore must not serve cached rows
    refresh_statistics(sum(header.counts.values()))
    result = RestoreResult(
        counts=header.counts, schema=header.schema, created=header.created, indexed=None
    )
    if rebuild_index:
        _rebuild_index(result)
    return result


def _check_target(connection: Connection, header: Header) -> None:
    revision = schema_revision(connection)
    if header.schema != revision:
        raise BackupError(
            f"the backup was written at schema revision {header.schema} and this database is "
            f"at {revision}: restore with the Tamyr version that wrote it (then upgrade)"
        )
    occupied = occupied_tables(connection)
    if occupied:
        listed = ", ".join(f"{count} {name}" for name, count in occupied.items())
        raise BackupError(
            f"the database is not empty ({listed}): restore needs a fresh database "
            "created with `tamyr init`"
        )


def _restore_table(
    connection: Connection,
    table: Table,
    section: Any,
    reader: BackupReader,
    progress: Progress | None,
) -> None:
    decoders = decoder_for(table, section.columns)
    if table.name in SEEDED:
        connection.execute(table.delete())
    # A column pointing into its own table (a concept merged into a later one) is filled in
    # after every row exists, since the database checks each foreign key at once.
    self_refs = [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.name in section.columns
    ]
    deferred: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    for values in section.rows:
        row = decode_row(section.columns, decoders, values)
        if self_refs and any(row[name] is not None for name in self_refs):
            deferred.append(dict(row))
            row.update(dict.fromkeys(self_refs))
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            connection.execute(insert(table), batch)
            batch.clear()
            if progress is not None:
                progress(reader.rows_read, reader.header.rows)
    if batch:
        connection.execute(insert(table), batch)
    for row in deferred:
        _restore_self_references(connection, table, self_refs, row)
    if progress is not None:
        progress(reader.rows_read, reader.header.rows)


def _restore_self_references(
    connection: Connection, table: Table, self_refs: list[str], row: dict[str, Any]
) -> None:
    keys = [column.name for column in table.primary_key.columns]
    # Columns with an onupdate default (updated_at) would otherwise take the restore's time.
    keep = [c.name for c in table.columns if c.onupdate is not None and c.name in row]
    statement = update(table).where(*(table.c[key] == row[key] for key in keys))
    connection.execute(statement.values({name: row[name] for name in [*self_refs, *keep]}))


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Point each id sequence past the restored ids, so the next insert does not collide."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False or not _is_integer(keys[0]):
            continue
        column = keys[0].name
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({column}), 0) + 1, false) FROM {table.name}"
            ),
            {"table": table.name, "column": column},
        )


def _is_integer(column: Any) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False


def _rebuild_index(result: RestoreResult) -> None:
    from glossary.services.indexing import reindex

    try:
        result.indexed, _applied = reindex()
    except Exception as exc:  # the data is committed; the index can be rebuilt later
        result.index_error = f"{exc.__class__.__name__}: {exc}"
