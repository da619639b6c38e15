"""The import use case on real files: counts, idempotence, all-or-nothing, statuses, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from glossary.extensions import db
from glossary.models import Concept, Meetup, SearchOutbox, Source, Term
from glossary.services.imports import ImportRejected
from tests.conftest import TEST_DATABASE_URL
from tests.imports.conftest import (
    GNOME_DESKTOP,
    all_terms,
    copy_into,
    counts,
    gnome_desktop,
    run,
    write_csv,
)

ISO_CODES_KK = Path("/usr/share/locale/kk/LC_MESSAGES/iso_3166-1.mo")


def test_gnome_desktop_in_nine_languages(app: object, samples: Path) -> None:
    report = run(gnome_desktop(samples))
    assert report.committed and report.errors == 0
    for file, (_lang, (active, obsolete)) in zip(report.files, GNOME_DESKTOP.items(), strict=True):
        assert file.entries == active, file.file
        assert file.skipped_obsolete == obsolete, file.file
        assert file.source == "GNOME gnome-desktop" or file.source.startswith("gnome-desktop")
    concepts, terms = counts()
    assert concepts == report.total("new_concepts")
    assert terms == report.total("new_terms")
    langs = set(db.session.scalars(select(Term.lang).distinct()))
    assert {"en", "az", "crh-Latn", "kk", "ky", "tk", "tr", "ug", "uz", "uz-Cyrl"} <= langs
    # Shared English msgids became one concept across the nine files.
    assert concepts < sum(active for active, _ in GNOME_DESKTOP.values())
    assert db.session.scalar(select(Term.id).where(Term.lang == "ug", Term.text.like("%ئ%")))


def test_reimport_doubles_nothing(app: object, samples: Path) -> None:
    files = [
        *gnome_desktop(samples),
        samples / "po" / "baobab_kk.po",
        samples / "tbx" / "weblate_cs.tbx",
    ]
    first = run(files)
    before = all_terms()
    again = run(files)
    assert again.total("new_concepts") == 0
    assert again.total("new_terms") == 0
    # Every term the files name is found again, once per mention.
    mentions = first.total("new_terms") + first.total("existing_terms")
    assert again.total("existing_terms") == mentions
    assert all_terms() == before


def test_apertium_bidix_pairs(app: object, samples: Path) -> None:
    files = [samples / "apertium" / "apertium-kaz-tat.kaz-tat.dix"]
    report = run(files, defer_index=True)
    (file,) = report.files
    assert (file.format, file.source_lang, file.target_lang) == ("bidix", "kk", "tat")
    assert file.entries > 9000 and report.errors == 0
    assert file.licence == "GPL-3.0" and file.source == "Apertium apertium-kaz-tat"
    langs = dict(db.session.execute(select(Term.lang, func.count()).group_by(Term.lang)).all())
    assert set(langs) == {"kk", "tt"}
    assert sum(langs.values()) == report.total("new_terms")
    # One Kazakh lemma with several Tatar equivalents is one concept (аба → аба, ау).
    concept = db.session.scalar(
        select(Term.concept_id).where(Term.lang == "kk", Term.text == "аба")
    )
    tatar = set(
        db.session.scalars(select(Term.text).where(Term.concept_id == concept, Term.lang == "tt"))
    )
    assert {"аба", "ау"} <= tatar
    again = run(files, defer_index=True)
    assert again.total("new_terms") == 0 and again.total("new_concepts") == 0


def test_turkish_kyrgyz_bidix_crosses_scripts(app: object, samples: Path) -> None:
    report = run([samples / "apertium" / "apertium-tur-kir.tur-kir.dix"], defer_index=True)
    assert report.errors == 0
    assert report.files[0].skipped_other.get("paradigm_entries", 0) > 0
    assert db.session.scalar(select(func.count()).where(Term.lang == "tr")) > 5000
    assert db.session.scalar(select(func.count()).where(Term.lang == "ky")) > 5000


def test_msgctxt_that_is_not_a_uid_is_context(app: object, samples: Path) -> None:
    run([samples / "po" / "sugar_tr.po"])
    contexts = set(
        db.session.scalars(
            select(Concept.context)
            .join(Term, Term.concept_id == Concept.id)
            .where(Term.lang == "en", Term.text == "Remove")
        )
    )
    assert contexts == {"Clipboard", "Volume"}


def test_foreign_ids_take_no_part_in_matching(app: object, samples: Path, tmp_path: Path) -> None:
    """A TBX id such as ``c7`` is the file's own numbering: the English term decides."""
    run([samples / "tbx" / "weblate_cs.tbx"])
    csv_file = write_csv(
        tmp_path / "terms.csv", [["concept", "en", "kk"], ["c1", "address bar", "мекенжай жолағы"]]
    )
    report = run([csv_file])
    assert report.total("new_concepts") == 0 and report.total("matched_concepts") == 1
    concept = db.session.scalar(select(Term.concept_id).where(Term.text == "мекенжай жолағы"))
    langs = set(db.session.scalars(select(Term.lang).where(Term.concept_id == concept)))
    assert langs == {"en", "cs", "kk"}
    assert db.session.scalar(select(func.count()).where(Concept.context.is_not(None))) == 0


def test_statuses_kept_for_the_cli(app: object, samples: Path) -> None:
    run([samples / "tbx" / "weblate_fr-extended-metadata.tbx"])
    statuses = {status for *_, status in all_terms()}
    assert "deprecated" in statuses  # TBX "obsolete"


@pytest.mark.parametrize(("role", "kept"), [("editor", False), ("moderator", True)])
def test_file_statuses_need_a_moderator(
    app: object, samples: Path, user_actor: object, role: str, kept: bool
) -> None:
    actor = user_actor(role)  # type: ignore[operator]
    run([samples / "tbx" / "weblate_fr-extended-metadata.tbx"], actor)
    statuses = {status for *_, status in all_terms()}
    assert ("deprecated" in statuses) is kept
    if not kept:
        assert statuses == {"proposed"}


def test_viewer_may_not_import(app: object, samples: Path, user_actor: object) -> None:
    from glossary.errors import Forbidden

    with pytest.raises(Forbidden):
        run([samples / "po" / "gnome-desktop_kk.po"], user_actor("viewer"))  # type: ignore[operator]
    assert counts() == (0, 0)


def test_a_broken_file_among_good_ones_writes_nothing(
    app: object, samples: Path, tmp_path: Path
) -> None:
    broken = samples / "tbx" / "ltac_poorly_formed_xml.tbx"
    files = [samples / "po" / "gnome-desktop_kk.po", broken, samples / "po" / "baobab_tr.po"]
    with pytest.raises(ImportRejected) as caught:
        run(files)
    assert caught.value.detail.startswith(f"{broken}:42: ")
    assert counts() == (0, 0)
    assert db.session.scalar(select(func.count(Source.id))) == 0


def test_skip_invalid_imports_the_other_files(app: object, samples: Path) -> None:
    broken = samples / "tbx" / "ltac_poorly_formed_xml.tbx"
    report = run([samples / "po" / "gnome-desktop_kk.po", broken], skip_invalid=True)
    assert report.committed
    assert report.files[1].failed and report.files[1].failed.startswith(f"{broken}:42:")
    assert report.files[0].entries == 31
    assert counts()[0] == report.total("new_concepts") > 0


def test_an_invalid_entry_rejects_every_file(app: object, samples: Path, tmp_path: Path) -> None:
    rows = [["en", "kk"], ["file", "файл"], ["folder", "қалта", "extra"], ["window", "терезе"]]
    table = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejected) as caught:
        run([samples / "po" / "gnome-desktop_tr.po", table])
    detail = caught.value.detail
    assert f"{table}:3:" in detail and "1 invalid entry" in detail
    assert counts() == (0, 0)
    report = run([samples / "po" / "gnome-desktop_tr.po", table], skip_invalid=True)
    assert report.files[1].write.skipped == 1
    assert {text for _, lang, text, _ in all_terms() if lang == "kk"} == {"файл", "терезе"}


def test_dry_run_reports_and_writes_nothing(app: object, samples: Path) -> None:
    files = [samples / "po" / "baobab_kk.po", samples / "po" / "baobab_tr.po"]
    dry = run(files, dry_run=True)
    assert dry.dry_run and not dry.committed
    assert counts() == (0, 0)
    assert db.session.scalar(select(func.count(Source.id))) == 0
    real = run(files)
    for name in ("new_concepts", "new_terms", "matched_concepts", "existing_terms", "conflicts"):
        assert dry.total(name) == real.total(name), name
    assert dry.total("matched_concepts") == 78  # baobab_tr matches every baobab_kk concept


def test_provenance_on_every_term(app: object, samples: Path) -> None:
    run([samples / "po" / "baobab_az.po", samples / "po" / "baobab_kk.po"])
    assert db.session.scalar(select(func.count()).where(Term.source_id.is_(None))) == 0
    source = db.session.scalar(select(Source).where(Source.name == "GNOME baobab"))
    assert source.url == "https://gitlab.gnome.org/GNOME/baobab"
    assert source.licence and "baobab" in source.licence  # kk.po has the line az.po lacks


def test_meetup_option_attaches_terms(app: object, samples: Path) -> None:
    meetup = Meetup(uid="6b0b1e9e-8f4c-4a57-9d0e-2c3a7f1d5e10", name="Bishkek", join_code="BISH1")
    db.session.add(meetup)
    db.session.commit()
    run([samples / "po" / "gnome-desktop_ky.po"], meetup=meetup.uid)
    assert db.session.scalar(select(func.count()).where(Term.meetup_id != meetup.id)) == 0
    from glossary.errors import NotFound

    with pytest.raises(NotFound):
        run([samples / "po" / "gnome-desktop_ky.po"], meetup="999")


def test_index_applied_unless_deferred(app: object, samples: Path) -> None:
    deferred = run([samples / "po" / "gnome-desktop_kk.po"], defer_index=True)
    assert deferred.index == "deferred"
    pending = db.session.scalar(select(func.count(SearchOutbox.id)))
    assert pending == deferred.total("new_terms") > 0
    applied = run([samples / "po" / "gnome-desktop_tr.po"])
    assert applied.index == "applied"
    assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0


@pytest.mark.skipif(not ISO_CODES_KK.exists(), reason="Debian's iso-codes is not installed")
def test_iso_codes_catalogue(app: object) -> None:
    report = run([ISO_CODES_KK])
    assert report.errors == 0 and report.files[0].format == "mo"
    assert db.session.scalar(select(Term.id).where(Term.lang == "kk", Term.text == "Қазақстан"))


def test_weblate_tmx_and_cs_po(app: object, samples: Path) -> None:
    report = run([samples / "tmx" / "weblate_memory.tmx", samples / "po" / "weblate_cs-bom.po"])
    assert report.files[0].source_lang == "de-DE"
    langs = set(db.session.scalars(select(Term.lang).distinct()))
    assert {"de-DE", "cs-CZ", "cs", "en"} <= langs  # EN-US is plain English


def test_copies_of_samples_import_like_the_originals(
    app: object, samples: Path, tmp_path: Path
) -> None:
    (copy,) = copy_into(tmp_path, samples / "po" / "baobab_ug.po")
    report = run([copy])
    assert report.files[0].entries == 78 and report.files[0].skipped_obsolete == 108


@pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="planner statistics are PostgreSQL's; run with TAMYR_TEST_DATABASE_URL",
)
def test_a_bulk_import_leaves_fresh_planner_statistics(app: object, tmp_path: Path) -> None:
    # Without them PostgreSQL takes the new terms table for nearly empty and a fuzzy search
    # walks every term instead of the trigram index (and times out, finding nothing).
    rows = [["en", "kk"], *([f"term {n}", f"термин {n}"] for n in range(600))]
    report = run([write_csv(tmp_path / "bulk.csv", rows)])
    assert report.total("new_terms") == 1200
    # ANALYZE writes its row estimate into the catalogue at once (-1: never analysed).
    estimates = db.session.execute(
        text("SELECT relname, reltuples FROM pg_class WHERE relname IN ('terms', 'concepts')")
    ).all()
    assert sorted(estimates) == [("concepts", 600), ("terms", 1200)]
