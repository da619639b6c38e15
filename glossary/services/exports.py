"""Exports: choose concepts with the filters and stream them, in batches, to a format's writer.

Filters (``tamyr export`` and ``GET /api/v1/export`` take the same ones):

* ``languages``: the languages whose terms go out. The source language (``source_lang``,
  default ``en``) always goes out too: it is the pivot translators read, and what an import
  matches on when a uid is lost. No languages means every language. For PO the languages other
  than the source are the *targets*, one file each; every other language still appears as a
  sister-language equivalent in the comments.
* ``statuses``: only terms with these statuses go out, except source-language terms, which stay
  as the pivot whatever their status (unless the source is the only language exported).
* ``domain``: the concept's domain, exactly. ``meetup``: concepts that come from the meetup,
  had a ballot in it or got terms there (an id or a uid).

A concept goes out when it has a term the filters chose (with ``statuses``: a chosen status in
a language other than the source). A PO entry also needs a source-language term for its msgid.

Streaming: keyset pagination on ``Concept.id``; each batch loads its terms and definitions with
one ``IN`` query each — the selectin strategy, done with Core rows rather than ORM objects, so
no identity map grows over a million terms and nothing is hydrated that the writers never read.
On PostgreSQL the export reads one REPEATABLE READ snapshot, so the header's attribution and
every batch agree even while people keep voting.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from operator import itemgetter
from types import MappingProxyType
from typing import Any, BinaryIO

from sqlalchemy import ColumnElement, exists, func, or_, select

from glossary.errors import InvalidInput, NotFound
from glossary.exporters.base import (
    Attribution,
    ExportConcept,
    ExportDocument,
    Exporter,
    ExportLanguage,
    ExportTerm,
    exporter_class,
    tamyr_version,
)
from glossary.extensions import db
from glossary.models import (
    TERM_STATUSES,
    Ballot,
    Concept,
    Definition,
    History,
    Language,
    Meetup,
    Source,
    Term,
)
from glossary.services.languages import resolve_language
from glossary.text.sorting import sort_key

BATCH_SIZE = 1000
LAYOUTS = ("wide", "long")
SPREADSHEETS = ("csv", "xlsx")
_LAST = 1 << 30  # position of a tag missing from the languages table: after everything
_NO_DEFINITIONS: Mapping[str, str] = MappingProxyType({})  # shared, so read-only

Progress = Callable[[int], None]  # called with the number of concepts each batch read


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What a caller asks for, unvalidated (CLI options, API query arguments)."""

    format: str
    layout: str = "wide"
    source_lang: str | None = None
    languages: Sequence[str] = ()
    statuses: Sequence[str] = ()
    domain: str | None = None
    meetup: int | str | None = None


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """A validated export: canonical tags, known statuses, an existing meetup."""

    format: str
    layout: str
    source: str
    languages: tuple[str, ...]  # exported languages, source first; () means all
    targets: tuple[str, ...]  # the asked-for languages other than the source
    statuses: tuple[str, ...]
    domain: str | None
    meetup_id: int | None

    @property
    def target(self) -> str | None:
        """PO's translation language, when there is exactly one."""
        return self.targets[0] if len(self.targets) == 1 else None

    @property
    def pivot_exempt(self) -> bool:
        """Whether source-language terms escape the status filter (they are the pivot)."""
        return bool(self.statuses) and (self.format == "po" or len(self.languages) != 1)

    def per_target(self) -> list[ExportPlan]:
        """One plan per target language (PO writes one file per language pair)."""
        return [
            replace(self, languages=(self.source, target), targets=(target,))
            for target in self.targets
        ]

    @property
    def filename(self) -> str:
        """A file name that says what is inside: ``tamyr-en-kk.po``, ``tamyr-long.csv``."""
        parts = ["tamyr"]
        if self.meetup_id is not None:
            parts.append(f"meetup{self.meetup_id}")
        if self.format == "po":
            parts.extend((self.source, self.target or "multi"))
        elif self.layout == "long":
            parts.append("long")
        return "-".join(parts) + exporter_class(self.format).extension


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    concepts: int
    skipped: int


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def plan_export(request: ExportRequest) -> ExportPlan:
    """Validate a request; every problem is an InvalidInput (422) or NotFound naming it."""
    _read_snapshot()  # before the first query, or the transaction has its isolation already
    format = (request.format or "").lower()
    exporter_class(format)  # unknown formats fail here, with the list of known ones
    layout = (request.layout or "wide").lower()
    if layout not in LAYOUTS:
        raise InvalidInput(f"unknown layout {layout!r}; use wide or long", field="layout")
    if layout != "wide" and format not in SPREADSHEETS:
        raise InvalidInput("--layout applies to csv and xlsx exports only", field="layout")
    source = resolve_language(request.source_lang or "en")
    targets = [tag for tag in _unique(map(resolve_language, request.languages)) if tag != source]
    statuses = _unique(status.lower() for status in request.statuses)
    for status in statuses:
        if status not in TERM_STATUSES:
            raise InvalidInput(
                f"unknown status {status!r}; use one of {', '.join(TERM_STATUSES)}",
                field="status",
            )
    if format == "po" and not targets:
        raise InvalidInput(
            "a PO export is one file per language pair: name the target language with "
            f"--lang (one other than the source language {source})",
            field="lang",
        )
    return ExportPlan(
        format=format,
        layout=layout,
        source=source,
        languages=(source, *targets) if request.languages else (),
        targets=tuple(targets),
        statuses=tuple(statuses),
        domain=(request.domain or "").strip() or None,
        meetup_id=_meetup_id(request.meetup),
    )


def _meetup_id(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    column = Meetup.id if text.isdigit() else Meetup.uid
    found = db.session.scalar(
        select(Meetup.id).where(column == (int(text) if text.isdigit() else text))
    )
    if found is None:
        raise NotFound(f"no meetup with id {text}")
    return found


# -- selection ---------------------------------------------------------------------------


def _has_term(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    # Correlated on the concept only: queries that also select from terms (attribution,
    # languages) must not have the inner terms swallowed by the outer ones.
    return exists().where(Term.concept_id == Concept.id, *conditions).correlate(Concept)


def _term_conditions(plan: ExportPlan) -> list[ColumnElement[bool]]:
    """Which terms of a chosen concept go out."""
    conditions: list[ColumnElement[bool]] = []
    # PO keeps every language: the sister-language equivalents are part of its comments.
    if plan.languages and plan.format != "po":
        # An expression, not the bare column: given ``lang IN (…)`` SQLite walks the language
        # index (every en and kk term of the termbase) for each batch instead of the batch's
        # concept range, and a one-pair TMX took 6× as long as every language at 1M terms.
        conditions.append((Term.lang + "").in_(plan.languages))
    if plan.statuses:
        chosen = Term.status.in_(plan.statuses)
        conditions.append(or_(chosen, Term.lang == plan.source) if plan.pivot_exempt else chosen)
    return conditions


def _concept_conditions(plan: ExportPlan) -> list[ColumnElement[bool]]:
    """Which concepts go out."""
    conditions: list[ColumnElement[bool]] = [Concept.merged_into_id.is_(None)]
    if plan.domain is not None:
        conditions.append(Concept.domain == plan.domain)
    if plan.meetup_id is not None:
        conditions.append(
            or_(
                Concept.origin_meetup_id == plan.meetup_id,
                exists().where(Ballot.concept_id == Concept.id, Ballot.meetup_id == plan.meetup_id),
                _has_term(Term.meetup_id == plan.meetup_id),
            )
        )
    if plan.format == "po":
        conditions.append(_has_term(Term.lang == plan.source))
        if plan.statuses:
            conditions.append(
                _has_term(Term.lang.in_(plan.targets), Term.status.in_(plan.statuses))
            )
        return conditions
    wanted: list[ColumnElement[bool]] = []
    if plan.languages:
        wanted.append(Term.lang.in_(plan.languages))
    if plan.statuses:
        wanted.append(Term.status.in_(plan.statuses))
        if plan.pivot_exempt:
            wanted.append(Term.lang != plan.source)
    conditions.append(_has_term(*wanted))
    return conditions


def count_concepts(plan: ExportPlan) -> int:
    """How many concepts the export will read (for a progress bar)."""
    return db.session.scalar(select(func.count(Concept.id)).where(*_concept_conditions(plan))) or 0


# -- streaming ---------------------------------------------------------------------------


def iter_concepts(
    plan: ExportPlan, *, batch_size: int = BATCH_SIZE, progress: Progress | None = None
) -> Iterator[ExportConcept]:
    """Stream the chosen concepts with their terms in output order, a batch at a time."""
    conditions = _concept_conditions(plan)
    # Core selects on the session's connection: plain rows, none of the ORM's loading
    # machinery, which would cost more than everything else an export does per term.
    connection = db.session.connection()
    last_id = 0
    while True:
        rows = connection.execute(
            select(Concept.id, Concept.uid, Concept.domain, Concept.note, Concept.wikidata)
            .where(*conditions, Concept.id > last_id)
            .order_by(Concept.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        terms = _batch_terms(plan, ids)
        definitions = _batch_definitions(plan, ids)
        for concept_id, uid, domain, note, wikidata in rows:
            yield ExportConcept(
                uid=uid,
                terms=terms.get(concept_id, ()),
                domain=domain,
                note=note,
                wikidata=wikidata,
                definitions=definitions.get(concept_id, _NO_DEFINITIONS),
            )
        if progress is not None:
            progress(len(rows))
        if len(rows) < batch_size:
            return
        last_id = ids[-1]


def _in_batch(column: Any, ids: list[int]) -> ColumnElement[bool]:
    """Rows of the batch's concepts. A dense batch (the usual case: no filter, or a filter
    most concepts pass) is a range scan of the concept index rather than an ``IN`` list of
    a thousand parameters; the few rows of concepts between them that the filters left out
    are fetched and never asked for (callers look up the batch's ids only)."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _batch_terms(plan: ExportPlan, ids: list[int]) -> dict[int, tuple[ExportTerm, ...]]:
    """The batch's terms per concept in output order: registry order of languages, other
    tags alphabetically; within a language the preferred term first, then the language's own
    alphabet (TURKIC.md Part 1 §7).

    The database sorts all but the alphabet; :func:`_alphabetise` finishes the rare languages
    that have several terms in one concept, so the costly collation key runs only there.
    """
    rows = (
        db.session.connection()
        .execute(
            select(
                Term.concept_id,
                Term.lang,
                Term.text,
                Term.status,
                Term.pos,
                Term.usage_note,
                Source.name,
            )
            .outerjoin(Source, Source.id == Term.source_id)
            .outerjoin(Language, Language.tag == Term.lang)
            .where(_in_batch(Term.concept_id, ids), *_term_conditions(plan))
            .order_by(
                Term.concept_id,
                func.coalesce(Language.position, _LAST),
                Term.lang,
                Term.status != "preferred",
            )
        )
        .all()
    )  # one fetch for the batch, not a Python-level call per row
    # tuple.__new__ builds each ExportTerm without a Python-level call (a million of them).
    make, grouped = tuple.__new__, {}
    for row in rows:
        terms = grouped.get(row[0])
        if terms is None:
            grouped[row[0]] = terms = []
        terms.append(make(ExportTerm, row[1:]))
    return {concept_id: _alphabetise(terms) for concept_id, terms in grouped.items()}


def _alphabetise(terms: list[ExportTerm]) -> tuple[ExportTerm, ...]:
    """Order each run of same-language terms by status, then by the language's alphabet."""
    if len(set(map(itemgetter(0), terms))) == len(terms):
        return tuple(terms)  # one term per language: already in order
    start = 0
    for end in range(1, len(terms) + 1):
        if end == len(terms) or terms[end].lang != terms[start].lang:
            if end - start > 1:
                terms[start:end] = sorted(
                    terms[start:end],
                    key=lambda term: (term.status != "preferred", sort_key(term.text, term.lang)),
                )
            start = end
    return tuple(terms)


def _batch_definitions(plan: ExportPlan, ids: list[int]) -> dict[int, dict[str, str]]:
    query = select(Definition.concept_id, Definition.lang, Definition.text).where(
        _in_batch(Definition.concept_id, ids)
    )
    if plan.languages and plan.format != "po":
        query = query.where(Definition.lang.in_(plan.languages))
    grouped: dict[int, dict[str, str]] = defaultdict(dict)
    for concept_id, lang, text in db.session.connection().execute(query):
        grouped[concept_id][lang] = text
    return grouped


# -- header facts ------------------------------------------------------------------------


def _languages(tags: Iterable[str]) -> list[ExportLanguage]:
    """ExportLanguages for ``tags`` in registry order; unknown tags get plain metadata."""
    wanted = list(tags)
    rows = {
        row.tag: row for row in db.session.scalars(select(Language).where(Language.tag.in_(wanted)))
    }

    def position(tag: str) -> tuple[int, str]:
        return (rows[tag].position if tag in rows else _LAST), tag

    return [
        ExportLanguage(tag, row.name, row.direction, row.plural_forms)
        if (row := rows.get(tag)) is not None
        else ExportLanguage(tag, tag)
        for tag in sorted(wanted, key=position)
    ]


def _column_languages(plan: ExportPlan) -> list[ExportLanguage]:
    """The spreadsheet columns: the asked-for languages, else every language exported."""
    if plan.languages:
        return _languages(plan.languages)
    tags = db.session.scalars(
        select(Term.lang)
        .distinct()
        .join(Concept, Concept.id == Term.concept_id)
        .where(*_concept_conditions(plan), *_term_conditions(plan))
    )
    return _languages(tags)


def attribution(plan: ExportPlan) -> list[Attribution]:
    """The distinct sources (with licence and URL) of the terms an export writes."""
    used = (
        select(Term.source_id)
        .distinct()
        .join(Concept, Concept.id == Term.concept_id)
        .where(Term.source_id.is_not(None), *_concept_conditions(plan), *_term_conditions(plan))
    )
    rows = db.session.execute(
        select(Source.name, Source.licence, Source.url)
        .where(Source.id.in_(used))
        .order_by(Source.name)
    )
    return [Attribution(name, licence, url) for name, licence, url in rows]


def _read_snapshot() -> None:
    """On PostgreSQL, read the whole export from one snapshot (if no transaction is open yet)."""
    session = db.session()
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


# -- entry points ------------------------------------------------------------------------


def open_export(
    plan: ExportPlan, *, base_url: str | None = None, progress: Progress | None = None
) -> tuple[Exporter, ExportDocument]:
    """The writer and the document for a plan; the header facts are read now, concepts lazily."""
    if plan.format == "po" and plan.target is None:
        raise InvalidInput(
            "a PO export is one file per language pair: give one --lang, or -o DIRECTORY "
            "for one file per target language",
            field="lang",
        )
    _read_snapshot()
    source, *_ = _languages([plan.source])
    document = ExportDocument(
        concepts=iter_concepts(plan, progress=progress),
        source=source,
        languages=_column_languages(plan) if plan.format in SPREADSHEETS else (),
        target=_languages([plan.target])[0] if plan.target else None,
        layout=plan.layout,
        attribution=attribution(plan),
        base_url=base_url,
    )
    return exporter_class(plan.format)(), document


def write_export(
    plan: ExportPlan,
    out: BinaryIO,
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a whole export to a binary file object."""
    exporter, document = open_export(plan, base_url=base_url, progress=progress)
    exporter.write(document, out)
    return ExportResult(exporter.written, exporter.skipped)


def export_chunks(plan: ExportPlan, *, base_url: str | None = None) -> Iterator[bytes]:
    """The export as byte chunks, for a streamed HTTP response (validated before the first)."""
    exporter, document = open_export(plan, base_url=base_url)
    return exporter.chunks(document)


def export_etag(plan: ExportPlan, base_url: str | None = None) -> str:
    """A cheap validator: the plan plus the newest id of every table an export reads.

    Every change and vote writes a History row (DESIGN.md §3), and new terms, concepts,
    definitions and sources get new ids, so all of these maxima are index lookups.
    """
    marks = db.session.execute(
        select(
            *(
                select(func.max(column)).scalar_subquery()
                for column in (History.id, Term.id, Concept.id, Definition.id, Source.id)
            )
        )
    ).one()
    payload = json.dumps([astuple(plan), list(marks), base_url, tamyr_version()], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]
