"""Two fixes to Whoosh's writer that keep its output byte for byte and cut its build time.

Both are applied once, on import of :mod:`glossary.search.whoosh_backend`, and change only
how the writer spends time, never what it writes:

* a segment being written asks, for every posting, whether a field has a length column; for
  a field without one (every ID field here) Whoosh ``stat``s the missing file each time and
  caches only the files it finds: ~2 million ``stat`` calls per 100k terms;
* a posting pool larger than ``limitmb`` is sorted into runs on disk, one ``pickle.dump`` call
  per posting and one ``pickle.load`` to read it back, about a third of a large build. Runs
  are temporary files written and read by the same writer, so they can be pickled in blocks.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from itertools import islice
from typing import Any, BinaryIO

import whoosh
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.writing import PostingPool

RUN_BLOCK = 4096  # postings per pickle call in a run file
# The fixes replace private methods, written against this release (pyproject pins it exactly);
# any other release keeps Whoosh's own code rather than risk a mismatch.
TUNED_RELEASE = (2, 7, 5)


def _has_column_remembered(lookup: Any) -> Any:
    def has_column(self: W3PerDocReader, fieldname: str) -> bool:
        # A segment's files never change once written, so the answer can be kept.
        known: dict[str, bool] = self.__dict__.setdefault("_tamyr_columns", {})
        if fieldname not in known:
            known[fieldname] = lookup(self, fieldname)
        return known[fieldname]

    return has_column


def _write_run(self: PostingPool, f: BinaryIO, items: list[Any]) -> None:
    iterator = iter(items)
    while block := list(islice(iterator, RUN_BLOCK)):
        pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def _read_run(self: PostingPool, path: str) -> Iterator[Any]:
    f = self._open_run(path)
    try:
        while True:
            try:
                block = pickle.load(f)
            except EOFError:
                return
            yield from block
    finally:
        f.close()
        self._remove_run(path)


def tune_whoosh() -> None:
    """Apply both fixes (idempotent); a no-op on any Whoosh release but the one they fit."""
    if getattr(PostingPool, "_tamyr_tuned", False) or whoosh.__version__ != TUNED_RELEASE:
        return
    W3PerDocReader.has_column = _has_column_remembered(W3PerDocReader.has_column)
    PostingPool._write_run = _write_run
    PostingPool._read_run = _read_run
    PostingPool._tamyr_tuned = True
