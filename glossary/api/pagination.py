"""Opaque cursors for keyset pagination: stable under inserts, cheap at any depth.

A cursor is base64url JSON of the last row's sort key. Clients must treat it as opaque; we only
promise that `next` of one page fetches the following one.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import Schema, fields, validate
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from glossary.errors import InvalidInput
from glossary.extensions import db

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_CURSOR_LENGTH = 512
# The keys are database ids: keep them inside a 32-bit signed column so no backend overflows.
MAX_ID = 2**31 - 1

Row = TypeVar("Row")


def encode_cursor(key: Any) -> str:
    raw = json.dumps({"k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> Any:
    """The sort key inside ``cursor``; anything we did not make is a clear 422."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidInput("this cursor is not one Tamyr made", field="cursor")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeEncodeError, binascii.Error) as exc:
        raise InvalidInput("this cursor is not one Tamyr made", field="cursor") from exc
    if not isinstance(data, dict) or "k" not in data:
        raise InvalidInput("this cursor is not one Tamyr made", field="cursor")
    return data["k"]


def decode_id_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key <= MAX_ID:
        raise InvalidInput("this cursor is not one Tamyr made", field="cursor")
    return key


@dataclass(frozen=True, slots=True)
class Page(Generic[Row]):
    rows: Sequence[Row]
    next: str | None


def id_page(
    query: Select[Any],
    id_column: InstrumentedAttribute[int],
    *,
    limit: int,
    cursor: str | None,
    newest_first: bool = False,
) -> Page[Any]:
    """One page of ``query`` ordered by ``id_column``, continuing after ``cursor``."""
    after = decode_id_cursor(cursor)
    if after is not None:
        query = query.where(id_column < after if newest_first else id_column > after)
    order = id_column.desc() if newest_first else id_column.asc()
    rows = list(db.session.scalars(query.order_by(order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)


class PageArgs(Schema):
    """``limit`` and ``cursor`` query parameters shared by every list operation."""

    limit = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": f"rows per page (1–{MAX_PAGE_SIZE})"},
    )
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=MAX_CURSOR_LENGTH),
        metadata={"description": "`next` from the previous page; omit for the first page"},
    )


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """``{"results": [item…], "next": cursor|null}``, the shape every list answers with."""
    return Schema.from_dict(
        {
            "results": fields.List(fields.Nested(item), attribute="rows", required=True),
            "next": fields.String(allow_none=True, required=True),
        },
        name=name,
    )
