"""End to end on real catalogues: GNOME PO files imported by the import service, then searched
and looked up, on each backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from glossary.services.search import lookup_terms, search_terms, suggest_terms

PO_FILES = ["gnome-desktop_kk.po", "gnome-desktop_tr.po", "gnome-desktop_uz@cyrillic.po"]


@pytest.fixture
def gnome(search_app: Any, samples: Path) -> Any:
    from glossary.services.actors import CLI
    from glossary.services.imports import ImportFile, ImportOptions, run_import

    files = [ImportFile.local(samples / "po" / name) for name in PO_FILES]
    report = run_import(CLI, files, ImportOptions())
    assert report.committed and report.index == "applied"
    return report


def rows(query: str, **options: Any) -> list[tuple[str, str, str]]:
    return [(r.term.lang, r.term.text, r.match) for r in search_terms(query, **options).rows]


def test_imported_terms_are_found_across_scripts(gnome: Any):
    assert ("tr", "Kiril", "exact") in rows("KİRİL")
    assert ("kk", "Латын жазуы", "script") in rows("latyn jazuy")
    assert ("kk", "Латын жазуы", "prefix") in rows("Латын")
    english = rows("Cyrillic", lang="en")
    assert english[0] == ("en", "Cyrillic", "exact")


def test_imported_terms_share_a_concept_across_files(gnome: Any):
    kk = search_terms("Кирилл жазуы", lang="kk").rows[0].term
    tr = search_terms("Kiril", lang="tr").rows[0].term
    assert kk.concept_id == tr.concept_id


def test_suggest_on_imported_terms(gnome: Any):
    assert "Валенсия" in [s.text for s in suggest_terms("Вал", lang="kk")]
    assert "Латын жазуы" in [s.text for s in suggest_terms("la", lang="kk")]


def test_lookup_in_a_kazakh_sentence(gnome: Any):
    text = "Валенсияда Латын жазуы мен Кирилл жазуын қолданады"
    found = [(m.surface, m.term.text) for m in lookup_terms(text, "kk")]
    assert ("Валенсияда", "Валенсия") in found
    assert ("Латын жазуы", "Латын жазуы") in found
    assert ("Кирилл жазуын", "Кирилл жазуы") in found
    for match in lookup_terms(text, "kk"):
        assert text[match.start : match.end] == match.surface
