"""Pick the reader for a file: by ``--format``, else by extension, else by its first bytes.

Readers are named here as ``module:Class`` and imported on first use, so a missing or broken
optional module only affects its own format.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from importers.base import ImportFormatError, Reader

# Sniffing order matters: exact binary signatures first, XML roots next, PO's "msgid" line,
# and CSV (any text with a comma) last because it is the weakest guess.
READERS: tuple[str, ...] = (
    "importers.mo:MoReader",
    "importers.xlsx:XlsxReader",
    "importers.tmx:TmxReader",
    "importers.tbx:TbxReader",
    "importers.bidix:BidixReader",
    "importers.po:PoReader",
    "importers.csvfile:CsvReader",
)
HEAD_BYTES = 8192  # enough for an XML prolog, a DOCTYPE and the root element


def reader_class(spec: str) -> type[Reader]:
    """Import one ``module:Class`` reader."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def available_readers() -> list[type[Reader]]:
    """The reader classes whose modules exist (all of them, once every format is written)."""
    classes = []
    for spec in READERS:
        try:
            classes.append(reader_class(spec))
        except ModuleNotFoundError as exc:
            if exc.name != spec.partition(":")[0]:
                raise  # a module that exists but imports something missing is a real bug
    return classes


def formats() -> list[str]:
    """The names ``--format`` accepts."""
    return [cls.format for cls in available_readers()]


def reader_for(
    path: str | Path, format: str = "auto", source_lang: str | None = None, lang: str | None = None
) -> Reader:
    """The reader for ``path``; ImportFormatError when the format cannot be told."""
    path = Path(path)
    cls = _by_format(path, format) if format != "auto" else _guess(path)
    return cls(path, source_lang=source_lang, lang=lang)


def _by_format(path: Path, format: str) -> type[Reader]:
    wanted = format.lower().lstrip(".")
    for cls in available_readers():
        # Extensions work as format names too: --format pot, --format tsv, --format dix.
        if wanted == cls.format or f".{wanted}" in cls.extensions:
            return cls
    known = ", ".join(formats())
    raise ImportFormatError(path, f"unknown format {format!r}; use one of: {known}")


def _guess(path: Path) -> type[Reader]:
    classes = available_readers()
    suffix = path.suffix.lower()
    by_extension = [cls for cls in classes if suffix in cls.extensions]
    if len(by_extension) == 1:
        return by_extension[0]
    head = _head(path)
    # Several readers claiming one extension (.xml) are told apart by content, as are files
    # whose extension nobody claims.
    for cls in by_extension or classes:
        if cls.sniff(head):
            return cls
    raise ImportFormatError(path, f"cannot tell the format of {path.name}; use --format")


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(HEAD_BYTES)
    except OSError as exc:
        raise ImportFormatError(path, f"cannot open the file: {exc.strerror}") from None
