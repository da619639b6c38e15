"""Writing neutral import records (importers/base.py) into the termbase, in bulk.

Concept matching (DESIGN.md §5): the uid the file carries, else the folded term of the source
language (plus the PO msgctxt, which is context); never other columns. A TBX ``c7``, a TMX
``tuid="42"`` or a CSV ``concept`` that is not a uid numbers entries of one file only, so it
takes no part in matching. Terms merge by identity (``norm``).
The caller owns the transaction: nothing here commits.

Memory stays flat however long the file: records are written a chunk at a time, and every
lookup (concepts by uid or fold, the terms and definitions of matched concepts) is one query per
chunk. Rows written by earlier chunks are visible to those queries inside the same transaction,
so nothing about them has to be remembered in Python; only duplicates *within* a chunk are
resolved in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from sqlalchemy import func, insert, select, tuple_

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import Concept, Definition, History, SearchOutbox, Source, Term, utcnow
from glossary.models.concept import new_uid
from glossary.services.actors import Actor
from glossary.services.import_reports import WriteReport
from glossary.services.languages import ensure_language, resolve_language
from glossary.services.terms import MAX_TERM_LENGTH, WIKIDATA_QID, prepare_text
from importers.base import ConceptRecord, Problem

CHUNK = (
    2000  # records per round of queries: large enough to amortise them, small enough to stay flat
)

# Column widths (glossary/models): longer values would be refused by PostgreSQL mid-import.
MAX_CONTEXT, MAX_DOMAIN, MAX_POS, MAX_SOURCE_NAME = 200, 100, 30, 200
# Controls (other than TAB/LF/CR) have no place in notes either; PostgreSQL refuses NUL.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

_Key = tuple[str | None, ...]  # a record's concept identity: ("uid", uid) or ("fold", ctx, fold)
_Identity = tuple[int, str, str]  # a term's identity: (concept id, lang, norm)

# Core tables: bulk statements on them skip the ORM's per-row bookkeeping.
_CONCEPTS, _TERMS = Concept.__table__, Term.__table__
_OUTBOX, _HISTORY = SearchOutbox.__table__, History.__table__


@dataclass(slots=True)
class _Entry:
    """One valid record of a chunk, with its terms' column values and its concept identity."""

    record: ConceptRecord
    terms: list[dict[str, Any]]
    key: _Key | None
    concept_id: int | None = None


def _chunks(records: Iterable[ConceptRecord], size: int) -> Iterator[list[ConceptRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def free_text(value: str | None) -> str | None:
    """A note, definition or label as stored: controls dropped, ends trimmed, None when empty."""
    if value is None:
        return None
    return _CONTROLS.sub("", value).strip() or None


class RecordWriter:
    """Maps records to concepts and inserts what is new; one instance per imported file."""

    def __init__(
        self,
        actor: Actor,
        *,
        file_name: str,
        source: Source | None,
        source_lang: str,
        allow_status: bool,
        meetup_id: int | None = None,
        keep_context: bool = True,
    ) -> None:
        self.actor = actor
        self.keep_context = keep_context  # False: a record's non-uid id is not its context
        self.file_name = file_name
        self.source = source
        self.source_lang = resolve_language(source_lang)
        self.allow_status = allow_status
        self.meetup_id = meetup_id
        self.report = WriteReport()
        self._source_pk = source.id if source is not None else None
        # Both stay small: one entry per language tag and per provenance name in the file.
        self._langs: dict[str, str] = {}
        self._sources: dict[str, int] = {}

    # -- public ---------------------------------------------------------------------------
    def write(
        self,
        records: Iterable[ConceptRecord],
        on_chunk: Callable[[int], None] | None = None,
    ) -> WriteReport:
        """Write every record; ``on_chunk(n)`` is called after each chunk of ``n`` records."""
        for chunk in _chunks(records, CHUNK):
            self._write_chunk(chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
        return self.report

    def problem(
        self, message: str, line: int | None, severity: Literal["error", "warning"] = "error"
    ) -> None:
        """Report a problem with an entry of this writer's file."""
        self.report.add(Problem(self.file_name, line, message, severity))

    # -- preparing ------------------------------------------------------------------------
    def _lang(self, raw: str, sample: str) -> str:
        if raw not in self._langs:
            tag = resolve_language(raw, sample)
            ensure_language(tag)
            self._langs[raw] = tag
        return self._langs[raw]

    def _source_id(self, name: str | None) -> int | None:
        """The Source row of a term's own provenance, else the file's."""
        if not name:
            return self._source_pk
        name = name.strip()[:MAX_SOURCE_NAME]
        if name not in self._sources:
            row = db.session.scalar(select(Source).where(Source.name == name))
            if row is None:
                row = Source(name=name, kind="data")
                db.session.add(row)
                db.session.flush()
            self._sources[name] = row.id
        return self._sources[name]

    def _prepare(self, record: ConceptRecord) -> _Entry | None:
        """Validate a record into column values; None (with a problem) when it is unusable."""
        line = record.line
        context = free_text(record.context) if self.keep_context else None
        if context is not None and len(context) > MAX_CONTEXT:
            self.problem(f"the entry's context is longer than {MAX_CONTEXT} characters", line)
            return None
        terms = []
        fold = None
        for term in record.terms:
            where = term.line or line
            try:
                lang = self._lang(term.lang, term.text)
                prepared = prepare_text(term.text, lang)
            except InvalidInput as exc:
                # A paragraph in a software catalogue is valid PO, just not a term.
                if len(term.text.strip()) > MAX_TERM_LENGTH:
                    self.problem(f"{exc.detail}; entry skipped", where, "warning")
                else:
                    self.problem(exc.detail, where)
                return None
            pos = free_text(term.pos)
            if pos is not None and len(pos) > MAX_POS:
                self.problem(
                    f"part of speech {pos[:40]!r}… is too long; left out", where, "warning"
                )
                pos = None
            if fold is None and lang == self.source_lang:
                fold = prepared.folded
            terms.append(
                {
                    "lang": lang,
                    "text": prepared.text,
                    "norm": prepared.norm,
                    "folded": prepared.folded,
                    "key": prepared.key,
                    "pos": pos,
                    "status": term.status if (self.allow_status and term.status) else "proposed",
                    "usage_note": free_text(term.note),
                    "source_id": self._source_id(term.source),
                    "created_by_id": self.actor.user_id,
                    "meetup_id": self.meetup_id,
                    "_file_status": term.status,
                    "_line": where,
                }
            )
        if not terms:
            self.problem("entry has no terms", line, "warning")
            return None
        record.context = context
        if record.uid:
            key: _Key | None = ("uid", record.uid)
        else:
            key = ("fold", context, fold) if fold is not None else None
        return _Entry(record, terms, key)

    # -- matching -------------------------------------------------------------------------
    def _match(self, entries: list[_Entry]) -> dict[_Key, int]:
        """Existing concepts for the chunk's keys: by uid, else by (context, source fold)."""
        found: dict[_Key, int] = {}
        uids = {e.record.uid for e in entries if e.record.uid}
        if uids:
            # A merged concept's uid still works: it leads to the concept that absorbed it.
            query = select(Concept.uid, func.coalesce(Concept.merged_into_id, Concept.id)).where(
                Concept.uid.in_(uids)
            )
            for uid, concept_id in db.session.execute(query):
                found[("uid", uid)] = concept_id
        folds = {e.key[2] for e in entries if e.key and e.key[0] == "fold"}
        if folds:
            query = (
                select(Term.folded, Concept.context, Concept.id)
                .join(Concept, Term.concept_id == Concept.id)
                .where(
                    Term.lang == self.source_lang,
                    Term.folded.in_(folds),
                    Concept.merged_into_id.is_(None),
                )
                .order_by(Concept.id)  # the oldest concept wins when several share a term
            )
            for folded, context, concept_id in db.session.execute(query):
                found.setdefault(("fold", context, folded), concept_id)
        return found

    def _assign_concepts(self, entries: list[_Entry]) -> set[int]:
        """Give every entry its concept id, inserting new concepts; returns the matched ids."""
        found = self._match(entries)
        matched: set[int] = set()
        pending: list[dict[str, Any]] = []
        owners: list[list[_Entry]] = []  # the entries each pending concept row stands for
        pending_keys: dict[_Key, int] = {}
        now = utcnow()
        for entry in entries:
            key = entry.key
            if key is not None and key in found:
                entry.concept_id = found[key]
                matched.add(entry.concept_id)
                self.report.matched_concepts += 1
                continue
            if key is not None and key in pending_keys:  # repeated within this chunk
                owners[pending_keys[key]].append(entry)
                continue
            if key is not None:
                pending_keys[key] = len(pending)
            owners.append([entry])
            pending.append(self._concept_row(entry.record, now))
        if pending:
            # Ids are paired back by uid rather than by row order: an ordered RETURNING makes
            # SQLite insert row by row, several times slower than one multi-row statement.
            by_uid = dict(
                db.session.execute(
                    insert(_CONCEPTS).returning(_CONCEPTS.c.uid, _CONCEPTS.c.id), pending
                ).all()
            )
            for row, group in zip(pending, owners, strict=True):
                for entry in group:
                    entry.concept_id = by_uid[row["uid"]]
            self.report.new_concepts += len(pending)
        return matched

    def _concept_row(self, record: ConceptRecord, now: Any) -> dict[str, Any]:
        domain = free_text(record.domain)
        if domain is not None and len(domain) > MAX_DOMAIN:
            self.problem(
                f"domain longer than {MAX_DOMAIN} characters; left out", record.line, "warning"
            )
            domain = None
        wikidata = free_text(record.wikidata)
        if wikidata is not None and not WIKIDATA_QID.match(wikidata):
            self.problem(
                f"{wikidata[:40]!r} is not a Wikidata item id; left out", record.line, "warning"
            )
            wikidata = None
        return {
            "uid": record.uid or new_uid(),
            "domain": domain,
            "context": record.context,
            "note": free_text(record.note),
            "wikidata": wikidata,
            "source_id": self._source_pk,
            "origin_meetup_id": self.meetup_id,
            "created_by_id": self.actor.user_id,
            "created_at": now,
            "updated_at": now,
        }

    def _existing_terms(self, concept_ids: set[int]) -> dict[_Identity, str]:
        """Status of every term of the matched concepts, by identity."""
        if not concept_ids:
            return {}
        rows = db.session.execute(
            select(Term.concept_id, Term.lang, Term.norm, Term.status).where(
                Term.concept_id.in_(concept_ids)
            )
        )
        return {(concept_id, lang, norm): status for concept_id, lang, norm, status in rows}

    # -- writing --------------------------------------------------------------------------
    def _write_chunk(self, chunk: list[ConceptRecord]) -> None:
        entries = []
        for record in chunk:
            entry = self._prepare(record)
            if entry is None:
                self.report.skipped += 1
            else:
                entries.append(entry)
        if not entries:
            return
        # Core statements do not autoflush: languages and sources added above go first.
        db.session.flush()
        matched = self._assign_concepts(entries)
        existing = self._existing_terms(matched)
        preferred = {
            (c, lang) for (c, lang, _), status in existing.items() if status == "preferred"
        }
        rows: list[dict[str, Any]] = []
        for entry in entries:
            for values in entry.terms:
                row = self._new_term(entry.concept_id, values, existing, preferred)  # type: ignore[arg-type]
                if row is not None:
                    rows.append(row)
        self._insert_terms(rows)
        self._add_definitions(entries)

    def _new_term(
        self,
        concept_id: int,
        values: dict[str, Any],
        existing: dict[_Identity, str],
        preferred: set[tuple[int, str]],
    ) -> dict[str, Any] | None:
        """The row to insert for one term, or None when the concept has it already."""
        lang, line = values["lang"], values["_line"]
        identity = (concept_id, lang, values["norm"])
        stored = existing.get(identity)
        if stored is not None:
            self.report.existing_terms += 1
            said = values["_file_status"]
            if self.allow_status and said and said != stored:
                self.report.conflicts += 1
                self.problem(
                    f"the file says the {lang} term {values['text']!r} is {said}; "
                    f"the termbase keeps it {stored}",
                    line,
                    "warning",
                )
            return None
        existing[identity] = values["status"]
        if values["status"] == "preferred":
            if (concept_id, lang) in preferred:
                # The database allows one preferred term per language; the first one stays.
                values["status"] = "admitted"
                self.report.conflicts += 1
                self.problem(
                    f"a second preferred {lang} term {values['text']!r} was kept as admitted",
                    line,
                    "warning",
                )
            preferred.add((concept_id, lang))
        row = {k: v for k, v in values.items() if not k.startswith("_")}
        row["concept_id"] = concept_id
        return row

    def _insert_terms(self, rows: list[dict[str, Any]]) -> None:
        """Insert terms with their outbox rows (same transaction) and history."""
        if not rows:
            return
        now = utcnow()
        for row in rows:
            row["created_at"] = row["updated_at"] = now
        # Paired back by identity (unique per concept), not row order: see _assign_concepts.
        returned = db.session.execute(
            insert(_TERMS).returning(
                _TERMS.c.concept_id, _TERMS.c.lang, _TERMS.c.norm, _TERMS.c.id
            ),
            rows,
        )
        by_identity = {(c, lang, norm): term_id for c, lang, norm, term_id in returned}
        ids = [by_identity[(row["concept_id"], row["lang"], row["norm"])] for row in rows]
        db.session.execute(
            insert(_OUTBOX),
            [{"term_id": term_id, "op": "index", "created_at": now} for term_id in ids],
        )
        actor_id, actor_name, file_name = self.actor.user_id, self.actor.name, self.file_name
        db.session.execute(
            insert(_HISTORY),
            [
                {
                    "actor_id": actor_id,
                    "actor_name": actor_name,
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
                        "file": file_name,
                    },
                }
                for term_id, row in zip(ids, rows, strict=True)
            ],
        )
        self.report.new_terms += len(ids)

    def _add_definitions(self, entries: list[_Entry]) -> None:
        """Add definitions in languages the concepts have none in; differing ones are conflicts."""
        wanted: dict[tuple[int, str], tuple[str, int | None]] = {}
        for entry in entries:
            for raw_lang, raw_text in entry.record.definitions.items():
                text = free_text(raw_text)
                if text is None:
                    continue
                try:
                    lang = self._lang(raw_lang, text)
                except InvalidInput as exc:
                    self.problem(f"definition skipped: {exc.detail}", entry.record.line, "warning")
                    continue
                wanted.setdefault((entry.concept_id, lang), (text, entry.record.line))  # type: ignore[arg-type]
        if not wanted:
            return
        have = db.session.execute(
            select(Definition.concept_id, Definition.lang, Definition.text).where(
                tuple_(Definition.concept_id, Definition.lang).in_(list(wanted))
            )
        )
        for concept_id, lang, stored in have:
            text, line = wanted.pop((concept_id, lang))
            if text != stored:
                self.report.conflicts += 1
                self.problem(
                    f"the {lang} definition differs from the termbase's, which is kept",
                    line,
                    "warning",
                )
        if wanted:
            db.session.execute(
                insert(Definition.__table__),
                [
                    {"concept_id": c, "lang": lang, "text": t}
                    for (c, lang), (t, _) in wanted.items()
                ],
            )
