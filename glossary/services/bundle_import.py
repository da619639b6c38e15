"""`tamyr bundle import`: merge an offline meetup's bundle, idempotently, reporting conflicts.

Statuses merge three ways: a status the offline meetup's decisions changed is applied only
where the main instance still holds the status the meetup started from; otherwise the main
instance keeps its own and the difference is reported. Nothing is overwritten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import Ballot, Concept, Definition, Meetup, Term, User, Vote
from glossary.models import meetup_organisers as organisers
from glossary.services import history
from glossary.services.actors import Actor, actor_for
from glossary.services.bundles import parse_time
from glossary.services.languages import ensure_language, resolve_language
from glossary.services.meetups import new_join_code
from glossary.services.terms import prepare_text, queue_index

TermKey = tuple[str, str, str]  # (concept uid, lang, text) as the bundle writes them
MEETUP_FIELDS = ("name", "quorum", "threshold", "secret", "state")


@dataclass
class BundleReport:
    created: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": dict(self.created),
            "matched": dict(self.matched),
            "conflicts": self.conflicts,
        }


class BundleImporter:
    """One import: maps the bundle's identities to local rows, section by section."""

    def __init__(self, actor: Actor, bundle: dict[str, Any], report: BundleReport) -> None:
        self.actor = actor
        self.bundle = bundle
        self.report = report
        self.meetup: Meetup
        self.new_meetup = False
        self.users: dict[str, User | None] = {}  # None: a clash, their votes are skipped
        self.concepts: dict[str, int] = {}
        self.terms: dict[TermKey, Term] = {}
        self.new_terms: set[int] = set()
        self.ballots: dict[str, Ballot | None] = {}

    def run(self) -> None:
        self._meetup()
        self._participants()
        self._concepts()
        self._terms()
        self._ballots()
        self._votes()
        self._statuses()

    def _conflict(self, message: str) -> None:
        self.report.conflicts.append(message)

    # -- people and places -----------------------------------------------------------------
    def _meetup(self) -> None:
        data = self.bundle["meetup"]
        meetup = db.session.scalar(select(Meetup).where(Meetup.uid == data["uid"]))
        if meetup is not None:
            self.report.matched["meetups"] += 1
            for name in MEETUP_FIELDS:
                if getattr(meetup, name) != data[name]:
                    self._conflict(
                        f"meetup {data['uid']}: {name} is {getattr(meetup, name)!r} here, "
                        f"{data[name]!r} in the bundle; kept"
                    )
            self.meetup = meetup
            return
        code = data["join_code"]
        if db.session.scalar(select(Meetup.id).where(Meetup.join_code == code)) is not None:
            code = new_join_code()
        self.meetup = Meetup(
            uid=data["uid"],
            name=data["name"],
            place=data.get("place"),
            starts=parse_time(data.get("starts")),
            ends=parse_time(data.get("ends")),
            state=data["state"],
            join_code=code,
            quorum=data["quorum"],
            threshold=data["threshold"],
            secret=data["secret"],
            created_at=parse_time(data.get("created_at")),
            closed_at=parse_time(data.get("closed_at")),
        )
        db.session.add(self.meetup)
        db.session.flush()
        self.new_meetup = True
        self.report.created["meetups"] += 1

    def _participants(self) -> None:
        for person in self.bundle["participants"]:
            name = person["username"]
            user = db.session.scalar(select(User).where(User.username == name))
            if user is None:
                # Whatever their local role was, a file never grants more than a guest's rights.
                user = User(
                    username=name,
                    display_name=person.get("display_name"),
                    role="participant",
                    meetup_id=self.meetup.id,
                )
                db.session.add(user)
                self.report.created["participants"] += 1
            elif user.role == "participant" and user.meetup_id not in (None, self.meetup.id):
                self._conflict(f"user {name} is a guest of another meetup here; votes skipped")
                self.users[name] = None
                continue
            else:
                self.report.matched["participants"] += 1
            self.users[name] = user
        db.session.flush()
        if self.new_meetup:
            for name in self.bundle["meetup"].get("organisers", []):
                if (user := self.users.get(name)) is not None:
                    db.session.execute(
                        organisers.insert().values(meetup_id=self.meetup.id, user_id=user.id)
                    )

    # -- the termbase ----------------------------------------------------------------------
    def _concepts(self) -> None:
        for data in self.bundle["concepts"]:
            concept = db.session.scalar(select(Concept).where(Concept.uid == data["uid"]))
            if concept is None:
                concept = Concept(
                    uid=data["uid"],
                    domain=data.get("domain"),
                    wikidata=data.get("wikidata"),
                    note=data.get("note"),
                    origin_meetup_id=self.meetup.id,
                )
                for raw_lang, text in (data.get("definitions") or {}).items():
                    lang = resolve_language(raw_lang, text)
                    ensure_language(lang)
                    concept.definitions.append(Definition(lang=lang, text=text))
                db.session.add(concept)
                db.session.flush()
                self.report.created["concepts"] += 1
            else:
                self.report.matched["concepts"] += 1
            self.concepts[data["uid"]] = concept.id

    def _terms(self) -> None:
        for data in self.bundle["terms"]:
            key = (data["concept"], data["lang"], data["text"])
            concept_id = self.concepts[data["concept"]]
            lang = resolve_language(data["lang"], data["text"])
            ensure_language(lang)
            prepared = prepare_text(data["text"], lang)
            term = db.session.scalar(
                select(Term).where(
                    Term.concept_id == concept_id, Term.lang == lang, Term.norm == prepared.norm
                )
            )
            if term is None:
                creator = self.users.get(data.get("created_by") or "")
                # Proposed first: _statuses applies the meetup's decisions with their checks.
                term = Term(
                    concept_id=concept_id,
                    lang=lang,
                    text=prepared.text,
                    norm=prepared.norm,
                    folded=prepared.folded,
                    key=prepared.key,
                    pos=data.get("pos"),
                    usage_note=data.get("note"),
                    status="proposed",
                    created_by_id=creator.id if creator is not None else None,
                    meetup_id=self.meetup.id,
                )
                db.session.add(term)
                db.session.flush()
                self.new_terms.add(term.id)
                after = {"lang": lang, "text": term.text, "bundle": self.meetup.uid}
                history.record(
                    self.actor, "term.import", "term", term.id, concept_id=concept_id, after=after
                )
                queue_index([term.id])
                self.report.created["terms"] += 1
            else:
                self.report.matched["terms"] += 1
            self.terms[key] = term

    # -- ballots and votes -----------------------------------------------------------------
    def _ballots(self) -> None:
        for data in self.bundle["ballots"]:
            concept_id = self.concepts[data["concept"]]
            lang = resolve_language(data["lang"])
            opened_at = parse_time(data["opened_at"])
            slot = (Ballot.concept_id == concept_id, Ballot.lang == lang)
            ballot = db.session.scalar(
                select(Ballot).where(
                    Ballot.meetup_id == self.meetup.id, *slot, Ballot.opened_at == opened_at
                )
            )
            if ballot is not None:
                self.report.matched["ballots"] += 1
            elif data["state"] == "open" and db.session.scalar(
                select(Ballot.id).where(*slot, Ballot.state == "open")
            ):
                self._conflict(
                    f"ballot {data['key']} ({data['concept']}, {lang}) is open in the bundle and "
                    "another ballot is open on that slot here; its votes skipped"
                )
            else:
                ballot = Ballot(
                    meetup_id=self.meetup.id,
                    concept_id=concept_id,
                    lang=lang,
                    state=data["state"],
                    opened_at=opened_at,
                    closes_at=parse_time(data.get("closes_at")),
                    closed_at=parse_time(data.get("closed_at")),
                )
                db.session.add(ballot)
                db.session.flush()
                ballot.outcome = self._local_outcome(data, ballot)
                self.report.created["ballots"] += 1
            self.ballots[data["key"]] = ballot

    def _local_outcome(self, data: dict[str, Any], ballot: Ballot) -> dict[str, Any] | None:
        """The decision record with this instance's ids for the ballot, meetup and terms."""
        outcome = data.get("outcome")
        if not outcome:
            return None
        ids: dict[int, int | None] = {}
        for entry in outcome["terms"]:
            term = self.terms.get((data["concept"], data["lang"], entry["text"]))
            ids[entry["id"]] = term.id if term is not None else None
        return {
            **outcome,
            "ballot": ballot.id,
            "meetup": self.meetup.id,
            "winner": ids.get(outcome["winner"]) if outcome.get("winner") else None,
            "terms": [{**entry, "id": ids[entry["id"]]} for entry in outcome["terms"]],
        }

    def _votes(self) -> None:
        skipped = 0
        for data in self.bundle["votes"]:
            existing = db.session.scalar(select(Vote).where(Vote.uid == data["uid"]))
            if existing is not None:
                if existing.value != data["value"]:
                    self._conflict(
                        f"vote {data['uid']} is {existing.value} here, {data['value']} in the "
                        "bundle; kept"
                    )
                self.report.matched["votes"] += 1
                continue
            ballot = self.ballots.get(data["ballot"])
            voter = self.users.get(data["voter"])
            term = self.terms.get((data["concept"], data["lang"], data["text"]))
            if ballot is None or voter is None or term is None:
                skipped += 1
                continue
            if self._clashing_vote(ballot, term, voter, data):
                continue
            db.session.add(
                Vote(
                    uid=data["uid"],
                    ballot_id=ballot.id,
                    term_id=term.id,
                    voter_id=voter.id,
                    value=data["value"],
                    created_at=parse_time(data.get("created_at")),
                    updated_at=parse_time(data.get("updated_at")),
                )
            )
            after: dict[str, Any] = {"ballot": ballot.id, "meetup": self.meetup.id, "bundle": True}
            after.update({"secret": True} if self.meetup.secret else {"value": data["value"]})
            history.record(
                actor_for(voter),
                "vote.import",
                "term",
                term.id,
                concept_id=term.concept_id,
                after=after,
            )
            self.report.created["votes"] += 1
        if skipped:
            self._conflict(f"{skipped} votes skipped (their voter or ballot is in conflict)")

    def _clashing_vote(self, ballot: Ballot, term: Term, voter: User, data: dict[str, Any]) -> bool:
        clash = db.session.scalar(
            select(Vote.value).where(
                Vote.ballot_id == ballot.id, Vote.term_id == term.id, Vote.voter_id == voter.id
            )
        )
        if clash is not None:
            self._conflict(
                f"vote {data['uid']}: {data['voter']} already voted {clash} on "
                f"{term.text!r} here; kept"
            )
        return clash is not None

    # -- decisions ---------------------------------------------------------------------------
    def _statuses(self) -> None:
        """Apply the meetup's status decisions where this instance has not moved on."""
        base: dict[TermKey, str] = {}
        for data in self.bundle["ballots"]:
            for entry in (data.get("outcome") or {}).get("terms", []):
                if entry["before"] != entry["after"]:
                    base.setdefault((data["concept"], data["lang"], entry["text"]), entry["before"])
        changes: list[tuple[Term, str]] = []
        for data in self.bundle["terms"]:
            key = (data["concept"], data["lang"], data["text"])
            term, wanted = self.terms[key], data["status"]
            if term.status == wanted or (key not in base and term.id not in self.new_terms):
                continue  # already there, or the meetup did not change it: this side's stands
            if term.id in self.new_terms or term.status == base[key]:
                changes.append((term, wanted))
            else:
                self._conflict(
                    f"{term.lang} term {term.text!r} is {term.status} here; the meetup made it "
                    f"{wanted} from {base[key]}; kept"
                )
        # Demotions first, so the one-preferred-per-slot index holds at every flush.
        for term, wanted in sorted(changes, key=lambda change: change[1] == "preferred"):
            if wanted == "preferred" and self._slot_has_preferred(term):
                self._conflict(f"{term.lang} term {term.text!r}: the slot has a preferred term")
                continue
            before, term.status = term.status, wanted
            db.session.flush()
            history.record(
                self.actor,
                "term.status",
                "term",
                term.id,
                concept_id=term.concept_id,
                before={"status": before},
                after={"status": wanted, "bundle": self.meetup.uid},
            )
            queue_index([term.id])
            self.report.created["status changes"] += 1

    def _slot_has_preferred(self, term: Term) -> bool:
        query = select(Term.id).where(
            Term.concept_id == term.concept_id,
            Term.lang == term.lang,
            Term.status == "preferred",
            Term.id != term.id,
        )
        return db.session.scalar(query) is not None


def import_bundle(actor: Actor, bundle: dict[str, Any]) -> BundleReport:
    """Merge a bundle in one transaction; importing it again changes nothing."""
    actor.require("admin")
    report = BundleReport()
    try:
        BundleImporter(actor, bundle, report).run()
    except (KeyError, TypeError, ValueError) as exc:
        db.session.rollback()
        raise InvalidInput(f"the bundle is malformed: {exc!r}") from None
    except BaseException:
        db.session.rollback()
        raise
    if report.created:
        after = report.as_dict()
        history.record(actor, "meetup.import", "meetup", report_id(bundle), after=after)
    db.session.commit()
    return report


def report_id(bundle: dict[str, Any]) -> str:
    return str(bundle["meetup"]["uid"])
