"""/import (dry run, then commit) and /export (the form and its downloads) through the client."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.services.actors import CLI
from glossary.services.terms import create_concept
from tests.web.page_helpers import csrf_token, new_client, sign_in_as, text

WIDE_CSV = "en,kk\ndatabase,дерекқор\nfile,файл\n"


@pytest.fixture
def editor(app):
    browser = new_client(app)
    sign_in_as(browser, "editor", "editor")
    return browser


def upload(browser, files: dict[str, bytes], **fields: str):
    data = {"csrf_token": csrf_token(browser, "/import"), **fields}
    data["file"] = [(io.BytesIO(content), name) for name, content in files.items()]
    return browser.post("/import", data=data, content_type="multipart/form-data")


def concepts() -> int:
    return db.session.scalar(db.select(db.func.count(Concept.id)))


def commit_path(page: str) -> str:
    found = re.search(r'action="(/import/[^"/]+/commit)"', page)
    assert found, "no confirm button on the dry-run report"
    return found.group(1)


def kept_uploads(app) -> list[Path]:
    root = Path(app.instance_path) / "imports"
    return [p for p in root.iterdir() if p.is_dir()] if root.exists() else []


# -- import -----------------------------------------------------------------------------------
def test_import_needs_an_editor(app):
    anonymous = new_client(app)
    response = anonymous.get("/import")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    viewer = new_client(app)
    sign_in_as(viewer, "reader", "viewer")
    assert viewer.get("/import").status_code == 403
    token = csrf_token(viewer, "/login")
    refused = viewer.post(
        "/import",
        data={"csrf_token": token, "file": (io.BytesIO(WIDE_CSV.encode()), "t.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403 and concepts() == 0


def test_upload_without_csrf_token_is_refused(app, editor):
    response = editor.post(
        "/import",
        data={"file": (io.BytesIO(WIDE_CSV.encode()), "t.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and concepts() == 0


def test_dry_run_report_first_then_commit(app, editor):
    before = kept_uploads(app)
    page = text(upload(editor, {"terms.csv": WIDE_CSV.encode()}))
    assert "Dry run: nothing is written yet" in page
    assert '<dd data-total="new_concepts">2</dd>' in page
    assert '<dd data-total="new_terms">4</dd>' in page
    assert "terms.csv" in page
    assert concepts() == 0  # nothing written by the dry run
    assert len(kept_uploads(app)) == len(before) + 1

    committed = editor.post(commit_path(page), data={"csrf_token": csrf_token(editor, "/import")})
    assert committed.status_code == 200
    assert "Imported" in text(committed)
    assert concepts() == 2
    kk = db.session.scalar(db.select(Term.text).where(Term.lang == "kk", Term.text == "файл"))
    assert kk == "файл"
    assert len(kept_uploads(app)) == len(before)  # the kept files are gone once imported
    again = editor.post(commit_path(page), data={"csrf_token": csrf_token(editor, "/import")})
    assert again.status_code == 404 and concepts() == 2


def test_second_import_reports_matches_not_new_concepts(app, editor):
    page = text(upload(editor, {"terms.csv": WIDE_CSV.encode()}))
    editor.post(commit_path(page), data={"csrf_token": csrf_token(editor, "/import")})
    page = text(upload(editor, {"more.csv": b"en,tr\ndatabase,veritaban\xc4\xb1\n"}))
    assert '<dd data-total="matched_concepts">1</dd>' in page
    assert '<dd data-total="new_concepts">0</dd>' in page


def test_only_the_uploader_can_commit_or_cancel(app, editor):
    page = text(upload(editor, {"terms.csv": WIDE_CSV.encode()}))
    other = new_client(app)
    sign_in_as(other, "other", "moderator")
    token = csrf_token(other, "/import")
    assert other.post(commit_path(page), data={"csrf_token": token}).status_code == 403
    cancel = commit_path(page).replace("/commit", "/cancel")
    assert other.post(cancel, data={"csrf_token": token}).status_code == 403
    assert concepts() == 0
    assert (
        editor.post(cancel, data={"csrf_token": csrf_token(editor, "/import")}).status_code == 302
    )
    assert editor.post(commit_path(page), data={"csrf_token": token}).status_code in (400, 404)


def test_a_broken_file_is_refused_with_file_and_line(app, editor):
    broken = (
        'msgid ""\nmsgstr ""\n"Language: kk\\n"\n\n'
        'msgid "file"\nmsgstr "ф"\n\n'
        'msgid "x\nmsgstr "y"\n'  # line 8: the string never ends
    ).encode()
    response = upload(editor, {"broken.po": broken})
    assert response.status_code == 422
    page = text(response)
    assert "broken.po:8" in page and "unterminated string" in page
    assert "/commit" not in page and concepts() == 0


def test_problems_are_listed_with_their_lines(app, editor):
    too_long = "x" * 600
    page = text(upload(editor, {"long.csv": f"en,kk\ndatabase,дерекқор\n{too_long},y\n".encode()}))
    assert re.search(r"<td>long\.csv:3</td>", page)
    assert '<dd data-total="skipped">1</dd>' in page


def test_no_file_chosen_is_a_clear_message(app, editor):
    response = editor.post(
        "/import",
        data={"csrf_token": csrf_token(editor, "/import")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "choose at least one file" in text(response)


@pytest.mark.samples
def test_a_real_po_file_dry_run_and_commit(app, editor, samples):
    sample = samples / "po" / "baobab_kk.po"
    page = text(upload(editor, {sample.name: sample.read_bytes()}))
    assert "baobab_kk.po" in page and "po" in page
    new_concepts = int(re.search(r'data-total="new_concepts">(\d+)<', page).group(1))
    assert new_concepts > 10 and concepts() == 0
    editor.post(commit_path(page), data={"csrf_token": csrf_token(editor, "/import")})
    assert concepts() == new_concepts


# -- export -----------------------------------------------------------------------------------
@pytest.fixture
def termbase(app):
    return create_concept(
        CLI,
        domain="computing",
        terms=[
            {"lang": "en", "text": "database"},
            {"lang": "kk", "text": "дерекқор", "status": "preferred"},
            {"lang": "tr", "text": "veritabanı"},
        ],
    )


def test_export_form_lists_formats_and_languages(app, termbase):
    page = text(new_client(app).get("/export"))
    for name in ("po", "tmx", "tbx", "csv", "xlsx"):
        assert f'value="{name}"' in page
    assert '<option value="kk"' in page and 'name="status"' in page


def test_export_po_download(app, termbase):
    response = new_client(app).get("/export?format=po&source_lang=en&lang=kk")
    assert response.status_code == 200
    assert "tamyr-en-kk.po" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert f'msgctxt "{termbase.uid}"' in body
    assert 'msgid "database"\nmsgstr "дерекқор"' in body


def test_export_csv_and_xlsx_downloads(app, termbase):
    browser = new_client(app)
    csv = browser.get("/export?format=csv&layout=long&lang=kk&lang=tr&status=preferred")
    rows = csv.get_data(as_text=True).splitlines()
    assert rows[0].startswith("concept,lang,text,status")
    assert any("дерекқор" in row for row in rows) and not any("veritabanı" in r for r in rows)
    xlsx = browser.get("/export?format=xlsx&source_lang=en")
    assert xlsx.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(xlsx.data))


def test_export_mistakes_come_back_on_the_form(app, termbase):
    response = new_client(app).get("/export?format=po&source_lang=en")
    assert response.status_code == 422
    page = text(response)
    assert "one file per language pair" in page and 'name="format"' in page
    assert new_client(app).get("/export?format=po&lang=zz-!!").status_code == 422
