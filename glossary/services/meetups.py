"""Meetups: creating them, organisers, joining by code, the join QR code, concept history."""

from __future__ import annotations

import hmac
import io
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import segno
from sqlalchemy import exists, select

from glossary.errors import Conflict, Forbidden, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import History, Meetup, User, meetup_organisers, utcnow
from glossary.services import history
from glossary.services.actors import Actor, actor_for
from glossary.services.terms import get_concept
from glossary.services.transactions import run_write
from glossary.services.users import create_token

# Codes are read off a projector and typed on phones: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 2**40: out of reach behind a limit on failed joins
MAX_NAME_LENGTH = 120


def new_join_code() -> str:
    """A random code like ``K7QM-T2XA``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def _canonical_code(code: str) -> str:
    """Case, spaces and dashes do not matter when a code is typed on a phone."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def as_utc(moment: datetime | None) -> datetime | None:
    """Aware UTC; a time given without a zone is taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def current_state(meetup: Meetup) -> str:
    """The meetup's state now: a planned meetup is open once its start time has passed."""
    if meetup.state == "planned" and meetup.starts is not None and meetup.starts <= utcnow():
        return "open"
    return meetup.state


def get_meetup(meetup_id: int) -> Meetup:
    meetup = db.session.get(Meetup, meetup_id)
    if meetup is None:
        raise NotFound(f"no meetup {meetup_id}")
    return meetup


def list_meetups() -> list[Meetup]:
    """Every meetup, newest first."""
    return list(db.session.scalars(select(Meetup).order_by(Meetup.created_at.desc(), Meetup.id)))


def is_organiser(actor: Actor, meetup_id: int) -> bool:
    """Moderators organise every meetup (outside another meetup's scope); others when listed."""
    if actor.meetup_id not in (None, meetup_id):
        return False
    if actor.has_role("moderator"):
        return True
    if actor.user_id is None:
        return False
    listed = exists().where(
        meetup_organisers.c.meetup_id == meetup_id, meetup_organisers.c.user_id == actor.user_id
    )
    return bool(db.session.scalar(select(listed)))


def require_organiser(actor: Actor, meetup_id: int) -> None:
    actor.require("participant")  # anonymous: 401 before any 403
    if not is_organiser(actor, meetup_id):
        raise Forbidden(f"only the organisers of meetup {meetup_id} or a moderator can do this")


def require_open(meetup: Meetup) -> None:
    state = current_state(meetup)
    if state != "open":
        raise Conflict(f"meetup {meetup.id} is {state}", state=state)


def meetup_view(viewer: Actor, meetup: Meetup) -> dict[str, Any]:
    """The API shape of a meetup; the join code only for its organisers (it admits voters)."""
    view: dict[str, Any] = {
        "id": meetup.id,
        "uid": meetup.uid,
        "name": meetup.name,
        "place": meetup.place,
        "starts": meetup.starts,
        "ends": meetup.ends,
        "state": current_state(meetup),
        "quorum": meetup.quorum,
        "threshold": meetup.threshold,
        "secret": meetup.secret,
        "created_at": meetup.created_at,
        "closed_at": meetup.closed_at,
    }
    if is_organiser(viewer, meetup.id):
        view["join_code"] = meetup.join_code
    return view


def _check_rules(quorum: int, threshold: float) -> None:
    if quorum < 1:
        raise InvalidInput("the quorum is at least 1 voter", field="quorum")
    if not 0 < threshold <= 1:
        raise InvalidInput("the threshold is a share above 0 and at most 1", field="threshold")


def create_meetup(
    actor: Actor,
    *,
    name: str,
    place: str | None = None,
    quorum: int = 3,
    threshold: float = 0.6,
    secret: bool = False,
    starts: datetime | None = None,
    ends: datetime | None = None,
) -> Meetup:
    """A meetup open from now (``planned`` if it starts later); its creator organises it."""
    actor.require("moderator")
    name = name.strip()
    if not name:
        raise InvalidInput("a meetup needs a name", field="name")
    _check_rules(quorum, threshold)
    starts, ends = as_utc(starts), as_utc(ends)
    if starts and ends and ends < starts:
        raise InvalidInput("a meetup cannot end before it starts", field="ends")

    def work() -> Meetup:
        meetup = Meetup(
            uid=str(uuid.uuid4()),
            name=name,
            place=(place or "").strip() or None,
            starts=starts,
            ends=ends,
            state="planned" if starts and starts > utcnow() else "open",
            join_code=new_join_code(),  # a clash is a unique violation, retried with a new one
            quorum=quorum,
            threshold=threshold,
            secret=secret,
        )
        db.session.add(meetup)
        db.session.flush()
        if actor.user_id is not None:
            db.session.execute(
                meetup_organisers.insert().values(meetup_id=meetup.id, user_id=actor.user_id)
            )
        history.record(
            actor,
            "meetup.create",
            "meetup",
            meetup.id,
            after={"name": name, "quorum": quorum, "threshold": threshold, "secret": secret},
        )
        return meetup

    return run_write(work)


def rotate_join_code(actor: Actor, meetup_id: int) -> Meetup:
    """A new join code; the old one stops working (those who joined stay in)."""
    require_organiser(actor, meetup_id)

    def work() -> Meetup:
        meetup = get_meetup(meetup_id)
        meetup.join_code = new_join_code()
        history.record(actor, "meetup.rotate_code", "meetup", meetup.id)  # never the code itself
        return meetup

    return run_write(work)


def join_meetup(meetup_id: int, code: str, name: str) -> tuple[User, str]:
    """Admit a guest with the meetup's current code: a participant scoped to it, and a token."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"a name is 1 to {MAX_NAME_LENGTH} characters", field="name")
    meetup = get_meetup(meetup_id)
    # Constant time: the comparison must not leak how much of a guessed code was right.
    # Bytes: compare_digest refuses non-ASCII str, and a typed code may hold any letter.
    guess, actual = (_canonical_code(c).encode() for c in (code, meetup.join_code))
    if not hmac.compare_digest(guess, actual):
        raise Forbidden("this join code is wrong or has been replaced; ask the organisers")
    require_open(meetup)

    def work() -> tuple[User, str]:
        user = User(
            # A random name, unique across instances, so offline bundles merge without clashes.
            username=f"guest-{uuid.uuid4().hex}",
            display_name=name,
            role="participant",
            meetup_id=meetup_id,
        )
        db.session.add(user)
        db.session.flush()
        guest = actor_for(user, meetup_id)
        history.record(guest, "meetup.join", "meetup", meetup_id, after={"name": name})
        token = create_token(guest, user, name=f"meetup {meetup_id}", meetup_id=meetup_id)
        return user, token

    return run_write(work)


def join_url(meetup: Meetup, base_url: str) -> str:
    """The page a phone opens to join (DESIGN.md §8: ``/join/<code>``)."""
    return f"{base_url.rstrip('/')}/join/{meetup.join_code}"


def join_qr_svg(meetup: Meetup, base_url: str) -> str:
    """The join URL as an SVG QR code for the projector."""
    qr = segno.make(join_url(meetup, base_url), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=10, border=2, xmldecl=False, title=meetup.name)
    return out.getvalue().decode()


def join_qr_text(meetup: Meetup, base_url: str, *, ansi: bool = False) -> str:
    """The join URL as a QR code for a terminal: ANSI colours (exact on any theme), or Unicode
    half blocks, light on dark, for output that is logged or piped (no escape codes)."""
    qr = segno.make(join_url(meetup, base_url), error="m")
    out = io.StringIO()
    qr.terminal(out=out, compact=not ansi, border=2 if not ansi else None)
    return out.getvalue()


def open_meetups() -> list[Meetup]:
    """Meetups that accept joins and ballots now, oldest first (what a room can join)."""
    rows = db.session.scalars(select(Meetup).where(Meetup.state != "closed").order_by(Meetup.id))
    return [meetup for meetup in rows if current_state(meetup) == "open"]


def voter_name(user: User | None) -> str | None:
    return (user.display_name or user.username) if user is not None else None


def concept_history(viewer: Actor, uid: str, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` rows of a concept's history, oldest first; in secret ballots only
    organisers see who voted."""
    concept = get_concept(uid)
    newest = db.session.scalars(
        select(History)
        .where(History.concept_id == concept.id)
        .order_by(History.at.desc(), History.id.desc())
        .limit(limit)
    )
    rows = list(reversed(list(newest)))
    # Guests are shown by the name they gave when joining, not their generated user name.
    actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
    names = {
        user.id: voter_name(user)
        for user in db.session.scalars(select(User).where(User.id.in_(actor_ids)))
    }
    organiser_of: dict[int, bool] = {}
    entries = []
    for row in rows:
        actor_name = names.get(row.actor_id) if row.actor_id is not None else row.actor_name
        meetup_id = (row.after or {}).get("meetup")
        if (row.after or {}).get("secret") and isinstance(meetup_id, int):
            if meetup_id not in organiser_of:
                organiser_of[meetup_id] = is_organiser(viewer, meetup_id)
            if not organiser_of[meetup_id]:
                actor_name = None
        entries.append(
            {
                "id": row.id,
                "at": row.at,
                "actor": actor_name,
                "action": row.action,
                "entity": row.entity,
                "entity_id": row.entity_id,
                "before": row.before,
                "after": row.after,
            }
        )
    return entries


def find_meetup_by_code(code: str) -> Meetup:
    """The meetup whose *current* join code this is, typed loosely (case, spaces, dashes)."""
    canonical = _canonical_code(code)
    shown = f"{canonical[:4]}-{canonical[4:]}" if len(canonical) == CODE_LENGTH else canonical
    meetup = db.session.scalar(select(Meetup).where(Meetup.join_code == shown))
    if meetup is None:
        raise Forbidden("this join code is wrong or has been replaced; ask the organisers")
    return meetup
