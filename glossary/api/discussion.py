"""/api/v1/concepts/{uid}/comments and /history: what people said and what changed."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from glossary.api.auth import current_actor
from glossary.api.pagination import PageArgs, id_page, page_schema
from glossary.api.schemas import ChangeSchema, CommentSchema, NewCommentSchema
from glossary.models import Comment, History
from glossary.services import comments as comment_service
from glossary.services.history import concept_history_query
from glossary.services.terms import get_concept

blp = Blueprint("discussion", __name__, url_prefix="/api/v1", description="Comments and history")


def _comment_row(comment: Comment, author: str | None, uid: str) -> dict[str, Any]:
    return {
        "id": comment.id,
        "concept": uid,
        "term": comment.term_id,
        "author": author,
        "text": comment.text,
        "created_at": comment.created_at,
    }


@blp.route("/concepts/<string:uid>/comments")
class Comments(MethodView):
    @blp.response(200, CommentSchema(many=True))
    def get(self, uid: str) -> Any:
        """Visible comments on a concept and its terms, oldest first."""
        concept = get_concept(uid)
        return [_comment_row(c, author, uid) for c, author in comment_service.comments_on(concept)]

    @blp.arguments(NewCommentSchema)
    @blp.response(201, CommentSchema)
    def post(self, body: dict[str, Any], uid: str) -> Any:
        """Comment on a concept, or on one of its terms with `term` (anyone signed in)."""
        actor = current_actor()
        concept = get_concept(uid)
        comment = comment_service.add_comment(actor, concept, body["text"], body["term"])
        return _comment_row(comment, actor.name, uid)


HistoryPageSchema = page_schema("ChangePage", ChangeSchema)


@blp.route("/concepts/<string:uid>/history")
@blp.arguments(PageArgs, location="query")
@blp.response(200, HistoryPageSchema)
def concept_history(args: dict[str, Any], uid: str) -> Any:
    """Every recorded change to a concept and its terms, newest first."""
    concept = get_concept(uid)
    return id_page(
        concept_history_query(concept.id),
        History.id,
        limit=args["limit"],
        cursor=args["cursor"],
        newest_first=True,
    )
