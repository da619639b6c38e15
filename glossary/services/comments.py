"""Comments on concepts and their terms: anyone signed in may talk; moderation hides."""

from __future__ import annotations

from sqlalchemy import func, select

from glossary.errors import InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import Comment, Concept, Term, User
from glossary.services import history
from glossary.services.actors import Actor
from glossary.text.folding import clean_text

MAX_COMMENT_LENGTH = 4000


def add_comment(actor: Actor, concept: Concept, text: str, term_id: int | None = None) -> Comment:
    """A signed-in person's comment on a concept (or one of its terms), recorded in history."""
    actor.require("viewer")
    try:  # paragraphs survive; each line is cleaned like any stored text
        lines = [clean_text(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
        body = "\n".join(lines).strip()
    except ValueError as exc:
        raise InvalidInput(str(exc), field="text") from exc
    if not body:
        raise InvalidInput("a comment must not be empty", field="text")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidInput(f"a comment is at most {MAX_COMMENT_LENGTH} characters", field="text")
    if term_id is not None:
        term = db.session.get(Term, term_id)
        if term is None or term.concept_id != concept.id:
            raise NotFound(f"concept {concept.uid} has no term {term_id}")
    comment = Comment(concept_id=concept.id, term_id=term_id, author_id=actor.user_id, text=body)
    db.session.add(comment)
    db.session.flush()
    history.record(
        actor, "comment.add", "comment", comment.id, concept_id=concept.id, after={"text": body}
    )
    db.session.commit()
    return comment


def comments_on(concept: Concept) -> list[tuple[Comment, str | None]]:
    """Visible comments, oldest first, each with its author's shown name (one query)."""
    query = (
        select(Comment, func.coalesce(User.display_name, User.username))
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.concept_id == concept.id, Comment.hidden.is_(False))
        .order_by(Comment.created_at, Comment.id)
    )
    return [(comment, author) for comment, author in db.session.execute(query)]
