"""GET /api/v1/export: streamed files with a name, an ETag, and problem+json for bad queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import openpyxl
import polib
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from glossary import create_app
from glossary.api.exchange import blp
from tests.exporters.conftest import Termbase


@pytest.fixture(scope="module")
def export_app(_session_app: Flask) -> Iterator[Flask]:
    """The test app with the export blueprint (until the lead registers it in create_app)."""
    if blp.name in _session_app.blueprints:
        yield _session_app
        return
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "INDEX_DIR")
    app = create_app({key: _session_app.config[key] for key in keys})
    app.register_blueprint(blp)
    yield app


@pytest.fixture
def export_client(app: Flask, export_app: Flask) -> FlaskClient:
    return export_app.test_client()


def test_po_download(export_client: FlaskClient, termbase: Termbase) -> None:
    response = export_client.get("/api/v1/export?format=po&source_lang=en&lang=kk")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == "attachment; filename=tamyr-en-kk.po"
    assert response.mimetype == "text/x-gettext-translation"
    catalogue = polib.pofile(response.get_data(as_text=True))
    assert catalogue.metadata["Language"] == "kk"
    assert {entry.msgctxt for entry in catalogue} >= {termbase.database, termbase.istanbul}


def test_tmx_download(export_client: FlaskClient, termbase: Termbase) -> None:
    response = export_client.get("/api/v1/export?format=tmx&lang=ug")
    assert response.status_code == 200
    assert "filename=tamyr.tmx" in response.headers["Content-Disposition"]
    root = etree.fromstring(response.get_data())
    assert len(root.findall(".//tu")) == 4


def test_repeated_and_comma_separated_lists(export_client: FlaskClient, termbase: Termbase) -> None:
    for query in ("lang=tr&lang=kk", "lang=tr,kk"):
        response = export_client.get(f"/api/v1/export?format=csv&{query}&status=preferred")
        header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert header == ["concept", "domain", "kk", "tr", "en"]


def test_xlsx_download(export_client: FlaskClient, termbase: Termbase) -> None:
    response = export_client.get("/api/v1/export?format=xlsx&layout=long&domain=places")
    assert response.status_code == 200
    assert "filename=tamyr-long.xlsx" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(workbook["Terms"].iter_rows(values_only=True))
    assert rows[0] == ("concept", "lang", "text", "status", "pos", "note")
    assert {row[0] for row in rows[1:]} == {termbase.uzbekistan, termbase.istanbul}


def test_etag_answers_304_until_something_changes(
    export_client: FlaskClient, termbase: Termbase, editor_token: str
) -> None:
    first = export_client.get("/api/v1/export?format=tbx")
    first.get_data()  # a streamed body is read inside its request context
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = export_client.get("/api/v1/export?format=tbx", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other = export_client.get("/api/v1/export?format=tbx&lang=kk", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.get_data().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("", "format"),
        ("format=docx", "format"),
        ("format=csv&layout=tall", "layout"),
        ("format=po", "one file per language pair"),
        ("format=po&lang=kk,tr", "one file per language pair"),
        ("format=tmx&status=approved", "unknown status 'approved'"),
        ("format=tbx&layout=long", "csv and xlsx"),
        ("format=tmx&lang=k@k", "k@k"),
    ],
)
def test_bad_queries_are_422_problems(export_client: FlaskClient, query: str, detail: str) -> None:
    response = export_client.get(f"/api/v1/export?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]


def test_unknown_meetup_is_404(export_client: FlaskClient, termbase: Termbase) -> None:
    response = export_client.get("/api/v1/export?format=csv&meetup=424242")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
