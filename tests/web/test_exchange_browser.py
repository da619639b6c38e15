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
