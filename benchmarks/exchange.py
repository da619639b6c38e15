"""Import speed and memory at scale, next to bare-parse floors measured in the same run.

    python benchmarks/exchange.py [--tmx-units 1000000] [--po-entries 200000] [--database URL]

Generates a TMX file of ``--tmx-units`` ``<tu>`` (en, kk, tr, uz-Latn, ug: five terms each) and
a PO file of ``--po-entries`` en→kk entries, then runs each of these in its own process and
prints seconds, units per second and peak RSS (``wait4``'s ``ru_maxrss`` of that child alone):

* ``tamyr import FILE --defer-index --quiet`` into a freshly initialised database;
* the floors: a bare ``polib.pofile`` of the same PO (what most tools do: the whole catalogue in
  memory), and a bare lxml ``iterparse`` of the same TMX that clears each ``tu`` once read.

Ratios are the floor's CPU time over Tamyr's (1.0 = as fast as a bare parse; wall time is
printed too, but a shared machine distorts it) and Tamyr's peak RSS over the floor's.
Target (issue #5): peak RSS below 200 MB for 1M-unit files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

RSS_TARGET_MB = 200
# Real Turkic letters in every term, so folding and key building do their real work.
WORDS = {
    "en": "database",
    "kk": "дерекқор",
    "tr": "veritabanı",
    "uz-Latn": "maʼlumotlar bazasi",
    "ug": "ساندان",
}


@dataclass
class Run:
    name: str
    seconds: float
    cpu: float  # user + system seconds: what a loaded machine does not distort
    peak_mb: float
    returncode: int
    error: str = ""


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` as a child and read its own peak RSS from wait4 (Linux: KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert child.stderr is not None
    error = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, cpu, usage.ru_maxrss / 1024, child.returncode, error.strip()[-300:])


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
            out.write(f'<tu tuid="{uuid.UUID(int=n + 1)}">{tuvs}</tu>\n')
        out.write("</body>\n</tmx>\n")


def write_po(path: Path, entries: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            'msgid ""\nmsgstr ""\n"Language: kk\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        )
        for n in range(entries):
            out.write(
                f"#. Definition: an organised collection of data, number {n}\n"
                f'msgid "database {n}"\nmsgstr "дерекқор {n}"\n\n'
            )


POLIB_FLOOR = "import polib, sys; print(len(polib.pofile(sys.argv[1])))"
ITERPARSE_FLOOR = """
import sys
from lxml import etree
count = 0
for _, tu in etree.iterparse(sys.argv[1], tag="tu", resolve_entities=False, no_network=True):
    count += sum(1 for _ in tu.iter("seg"))
    tu.clear()
    while tu.getprevious() is not None:
        del tu.getparent()[0]
print(count)
"""


def tamyr(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("tamyr")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "glossary.cli"]


def fresh_env(folder: Path, database: str | None, label: str) -> dict[str, str]:
    url = database or f"sqlite:///{folder / f'{label}.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    env.update(TAMYR_DATABASE_URL=url, TAMYR_INSTANCE_DIR=str(folder / label))
    if database:
        _reset_postgres(database)
    init = subprocess.run(tamyr("init"), env=env, capture_output=True, text=True)
    if init.returncode:
        sys.exit(f"tamyr init failed: {init.stderr.strip()}")
    return env


def _reset_postgres(url: str) -> None:
    import psycopg
    from sqlalchemy import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def report(units: int, label: str, run: Run, floor: Run) -> None:
    for item in (run, floor):
        status = "" if item.returncode == 0 else f"  FAILED: {item.error}"
        rate = units / item.cpu if item.cpu else 0
        print(
            f"  {item.name:<34} {item.seconds:7.1f} s wall {item.cpu:7.1f} s CPU "
            f"{rate:9,.0f} units/CPU-s {item.peak_mb:7.1f} MB peak RSS{status}"
        )
    verdict = "OK" if run.peak_mb < RSS_TARGET_MB else "OVER"
    print(
        f"  {label}: speed (CPU) {floor.cpu / run.cpu:.3f}× the floor's, "
        f"RSS {run.peak_mb / floor.peak_mb:.2f}× the floor's; "
        f"target < {RSS_TARGET_MB} MB: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tmx-units", type=int, default=1_000_000)
    parser.add_argument("--po-entries", type=int, default=200_000)
    parser.add_argument("--database", help="an empty PostgreSQL URL (its schema is recreated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tamyr-bench-") as tmp:
        folder = Path(tmp)
        po, tmx = folder / "bench.po", folder / "bench.tmx"
        write_po(po, args.po_entries)
        write_tmx(tmx, args.tmx_units)
        print(
            f"PO: {args.po_entries:,} entries ({po.stat().st_size / 1e6:.0f} MB); "
            f"TMX: {args.tmx_units:,} units × {len(WORDS)} terms "
            f"({tmx.stat().st_size / 1e6:.0f} MB); database: "
            f"{'PostgreSQL' if args.database else 'SQLite'}"
        )
        po_floor = measure("polib.pofile (floor)", [sys.executable, "-c", POLIB_FLOOR, str(po)])
        env = fresh_env(folder, args.database, "po")
        po_run = measure(
            "tamyr import --defer-index (PO)",
            tamyr("import", str(po), "--defer-index", "--quiet"),
            env,
        )
        print("PO import")
        report(args.po_entries, "PO", po_run, po_floor)
        tmx_floor = measure(
            "lxml iterparse (floor)", [sys.executable, "-c", ITERPARSE_FLOOR, str(tmx)]
        )
        env = fresh_env(folder, args.database, "tmx")
        tmx_run = measure(
            "tamyr import --defer-index (TMX)",
            tamyr("import", str(tmx), "--defer-index", "--quiet"),
            env,
        )
        print("TMX import")
        report(args.tmx_units, "TMX", tmx_run, tmx_floor)


if __name__ == "__main__":
    main()
