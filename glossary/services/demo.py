"""`tamyr demo`: load the demo termbase and a demo meetup voting on the contested names."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from glossary.database import refresh_statistics
from glossary.extensions import db
from glossary.models import Meetup, Source, User, meetup_organisers
from glossary.services import history
from glossary.services.actors import CLI, actor_for
from glossary.services.demo_data import cldr_records, cldr_source
from glossary.services.demo_iso_codes import NameConflict, iso_codes_terms
from glossary.services.languages import seed_languages
from glossary.services.records import RecordWriter, WriteReport
from glossary.services.terms import get_concept
from glossary.services.voting import cast_vote, open_ballot

DEMO_MEETUP_UID = "7a4f3c2e-5d1b-4e8a-9c6f-0d2b1e3a4c5d"
DEMO_VOTERS = 5
BALLOTS_PER_LANGUAGE = 2
# Deterministic votes: (approve CLDR's name, approve iso-codes' name) per voter.
DEMO_VOTES = [(1, -1), (1, 0), (1, 1), (-1, 1), (1, -1)]


def _source(name: str, kind: str, licence: str, url: str) -> Source:
    source = db.session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind=kind, licence=licence, url=url)
        db.session.add(source)
        db.session.flush()
    return source


def _load(records: object, source: Source) -> WriteReport:
    writer = RecordWriter(
        CLI, file_name=source.name, source=source, source_lang="en", allow_status=True
    )
    return writer.write(records)  # type: ignore[arg-type]


def _pick_conflicts(conflicts: list[NameConflict]) -> list[NameConflict]:
    """A few contested names per language, so the demo meetup shows several alphabets."""
    per_lang: dict[str, list[NameConflict]] = defaultdict(list)
    for conflict in sorted(conflicts, key=lambda c: (c.lang, c.territory)):
        if len(per_lang[conflict.lang]) < BALLOTS_PER_LANGUAGE:
            per_lang[conflict.lang].append(conflict)
    return [c for picked in per_lang.values() for c in picked]


def _demo_meetup(conflicts: list[NameConflict]) -> int:
    """An open meetup with one ballot per picked conflict and a few votes; returns votes cast."""
    if db.session.scalar(select(Meetup.id).where(Meetup.uid == DEMO_MEETUP_UID)):
        return 0
    # A fixed uid and code (not create_meetup's random ones) keep the demo idempotent.
    meetup = Meetup(
        uid=DEMO_MEETUP_UID,
        name="Demo meetup: country names",
        place="Online",
        join_code="DEMO-2026",
        quorum=3,
        threshold=0.6,
    )
    db.session.add(meetup)
    db.session.flush()
    voters = [
        User(
            username=f"demo-voter-{n}",
            display_name=f"Demo voter {n}",
            role="participant",
            meetup_id=meetup.id,
        )
        for n in range(1, DEMO_VOTERS + 1)
    ]
    db.session.add_all(voters)
    db.session.flush()
    db.session.execute(meetup_organisers.insert().values(meetup_id=meetup.id, user_id=voters[0].id))
    history.record(CLI, "meetup.create", "meetup", meetup.id, after={"name": meetup.name})
    meetup_id, voter_actors = meetup.id, [actor_for(voter, meetup.id) for voter in voters]
    votes = 0
    for conflict in _pick_conflicts(conflicts):
        concept = get_concept(conflict.uid)
        candidates = {t.text: t.id for t in concept.terms if t.lang == conflict.lang}
        cldr_term, iso_term = candidates.get(conflict.cldr_text), candidates.get(conflict.iso_text)
        if cldr_term is None or iso_term is None:
            continue
        open_ballot(CLI, conflict.uid, conflict.lang, meetup_id=meetup_id)
        for actor, values in zip(voter_actors, DEMO_VOTES, strict=True):
            for term_id, value in zip((cldr_term, iso_term), values, strict=True):
                cast_vote(actor, term_id, value)
                votes += 1
    return votes


def load_demo() -> str:
    """Load CLDR names, iso-codes' competing names and the demo meetup; idempotent."""
    seed_languages()
    cldr = _source(cldr_source(), "cldr", "Unicode-3.0", "https://cldr.unicode.org/")
    report = _load(cldr_records(), cldr)
    iso = iso_codes_terms()
    votes = 0
    if iso.records:
        iso_source = _source(
            iso.source,
            "iso-codes",
            "LGPL-2.1-or-later",
            "https://salsa.debian.org/iso-codes-team/iso-codes",
        )
        iso_report = _load(iso.records, iso_source)
        report.new_terms += iso_report.new_terms
        votes = _demo_meetup(iso.conflicts)
    db.session.commit()
    refresh_statistics(report.new_terms)
    summary = (
        f"{report.new_concepts} new concepts, {report.new_terms} new terms, {votes} demo votes"
    )
    if iso.missing:
        summary += f" (iso-codes: {iso.missing})"
    return summary
