"""Who is calling the API: ``Authorization: Bearer <token>``, else anonymous."""

from __future__ import annotations

from flask import g, request

from glossary.errors import Unauthorized
from glossary.extensions import db
from glossary.models import utcnow
from glossary.services.actors import Actor, actor_for
from glossary.services.users import user_for_token


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
        row.last_used_at = utcnow()
        db.session.commit()
        actor = actor_for(row.user, meetup_id=row.meetup_id)
    g.actor = actor
    return actor
