"""A non-editable `pip install .` must carry the templates and migrations inside the wheel."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def _installed_files() -> set[str]:
    try:
        distribution = metadata.distribution("tamyr")
    except metadata.PackageNotFoundError:
        pytest.skip("tamyr is not installed in this environment (run `pip install .`)")
    direct_url = json.loads(distribution.read_text("direct_url.json") or "{}")
    if direct_url.get("dir_info", {}).get("editable"):
        pytest.skip("tamyr is installed in editable mode; the wheel layout is not under test")
    return {str(path) for path in distribution.files or []}


def test_wheel_ships_templates_migrations_and_data():
    files = _installed_files()
    for needed in (
        "glossary/templates/base.html",
        "glossary/templates/home.html",
        "glossary/migrations/env.py",
        "glossary/migrations/alembic.ini",
        "glossary/text/data/languages.json",
        "glossary/static/tamyr.css",
        "glossary/static/suggest.js",
        "glossary/templates/search.html",
        "glossary/translations/kk/LC_MESSAGES/messages.mo",
        "importers/base.py",
    ):
        assert needed in files, needed
    assert any(name.startswith("glossary/migrations/versions/") for name in files)
