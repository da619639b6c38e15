"""Import in a real browser: an editor uploads a real PO file, reads the dry run, commits."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from glossary.extensions import db
from glossary.models import Source
from tests.web.conftest import PASSWORD, SCREENSHOTS, LiveServer, make_user


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server of its own, with no concepts and one editor.

    The shared live server's termbase is what the other browser tests read; 36 imported
    concepts would change its home page and search results under them.
    """
    from werkzeug.serving import make_server

    from glossary import create_app
    from glossary.cli.database import init_database

    folder = tmp_path_factory.mktemp("import-live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "import-live-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}",
            "INDEX_DIR": str(folder / "index"),
        }
    )
    with app.app_context():
        init_database()
        make_user("aigerim", "editor")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, {})
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.samples
def test_editor_uploads_a_po_file_sees_the_dry_run_and_commits(page, empty_server, samples):
    sample = samples / "po" / "gnome-desktop_ky.po"
    base = empty_server.url
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "aigerim")  # an editor
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] [type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/import")
    page.set_input_files("input[type=file][name=file]", str(sample))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    report = page.locator("#import-report")
    assert "Dry run: nothing is written yet" in report.locator("h2").inner_text()
    assert sample.name in report.inner_text()
    new_terms = int(report.locator("[data-total=new_terms]").inner_text())
    assert new_terms > 0
    with empty_server.app.app_context():  # the dry run wrote nothing
        assert db.session.scalar(db.select(Source).where(Source.name.contains("gnome"))) is None
        db.session.remove()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-dry-run.png"), full_page=True)

    page.click("#confirm-import")
    assert page.locator("#import-report h2").inner_text() == "Imported"
    assert int(page.locator("[data-total=new_terms]").inner_text()) == new_terms
    with empty_server.app.app_context():
        assert db.session.scalar(db.select(Source).where(Source.name.contains("gnome")))
        db.session.remove()


# -- export ------------------------------------------------------------------------------------
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def download_export(page, base: str, fmt: str, langs: list[str], tmp_path) -> tuple[str, bytes]:
    """Fill in the export form as a person would and keep the file the browser downloads."""
    page.goto(f"{base}/export")
    page.check(f"input[name=format][value={fmt}]")
    page.select_option("select[name=source_lang]", "en")
    page.select_option("select[name=lang]", langs)
    with page.expect_download() as info:
        page.click("form.panel button[type=submit]")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, target.read_bytes()


def test_export_page_downloads_a_tbx_file_with_the_terms(page, live_server, tmp_path):
    import xml.etree.ElementTree as ET

    name, data = download_export(page, live_server.url, "tbx", ["kk", "ug"], tmp_path)
    assert name.endswith(".tbx")
    root = ET.fromstring(data)
    entries = {}
    for entry in root.iter():
        if entry.tag.endswith("conceptEntry"):
            terms = {
                (section.get(XML_LANG), term.text)
                for section in entry.iter()
                if section.tag.endswith("langSec")
                for term in section.iter()
                if term.tag.endswith("}term") or term.tag == "term"
            }
            english = [text for lang, text in terms if lang == "en"]
            entries[english[0] if english else entry.get("id")] = terms
    database = entries["database"]
    assert ("kk", "дерекқор") in database and ("kk", "деректер базасы") in database
    assert ("ug", "سانلىق مەلۇمات ئامبىرى") in database  # Arabic script survives as text
    assert not {lang for lang, _text in database} - {"en", "kk", "ug"}  # only what was asked
    assert ("kk", "компьютер") in entries["computer"]


def test_export_page_downloads_a_tmx_file(page, live_server, tmp_path):
    import xml.etree.ElementTree as ET

    name, data = download_export(page, live_server.url, "tmx", ["tr"], tmp_path)
    assert name.endswith(".tmx")
    root = ET.fromstring(data)
    assert root.tag == "tmx" and root.find("header").get("srclang") == "en"
    pairs = {}
    for unit in root.iter("tu"):
        texts = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in unit.iter("tuv")}
        pairs[texts.get("en")] = texts.get("tr")
    assert pairs["computer"] == "bilgisayar"
    assert pairs["database"] == "veritabanı"
    assert pairs["keyboard"] == "klavye"
