"""The floors of benchmarks/exchange.py, each run as a child: ``python exchange_floors.py KIND …``.

* ``storage FORMAT FILE DATABASE``: a bare parse of FILE (a line scan for PO, ``csv.reader``,
  lxml ``iterparse``) plus plain inserts of the rows `tamyr import` writes for it — concepts,
  terms with their text/norm/folded/key columns, one search-outbox row per term — into a
  database that `tamyr init` created (so with the same lookup indexes), in one transaction.
  What it leaves out is Tamyr's own work: matching, merging, validation, history, reports.
* ``whoosh DATABASE FOLDER``: a stock Whoosh build (StandardAnalyzer, one commit, default
  writer settings) of every term in DATABASE: what a plain Whoosh user would pay.

Each prints one JSON line with what it counted.
"""

from __future__ import annotations

import csv
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Unit = tuple[str, list[tuple[str, str]]]  # (concept uid, [(lang, text), …])
BATCH = 5000


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].replace('\\"', '"').replace("\\\\", "\\")


def parse_po(path: Path) -> Iterator[Unit]:
    """The single-line entries benchmarks/exchange.py writes: msgctxt, msgid, msgstr."""
    context = source = ""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("msgctxt "):
                context = _unquote(line)
            elif line.startswith("msgid "):
                source = _unquote(line)
            elif line.startswith("msgstr ") and source:
                target = _unquote(line)
                yield context, [("en", source)] + ([("kk", target)] if target else [])


def parse_csv(path: Path) -> Iterator[Unit]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        for row in rows:
            cells = zip(header[1:], row[1:], strict=True)
            yield row[0], [(lang, text) for lang, text in cells if text]


def parse_tmx(path: Path) -> Iterator[Unit]:
    from lxml import etree

    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    events = etree.iterparse(str(path), tag="tu", resolve_entities=False, no_network=True)
    for _, tu in events:
        terms = [(tuv.get(lang_attr), tuv.findtext("seg") or "") for tuv in tu.iter("tuv")]
        yield tu.get("tuid") or str(uuid.uuid4()), terms
        tu.clear()
        while tu.getprevious() is not None:
            del tu.getparent()[0]


PARSERS = {"po": parse_po, "csv": parse_csv, "tmx": parse_tmx}


def storage_floor(format: str, path: Path, database: str) -> dict[str, int]:
    from sqlalchemy import insert, select

    from glossary import create_app
    from glossary.extensions import db
    from glossary.models import Concept, Language, SearchOutbox, Source, Term, utcnow
    from glossary.services.terms import prepare_text

    app = create_app({"CLI": True, "SQLALCHEMY_DATABASE_URI": database})
    counts = {"concepts": 0, "terms": 0}
    with app.app_context():
        session = db.session
        now = utcnow()
        source = Source(name=path.name, kind="file")
        session.add(source)
        known = set(session.scalars(select(Language.tag)))
        batch: list[Unit] = []

        def flush() -> None:
            for _, terms in batch:
                for lang, _text in terms:
                    if lang not in known:
                        session.add(Language(tag=lang, name=lang))
                        known.add(lang)
            session.flush()
            concepts = [{"uid": uid, "source_id": source.id, "created_at": now,
                         "updated_at": now} for uid, _terms in batch]  # fmt: skip
            ids = session.scalars(
                insert(Concept).returning(Concept.id, sort_by_parameter_order=True), concepts
            ).all()
            rows: list[dict[str, Any]] = []
            for concept_id, (_uid, terms) in zip(ids, batch, strict=True):
                for lang, text in terms:
                    prepared = prepare_text(text, lang)
                    rows.append(
                        {"concept_id": concept_id, "lang": lang, "text": prepared.text,
                         "norm": prepared.norm, "folded": prepared.folded, "key": prepared.key,
                         "status": "proposed", "source_id": source.id, "created_at": now,
                         "updated_at": now}
                    )  # fmt: skip
            term_ids = session.scalars(
                insert(Term).returning(Term.id, sort_by_parameter_order=True), rows
            ).all()
            session.execute(
                insert(SearchOutbox),
                [{"term_id": term_id, "op": "index", "created_at": now} for term_id in term_ids],
            )
            counts["concepts"] += len(ids)
            counts["terms"] += len(term_ids)
            batch.clear()

        for unit in PARSERS[format](path):
            batch.append(unit)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        session.commit()  # one transaction, as `tamyr import`
    return counts


def whoosh_floor(database: str, folder: Path) -> dict[str, int]:
    from sqlalchemy import create_engine, text
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True), lang=ID(stored=True), text=TEXT(stored=True))
    folder.mkdir(parents=True, exist_ok=True)
    writer = index.create_in(str(folder), schema).writer()
    count = 0
    with create_engine(database).connect() as connection:
        rows = connection.execution_options(yield_per=BATCH).execute(
            text("SELECT id, lang, text FROM terms")
        )
        for term_id, lang, term_text in rows:
            writer.add_document(id=str(term_id), lang=lang, text=term_text)
            count += 1
    writer.commit()
    return {"terms": count}


def main() -> None:
    kind, *args = sys.argv[1:]
    if kind == "storage":
        result = storage_floor(args[0], Path(args[1]), args[2])
    elif kind == "whoosh":
        result = whoosh_floor(args[0], Path(args[1]))
    else:
        sys.exit(f"unknown floor {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
