"""Export → import into an empty termbase gives the same concepts (by uid) and terms back."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from flask import Flask
from sqlalchemy import select

from glossary.extensions import db
from glossary.models import Concept, Term
from tests.conftest import _wipe
from tests.exporters.conftest import Termbase, export_bytes
from tests.imports.conftest import all_terms, counts, run

TURKIC_TEXTS = {
    ("tr", "İstanbul"),
    ("uz", "Oʻzbekiston"),  # U+02BB
    ("uz", "maʼlumotlar bazasi"),
    ("kk", "дерекқор"),
    ("kk", "Өзбекстан"),
    ("kk", "Ыстамбұл"),
    ("ug", "ساندان"),  # right to left
    ("ba", "һүҙлек"),
}
# (format, layout, statuses survive): wide tables carry no status, so terms come back proposed.
FORMATS = [
    ("tmx", "wide", True),
    ("tbx", "wide", True),
    ("csv", "wide", False),
    ("csv", "long", True),
    ("xlsx", "wide", False),
    ("xlsx", "long", True),
]
EXTENSIONS = {"tmx": "tmx", "tbx": "tbx", "csv": "csv", "xlsx": "xlsx"}


def _export_and_wipe(app: Flask, tmp_path: Path, format: str, layout: str) -> Path:
    target = tmp_path / f"export-{layout}.{EXTENSIONS[format]}"
    target.write_bytes(export_bytes(format, layout=layout))
    _wipe(app)
    assert counts() == (0, 0)
    return target


@pytest.mark.parametrize(("format", "layout", "statuses"), FORMATS)
def test_round_trip_keeps_uids_and_text(
    app: Flask, termbase: Termbase, tmp_path: Path, format: str, layout: str, statuses: bool
) -> None:
    before = all_terms()
    uids = set(db.session.scalars(select(Concept.uid)))
    target = _export_and_wipe(app, tmp_path, format, layout)
    report = run([target])
    assert report.errors == 0
    assert set(db.session.scalars(select(Concept.uid))) == uids
    after = all_terms()
    assert {t[:3] for t in after} == {t[:3] for t in before}
    if statuses:
        assert after == before
    else:
        assert {status for *_, status in after} == {"proposed"}
    texts = {(lang, text) for _, lang, text, _ in after}
    assert texts >= TURKIC_TEXTS
    # And once more into the termbase it came from: nothing new.
    again = run([target])
    assert again.total("new_terms") == again.total("new_concepts") == 0


def test_po_round_trip_keeps_uids(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    before = all_terms()
    target = tmp_path / "tamyr-en-kk.po"
    target.write_bytes(export_bytes("po", languages=["kk"]))
    msgctxts = {entry.msgctxt for entry in polib.pofile(str(target))}
    _wipe(app)
    report = run([target])
    assert report.errors == 0
    assert set(db.session.scalars(select(Concept.uid))) == msgctxts
    after = all_terms()
    assert {t[:3] for t in after} <= {t[:3] for t in before}
    assert ("kk", "Ыстамбұл") in {(lang, text) for _, lang, text, _ in after}
    assert {lang for _, lang, _, _ in after} == {"en", "kk"}


def test_translator_fills_msgstr(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    """PO export → a translator fills the empty msgstr → import adds exactly that proposal."""
    target = tmp_path / "tamyr-en-tr.po"
    target.write_bytes(export_bytes("po", languages=["tr"]))
    catalogue = polib.pofile(str(target))
    empty = [entry for entry in catalogue if not entry.msgstr]
    assert [entry.msgctxt for entry in empty] == [termbase.formula]
    empty[0].msgstr = "=TOPLA(A1) ıi İI"
    catalogue.save()
    before = all_terms()
    report = run([target])
    assert report.total("new_terms") == 1 and report.total("new_concepts") == 0
    assert all_terms() - before == {(termbase.formula, "tr", "=TOPLA(A1) ıi İI", "proposed")}
    term = db.session.scalar(select(Term).where(Term.text == "=TOPLA(A1) ıi İI"))
    assert term.source_id is not None
