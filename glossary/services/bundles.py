"""Offline meetup bundles: carry a meetup's proposals, participants, ballots and votes.

An offline meetup runs on a laptop (`tamyr serve --meetup`); afterwards `tamyr bundle export`
writes what happened there and `tamyr bundle import` merges it into the main instance:

- identities: meetups and concepts by uid, votes by uid, people by user name (guests have
  random ``guest-<uuid>`` names), terms by (concept, language, ``norm``), ballots by
  (meetup, slot, opening time);
- importing twice changes nothing; what the main instance holds differently is reported as
  a conflict and left alone (a vote with another value, a term whose status moved on there).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from glossary.errors import InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import Ballot, Concept, Meetup, Term, User, Vote, meetup_organisers
from glossary.services.meetups import as_utc

FORMAT = "tamyr-meetup-bundle"
VERSION = 1
MEMBER = "bundle.json"  # the one member of a zipped bundle


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def parse_time(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def _term_key(term: Term, uids: dict[int, str]) -> dict[str, str]:
    return {"concept": uids[term.concept_id], "lang": term.lang, "text": term.text}


def export_bundle(meetup_id: int) -> dict[str, Any]:
    """Everything a meetup produced, keyed by identities that survive another instance."""
    meetup = db.session.get(Meetup, meetup_id)
    if meetup is None:
        raise NotFound(f"no meetup {meetup_id}")
    ballots = list(
        db.session.scalars(select(Ballot).where(Ballot.meetup_id == meetup_id).order_by(Ballot.id))
    )
    slots = {(b.concept_id, b.lang) for b in ballots}
    concepts = list(
        db.session.scalars(select(Concept).where(Concept.id.in_({c for c, _ in slots})))
    )
    uids = {c.id: c.uid for c in concepts}
    # Every term of the concepts voted on, not only the slots': a concept new to the main
    # instance must arrive recognisable, with its terms in the other languages.
    terms = list(
        db.session.scalars(select(Term).where(Term.concept_id.in_(uids)).order_by(Term.id))
    )
    by_id = {t.id: t for t in terms}
    votes = list(
        db.session.scalars(
            select(Vote).where(Vote.ballot_id.in_([b.id for b in ballots])).order_by(Vote.id)
        )
    )
    organiser_ids = set(
        db.session.scalars(
            select(meetup_organisers.c.user_id).where(meetup_organisers.c.meetup_id == meetup_id)
        )
    )
    people_ids = organiser_ids | {v.voter_id for v in votes}
    people_ids |= {t.created_by_id for t in terms if t.created_by_id and t.meetup_id == meetup_id}
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(or_(User.id.in_(people_ids), User.meetup_id == meetup_id))
        )
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "meetup": {
            "uid": meetup.uid,
            "name": meetup.name,
            "place": meetup.place,
            "starts": _iso(meetup.starts),
            "ends": _iso(meetup.ends),
            "state": meetup.state,
            "join_code": meetup.join_code,
            "quorum": meetup.quorum,
            "threshold": meetup.threshold,
            "secret": meetup.secret,
            "created_at": _iso(meetup.created_at),
            "closed_at": _iso(meetup.closed_at),
            "organisers": sorted(users[i].username for i in organiser_ids if i in users),
        },
        "participants": [
            {"username": u.username, "display_name": u.display_name, "role": u.role}
            for u in sorted(users.values(), key=lambda u: u.id)
        ],
        "concepts": [
            {
                "uid": c.uid,
                "domain": c.domain,
                "wikidata": c.wikidata,
                "note": c.note,
                "definitions": {d.lang: d.text for d in c.definitions},
            }
            for c in concepts
        ],
        "terms": [
            {
                **_term_key(t, uids),
                "pos": t.pos,
                "note": t.usage_note,
                "status": t.status,
                "created_by": users[t.created_by_id].username if t.created_by_id in users else None,
            }
            for t in terms
        ],
        "ballots": [
            {
                "key": f"b{b.id}",
                "concept": uids[b.concept_id],
                "lang": b.lang,
                "state": b.state,
                "opened_at": _iso(b.opened_at),
                "closes_at": _iso(b.closes_at),
                "closed_at": _iso(b.closed_at),
                "outcome": b.outcome,
            }
            for b in ballots
        ],
        "votes": [
            {
                "uid": v.uid,
                "ballot": f"b{v.ballot_id}",
                **_term_key(by_id[v.term_id], uids),
                "voter": users[v.voter_id].username,
                "value": v.value,
                "created_at": _iso(v.created_at),
                "updated_at": _iso(v.updated_at),
            }
            for v in votes
        ],
    }


def write_bundle(bundle: dict[str, Any], path: Path) -> None:
    """JSON, or a zip holding ``bundle.json`` when the name ends in ``.zip``."""
    text = json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MEMBER, text)
    else:
        path.write_text(text, encoding="utf-8")


def read_bundle(data: bytes, name: str = "bundle") -> dict[str, Any]:
    """Parse a JSON or zipped bundle and check its format."""
    try:
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = archive.read(MEMBER)
        bundle = json.loads(data.decode("utf-8"))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"{name}: not a Tamyr meetup bundle ({exc})") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise InvalidInput(f"{name}: not a Tamyr meetup bundle")
    if bundle.get("version") != VERSION:
        raise InvalidInput(f"{name}: bundle version {bundle.get('version')} is not supported")
    return bundle
