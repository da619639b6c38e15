"""Writing neutral import records (importers/base.py) into the termbase, in bulk.

Concept matching (DESIGN.md §5): the uid the file carries, else the file's context plus the
folded term of the source language; never other columns. Terms merge by identity (``norm``).
The caller owns the transaction: nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import insert, select, tuple_

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import Concept, Definition, History, SearchOutbox, Source, Term, utcnow
from glossary.models.concept import new_uid
from glossary.services.actors import Actor
from glossary.services.languages import ensure_language, resolve_language
from glossary.services.terms import prepare_text
from glossary.text.folding import fold_for_search
from importers.base import ConceptRecord, Problem

CHUNK = 1000


@dataclass
class WriteReport:
    new_concepts: int = 0
    matched_concepts: int = 0
    new_terms: int = 0
    existing_terms: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "new_concepts": self.new_concepts,
            "matched_concepts": self.matched_concepts,
            "new_terms": self.new_terms,
            "existing_terms": self.existing_terms,
            "problems": [str(p) for p in self.problems],
        }


def _chunks(records: Iterable[ConceptRecord]) -> Iterator[list[ConceptRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


class RecordWriter:
    """Maps records to concepts and inserts what is new; one instance per import command."""

    def __init__(
        self,
        actor: Actor,
        *,
        file_name: str,
        source: Source | None,
        source_lang: str,
        allow_status: bool,
    ) -> None:
        self.actor = actor
        self.file_name = file_name
        self.source = source
        self.source_lang = resolve_language(source_lang)
        self.allow_status = allow_status
        self.report = WriteReport()
        self._langs: dict[str, str] = {}
        self._sources: dict[str, int] = {}
        # Concepts this writer created, by (context, folded source term): repeated entries
        # of one file meet again before their rows are visible to a query.
        self._created: dict[tuple[str | None, str], int] = {}
        self._preferred: set[tuple[int, str]] = set()

    # -- helpers -----------------------------------------------------------------------------
    def _problem(self, message: str, line: int | None, severity: str = "error") -> None:
        self.report.problems.append(Problem(self.file_name, line, message, severity))  # type: ignore[arg-type]

    def _lang(self, raw: str, sample: str) -> str:
        if raw not in self._langs:
            tag = resolve_language(raw, sample)
            ensure_language(tag)
            self._langs[raw] = tag
        return self._langs[raw]

    def _source_id(self, name: str | None) -> int | None:
        if name is None:
            return self.source.id if self.source is not None else None
        if name not in self._sources:
            row = db.session.scalar(select(Source).where(Source.name == name))
            if row is None:
                row = Source(name=name, kind="data")
                db.session.add(row)
                db.session.flush()
            self._sources[name] = row.id
        return self._sources[name]

    # -- matching ----------------------------------------------------------------------------
    def _source_fold(self, record: ConceptRecord) -> str | None:
        for term in record.terms:
            if self._langs.get(term.lang) == self.source_lang:
                return fold_for_search(term.text)
        return None

    def _match(self, chunk: list[ConceptRecord]) -> dict[int, int]:
        """Index in chunk -> existing concept id."""
        uids = {r.uid for r in chunk if r.uid}
        by_uid = (
            dict(
                db.session.execute(
                    select(Concept.uid, Concept.id).where(Concept.uid.in_(uids))
                ).all()
            )
            if uids
            else {}
        )
        folds = {i: self._source_fold(r) for i, r in enumerate(chunk) if not r.uid}
        wanted = {f for f in folds.values() if f}
        by_fold: dict[tuple[str | None, str], int] = {}
        if wanted:
            rows = db.session.execute(
                select(Term.folded, Concept.context, Concept.id)
                .join(Concept, Term.concept_id == Concept.id)
                .where(
                    Term.lang == self.source_lang,
                    Term.folded.in_(wanted),
                    Concept.merged_into_id.is_(None),
                )
                .order_by(Concept.id)
            )
            for folded, context, concept_id in rows:
                by_fold.setdefault((context, folded), concept_id)
        matches: dict[int, int] = {}
        for i, record in enumerate(chunk):
            if record.uid and record.uid in by_uid:
                matches[i] = by_uid[record.uid]
            elif (fold := folds.get(i)) is not None:
                key = (record.context, fold)
                found = self._created.get(key) or by_fold.get(key)
                if found:
                    matches[i] = found
        return matches

    # -- writing -----------------------------------------------------------------------------
    def write(self, records: Iterable[ConceptRecord]) -> WriteReport:
        for chunk in _chunks(records):
            self._write_chunk(chunk)
        return self.report

    def _valid_terms(self, record: ConceptRecord) -> list[dict[str, Any]] | None:
        terms = []
        for term in record.terms:
            try:
                lang = self._lang(term.lang, term.text)
                prepared = prepare_text(term.text, lang)
            except InvalidInput as exc:
                self._problem(exc.detail, term.line or record.line)
                return None
            status = term.status if (self.allow_status and term.status) else "proposed"
            terms.append(
                {
                    "lang": lang,
                    "text": prepared.text,
                    "norm": prepared.norm,
                    "folded": prepared.folded,
                    "key": prepared.key,
                    "pos": term.pos,
                    "status": status,
                    "usage_note": term.note,
                    "source_id": self._source_id(term.source),
                    "created_by_id": self.actor.user_id,
                }
            )
        return terms

    def _write_chunk(self, chunk: list[ConceptRecord]) -> None:
        prepared = [self._valid_terms(record) for record in chunk]
        matches = self._match(chunk)
        concept_ids = self._create_concepts(chunk, prepared, matches)
        existing = self._existing_terms(set(concept_ids.values()))
        new_rows: list[dict[str, Any]] = []
        for i, terms in enumerate(prepared):
            if terms is None or i not in concept_ids:
                continue
            concept_id = concept_ids[i]
            for values in terms:
                identity = (concept_id, values["lang"], values["norm"])
                if identity in existing:
                    self.report.existing_terms += 1
                    continue
                existing.add(identity)
                if values["status"] == "preferred":
                    if (concept_id, values["lang"]) in self._preferred:
                        values["status"] = "admitted"
                        self._problem(
                            f"a second preferred {values['lang']} term "
                            f"{values['text']!r} was kept as admitted",
                            chunk[i].line,
                            "warning",
                        )
                    self._preferred.add((concept_id, values["lang"]))
                new_rows.append({**values, "concept_id": concept_id})
        self._insert_terms(new_rows)
        self._add_definitions(chunk, concept_ids, matches)

    def _create_concepts(
        self, chunk: list[ConceptRecord], prepared: list[Any], matches: dict[int, int]
    ) -> dict[int, int]:
        """Insert the chunk's unmatched concepts in one statement; index in chunk -> id."""
        concept_ids = dict(matches)
        self.report.matched_concepts += len(matches)
        now = utcnow()
        pending: list[dict[str, Any]] = []
        owners: list[list[int]] = []  # chunk indexes that each pending row stands for
        pending_keys: dict[tuple[str | None, str], int] = {}
        for i, record in enumerate(chunk):
            if i in concept_ids or prepared[i] is None:
                continue
            fold = self._source_fold(record) if not record.uid else None
            key = (record.context, fold) if fold else None
            if key and key in self._created:
                concept_ids[i] = self._created[key]
                continue
            if key and key in pending_keys:  # repeated entry within this chunk
                owners[pending_keys[key]].append(i)
                continue
            if key:
                pending_keys[key] = len(pending)
            owners.append([i])
            pending.append(
                {
                    "uid": record.uid or new_uid(),
                    "domain": record.domain,
                    "context": record.context,
                    "note": record.note,
                    "wikidata": record.wikidata,
                    "source_id": self.source.id if self.source else None,
                    "created_by_id": self.actor.user_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if pending:
            ids = list(
                db.session.scalars(
                    insert(Concept).returning(Concept.id, sort_by_parameter_order=True), pending
                )
            )
            for key, position in pending_keys.items():
                self._created[key] = ids[position]
            for concept_id, indexes in zip(ids, owners, strict=True):
                for i in indexes:
                    concept_ids[i] = concept_id
            self.report.new_concepts += len(ids)
        return concept_ids

    def _existing_terms(self, concept_ids: set[int]) -> set[tuple[int, str, str]]:
        if not concept_ids:
            return set()
        rows = db.session.execute(
            select(Term.concept_id, Term.lang, Term.norm, Term.status).where(
                Term.concept_id.in_(concept_ids)
            )
        )
        existing = set()
        for concept_id, lang, norm, status in rows:
            existing.add((concept_id, lang, norm))
            if status == "preferred":
                self._preferred.add((concept_id, lang))
        return existing

    def _insert_terms(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = utcnow()
        for row in rows:
            row["created_at"] = row["updated_at"] = now
        ids = list(
            db.session.scalars(insert(Term).returning(Term.id, sort_by_parameter_order=True), rows)
        )
        db.session.execute(
            insert(SearchOutbox),
            [{"term_id": term_id, "op": "index", "created_at": now} for term_id in ids],
        )
        db.session.execute(
            insert(History),
            [
                {
                    "actor_id": self.actor.user_id,
                    "actor_name": self.actor.name,
                    "action": "term.import",
                    "entity": "term",
                    "entity_id": str(term_id),
                    "concept_id": row["concept_id"],
                    "at": now,
                    "before": None,
                    "after": {
                        "lang": row["lang"],
                        "text": row["text"],
                        "status": row["status"],
                        "file": self.file_name,
                    },
                }
                for term_id, row in zip(ids, rows, strict=True)
            ],
        )
        self.report.new_terms += len(ids)

    def _add_definitions(
        self, chunk: list[ConceptRecord], concept_ids: dict[int, int], matches: dict[int, int]
    ) -> None:
        wanted = [
            (concept_ids[i], lang, text)
            for i, r in enumerate(chunk)
            if i in concept_ids
            for lang, text in r.definitions.items()
            if text.strip()
        ]
        if not wanted:
            return
        rows = []
        for concept_id, raw_lang, text in wanted:
            try:
                rows.append((concept_id, self._lang(raw_lang, text), text.strip()))
            except InvalidInput as exc:
                self._problem(exc.detail, None)
        have = (
            set(
                db.session.execute(
                    select(Definition.concept_id, Definition.lang).where(
                        tuple_(Definition.concept_id, Definition.lang).in_(
                            [(c, lang) for c, lang, _ in rows]
                        )
                    )
                ).all()
            )
            if rows
            else set()
        )
        fresh = {(c, lang): text for c, lang, text in rows if (c, lang) not in have}
        if fresh:
            db.session.execute(
                insert(Definition),
                [
                    {"concept_id": c, "lang": lang, "text": text}
                    for (c, lang), text in fresh.items()
                ],
            )
