"""/api/v1/users, tokens and /me: accounts for administrators, one's own account for all."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from glossary.api.auth import current_actor
from glossary.api.pagination import PageArgs, id_page, page_schema
from glossary.api.schemas import (
    MeSchema,
    NewTokenResultSchema,
    NewTokenSchema,
    NewUserSchema,
    TokenSchema,
    UserSchema,
)
from glossary.errors import Unauthorized
from glossary.models import User
from glossary.services import users as user_service

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Accounts and API tokens")

UserPageSchema = page_schema("UserPage", UserSchema)
USER_COLUMNS = ("id", "username", "display_name", "role", "active", "created_at")
TOKEN_COLUMNS = ("id", "name", "prefix", "user", "meetup_id", "created_at", "last_used_at")
TOKEN_COLUMNS += ("revoked_at",)


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A model row as a dict, so an answer can add fields the model does not have."""
    return {name: getattr(row, name) for name in names}


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, UserPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Every account, by id (admins)."""
        query = user_service.users_query(current_actor())
        return id_page(query, User.id, limit=args["limit"], cursor=args["cursor"])

    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create an account (admins); without a password it signs in only with tokens."""
        return user_service.create_user(
            current_actor(), body["username"], body["role"], body["password"]
        )


@blp.route("/users/<int:user_id>/tokens")
class UserTokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self, user_id: int) -> Any:
        """A user's tokens, newest first, revoked ones included (admins, or the user)."""
        actor = current_actor()
        user = user_service.get_user_by_id(user_id)
        if actor.user_id != user.id:
            actor.require("admin")
        return user_service.tokens_of(user)

    @blp.arguments(NewTokenSchema)
    @blp.response(201, NewTokenResultSchema)
    def post(self, body: dict[str, Any], user_id: int) -> Any:
        """Make an API token for a user (admins, or the user); the answer shows it once."""
        actor = current_actor()
        user = user_service.get_user_by_id(user_id)
        token = user_service.create_token(actor, user, body["name"])
        return {**_columns(user_service.user_for_token(token), TOKEN_COLUMNS), "token": token}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke_token(token_id: int) -> Any:
    """Revoke a token (admins, or its owner); it stops working at once."""
    user_service.revoke_token(current_actor(), token_id)
    return None


@blp.route("/me")
@blp.response(200, MeSchema)
def me() -> Any:
    """The account this request acts as, with its tokens."""
    actor = current_actor()
    if actor.user is None:
        raise Unauthorized("sign in or send an API token to see your account")
    user = actor.user
    return {**_columns(user, USER_COLUMNS), "tokens": user_service.tokens_of(user)}
