"""Search speed at scale, next to floors measured on the same terms in the same run.

    python benchmarks/search.py [--terms 100000] [--queries 300] [--postgres URL]
    python benchmarks/search.py --database sqlite:///…/bench.sqlite3 --index-dir …/index-whoosh

Builds a termbase of the demo's real names (CLDR + iso-codes, ~18k terms) plus ``--terms``
synthetic terms in six languages and three scripts (kk/ky Cyrillic, tr/uz/az Latin, ug Arabic),
in a fresh SQLite file with the Whoosh index, and (with ``--postgres``, an empty database) the
same in PostgreSQL, searched through both the whoosh and the postgres backend. Then, through
the service layer (what the API and CLI call), p50/p99 over distinct queries of each kind:

* exact (a term as stored), folded (upper-cased, apostrophe variants), script (the Latin key
  of a Cyrillic/Arabic term), prefix (a term's first letters), fuzzy (one letter changed),
  suggest (2-4 first letters), lookup (a 30-word text with suffixed terms).

Over HTTP (SQLite + Whoosh): the same distinct queries against ``GET /api/v1/search`` and
``/api/v1/suggest`` of Tamyr under gunicorn (``--workers`` sync workers, benchmarks/httpbench.py),
one at a time for p50/p99, then ``--clients`` threads for ``--seconds`` for throughput, next to a
Flask hello world under the same gunicorn settings (target: ≥ 0.5× its requests per second):
once cycling through the distinct queries, once drawing them by popularity (Zipf), as real
search logs repeat themselves and the answer cache (glossary/search/cache.py) serves repeats.

Floors: a bare SQLite FTS5 table over the folded terms (``MATCH 'w'`` and ``MATCH 'w*'``,
unranked, LIMIT 20) and, on PostgreSQL, bare ``folded = :q`` / ``folded % :q`` (pg_trgm) queries.
Targets (issue #4): search p99 < 20 ms, autocomplete p99 < 10 ms, lookup of 30 words < 10 ms.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import ROOT, Run, floor_server, gunicorn, line, request

SYLLABLES = {
    "kk": "қа за қс та нө зб ек тү рк ия да ла ба са ұл ы ін ің ғы ша ме ке",
    "ky": "кы ргы зс та нү лк өн ба ша ры жа ка ла мы ко ну ме ле",
    "tr": "ka za kis tan tür ki ye ço cuk ağ aç ev le ri ıl ık şe hir de li",
    "uz": "oʻz be kis ton gʻa la ma sh ka ta sa ri yo qo zo ni",
    "az": "azər bay can şə hər ki tab də niz ye ri ça ğı gö ",
    "ug": "ئۇي غۇر قە شقە ر تۇ ر پا ن خو تە ن ئا لا",
}
SUFFIXED = {"kk": ["ның", "да", "ға", "лар", "ды"]}
TARGETS_MS = {"search": 20.0, "suggest": 10.0, "lookup": 10.0}
HTTP_THROUGHPUT_TARGET = 0.5  # × the hello-world floor's requests per second
HTTP_KINDS = ("exact", "folded", "script", "prefix", "fuzzy", "suggest")


def synthetic_terms(count: int, seed: int = 4) -> list[tuple[str, str]]:
    """(lang, text) pairs of made-up words, 1-3 words each, unique per language."""
    rng = random.Random(seed)
    syllables = {lang: line.split() for lang, line in SYLLABLES.items()}
    langs = list(syllables)
    seen: set[tuple[str, str]] = set()
    terms: list[tuple[str, str]] = []
    while len(terms) < count:
        lang = langs[len(terms) % len(langs)]
        words = [
            "".join(rng.choice(syllables[lang]) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        text = " ".join(words)
        if (lang, text) not in seen:
            seen.add((lang, text))
            terms.append((lang, text))
    return terms


def _app(database: str, backend: str, index_dir: Path) -> Any:
    from glossary import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SEARCH_BACKEND": backend,
            "INDEX_DIR": str(index_dir),
            "SECRET_KEY": "benchmark",
        }
    )


def build(app: Any, terms: list[tuple[str, str]]) -> dict[str, float]:
    """Load the demo's real names and the synthetic terms; index them; returns timings."""
    from sqlalchemy import insert

    from glossary.cli.database import init_database
    from glossary.database import refresh_statistics
    from glossary.extensions import db
    from glossary.models import Concept, Term, utcnow
    from glossary.services.demo import load_demo
    from glossary.services.indexing import apply_pending, reindex
    from glossary.services.terms import prepare_text

    timings: dict[str, float] = {}
    with app.app_context():
        init_database()
        started = time.perf_counter()
        load_demo()
        apply_pending()
        timings["demo load + index (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        now = utcnow()
        for start in range(0, len(terms), 5000):
            batch = terms[start : start + 5000]
            ids = db.session.scalars(
                insert(Concept).returning(Concept.id, sort_by_parameter_order=True),
                [{"uid": str(uuid.uuid4()), "domain": "bench"} for _ in batch],
            ).all()
            rows = []
            for concept_id, (lang, text) in zip(ids, batch, strict=True):
                prepared = prepare_text(text, lang)
                rows.append(
                    {"concept_id": concept_id, "lang": lang, "text": prepared.text,
                     "norm": prepared.norm, "folded": prepared.folded, "key": prepared.key,
                     "status": "preferred", "created_at": now, "updated_at": now}
                )  # fmt: skip
            db.session.execute(insert(Term), rows)
        db.session.commit()
        # What Tamyr's own bulk writes (import, demo, restore) do on PostgreSQL.
        refresh_statistics(len(terms))
        timings["synthetic insert (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        reindex()
        timings["full reindex (s)"] = time.perf_counter() - started
    return timings


def make_queries(app: Any, count: int, seed: int = 7) -> dict[str, list[Any]]:
    """Distinct queries of each kind, drawn from the stored terms."""
    from sqlalchemy import select

    from glossary.extensions import db
    from glossary.models import Term
    from glossary.text.casing import upper

    rng = random.Random(seed)
    with app.app_context():
        rows = db.session.execute(select(Term.lang, Term.text, Term.key)).all()
    rng.shuffle(rows)
    latin = [r for r in rows if r.text.isascii() or r.lang in ("tr", "uz", "az")]
    other = [r for r in rows if r.lang in ("kk", "ky", "ug", "ru")]
    kk = [r.text for r in rows if r.lang == "kk" and " " not in r.text]

    def typo(text: str) -> str:
        if len(text) < 5:
            return text + "x"
        i = rng.randrange(1, len(text))
        return text[:i] + ("a" if text[i] != "a" else "e") + text[i + 1 :]

    def sentence() -> str:
        words = []
        for n in range(30):
            if n % 3 == 0:
                words.append(rng.choice(kk) + rng.choice(SUFFIXED["kk"]))
            else:
                words.append(rng.choice(("және", "бұл", "мен", "үшін", "бар", "жоқ")))
        return " ".join(words)

    return {
        "exact": [r.text for r in rows[:count]],
        "folded": [upper(r.text, r.lang).replace("ʻ", "'") for r in latin[:count]],
        "script": [r.key for r in other[:count] if r.key],
        "prefix": [r.text[: max(3, len(r.text) // 2)] for r in rows[count : 2 * count]],
        "fuzzy": [typo(r.text) for r in latin[count : 2 * count]],
        "suggest": [r.text[: rng.randint(2, 4)] for r in rows[2 * count : 3 * count]],
        "lookup": [sentence() for _ in range(max(count // 5, 20))],
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(run: Callable[[Any], object], queries: Iterable[Any]) -> tuple[float, float]:
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def service_figures(app: Any, queries: dict[str, list[Any]]) -> dict[str, tuple[float, float]]:
    from glossary.extensions import db
    from glossary.services.search import lookup_terms, search_terms, suggest_terms

    figures: dict[str, tuple[float, float]] = {}
    with app.app_context():
        search_terms("warm up")  # open the searcher, load the tables
        lookup_terms("жылу", "kk")
        for kind in ("exact", "folded", "script", "prefix", "fuzzy"):
            figures[kind] = timed(lambda q: search_terms(q), queries[kind])
            db.session.rollback()
        figures["suggest"] = timed(lambda q: suggest_terms(q), queries["suggest"])
        figures["lookup"] = timed(lambda q: lookup_terms(q, "kk"), queries["lookup"])
    return figures


def fts5_floor(app: Any, queries: dict[str, list[Any]]) -> dict[str, tuple[float, float]]:
    """A bare FTS5 table over the same folded terms: unranked MATCH with LIMIT."""
    from sqlalchemy import select

    from glossary.extensions import db
    from glossary.models import Term
    from glossary.text.folding import fold_for_search, tokenize

    with app.app_context():
        rows = db.session.execute(select(Term.id, Term.folded)).all()
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE fts USING fts5(folded, tokenize='unicode61')")
    connection.executemany("INSERT INTO fts(rowid, folded) VALUES (?, ?)", rows)

    def run(text: str, star: bool) -> None:
        cursor = connection.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 20",
            (" ".join(f'"{t.text}"' + ("*" if star else "") for t in tokenize(text)) or '""',),
        )
        cursor.fetchall()

    return {
        "exact": timed(lambda q: run(fold_for_search(q), False), queries["exact"]),
        "prefix": timed(lambda q: run(fold_for_search(q), True), queries["prefix"]),
        "suggest": timed(lambda q: run(fold_for_search(q), True), queries["suggest"]),
    }


def pg_trgm_floor(app: Any, queries: dict[str, list[Any]]) -> dict[str, tuple[float, float]]:
    from sqlalchemy import text

    from glossary.extensions import db
    from glossary.text.folding import fold_for_search

    def run(sql: str) -> Callable[[str], None]:
        def query(q: str) -> None:
            db.session.execute(text(sql), {"q": fold_for_search(q)}).all()

        return query

    with app.app_context():
        figures = {
            "exact": timed(
                run("SELECT id FROM terms WHERE folded = :q LIMIT 20"), queries["exact"]
            ),
            "prefix": timed(
                run(
                    'SELECT id FROM terms WHERE folded COLLATE "C" >= :q AND folded COLLATE "C"'
                    " < :q || chr(1114111) LIMIT 20"
                ),
                queries["prefix"],
            ),
            "fuzzy": timed(
                run("SELECT id FROM terms WHERE folded % :q LIMIT 20"), queries["fuzzy"]
            ),
        }
        db.session.rollback()
    return figures


def report(title: str, figures: dict[str, tuple[float, float]], floors: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<8} {'p50 ms':>8} {'p99 ms':>8}   {'floor p50':>9} {'floor p99':>9}  ratio")
    for kind, (p50, p99) in figures.items():
        floor = floors.get(kind)
        target = TARGETS_MS.get(kind, TARGETS_MS["search"])
        verdict = "ok" if p99 < target else f"over {target:.0f} ms target"
        line = f"  {kind:<8} {p50:8.2f} {p99:8.2f}"
        if floor:
            line += f"   {floor[0]:9.3f} {floor[1]:9.3f}  p99 ×{p99 / max(floor[1], 1e-6):,.0f}"
        else:
            line += " " * 35
        print(f"{line}  [{verdict}]")


def _http_path(kind: str, query: str) -> str:
    endpoint = "suggest" if kind == "suggest" else "search"
    return f"/api/v1/{endpoint}?q={quote(query)}"


def _closed_loop(port: int, paths: list[str], clients: int, seconds: float) -> Run:
    """``clients`` threads sending the next path as soon as the last answered."""
    run = Run(seconds=seconds)
    cycle = itertools.cycle(paths)
    guard = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            with guard:
                path = next(cycle)
            began = time.perf_counter()
            try:
                status, _ = request("GET", port, path)
            except OSError:
                status = 0
            run.note(began, status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def http_figures(env: dict[str, str], queries: dict[str, list[Any]], args: Any) -> None:
    """p50/p99 per kind over HTTP, one request at a time, and throughput vs hello world."""
    figures: dict[str, tuple[float, float]] = {}
    with gunicorn("wsgi:app", args.workers, env, ROOT) as port:
        for kind in HTTP_KINDS:
            paths = [_http_path(kind, q) for q in queries[kind]]
            request("GET", port, paths[0])  # each worker opens its searcher once
            figures[kind] = timed(lambda path: request("GET", port, path), paths)
        mixed = [_http_path(kind, q) for kind in HTTP_KINDS for q in queries[kind]]
        random.Random(3).shuffle(mixed)
        tamyr = _closed_loop(port, mixed, args.clients, args.seconds)
        # Real search logs repeat themselves: the same distinct queries drawn by popularity
        # (Zipf, weight 1/rank), which the per-worker answer cache serves after the first ask.
        weights = [1 / rank for rank in range(1, len(mixed) + 1)]
        popular = random.Random(4).choices(mixed, weights=weights, k=20_000)
        repeated = _closed_loop(port, popular, args.clients, args.seconds)
    with (
        tempfile.TemporaryDirectory(prefix="tamyr-floor-") as folder,
        floor_server(args.workers, Path(folder)) as port,
    ):
        floor = _closed_loop(port, ["/"], args.clients, args.seconds)
    report(f"HTTP, gunicorn {args.workers} sync workers, one request at a time", figures, {})
    print(f"  {line('search mix', tamyr)}")
    print(f"  {line('popular queries', repeated)}")
    print(f"  {line('hello-world floor', floor)}")
    for label, run in (("distinct queries", tamyr), ("popular queries (Zipf)", repeated)):
        ratio = run.per_second / floor.per_second if floor.per_second else 0.0
        verdict = "ok" if ratio >= HTTP_THROUGHPUT_TARGET else "MISSED"
        print(
            f"  throughput {ratio:.2f}× the hello-world floor ({args.clients} clients, {label}; "
            f"target ≥ {HTTP_THROUGHPUT_TARGET}×: {verdict}); errors {run.errors}"
        )


def run_database(
    name: str,
    database: str,
    backends: list[str],
    terms: list[tuple[str, str]],
    args: Any,
    index_dir: Path | None = None,
) -> None:
    """Build the termbase in ``database`` and measure it; with ``index_dir``, measure the
    termbase an earlier run built there (no build)."""
    folder = Path(tempfile.mkdtemp(prefix="tamyr-search-bench-"))
    index_dir = index_dir or folder / f"index-{backends[0]}"
    build_app = _app(database, backends[0], index_dir)
    if terms:
        timings = build(build_app, terms)
        for label, seconds in timings.items():
            print(f"{name}: {label}: {seconds:.1f}")
    count = args.queries
    queries = make_queries(build_app, count)
    floors: dict[str, Any] = {}
    if database.startswith("sqlite"):
        floors = fts5_floor(build_app, queries)
    else:
        floors = pg_trgm_floor(build_app, queries)
    for backend in backends:
        app = build_app if backend == backends[0] else _app(database, backend, folder / backend)
        figures = service_figures(app, queries)
        floor_name = "FTS5" if database.startswith("sqlite") else "pg_trgm"
        report(f"{name} + {backend} backend (floor: bare {floor_name})", figures, floors)
    if database.startswith("sqlite") and not args.no_http:
        env = {
            "TAMYR_DATABASE_URL": database,
            "TAMYR_SECRET_KEY": "benchmark",
            "TAMYR_INDEX_DIR": str(index_dir),
            "TAMYR_SEARCH_BACKEND": backends[0],
        }
        http_figures(env, queries, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=100_000, help="synthetic terms to add")
    parser.add_argument("--queries", type=int, default=300, help="distinct queries per kind")
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL to run on too")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (HTTP part)")
    parser.add_argument("--clients", type=int, default=4, help="threads for HTTP throughput")
    parser.add_argument("--seconds", type=float, default=15.0, help="HTTP throughput phase")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP part")
    parser.add_argument("--database", help="measure this SQLite termbase an earlier run built")
    parser.add_argument("--index-dir", help="its Whoosh index folder (with --database)")
    args = parser.parse_args()
    if args.database:
        print(f"{args.database} as built before; {args.queries} queries a kind")
        run_database("SQLite", args.database, ["whoosh"], [], args, Path(args.index_dir))
        return
    terms = synthetic_terms(args.terms)
    folder = Path(tempfile.mkdtemp(prefix="tamyr-search-bench-"))
    print(f"{args.terms} synthetic terms + the demo's real names; {args.queries} queries a kind")
    run_database("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", ["whoosh"], terms, args)
    if args.postgres:
        run_database("PostgreSQL", args.postgres, ["whoosh", "postgres"], terms, args)


if __name__ == "__main__":
    main()
