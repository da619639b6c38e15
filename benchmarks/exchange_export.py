"""Export speed and memory at scale, next to floors measured in the same run.

    python benchmarks/exchange_export.py [--terms 1000000] [--database URL] [--formats po,tmx]

Builds a termbase of ``--terms`` terms (four languages per concept: en, kk, tr, uz) in a fresh
SQLite file (or the empty database ``--database`` names), then runs every export in its own
process and prints, per format: seconds, units (terms) per second, peak RSS and file size.

Floors, measured on the same data in the same run:

* ``read floor``: the same rows streamed with a bare SQL select and thrown away — what no
  exporter can beat on this database;
* ``po2tmx``: translate-toolkit converting the en→kk PO file Tamyr exported into TMX (when
  translate-toolkit is installed); the issue's target is a Tamyr TMX export at least twice as
  fast per unit. ``tmx-pair`` is Tamyr's TMX export of that same en→kk pair (``--lang kk``):
  the same units with the same two segments each, the like-for-like comparison.

Targets (issue #5): peak RSS below 200 MB at 1M terms; exports at least 2× po2tmx.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

LANGS = ("en", "kk", "tr", "uz")
RSS_TARGET_MB = 200
STATUSES = ("preferred", "admitted", "proposed", "deprecated")


def _app(database: str) -> Any:
    from glossary import create_app

    return create_app({"CLI": True, "SQLALCHEMY_DATABASE_URI": database})


def build(database: str, terms: int) -> int:
    """Fill an empty database with ``terms`` terms; returns the number of concepts."""
    from sqlalchemy import insert

    from glossary.cli.database import init_database
    from glossary.extensions import db
    from glossary.models import Concept, Term, utcnow

    concepts = terms // len(LANGS)
    app = _app(database)
    with app.app_context():
        init_database()
        now = utcnow()
        step = 5000
        for start in range(0, concepts, step):
            count = min(step, concepts - start)
            ids = db.session.scalars(
                insert(Concept).returning(Concept.id, sort_by_parameter_order=True),
                [
                    {"uid": str(uuid.uuid4()), "domain": "bench", "created_at": now,
                     "updated_at": now}
                    for _ in range(count)
                ],
            ).all()  # fmt: skip
            rows = []
            for offset, concept_id in enumerate(ids):
                n = start + offset
                for lang in LANGS:
                    text = f"{lang}-term-{n}" if lang != "kk" else f"дерекқор-{n}"
                    rows.append(
                        {"concept_id": concept_id, "lang": lang, "text": text, "norm": text,
                         "folded": text, "key": text, "status": STATUSES[n % len(STATUSES)],
                         "created_at": now, "updated_at": now}
                    )  # fmt: skip
            db.session.execute(insert(Term), rows)
        db.session.commit()
    return concepts


def _peak_rss_mb(usage: Any) -> float:
    # Linux reports kilobytes. ru_maxrss survives exec, so the parent stays small (the build
    # runs in a child too) and cannot inflate its children's figures.
    return usage.ru_maxrss / 1024


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script (or a command) in a child process; its time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed with status {status}")
    result = json.loads(output) if output.strip().startswith("{") else {}
    return {"seconds": seconds, "rss_mb": _peak_rss_mb(usage), **result}


def child_export(database: str, format: str, target: str) -> None:
    """In a child: one export to ``target``; prints the file size as JSON."""
    from glossary.services.exports import ExportRequest, plan_export, write_export

    app = _app(database)
    with app.app_context():
        languages = ["kk"] if format in ("po", "tmx-pair") else []
        format = format.removesuffix("-pair")
        plan = plan_export(ExportRequest(format=format, languages=languages))
        with open(target, "wb") as out:
            write_export(plan, out)
    print(json.dumps({"bytes": Path(target).stat().st_size}))


def child_read_floor(database: str) -> None:
    """In a child: stream every term row with a bare select, keeping nothing."""
    from sqlalchemy import select

    from glossary.extensions import db
    from glossary.models import Term

    app = _app(database)
    with app.app_context():
        rows = 0
        query = select(Term.concept_id, Term.lang, Term.text, Term.status, Term.pos)
        result = db.session.execute(query.execution_options(yield_per=10_000))
        for _ in result:
            rows += 1
    print(json.dumps({"rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=1_000_000)
    parser.add_argument("--database", help="an empty database URL (default: a temp SQLite file)")
    parser.add_argument("--formats", default="po,tmx,tmx-pair,tbx,csv,xlsx")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, database, *rest = options.child
        if kind == "build":
            print(json.dumps({"concepts": build(database, int(rest[0]))}))
        elif kind == "floor":
            child_read_floor(database)
        else:
            child_export(database, kind, rest[0])
        return

    workdir = Path(tempfile.mkdtemp(prefix="tamyr-bench-"))
    database = options.database or f"sqlite:///{workdir / 'bench.sqlite3'}"
    me = [sys.executable, __file__, "--child"]
    built = run_child([*me, "build", database, str(options.terms)])
    concepts = built["concepts"]
    terms = concepts * len(LANGS)
    print(f"built {concepts} concepts, {terms} terms in {built['seconds']:.1f}s")
    report: dict[str, dict[str, Any]] = {"read floor": run_child([*me, "floor", database])}
    for format in options.formats.split(","):
        target = workdir / f"export.{format}"
        report[format] = run_child([*me, format, database, str(target)])
    po2tmx = shutil.which("po2tmx") or str(Path(sys.executable).with_name("po2tmx"))
    if (workdir / "export.po").exists() and Path(po2tmx).exists():
        args = [po2tmx, "-l", "kk", str(workdir / "export.po"), str(workdir / "po2tmx.tmx")]
        report["po2tmx (en→kk)"] = run_child(args)

    # Units are terms written: PO writes every term of a concept (msgid, msgstr and the sister
    # languages' equivalents in its comments), TMX/TBX/CSV every term; po2tmx writes the two
    # segments of each entry. "entries" counts concepts (PO entries, TMX units).
    def units(name: str) -> int:
        return concepts * 2 if name.startswith("po2tmx") or name == "tmx-pair" else terms

    print(f"\n{'what':<16}{'seconds':>9}{'terms/s':>11}{'entries/s':>11}{'peak RSS MB':>13}"
          f"{'MB out':>9}")  # fmt: skip
    for name, figures in report.items():
        size = figures.get("bytes", 0) / 1e6
        print(
            f"{name:<16}{figures['seconds']:>9.1f}{units(name) / figures['seconds']:>11,.0f}"
            f"{concepts / figures['seconds']:>11,.0f}{figures['rss_mb']:>13.0f}{size:>9.1f}"
        )
    worst = max(figures["rss_mb"] for name, figures in report.items() if "po2tmx" not in name)
    print(f"\npeak RSS of the worst export: {worst:.0f} MB (target < {RSS_TARGET_MB} MB)")
    tool = report.get("po2tmx (en→kk)")
    for format in ("po", "tmx"):
        if tool and format in report:
            ours = report[format]
            per_entry = tool["seconds"] / ours["seconds"]
            per_term = (terms / ours["seconds"]) / (concepts * 2 / tool["seconds"])
            print(
                f"{format.upper()} export vs po2tmx: {per_term:.1f}× the terms per second, "
                f"{per_entry:.1f}× the entries per second (target ≥ 2×)"
            )
    if tool and "tmx-pair" in report:
        same = tool["seconds"] / report["tmx-pair"]["seconds"]
        print(
            f"TMX export of the same en→kk pair vs po2tmx: {same:.1f}× the units per second "
            "(the same units and segments; target ≥ 2×)"
        )
    if "tmx" in report:
        floor = report["read floor"]["seconds"] / report["tmx"]["seconds"]
        print(f"TMX export runs at {floor:.2f}× the bare read floor")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
