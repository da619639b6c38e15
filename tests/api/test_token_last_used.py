"""A token's "last used" time is kept to a few minutes, so a burst of requests (a meetup's
votes) does not add a write per request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from glossary.api.auth import LAST_USED_PRECISION
from glossary.extensions import db
from glossary.models import ApiToken
from tests.api.conftest import bearer


def token_updates(client, token: str) -> int:
    """How many UPDATEs of the token table one authenticated read sends."""
    updates: list[str] = []

    def listener(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE") and "api_tokens" in statement:
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(updates)


def test_last_used_is_written_once_per_period(client, token_for):
    token = token_for("editor")
    assert token_updates(client, token) == 1  # first use
    assert token_updates(client, token) == 0  # again at once: nothing to write
    row = db.session.scalars(db.select(ApiToken)).one()
    row.last_used_at -= LAST_USED_PRECISION + timedelta(seconds=1)
    db.session.commit()
    assert token_updates(client, token) == 1  # a period later: written again
