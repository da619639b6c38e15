"""The export service: filters, keyset batches without N+1 queries, attribution, validation."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from glossary.errors import InvalidInput, NotFound
from glossary.exporters import exporter_for
from glossary.extensions import db
from glossary.models import Concept, Meetup
from glossary.services.actors import CLI
from glossary.services.exports import (
    ExportRequest,
    attribution,
    count_concepts,
    export_etag,
    iter_concepts,
    plan_export,
)
from glossary.services.terms import add_term, create_concept
from tests.exporters.conftest import Termbase


def plan(**options: object):
    return plan_export(ExportRequest(**{"format": "tmx", **options}))  # type: ignore[arg-type]


def uids(**options: object) -> list[str]:
    return [concept.uid for concept in iter_concepts(plan(**options))]


def test_every_concept_in_id_order(termbase: Termbase) -> None:
    assert uids() == [
        termbase.database,
        termbase.uzbekistan,
        termbase.dictionary,
        termbase.istanbul,
        termbase.formula,
    ]


def test_batches_meet_without_gaps_or_doubles(termbase: Termbase) -> None:
    whole = list(iter_concepts(plan()))
    for size in (1, 2, 4, 5):
        seen: list[int] = []
        batched = list(iter_concepts(plan(), batch_size=size, progress=seen.append))
        assert batched == whole
        assert sum(seen) == len(whole)


def test_queries_per_batch_do_not_grow_with_concepts(app, termbase: Termbase) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        concepts = list(iter_concepts(plan(), batch_size=2))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    batches = 3  # 5 concepts in batches of 2
    # Per batch: concepts, terms (ordered by the database), definitions.
    assert len(concepts) == 5
    assert len(statements) == 3 * batches


def test_language_filter(termbase: Termbase) -> None:
    concepts = list(iter_concepts(plan(languages=["ug"])))
    assert [c.uid for c in concepts] == [termbase.database, termbase.uzbekistan, termbase.istanbul,
                                         termbase.formula]  # fmt: skip
    assert {t.lang for c in concepts for t in c.terms} == {"ug", "en"}
    # Aliases resolve like everywhere else: kk-cyrl is kk.
    assert plan(languages=["kk-cyrl", "kk"]).languages == ("en", "kk")


def test_status_filter_spares_the_source_pivot(termbase: Termbase) -> None:
    concepts = list(iter_concepts(plan(statuses=["proposed"])))
    assert [c.uid for c in concepts] == [termbase.database, termbase.uzbekistan,
                                         termbase.dictionary, termbase.istanbul]  # fmt: skip
    for concept in concepts:
        assert {t.status for t in concept.terms if t.lang != "en"} == {"proposed"}
    database = concepts[0]
    assert {t.text for t in database.terms if t.lang == "en"} == {"database", "data bank"}


def test_status_filter_applies_to_the_source_when_it_is_the_only_language(
    termbase: Termbase,
) -> None:
    concepts = list(iter_concepts(plan(languages=["en"], statuses=["deprecated"])))
    assert [(c.uid, [t.text for t in c.terms]) for c in concepts] == [
        (termbase.database, ["data bank"])
    ]


def test_domain_filter(termbase: Termbase) -> None:
    assert uids(domain="places") == [termbase.uzbekistan, termbase.istanbul]
    assert uids(domain="nothing") == []


def test_meetup_filter_by_id_or_uid(termbase: Termbase) -> None:
    # Uzbekistan had a ballot there; Istanbul got a term there.
    assert uids(meetup=termbase.meetup_id) == [termbase.uzbekistan, termbase.istanbul]
    meetup_uid = db.session.get(Meetup, termbase.meetup_id).uid
    assert uids(meetup=meetup_uid) == [termbase.uzbekistan, termbase.istanbul]
    with pytest.raises(NotFound):
        plan(meetup=999)


def test_merged_concepts_are_not_exported(termbase: Termbase) -> None:
    merged = db.session.scalar(select(Concept).where(Concept.uid == termbase.formula))
    merged.merged_into_id = db.session.scalar(
        select(Concept.id).where(Concept.uid == termbase.database)
    )
    db.session.commit()
    assert termbase.formula not in uids()
    assert count_concepts(plan()) == 4


def test_attribution_lists_the_sources_of_exported_terms(termbase: Termbase) -> None:
    [cldr] = attribution(plan())
    assert (cldr.name, cldr.licence, cldr.url) == (
        "CLDR 47",
        "Unicode-3.0",
        "https://cldr.unicode.org",
    )
    assert attribution(plan(languages=["tr"], source_lang="tr")) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"format": "docx"}, "unknown export format 'docx'"),
        ({"format": "po"}, "one file per language pair"),
        ({"format": "po", "languages": ["en"]}, "one file per language pair"),
        ({"format": "tmx", "statuses": ["approved"]}, "unknown status 'approved'"),
        ({"format": "csv", "layout": "tall"}, "unknown layout 'tall'"),
        ({"format": "tbx", "layout": "long"}, "csv and xlsx"),
        ({"format": "tmx", "languages": ["k@k!"]}, "k@k!"),
    ],
)
def test_bad_requests_say_what_is_wrong(app, options: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        plan_export(ExportRequest(**options))


def test_po_with_several_targets_splits_into_pairs(termbase: Termbase) -> None:
    several = plan_export(ExportRequest(format="po", languages=["kk", "tr"]))
    assert [(p.source, p.target, p.filename) for p in several.per_target()] == [
        ("en", "kk", "tamyr-en-kk.po"),
        ("en", "tr", "tamyr-en-tr.po"),
    ]


def test_file_names(termbase: Termbase) -> None:
    assert plan().filename == "tamyr.tmx"
    assert plan(format="csv", layout="long").filename == "tamyr-long.csv"
    assert plan(format="xlsx", meetup=termbase.meetup_id).filename == (
        f"tamyr-meetup{termbase.meetup_id}.xlsx"
    )


def test_etag_changes_when_the_termbase_does(termbase: Termbase) -> None:
    first = export_etag(plan())
    assert export_etag(plan()) == first
    assert export_etag(plan(languages=["kk"])) != first
    concept = db.session.scalar(select(Concept).where(Concept.uid == termbase.dictionary))
    add_term(CLI, concept, {"lang": "tr", "text": "sözlük"})
    assert export_etag(plan()) != first


def test_exporter_registry() -> None:
    for name in ("po", "tmx", "tbx", "csv", "xlsx"):
        exporter = exporter_for(name)
        assert exporter.format == name
        assert exporter.extension == f".{name}"
        assert exporter.media_type
    with pytest.raises(InvalidInput, match="po, tmx, tbx, csv, xlsx"):
        exporter_for("pdf")


def test_an_empty_termbase_exports_valid_empty_files(app) -> None:
    from tests.exporters.conftest import export_bytes

    assert export_bytes("csv") == b"concept,domain\r\n"
    assert b"<body>\n  </body>" in export_bytes("tmx")
    create_concept(CLI, terms=[{"lang": "kk", "text": "сөз"}])
    assert b'msgid ""' in export_bytes("po", languages=["kk"])


def test_postgres_reads_one_snapshot(termbase: Termbase) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's single read transaction is a snapshot already")
    db.session.remove()
    concepts = iter_concepts(plan(meetup=termbase.meetup_id))
    next(concepts)
    level = db.session.execute(text("SHOW transaction_isolation")).scalar()
    assert level == "repeatable read"


def test_terms_go_out_in_registry_order_then_preferred_then_by_the_languages_alphabet(
    app,
) -> None:
    # Kazakh's alphabet puts ә right after а, Turkish's puts ı before i; code-point order
    # would put ә after б and ı after z. The registry lists the Turkic languages first (kk,
    # tr, …, then en); an unregistered tag goes after every registered one.
    concept = create_concept(
        CLI,
        terms=[
            {"lang": "tr", "text": "izlem", "status": "admitted"},
            {"lang": "x-private", "text": "zzz", "status": "admitted"},
            {"lang": "kk", "text": "бала", "status": "admitted"},
            {"lang": "tr", "text": "ılgın", "status": "admitted"},
            {"lang": "kk", "text": "әуе", "status": "proposed"},
            {"lang": "en", "text": "term", "status": "preferred"},
            {"lang": "kk", "text": "ярлық", "status": "preferred"},
            {"lang": "kk", "text": "аға", "status": "deprecated"},
        ],
    )
    db.session.commit()
    (exported,) = iter_concepts(plan())
    assert exported.uid == concept.uid
    assert [(t.lang, t.text) for t in exported.terms] == [
        ("kk", "ярлық"),  # preferred first, whatever its letters
        ("kk", "аға"),
        ("kk", "әуе"),
        ("kk", "бала"),
        ("tr", "ılgın"),
        ("tr", "izlem"),
        ("en", "term"),
        ("x-private", "zzz"),
    ]
