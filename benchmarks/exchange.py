"""Import speed and memory at scale, next to floors measured in the same run (issue #5).

    python benchmarks/exchange.py --units 50000          # quick: about 3 minutes
    python benchmarks/exchange.py                        # full: 1,000,000 units per format

Writes a PO (en→kk: 2 terms a unit), a TMX and a wide CSV (en, kk, tr, uz-Latn, ug: 5 terms a
unit) of ``--units`` units each, then runs every step in its own process (benchmarks/childproc.py:
wall seconds, CPU seconds, own peak RSS):

* ``tamyr import FILE --defer-index --quiet`` into a fresh database, next to the storage floor
  (benchmarks/exchange_floors.py: a bare parse plus plain inserts of the same rows, lookup
  indexes and outbox rows, in one transaction, into the same kind of fresh database);
* translate-toolkit's ``po2tmx`` on the same PO;
* index catch-up: ``tamyr reindex --pending`` after the ``--catch-up`` format's import, next to
  a stock Whoosh build (StandardAnalyzer) of the same terms.

Targets: import ≥ 0.3× the storage floor's speed; import + catch-up ≤ 2× the bare Whoosh
build; peak RSS < 200 MB at 1M units. Ratios use CPU seconds (a shared machine distorts wall
time; both are printed). Export speed against po2tmx is benchmarks/exchange_export.py's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from childproc import Run, fresh_env, measure, tamyr

RSS_TARGET_MB = 200
IMPORT_TARGET = 0.3  # × the storage floor's units per CPU second
CATCH_UP_TARGET = 2.0  # import + catch-up within this many × a bare Whoosh build
FLOORS = str(Path(__file__).with_name("exchange_floors.py"))
# Real Turkic letters in every term, so folding and key building do their real work.
WORDS = {
    "en": "database",
    "kk": "дерекқор",
    "tr": "veritabanı",
    "uz-Latn": "maʼlumotlar bazasi",
    "ug": "ساندان",
}
TERMS_PER_UNIT = {"po": 2, "tmx": len(WORDS), "csv": len(WORDS)}


def uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def write_tmx(path: Path, units: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            '<header creationtool="bench" creationtoolversion="1" segtype="phrase" '
            'o-tmf="bench" adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n'
        )
        for n in range(units):
            tuvs = "".join(
                f'<tuv xml:lang="{lang}"><seg>{word} {n}</seg></tuv>'
                for lang, word in WORDS.items()
            )
            out.write(f'<tu tuid="{uid(n)}">{tuvs}</tu>\n')
        out.write("</body>\n</tmx>\n")


def write_po(path: Path, units: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            'msgid ""\nmsgstr ""\n"Language: kk\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        )
        for n in range(units):
            out.write(f'msgctxt "{uid(n)}"\nmsgid "database {n}"\nmsgstr "дерекқор {n}"\n\n')


def write_csv(path: Path, units: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(["concept", *WORDS]) + "\n")
        for n in range(units):
            out.write(",".join([uid(n), *(f"{word} {n}" for word in WORDS.values())]) + "\n")


WRITERS = {"po": write_po, "tmx": write_tmx, "csv": write_csv}


def row(run: Run, units: int, terms: int) -> str:
    status = "" if run.ok else f"  FAILED: {run.error}"
    rate = units / run.cpu if run.cpu else 0.0
    return (
        f"  {run.name:<36} {run.seconds:7.1f} s wall {run.cpu:7.1f} s CPU "
        f"{rate:9,.0f} units/CPU-s {terms / run.cpu if run.cpu else 0:9,.0f} terms/CPU-s "
        f"{run.peak_mb:6.0f} MB{status}"
    )


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def import_format(format: str, path: Path, folder: Path, args: argparse.Namespace) -> Run:
    """Tamyr's import of one file next to its storage floor; returns the import's run."""
    units = args.units
    terms = units * TERMS_PER_UNIT[format]
    floor_env = fresh_env(folder, args.database, f"{format}-floor")
    floor = measure(
        f"storage floor ({format})",
        [sys.executable, FLOORS, "storage", format, str(path), floor_env["TAMYR_DATABASE_URL"]],
        floor_env,
    )
    env = fresh_env(folder, args.database, format)
    run = measure(
        f"tamyr import --defer-index ({format})",
        tamyr("import", str(path), "--defer-index", "--quiet"),
        env,
    )
    run.output["env"] = env  # type: ignore[assignment]
    size = path.stat().st_size / 1e6
    print(f"{format.upper()}: {units:,} units, {terms:,} terms ({size:.0f} MB)")
    print(row(floor, units, terms))
    print(row(run, units, terms))
    if run.ok and floor.ok:
        speed = floor.cpu / run.cpu
        print(
            f"  import speed {speed:.2f}× the storage floor's (target ≥ {IMPORT_TARGET}×: "
            f"{verdict(speed >= IMPORT_TARGET)}; wall {floor.seconds / run.seconds:.2f}×), "
            f"peak RSS {run.peak_mb:.0f} MB (target < {RSS_TARGET_MB}: "
            f"{verdict(run.peak_mb < RSS_TARGET_MB)})"
        )
    return run


def po2tmx(po: Path, folder: Path, units: int) -> None:
    script = Path(sys.executable).with_name("po2tmx")
    if not script.exists():
        print("po2tmx: translate-toolkit is not installed; skipped")
        return
    run = measure("translate-toolkit po2tmx (same PO)", [str(script), "-l", "kk", str(po),
                  str(folder / "po2tmx.tmx")])  # fmt: skip
    print(row(run, units, units * TERMS_PER_UNIT["po"]))


def catch_up(format: str, imported: Run, folder: Path, units: int) -> None:
    env = imported.output["env"]
    terms = units * TERMS_PER_UNIT[format]
    pending = measure("tamyr reindex --pending", tamyr("reindex", "--pending", "--quiet"), env)
    bare = measure(
        "bare Whoosh build (stock analyzer)",
        [sys.executable, FLOORS, "whoosh", env["TAMYR_DATABASE_URL"], str(folder / "bare")],
    )
    print(f"Index catch-up after the {format.upper()} import ({terms:,} terms)")
    print(row(pending, units, terms))
    print(row(bare, units, terms))
    if pending.ok and bare.ok:
        ratio = (imported.cpu + pending.cpu) / bare.cpu
        wall = (imported.seconds + pending.seconds) / bare.seconds
        print(
            f"  import + catch-up {ratio:.2f}× the bare Whoosh build (target ≤ "
            f"{CATCH_UP_TARGET}×: {verdict(ratio <= CATCH_UP_TARGET)}; wall {wall:.2f}×); "
            f"catch-up alone {pending.cpu / bare.cpu:.2f}×, "
            f"{terms / pending.cpu:,.0f} terms/CPU-s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000, help="units per file")
    parser.add_argument("--formats", default="po,tmx,csv")
    parser.add_argument("--catch-up", default="po", help="whose import the index catches up")
    parser.add_argument("--database", help="an empty PostgreSQL URL (its schema is recreated)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory(prefix="tamyr-bench-") as tmp:
        folder = Path(tmp)
        print(f"database: {'PostgreSQL' if args.database else 'SQLite'}; CPU = user + system")
        runs: dict[str, Run] = {}
        for format in formats:
            path = folder / f"bench.{format}"
            WRITERS[format](path, args.units)
            runs[format] = import_format(format, path, folder, args)
            if format == "po":
                po2tmx(path, folder, args.units)
            if format == args.catch_up and runs[format].ok:
                catch_up(format, runs[format], folder, args.units)
            path.unlink()


if __name__ == "__main__":
    main()
