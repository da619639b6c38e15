"""A small Turkic termbase for the export tests, and helpers to export it to bytes.

Content covers what breaks naive writers: Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і), Turkish
İ/ı, Uzbek oʻ/gʻ with U+02BB, right-to-left Uyghur, Bashkir ҙ ҫ ҡ, XML/CSV/PO metacharacters
and a text that a spreadsheet would take for a formula.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from glossary.extensions import db
from glossary.models import Ballot, Meetup, Source, Term
from glossary.services.actors import CLI
from glossary.services.exports import ExportRequest, plan_export, write_export
from glossary.services.records import RecordWriter
from glossary.services.terms import create_concept
from importers.base import ConceptRecord
from importers.registry import reader_for


@dataclass
class Termbase:
    database: str  # computing: full metadata, every status
    uzbekistan: str  # places, voted on at the meetup
    dictionary: str  # no English term: PO has no msgid for it
    istanbul: str  # tr İ/ı, a proposed kk term (PO fuzzy)
    formula: str  # "=SUM(A1)" and CSV/XML metacharacters
    meetup_id: int


@pytest.fixture
def termbase(app: Flask) -> Termbase:
    cldr = Source(
        name="CLDR 47", kind="cldr", licence="Unicode-3.0", url="https://cldr.unicode.org"
    )
    db.session.add(cldr)
    database = create_concept(
        CLI,
        domain="computing",
        wikidata="Q8513",
        note="Seen in GNOME and KDE.\nKeep the Kazakh form short.",
        definitions={
            "en": "An organised collection of data.",
            "kk": "Деректердің ұйымдастырылған жиынтығы.",
        },
        terms=[
            {"lang": "en", "text": "database", "status": "preferred", "pos": "noun"},
            {"lang": "en", "text": "data bank", "status": "deprecated", "pos": "noun"},
            {
                "lang": "kk",
                "text": "дерекқор",
                "status": "preferred",
                "pos": "noun",
                "note": 'Not "база" & not <деректер>.',
            },
            {"lang": "kk", "text": "деректер қоры", "status": "admitted"},
            {"lang": "kk", "text": "база", "status": "rejected"},
            {"lang": "tr", "text": "veritabanı", "status": "preferred", "pos": "proper noun"},
            {"lang": "uz", "text": "maʼlumotlar bazasi", "status": "proposed"},
            {"lang": "ug", "text": "ساندان", "status": "admitted"},
            {"lang": "ba", "text": "мәғлүмәттәр базаһы", "status": "proposed"},
        ],
    )
    uzbekistan = create_concept(
        CLI,
        domain="places",
        terms=[
            {"lang": "en", "text": "Uzbekistan", "status": "preferred"},
            {"lang": "uz", "text": "Oʻzbekiston", "status": "preferred"},
            {"lang": "kk", "text": "Өзбекстан", "status": "preferred"},
            {"lang": "kk", "text": "Узбекистан", "status": "deprecated"},
            {"lang": "tr", "text": "Özbekistan", "status": "admitted"},
            {"lang": "ug", "text": "ئۆزبېكىستان", "status": "proposed"},
            {"lang": "ba", "text": "Үзбәкстан", "status": "proposed"},
        ],
    )
    dictionary = create_concept(
        CLI,
        domain="computing",
        terms=[
            {"lang": "ba", "text": "һүҙлек", "status": "preferred"},
            {"lang": "kk", "text": "сөздік", "status": "admitted"},
            {"lang": "ba", "text": "ҡалып", "status": "proposed"},
        ],
    )
    istanbul = create_concept(
        CLI,
        domain="places",
        terms=[
            {"lang": "en", "text": "Istanbul", "status": "preferred"},
            {"lang": "tr", "text": "İstanbul", "status": "preferred"},
            {"lang": "kk", "text": "Ыстамбұл", "status": "proposed"},
            {"lang": "uz", "text": "Istanbul", "status": "admitted"},
        ],
    )
    formula = create_concept(
        CLI,
        domain="spreadsheets",
        terms=[
            {"lang": "en", "text": "=SUM(A1)", "status": "preferred"},
            {"lang": "kk", "text": 'қосынды, "жиын" & <сома>', "status": "admitted"},
        ],
    )
    for term in database.terms:
        if term.lang in ("en", "kk"):
            term.source_id = cldr.id
    meetup = Meetup(uid=str(uuid.uuid4()), name="Almaty meetup", join_code="ALMATY1")
    db.session.add(meetup)
    db.session.flush()
    db.session.add(Ballot(meetup_id=meetup.id, concept_id=uzbekistan.id, lang="kk"))
    ug_term = next(t for t in istanbul.terms if t.lang == "kk")
    db.session.execute(
        Term.__table__.update().where(Term.id == ug_term.id).values(meetup_id=meetup.id)
    )
    db.session.commit()
    return Termbase(
        database=database.uid,
        uzbekistan=uzbekistan.uid,
        dictionary=dictionary.uid,
        istanbul=istanbul.uid,
        formula=formula.uid,
        meetup_id=meetup.id,
    )


def export_bytes(format: str, **options: object) -> bytes:
    """Run an export the way the CLI does and return the file's bytes."""
    out = io.BytesIO()
    base_url = options.pop("base_url", None)
    plan = plan_export(ExportRequest(format=format, **options))  # type: ignore[arg-type]
    write_export(plan, out, base_url=base_url)  # type: ignore[arg-type]
    return out.getvalue()


def import_file(path: Path, *, source_lang: str = "en", allow_status: bool = True) -> None:
    """Read ``path`` with its importer and write the records as an import does, then commit."""
    reader = reader_for(path, source_lang=source_lang)
    writer = RecordWriter(
        CLI,
        file_name=path.name,
        source=None,
        source_lang=source_lang,
        allow_status=allow_status,
    )
    report = writer.write(reader.records())
    errors = [p for p in [*reader.problems, *report.problems] if p.severity == "error"]
    assert not errors, errors
    db.session.commit()


def read_back(path: Path, **options: str) -> list[ConceptRecord]:
    """The records an importer reads from ``path``."""
    return list(reader_for(path, **options).records())


def term_facts(record: ConceptRecord) -> set[tuple[str, str, str | None, str | None]]:
    """``(lang, text, status, note)`` of each term of a record, for comparisons."""
    return {(t.lang, t.text, t.status, t.note) for t in record.terms}
