"""Shared by the atheris harnesses: feed fuzzer bytes to one reader as a file on disk.

Readers take paths (they stream, sniff and pick encodings from the file), so each input is
written to one scratch file that is reused for every run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from importers.base import ImportFormatError
    from importers.registry import available_readers, reader_for

    available_readers()  # imports every reader module here, so coverage guides into them

_SCRATCH = Path(tempfile.mkdtemp(prefix="tamyr-atheris-"))


def one_input(formats: dict[str, str]) -> Callable[[bytes], None]:
    """A TestOneInput that tries ``data`` with each format (name → file extension)."""
    choices = list(formats.items())

    def test_one_input(data: bytes) -> None:
        if not data:
            return
        # The first byte picks the reader, so one corpus covers them all.
        format, extension = choices[data[0] % len(choices)]
        path = _SCRATCH / f"input{extension}"
        path.write_bytes(data[1:])
        try:
            reader = reader_for(path, format=format)
            for _record in reader.records():
                pass
            for problem in reader.problems:
                str(problem)
        except ImportFormatError:
            pass  # the one clear error a reader may raise; anything else is a crash

    return test_one_input


def seed(formats: dict[str, str], format: str, content: bytes) -> bytes:
    """A corpus entry that ``one_input`` reads as ``content`` in ``format``."""
    return bytes([list(formats).index(format)]) + content


def main(formats: dict[str, str]) -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    atheris.Setup(sys.argv, one_input(formats))
    atheris.Fuzz()
