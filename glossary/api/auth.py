"""Who is calling the API: ``Authorization: Bearer <token>``, else the browser's signed-in
session (writes then need the page's CSRF token in ``X-CSRFToken``), else anonymous."""

from __future__ import annotations

from datetime import timedelta

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from glossary.errors import Forbidden, Unauthorized
from glossary.extensions import db
from glossary.models import utcnow
from glossary.services.actors import Actor, actor_for
from glossary.services.users import user_for_token

# "Last used" is shown to the token's owner to spot forgotten tokens, to the minute at best; a
# write on every request would double the writes of a meetup's votes (each its own commit).
LAST_USED_PRECISION = timedelta(minutes=5)


def current_actor() -> Actor:
    """The actor for this request, computed once; a bad token is a 401, not anonymity."""
    if "actor" in g:
        return g.actor
    header = request.headers.get("Authorization", "")
    actor = actor_for(None)
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("the Authorization header must be `Bearer <token>`")
        row = user_for_token(token.strip())
        if row is None:
            raise Unauthorized("this API token is unknown or revoked")
        now = utcnow()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            row.last_used_at = now
            db.session.commit()
        actor = actor_for(row.user, meetup_id=row.meetup_id)
    elif current_user.is_authenticated:
        user = current_user._get_current_object()
        _require_csrf_for_cookie_writes()
        actor = actor_for(user, meetup_id=user.meetup_id)
    g.actor = actor
    return actor


def _require_csrf_for_cookie_writes() -> None:
    """A cookie rides along on cross-site requests; a bearer token never does."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    try:
        validate_csrf(token)
    except (ValidationError, CSRFError) as exc:
        raise Forbidden(
            "a browser session needs its CSRF token in the X-CSRFToken header for writes"
        ) from exc
