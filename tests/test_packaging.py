"""A non-editable `pip install .` must carry the templates and migrations inside the wheel."""

from __future__ import annotations

from importlib import metadata

import pytest


def _installed_files() -> set[str]:
    try:
        files = metadata.distribution("tamyr").files or []
    except metadata.PackageNotFoundError:
        pytest.skip("tamyr is not installed in this environment (run `pip install .`)")
    return {str(path) for path in files}


def test_wheel_ships_templates_migrations_and_data():
    files = _installed_files()
    if not any(name.startswith("glossary/") for name in files):
        pytest.skip("tamyr is installed in editable mode; the wheel layout is not under test")
    for needed in (
        "glossary/templates/base.html",
        "glossary/templates/home.html",
        "glossary/migrations/env.py",
        "glossary/migrations/alembic.ini",
        "glossary/text/data/languages.json",
        "glossary/static/tamyr.css",
        "importers/base.py",
    ):
        assert needed in files, needed
    assert any(name.startswith("glossary/migrations/versions/") for name in files)
