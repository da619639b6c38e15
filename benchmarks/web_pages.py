"""Server time of the core web pages on a large termbase, next to a floor from the same run.

    python benchmarks/web_pages.py [--terms 100000] [--requests 100] [--postgres URL]
    python benchmarks/web_pages.py --database sqlite:///…/bench.sqlite3 --index-dir …/index-whoosh

Builds the termbase of benchmarks/search.py (the demo's real names + ``--terms`` synthetic
terms in six languages and three scripts) in a fresh SQLite file with the Whoosh index (or,
with ``--postgres``, an empty PostgreSQL database and its backend). Then, through the Flask test
client (server time only: routing, services, SQL, templates; no network), p50/p99 over
``--requests`` calls of each page:

* home: ``/`` (recent concepts and the counts)
* search: ``/search?q=<a stored term>`` with results grouped by concept (distinct queries)
* concept: ``/concepts/<uid>`` of demo concepts (names in up to ~30 languages)
* coverage: ``/coverage`` (per-language counts over every term)

``--database`` and ``--index-dir`` measure a termbase already built (benchmarks/search.py keeps
its folders under the temporary directory, ``tamyr-search-bench-*``), so a 1M-term build serves
both benchmarks.

Floor: ``GET /healthz`` through the same client (the framework's own cost per request).
Target (issue #8): pages render in < 100 ms server time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import _app, build, synthetic_terms  # the shared termbase builder
from web_meetups import TARGET_MS, timed


def page_urls(app: Any, count: int, seed: int = 11) -> dict[str, list[str]]:
    from sqlalchemy import func, select

    from glossary.extensions import db
    from glossary.models import Concept, Term

    rng = random.Random(seed)
    with app.app_context():
        texts = list(db.session.scalars(select(Term.text).limit(50_000)))
        busiest = db.session.scalars(
            select(Concept.uid)
            .join(Term, Term.concept_id == Concept.id)
            .group_by(Concept.uid)
            .order_by(func.count(Term.id).desc())
            .limit(count)
        ).all()
    rng.shuffle(texts)
    return {
        "search": [f"/search?q={text}" for text in texts[:count]],
        "concept": [f"/concepts/{uid}" for uid in busiest],
    }


def measure(app: Any, requests: int) -> list[tuple[str, float, float]]:
    client = app.test_client()
    urls = page_urls(app, requests)

    def cycling(paths: list[str]) -> Callable[[], None]:
        state = {"i": 0}

        def call() -> None:
            path = paths[state["i"] % len(paths)]
            state["i"] += 1
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    # The first coverage counts every term (then each worker keeps it until the termbase
    # changes, at most COVERAGE_CACHE_SECONDS while it keeps changing): shown on its own.
    cold_coverage = timed(cycling(["/coverage"]), 1)[0]
    # A worker opens its Whoosh searcher once, on its first search: not a page's cost.
    client.get(urls["search"][-1])
    rows = [("floor: /healthz", *timed(cycling(["/healthz"]), requests))]
    rows.append(("home", *timed(cycling(["/"]), requests)))
    rows.append(("search (grouped)", *timed(cycling(urls["search"]), requests)))
    rows.append(("concept page", *timed(cycling(urls["concept"]), requests)))
    rows.append(("coverage", *timed(cycling(["/coverage"]), max(10, requests // 5))))
    rows.append(("coverage, first count", cold_coverage, cold_coverage))
    return rows


def report(label: str, rows: list[tuple[str, float, float]], terms: int) -> None:
    floor = rows[0][1]
    print(f"\n{label}: {terms:,} terms")
    print(f"{'page':<20}{'p50 ms':>9}{'p99 ms':>9}{'p50/floor':>11}{'p99/target':>12}")
    for name, p50, p99 in rows:
        print(f"{name:<20}{p50:9.2f}{p99:9.2f}{p50 / floor:11.1f}{p99 / TARGET_MS:12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    parser.add_argument("--database", help="measure this built SQLite termbase (no build)")
    parser.add_argument("--index-dir", help="its Whoosh index folder (with --database)")
    args = parser.parse_args()
    if args.database:
        app = _app(args.database, "whoosh", Path(args.index_dir or tempfile.mkdtemp()))
        report("SQLite + Whoosh (built before)", measure(app, args.requests), _term_count(app))
        return
    terms = synthetic_terms(args.terms)
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            app = _app(args.postgres, "postgres", Path(folder) / "index")
            label = "PostgreSQL + postgres backend"
        else:
            app = _app(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "whoosh", Path(folder))
            label = "SQLite + Whoosh"
        timings = build(app, terms)
        for name, seconds in timings.items():
            print(f"{name}: {seconds:.1f}")
        report(label, measure(app, args.requests), _term_count(app))


def _term_count(app: Any) -> int:
    from sqlalchemy import func, select

    from glossary.extensions import db
    from glossary.models import Term

    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Term)) or 0)


if __name__ == "__main__":
    main()
