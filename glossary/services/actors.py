"""Who is acting: a signed-in user, a token's owner, or the local command line."""

from __future__ import annotations

from dataclasses import dataclass

from glossary.errors import Forbidden, Unauthorized
from glossary.models import ROLES, User


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: str
    user: User | None = None
    meetup_id: int | None = None  # participants act only inside their meetup

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    def has_role(self, role: str) -> bool:
        if self.role not in ROLES:  # anonymous
            return False
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str) -> None:
        """Raise unless this actor holds ``role`` or a higher one."""
        if self.role == "anonymous":
            raise Unauthorized("sign in or send an API token to do this")
        if not self.has_role(role):
            raise Forbidden(f"this needs the {role} role; you are {self.role}")


# The CLI is the local administrator, recorded in history as "cli" (DESIGN.md §5).
CLI = Actor(name="cli", role="admin")
ANONYMOUS_ROLE = "anonymous"


def actor_for(user: User | None, meetup_id: int | None = None) -> Actor:
    if user is None:
        return Actor(name="anonymous", role=ANONYMOUS_ROLE)
    return Actor(name=user.username, role=user.role, user=user, meetup_id=meetup_id)
