"""/api/v1/terms/{id}: change one term."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from glossary.api.auth import current_actor
from glossary.api.schemas import TermPatchSchema, TermSchema
from glossary.services import editing

blp = Blueprint("terms", __name__, url_prefix="/api/v1", description="Terms")


@blp.route("/terms/<int:term_id>", methods=["PATCH"])
@blp.arguments(TermPatchSchema)
@blp.response(200, TermSchema)
def patch_term(body: dict[str, Any], term_id: int) -> Any:
    """Change text, part of speech or note (editors) or status (moderators).

    Making a term preferred demotes the language's previous preferred term to admitted.
    """
    return editing.update_term(current_actor(), editing.get_term(term_id), body)
