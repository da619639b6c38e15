"""/healthz, /readyz, /metrics and request ids, through the app's test client."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from prometheus_client import REGISTRY

from tests.ops.conftest import populate


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["search_index"]["ok"]


def test_readyz_is_503_naming_what_failed(tmp_path: Path):
    from glossary import create_app

    (tmp_path / "a-file").write_text("not a folder")
    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            # Nothing listens on port 1; the index folder cannot be created under a file.
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://tamyr@127.0.0.1:1/absent",
            "INDEX_DIR": str(tmp_path / "a-file" / "index"),
        }
    )
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database", "search_index"]
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert "127.0.0.1" not in str(body)  # no connection details in a public answer


def test_request_ids_are_echoed_or_generated(client):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert given.headers["X-Request-ID"] == "lb-7f3a.42"
    generated = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
    # A forged id could split a log line or flood it: it is replaced, not echoed.
    for hostile in ('a"forged" {json}', "x" * 500, "spaces are not ok"):
        response = client.get("/healthz", headers={"X-Request-ID": hostile})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def _sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_time_requests_by_route_not_by_raw_path(client):
    for _ in range(3):
        client.get("/concepts/00000000-0000-0000-0000-000000000000")
    body = client.get("/metrics").get_data(as_text=True)
    assert "# TYPE tamyr_http_request_duration_seconds histogram" in body
    assert 'endpoint="/concepts/<uid>"' in body
    assert "00000000-0000" not in body
    count = _sample(
        "tamyr_http_request_duration_seconds_count",
        {"method": "GET", "endpoint": "/concepts/<uid>"},
    )
    assert count >= 3
    assert (
        _sample(
            "tamyr_http_requests_total",
            {"method": "GET", "endpoint": "/concepts/<uid>", "status": "404"},
        )
        >= 3
    )


def test_votes_are_counted_when_stored(app: Flask):
    labels = {"value": "approve"}
    approve, objected = (
        _sample("tamyr_votes_cast_total", labels),
        _sample("tamyr_votes_cast_total", {"value": "object"}),
    )
    populate()  # casts 6 approvals and 6 objections through services.voting.cast_vote
    assert _sample("tamyr_votes_cast_total", labels) - approve == 6
    assert _sample("tamyr_votes_cast_total", {"value": "object"}) - objected == 6
    body = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'tamyr_votes_cast_total{value="approve"}' in body


def test_imports_are_counted_by_outcome(app: Flask, tmp_path: Path):
    import pytest

    from glossary.services.actors import CLI
    from glossary.services.imports import ImportFile, ImportOptions, ImportRejected, run_import

    good = tmp_path / "terms.csv"
    good.write_text("en,kk\ndatabase,дерекқор\nfile,файл\n", encoding="utf-8")
    bad = tmp_path / "broken.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    before = {
        outcome: _sample("tamyr_imports_total", {"outcome": outcome})
        for outcome in ("committed", "dry_run", "rejected")
    }
    terms_before = _sample("tamyr_imported_terms_total", {})

    run_import(CLI, [ImportFile.local(good)], ImportOptions(dry_run=True))
    report = run_import(CLI, [ImportFile.local(good)], ImportOptions())
    with pytest.raises(ImportRejected):
        run_import(CLI, [ImportFile.local(bad)], ImportOptions())

    after = {outcome: _sample("tamyr_imports_total", {"outcome": outcome}) for outcome in before}
    assert {k: after[k] - before[k] for k in before} == {
        "committed": 1,
        "dry_run": 1,
        "rejected": 1,
    }
    assert _sample("tamyr_imported_terms_total", {}) - terms_before == report.total("new_terms")
    assert report.total("new_terms") == 4
