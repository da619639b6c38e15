"""Readiness: each dependency is probed cheaply and reported by name, so a 503 says what broke."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import text

from glossary.extensions import db


@dataclass
class Probe:
    name: str
    ok: bool
    milliseconds: float
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"ok": self.ok, "ms": round(self.milliseconds, 1)}
        if self.detail:
            found["error"] = self.detail
        return found


@dataclass
class Readiness:
    probes: list[Probe] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(probe.ok for probe in self.probes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ok else "unavailable",
            "failed": [probe.name for probe in self.probes if not probe.ok],
            "checks": {probe.name: probe.as_dict() for probe in self.probes},
        }


def _database() -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _search_index() -> None:
    from glossary.search import get_backend

    backend = get_backend()
    # Cheap reads of the live index, never `tamyr check`'s full comparison: Whoosh opens its
    # current generation; the postgres backend runs a one-row suggestion on the term columns.
    document_count = getattr(backend, "document_count", None)
    if callable(document_count):
        document_count()
    else:
        backend.suggest("readyz", None, 1)


def _probe(name: str, check: Any) -> Probe:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure means "not ready"; the reason is reported, not raised
        current_app.logger.warning("readiness probe %s failed: %s", name, exc.__class__.__name__)
        # The class name only: driver messages can carry host names and user names.
        return Probe(name, False, (time.perf_counter() - started) * 1000, exc.__class__.__name__)
    return Probe(name, True, (time.perf_counter() - started) * 1000)


def readiness() -> Readiness:
    report = Readiness([_probe("database", _database)])
    # Without a database the PostgreSQL search backend cannot answer either; probe it anyway
    # so the report names both, which is what an operator needs to see.
    report.probes.append(_probe("search_index", _search_index))
    db.session.remove()
    return report
