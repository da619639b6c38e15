"""`tamyr check`: is the database what Tamyr expects? Problems are listed, never fixed silently."""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Ballot, Concept, Language, SearchOutbox, Term, Vote
from glossary.services.terms import prepare_text


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_migrations(report: CheckReport) -> bool:
    directory = current_app.extensions["migrate"].directory
    heads = set(ScriptDirectory(directory).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if not current:
        report.problems.append("the database has no schema yet: run `tamyr init`")
        return False
    if current != heads:
        report.problems.append(
            f"the database schema is at {', '.join(sorted(current))} but this Tamyr expects "
            f"{', '.join(sorted(heads))}: run `tamyr init` to upgrade"
        )
        return False
    return True


def _count(report: CheckReport, query: object, message: str) -> None:
    found = int(db.session.scalar(query) or 0)  # type: ignore[arg-type]
    if found:
        report.problems.append(message.format(n=found))


def _check_constraints(report: CheckReport) -> None:
    duplicates = (
        select(Term.concept_id)
        .group_by(Term.concept_id, Term.lang, Term.norm)
        .having(func.count() > 1)
        .subquery()
    )
    _count(
        report,
        select(func.count()).select_from(duplicates),
        "{n} (concept, language) pairs hold the same term twice",
    )
    preferred = (
        select(Term.concept_id)
        .where(Term.status == "preferred")
        .group_by(Term.concept_id, Term.lang)
        .having(func.count() > 1)
        .subquery()
    )
    _count(
        report,
        select(func.count()).select_from(preferred),
        "{n} (concept, language) pairs have more than one preferred term",
    )
    open_slots = (
        select(Ballot.concept_id)
        .where(Ballot.state == "open")
        .group_by(Ballot.concept_id, Ballot.lang)
        .having(func.count() > 1)
        .subquery()
    )
    _count(
        report,
        select(func.count()).select_from(open_slots),
        "{n} slots have more than one open ballot",
    )


def _check_orphans(report: CheckReport) -> None:
    _count(
        report,
        select(func.count(Term.id)).where(
            ~select(Concept.id).where(Concept.id == Term.concept_id).exists()
        ),
        "{n} terms belong to no concept",
    )
    _count(
        report,
        select(func.count(Term.id)).where(
            ~select(Language.tag).where(Language.tag == Term.lang).exists()
        ),
        "{n} terms are in a language missing from the registry",
    )
    _count(
        report,
        select(func.count(Vote.id)).where(~select(Term.id).where(Term.id == Vote.term_id).exists()),
        "{n} votes are for terms that do not exist",
    )
    _count(
        report,
        select(func.count(SearchOutbox.id)).where(
            ~select(Term.id).where(Term.id == SearchOutbox.term_id).exists()
        ),
        "{n} search outbox rows name terms that do not exist",
    )


def _check_derived_columns(report: CheckReport) -> None:
    """norm/folded/key must be what today's text rules give, or search and identity drift."""
    stale = 0
    query = select(Term.id, Term.lang, Term.text, Term.norm, Term.folded, Term.key)
    for _id, lang, text, norm, folded, key in db.session.execute(
        query.execution_options(yield_per=5000)
    ):
        prepared = prepare_text(text, lang)
        if (prepared.text, prepared.norm, prepared.folded, prepared.key) != (
            text,
            norm,
            folded,
            key,
        ):
            stale += 1
    if stale:
        report.problems.append(
            f"{stale} terms have search columns that today's text rules would compute "
            "differently: run `tamyr reindex`"
        )


def check_database() -> CheckReport:
    """Schema version, constraints, orphans, derived columns and search-index drift (pending
    index rows are a note, not drift)."""
    report = CheckReport()
    if not _check_migrations(report):
        return report
    _check_constraints(report)
    _check_orphans(report)
    _check_derived_columns(report)
    _check_search_index(report)
    return report


def _check_search_index(report: CheckReport) -> None:
    """Index drift is a problem; term changes still waiting in the outbox are only a note."""
    from glossary.services.indexing import check_index

    problems, notes = check_index().messages()
    report.problems += problems
    report.notes += notes
