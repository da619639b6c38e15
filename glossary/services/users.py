"""Accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, select

from glossary.errors import Conflict, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import ROLES, ApiToken, User, utcnow
from glossary.services import history
from glossary.services.actors import Actor

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "tamyr_"
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def create_user(actor: Actor, username: str, role: str, password: str | None) -> User:
    """A local account; the password is hashed with argon2id and never stored."""
    actor.require("admin")
    username = username.strip()
    if not username or len(username) > 80:
        raise InvalidInput("a user name is 1 to 80 characters", field="username")
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; use one of {', '.join(ROLES)}", field="role")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password has at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"a user named {username!r} already exists")
    user = User(
        username=username, role=role, password_hash=hash_password(password) if password else None
    )
    db.session.add(user)
    db.session.flush()
    history.record(
        actor, "user.create", "user", user.id, after={"username": username, "role": role}
    )
    db.session.commit()
    return user


def create_token(
    actor: Actor, user: User, name: str = "default", meetup_id: int | None = None
) -> str:
    """Make a new API token for ``user`` and return it; only its SHA-256 is kept."""
    if actor.user_id != user.id:
        actor.require("admin")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        meetup_id=meetup_id,
    )
    db.session.add(row)
    db.session.flush()
    history.record(
        actor, "token.create", "token", row.id, after={"user": user.username, "name": name}
    )
    db.session.commit()
    return token


def user_for_token(token: str) -> ApiToken | None:
    """The live token row for a presented bearer token, or None."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row


def revoke_token(actor: Actor, token_id: int) -> None:
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}")
    if actor.user_id != row.user_id:
        actor.require("admin")
    row.revoked_at = utcnow()
    history.record(actor, "token.revoke", "token", row.id)
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The active local user with this name and password, or None (which one failed is not said)."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check, so names cannot be probed
        return None
    if not user.active or not verify_password(user, password):
        return None
    return user


def tokens_of(user: User) -> list[ApiToken]:
    """A user's tokens, newest first; revoked ones stay listed so people see what they revoked."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def set_ui_language(actor: Actor, user: User, tag: str | None) -> None:
    """Remember the interface language a person chose (None: follow the browser)."""
    if actor.user_id != user.id:
        actor.require("admin")
    user.ui_language = tag or None
    db.session.commit()


def users_query(actor: Actor) -> Select[tuple[User]]:
    """All accounts, for administrators (page it by id)."""
    actor.require("admin")
    return select(User)


def get_user_by_id(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def user_for_oauth(subject: str, username: str) -> User:
    """The account tied to a wiki identity, created as a viewer on first sign-in. The wiki's
    user name is kept when free; otherwise a ``~wiki`` suffix tells the two apart."""
    subject = subject.strip()
    if not subject:
        raise InvalidInput("the wiki sent no user id", field="sub")
    user = db.session.scalar(select(User).where(User.oauth_subject == subject))
    if user is not None:
        return user
    name = (username.strip() or f"wiki-{subject}")[:70]
    taken = db.session.scalar(select(User.id).where(User.username == name)) is not None
    user = User(username=f"{name}~wiki" if taken else name, role="viewer", oauth_subject=subject)
    db.session.add(user)
    db.session.flush()
    history.record(
        Actor(name=user.username, role="viewer", user=user),
        "user.create",
        "user",
        user.id,
        after={"username": user.username, "role": "viewer", "via": "oauth"},
    )
    db.session.commit()
    return user
