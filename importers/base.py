"""The one small interface every file reader implements.

Readers turn a file into neutral records and never touch the database: mapping records to
concepts, validating languages and writing happen in ``glossary.services.imports``.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar, Literal

# Statuses a file may carry; ``None`` on a record means "the file says nothing".
STATUSES = ("proposed", "preferred", "admitted", "deprecated", "rejected")


class ImportFormatError(Exception):
    """A file that cannot be read at all (not an entry-level problem)."""

    def __init__(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {message}")


@dataclass(slots=True)
class Problem:
    """Something wrong with one entry; errors block the import unless --skip-invalid."""

    file: str
    line: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity}: {self.message}"


@dataclass(slots=True)
class TermRecord:
    """One term as the file states it; ``lang`` is the file's raw tag, resolved later."""

    lang: str
    text: str
    status: str | None = None
    pos: str | None = None
    note: str | None = None
    source: str | None = None  # provenance when it differs from the file's (FileInfo.source_name)
    line: int | None = None


@dataclass(slots=True)
class ConceptRecord:
    """One concept entry of a file: a PO entry, a TMX ``tu``, a TBX ``conceptEntry``, a row."""

    terms: list[TermRecord]
    uid: str | None = None  # a Tamyr concept uid the file carries (msgctxt, tuid, c-<uid>, ...)
    context: str | None = None  # a non-uid id or msgctxt: part of the concept's identity
    domain: str | None = None
    definitions: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    wikidata: str | None = None
    line: int | None = None


@dataclass(slots=True)
class FileInfo:
    """What a reader learned about the file as a whole while reading it."""

    source_lang: str | None = None  # PO X-Source-Language, TMX srclang, CSV first column, ...
    target_lang: str | None = None
    source_name: str | None = None  # provenance shown on every term (e.g. "GNOME baobab")
    licence: str | None = None
    url: str | None = None
    skipped_obsolete: int = 0
    extra: dict[str, str] = field(default_factory=dict)


class Reader(ABC):
    """Base class: subclasses set ``format``/``extensions`` and implement ``records``."""

    format: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, path: str | Path, *, source_lang: str | None = None, lang: str | None = None
    ) -> None:
        self.path = Path(path)
        self.source_lang = source_lang  # --source-lang: overrides what the file says
        self.lang = lang  # --lang: target language when the file does not say
        self.info = FileInfo()
        self.problems: list[Problem] = []

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True when the first bytes of a file look like this format."""
        return False

    @abstractmethod
    def records(self) -> Iterator[ConceptRecord]:
        """Stream the file's concepts; entry problems go to ``self.problems``."""

    def problem(
        self, message: str, line: int | None = None, severity: Literal["error", "warning"] = "error"
    ) -> None:
        self.problems.append(Problem(str(self.path), line, message, severity))


# --- Helpers shared by several readers (kept here so readers never import each other). ---

MAX_LINE_BYTES = 1 << 20  # no real PO/CSV line is near this; junk must not be read whole
BLOCK_BYTES = 1 << 18  # 256 KiB: big enough to amortise decoding, small enough to keep flat


def split_concept_id(value: str | None) -> tuple[str | None, str | None]:
    """``(uid, context)`` for an id a file carries: a UUID is Tamyr's uid, anything else context."""
    if not value:
        return None, None
    candidate = value.strip()
    # The length test keeps the (slow) exception path off ordinary msgctxt strings.
    if len(candidate) in (32, 36, 38, 45):
        try:
            return str(uuid.UUID(candidate)), None
        except ValueError:
            pass
    return None, value


def read_blocks(
    stream: BinaryIO, file: str | Path, codec: str, *, hint: str = "", refuse_utf8: bool = False
) -> Iterator[tuple[int, str]]:
    """Yield ``(first line number, text)`` blocks of whole lines decoded with ``codec``.

    Decoding a block at a time is much faster than line by line, and memory stays bounded:
    a line over MAX_LINE_BYTES (junk, a binary file) is an ImportFormatError. With
    ``refuse_utf8`` a block that is valid UTF-8 is refused: the declared charset is a lie.
    """
    carry = b""
    first = 1
    while True:
        chunk = stream.read(BLOCK_BYTES)
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1 if chunk else len(data)
        if not data:
            return
        block, carry = data[:cut], data[cut:]
        if len(carry) > MAX_LINE_BYTES:
            line = first + block.count(b"\n")
            raise ImportFormatError(
                file,
                f"line is longer than {MAX_LINE_BYTES} bytes: not a text file of this format",
                line,
            )
        if block:
            yield first, _decode(block, file, first, codec, hint, refuse_utf8)
            first += block.count(b"\n")


def _decode(
    block: bytes, file: str | Path, first: int, codec: str, hint: str, refuse_utf8: bool
) -> str:
    try:
        text = block.decode(codec)
    except UnicodeDecodeError as exc:
        line = first + block.count(b"\n", 0, exc.start)
        column = exc.start - block.rfind(b"\n", 0, exc.start)
        raise ImportFormatError(
            file,
            f"byte 0x{block[exc.start]:02x} at column {column} is not valid {codec}{hint}",
            line,
        ) from None
    if refuse_utf8 and not block.isascii():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            return text
        line = first + next(n for n, raw in enumerate(block.split(b"\n")) if not raw.isascii())
        raise ImportFormatError(file, f"the text is UTF-8, not {codec}{hint}", line)
    return text
