"""The backup file: gzip'd JSON Lines, portable between SQLite and PostgreSQL.

Layout, one JSON document per line::

    {"format": "tamyr-backup", "version": 1, "schema": "<alembic revision>", "created": …,
     "dialect": "sqlite", "counts": {"languages": 40, "concepts": 1200, …}}
    {"table": "languages", "columns": ["tag", "name", …]}
    ["kk", "Kazakh", …]                      one array per row, in ``columns`` order
    …
    {"end": "tamyr-backup", "rows": 5321}

Values are plain JSON; datetimes are ISO 8601 in UTC and are turned back into datetimes from
the column type on restore, so nothing depends on the dialect that wrote the file. The counts
in the header and the closing line let a reader tell a complete file from a truncated one even
when the cut falls on a line boundary (gzip's own CRC catches the rest).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import Date, DateTime, Table
from sqlalchemy.types import TypeDecorator

from glossary.errors import TamyrError

FORMAT = "tamyr-backup"
VERSION = 1


class BackupError(TamyrError):
    """The backup file is not one Tamyr can restore, or the target refuses it."""

    status = 422
    title = "Unusable backup"


@dataclass(frozen=True)
class Header:
    schema: str
    created: str
    dialect: str
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "schema": self.schema,
            "created": self.created,
            "dialect": self.dialect,
            "counts": self.counts,
        }

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def encode_value(value: Any) -> Any:
    """A column value as JSON: datetimes and dates as ISO strings, the rest unchanged."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _base_type(column_type: Any) -> Any:
    return column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type


def decoder_for(table: Table, columns: list[str]) -> list[Any]:
    """Per column, a function turning the JSON value back into what the column binds."""
    decoders: list[Any] = []
    for name in columns:
        if name not in table.c:
            raise BackupError(
                f"the backup has a column {table.name}.{name} this database does not; "
                "restore it into the Tamyr version that wrote it"
            )
        base = _base_type(table.c[name].type)
        if isinstance(base, DateTime):
            decoders.append(_parse_datetime)
        elif isinstance(base, Date):
            decoders.append(_parse_date)
        else:
            decoders.append(None)
    return decoders


def _parse_datetime(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _parse_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def decode_row(columns: list[str], decoders: list[Any], values: list[Any]) -> dict[str, Any]:
    if len(values) != len(columns):
        raise BackupError(f"a row has {len(values)} values for {len(columns)} columns")
    return {
        name: (decode(value) if decode is not None else value)
        for name, decode, value in zip(columns, decoders, values, strict=True)
    }


class BackupWriter:
    """Writes the lines of one backup into a binary stream, compressed."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._gzip = gzip.GzipFile(fileobj=stream, mode="wb", compresslevel=6)
        self.rows = 0

    def _line(self, document: Any) -> None:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        self._gzip.write(text.encode("utf-8") + b"\n")

    def header(self, header: Header) -> None:
        self._line(header.as_dict())

    def table(self, name: str, columns: list[str]) -> None:
        self._line({"table": name, "columns": columns})

    def row(self, values: Any) -> None:
        self._line([encode_value(value) for value in values])
        self.rows += 1

    def close(self) -> None:
        self._line({"end": FORMAT, "rows": self.rows})
        self._gzip.close()


@dataclass
class Section:
    """One table of a backup being read: its columns and an iterator over its rows."""

    table: str
    columns: list[str]
    rows: Iterator[list[Any]]


class BackupReader:
    """Reads a backup line by line; every way a file can be damaged becomes a BackupError."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._lines = self._decoded(gzip.GzipFile(fileobj=stream, mode="rb"))
        self.header = self._read_header()
        self._pending: Any = None
        self.rows_read = 0

    def _decoded(self, raw: gzip.GzipFile) -> Iterator[Any]:
        try:
            for number, line in enumerate(raw, start=1):
                try:
                    yield json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise BackupError(f"line {number} of the backup is damaged: {exc}") from exc
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise BackupError(f"the backup file is damaged or truncated ({exc})") from exc

    def _next(self) -> Any:
        try:
            return next(self._lines)
        except StopIteration:
            raise BackupError(
                "the backup file ends early (truncated): it has no closing line"
            ) from None

    def _read_header(self) -> Header:
        first = self._next()
        if not isinstance(first, dict) or first.get("format") != FORMAT:
            raise BackupError("this is not a Tamyr backup (no tamyr-backup header)")
        if first.get("version") != VERSION:
            raise BackupError(
                f"backup format version {first.get('version')!r} is not supported "
                f"(this Tamyr reads version {VERSION})"
            )
        counts = first.get("counts")
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in counts.items()
        ):
            raise BackupError("the backup header has no valid table counts")
        return Header(
            schema=str(first.get("schema")),
            created=str(first.get("created")),
            dialect=str(first.get("dialect")),
            counts=counts,
        )

    def sections(self) -> Iterator[Section]:
        """Each table in file order; the caller must exhaust one section before the next."""
        while True:
            line = self._next()
            if isinstance(line, dict) and "end" in line:
                self._finish(line)
                return
            if not (isinstance(line, dict) and isinstance(line.get("table"), str)):
                raise BackupError("the backup is damaged: expected a table heading")
            name, columns = line["table"], line.get("columns")
            if not isinstance(columns, list) or name not in self.header.counts:
                raise BackupError(f"the backup is damaged: bad heading for table {name!r}")
            yield Section(name, columns, self._rows(name, self.header.counts[name]))

    def _rows(self, table: str, count: int) -> Iterator[list[Any]]:
        for _ in range(count):
            values = self._next()
            if not isinstance(values, list):
                raise BackupError(f"the backup is damaged: table {table} has fewer rows than said")
            self.rows_read += 1
            yield values

    def _finish(self, line: dict[str, Any]) -> None:
        if line.get("end") != FORMAT or line.get("rows") != self.header.rows:
            raise BackupError("the backup is damaged: its closing line does not match the header")
        if self.rows_read != self.header.rows:
            raise BackupError("the backup is damaged: some tables are missing")
        for extra in self._lines:
            raise BackupError(f"the backup has data after its closing line: {str(extra)[:40]}")
