"""What the importer fuzz tests and the atheris harnesses share: read a file the way
`tamyr import` does, the one outcome allowed besides success, and the real files to mutate."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from importers.base import ConceptRecord, ImportFormatError
from importers.registry import reader_for


def read_everything(path: Path, format: str = "auto") -> list[ConceptRecord]:
    """Every record of ``path``; an unreadable file raises ImportFormatError and only that."""
    reader = reader_for(path, format=format)
    records = list(reader.records())
    for problem in reader.problems:  # entry problems are data, and must be printable
        assert problem.severity in ("error", "warning") and str(problem)
    return records


SEED_BYTES = 48 * 1024  # the head of a big sample is enough to reach every code path
SAMPLE_FILES = [
    "po/baobab_kk.po",
    "po/weblate_cs-bom.po",
    "po/gnome-desktop_uz@cyrillic.po",
    "tmx/weblate_memory.tmx",
    "tbx/ltac_basic_good.tbx",
    "tbx/weblate_fr-extended-metadata.tbx",
    "apertium/apertium-tur-kir.tur-kir.dix",
]


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few byte flips, insertions, deletions, duplicated spans, or a cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "cut", "junk"]))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"<", b"&", b'"', b"\x00", b"\xff", b"\n", b"]]>"]))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        elif kind == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(data)


__all__ = ["SAMPLE_FILES", "SEED_BYTES", "ImportFormatError", "mutations", "read_everything"]
