"""Typed SQLAlchemy 2.0 models, one module per aggregate."""

from glossary.models.concept import TERM_STATUSES, Comment, Concept, Definition, Term
from glossary.models.history import History
from glossary.models.language import Language
from glossary.models.meetup import Ballot, Meetup, Vote, meetup_organisers
from glossary.models.outbox import SearchOutbox
from glossary.models.source import Source
from glossary.models.types import utcnow
from glossary.models.user import ROLES, ApiToken, User

__all__ = [
    "ROLES",
    "TERM_STATUSES",
    "ApiToken",
    "Ballot",
    "Comment",
    "Concept",
    "Definition",
    "History",
    "Language",
    "Meetup",
    "SearchOutbox",
    "Source",
    "Term",
    "User",
    "Vote",
    "meetup_organisers",
    "utcnow",
]
