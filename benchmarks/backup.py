"""Backup and restore speed on the demo termbase, next to a bare-read floor from the same run.

    python benchmarks/backup.py [--database URL]

Loads the demo termbase (about 1,700 concepts, 18,000 terms, history and votes) into a fresh
SQLite file, or into ``--database`` (loaded with the demo unless it holds concepts already), then:

* floor: ``SELECT *`` of every backed-up table through SQLAlchemy Core, rows discarded;
* ``write_backup`` into memory (gzip'd JSON Lines, one read transaction);
* ``restore_backup`` into a second fresh SQLite database, without and then with the index rebuild.

Prints rows per second for each and the ratio backup/floor (1.0 = as fast as merely reading).
CPU time is used for ratios: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _app(url: str, folder: Path):
    from glossary import create_app
    from glossary.cli.database import init_database

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INDEX_DIR": str(folder / "index")}
    )
    with app.app_context():
        init_database()
    return app


def _timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="source database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    from glossary.extensions import db
    from glossary.models import Concept
    from glossary.services.backup import backed_up_tables, restore_backup, write_backup
    from glossary.services.demo import load_demo

    with tempfile.TemporaryDirectory(prefix="tamyr-bench-backup-") as name:
        folder = Path(name)
        source = _app(args.database or f"sqlite:///{folder / 'source.sqlite3'}", folder / "s")
        with source.app_context():
            if not db.session.scalar(select(Concept.id).limit(1)):
                load_demo()

            def bare_read() -> int:
                with db.engine.connect() as connection:
                    return sum(
                        sum(1 for _ in connection.execute(select(*t.columns)))
                        for t in backed_up_tables()
                    )

            rows, floor_wall, floor_cpu = _timed(bare_read)
            buffer = io.BytesIO()
            _, backup_wall, backup_cpu = _timed(lambda: write_backup(buffer))
        data = buffer.getvalue()
        target = _app(f"sqlite:///{folder / 'target.sqlite3'}", folder / "t")
        with target.app_context():
            _, restore_wall, restore_cpu = _timed(
                lambda: restore_backup(io.BytesIO(data), rebuild_index=False)
            )
        again = _app(f"sqlite:///{folder / 'again.sqlite3'}", folder / "a")
        with again.app_context():
            result, full_wall, full_cpu = _timed(lambda: restore_backup(io.BytesIO(data)))

    print(f"rows: {rows:,}; backup file: {len(data) / 1e6:.1f} MB ({len(data) / rows:.0f} B/row)")
    for label, wall, cpu in (
        ("floor: bare SELECT *", floor_wall, floor_cpu),
        ("backup (gzip JSON Lines)", backup_wall, backup_cpu),
        ("restore, no reindex", restore_wall, restore_cpu),
        (f"restore + reindex ({result.indexed} terms)", full_wall, full_cpu),
    ):
        print(
            f"{label:<40} {wall:7.2f} s wall {cpu:7.2f} s cpu {rows / max(cpu, 1e-9):10,.0f} rows/s"
        )
    print(f"ratio floor/backup (cpu): {floor_cpu / backup_cpu:.2f}")
    print(f"ratio floor/restore (cpu): {floor_cpu / restore_cpu:.2f}")


if __name__ == "__main__":
    main()
