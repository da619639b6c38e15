"""Streaming reader for gettext PO and POT files.

polib builds the whole catalogue in memory (about 173 MB for 200k entries), so this module
reads 256 KiB blocks, parses them line by line and keeps only the entry being read. The
grammar and the escapes are gettext's own (``po-lex.c``): ``\\n \\t \\b \\r \\f \\v \\a``,
``\\\\``, ``\\"``, octal ``\\ooo`` and hex ``\\xhh`` byte escapes; anything else is an error,
as it is for ``msgfmt``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from importers.base import (
    ConceptRecord,
    ImportFormatError,
    Reader,
    TermRecord,
    read_blocks,
    split_concept_id,
)

MAX_ENTRY_CHARS = 8 << 20  # one entry over 8 MiB is junk, not a term: stop reading it
BOM = codecs.BOM_UTF8
MO_MAGICS = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")

# One string literal, unrolled so the regex engine never backtracks per character.
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"\s*')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")
_SIMPLE_ESCAPES = dict(zip('ntbrfva\\"', '\n\t\b\r\f\v\a\\"', strict=True))
_CHARSET = re.compile(r"charset\s*=\s*([^\s;\"]+)", re.IGNORECASE)
_NPLURALS = re.compile(r"nplurals\s*=\s*\d+")
# "#. Definition: …", "#. Definition (kk): …", "#. Domain: …" as Tamyr's PO export writes them.
_TAMYR_COMMENT = re.compile(r"(Definition|Domain)(?:\s*\(([^)]+)\))?:\s*(.*)")


@dataclass(slots=True)
class PoEntry:
    """One active gettext message, with the same field names as polib's ``POEntry``."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    comment: str = ""  # "#." extracted comments, one per line
    tcomment: str = ""  # "# " translator comments
    occurrences: list[str] = field(default_factory=list)  # "#:" references
    line: int | None = None  # line of the first keyword (None in MO files)

    @property
    def translation(self) -> str:
        """The target text: ``msgstr``, or ``msgstr[0]`` for plural entries."""
        return self.msgstr_plural.get(0, "") if self.msgid_plural is not None else self.msgstr

    @property
    def fuzzy(self) -> bool:
        """True when the translation is flagged fuzzy (only proposed)."""
        return "fuzzy" in self.flags


class _Pending:
    """The entry being read: string parts are collected in lists and joined once at the end."""

    __slots__ = ("ctx", "done", "flags", "line", "msgid", "msgstr", "plural", "plurals", "refs",
                 "size", "tcomments", "xcomments")  # fmt: skip

    def __init__(self) -> None:
        self.ctx: list[str] | None = None
        self.msgid: list[str] | None = None
        self.plural: list[str] | None = None
        self.msgstr: list[str] | None = None
        self.plurals: dict[int, list[str]] = {}
        self.done = False  # a msgstr or msgstr[n] was seen: the next keyword starts a new entry
        self.flags: list[str] = []
        self.xcomments: list[str] = []
        self.tcomments: list[str] = []
        self.refs: list[str] = []
        self.line: int | None = None
        self.size = 0

    def started(self) -> bool:
        return self.ctx is not None or self.msgid is not None

    def entry(self) -> PoEntry:
        join = "".join
        return PoEntry(
            msgid=join(self.msgid or ()),
            msgstr=join(self.msgstr or ()),
            msgctxt=None if self.ctx is None else join(self.ctx),
            msgid_plural=None if self.plural is None else join(self.plural),
            msgstr_plural={k: join(v) for k, v in self.plurals.items()} if self.plurals else {},
            flags=self.flags,
            comment="\n".join(self.xcomments),
            tcomment="\n".join(self.tcomments),
            occurrences=self.refs,
            line=self.line,
        )


class PoReader(Reader):
    """Gettext PO/POT: one entry is one concept, msgid the source term, msgstr the target."""

    format: ClassVar[str] = "po"
    extensions: ClassVar[tuple[str, ...]] = (".po", ".pot")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """PO text has a ``msgid "`` line near the top (after the header comments)."""
        return re.search(rb'(?m)^[ \t]*msgid[ \t]*"', head) is not None

    def records(self) -> Iterator[ConceptRecord]:
        """Stream one ConceptRecord per active entry; ``self.info`` is set before the first."""
        for entry in self.entries():
            record = self._record(entry)
            if record is not None:
                yield record

    def entries(self) -> Iterator[PoEntry]:
        """Stream the active entries; the header fills ``self.info``, obsolete ones are counted."""
        first = True
        for entry in self._raw_entries():
            if first:
                first = False
                if entry.msgid == "" and entry.msgctxt is None:
                    self._read_header(entry)
                    continue
                self._read_header(None)
            yield entry
        if first:
            self._read_header(None)

    # -- header -------------------------------------------------------------------------

    def _read_header(self, header: PoEntry | None) -> None:
        """Fill ``self.info`` from the header entry (or from defaults when there is none)."""
        fields: dict[str, str] = {}
        if header is not None:
            for line in header.msgstr.split("\n"):
                key, sep, value = line.partition(":")
                if sep and key.strip():
                    fields[key.strip()] = value.strip()
            licence = [c for c in header.tcomment.split("\n") if "licen" in c.lower()]
            self.info.licence = licence[0].strip() if licence else None
        info = self.info
        info.extra = fields
        info.target_lang = fields.get("Language") or self.lang
        info.source_lang = self.source_lang or fields.get("X-Source-Language") or "en"
        project = fields.get("Project-Id-Version", "")
        info.source_name = project if project and project != "PACKAGE VERSION" else None
        plural_forms = fields.get("Plural-Forms")
        if plural_forms is not None and not _NPLURALS.search(plural_forms):
            self.problem(
                f"Plural-Forms has no nplurals: {plural_forms!r}",
                header.line if header else None,
                "warning",
            )

    def _charset(self, header: PoEntry | None) -> str:
        """The Python codec for the header's declared charset (UTF-8 when undeclared)."""
        match = _CHARSET.search(header.msgstr) if header is not None else None
        declared = match.group(1) if match else ""
        line = header.line if header is not None else None
        if not declared or declared.upper() == "CHARSET":  # xgettext's POT placeholder
            return "utf-8"
        try:
            codec = codecs.lookup(declared).name
        except (LookupError, ValueError):  # ValueError: a NUL in the name (found by fuzzing)
            raise ImportFormatError(
                self.path, f"unknown charset {declared!r} in the header", line
            ) from None
        # gettext only accepts charsets that keep ASCII as is; UTF-16 and friends do not.
        if '\n#"\\msgid'.encode(codec, "replace") != b'\n#"\\msgid':
            raise ImportFormatError(
                self.path, f"charset {declared!r} is not ASCII-compatible", line
            )
        return codec

    # -- parsing ------------------------------------------------------------------------

    def _raw_entries(self) -> Iterator[PoEntry]:
        """Every active entry of the file, the header included, decoded with its charset."""
        with open(self.path, "rb") as stream:
            bom = self._check_start(stream)
            # First pass over the first entry only: latin-1 reads any byte, and a charset name
            # is ASCII, so the header can be found before the real charset is known.
            parser = self._parse(stream, "latin-1")
            first = next(parser, None)
            parser.close()
            header = first if first and first.msgid == "" and first.msgctxt is None else None
            codec = self._charset(header)
            if bom and codec != "utf-8":
                raise ImportFormatError(
                    self.path,
                    f"file starts with a UTF-8 byte-order mark but its header declares {codec}",
                    1,
                )
            stream.seek(len(BOM) if bom else 0)
            yield from self._parse(stream, codec)

    def _check_start(self, stream: BinaryIO) -> bool:
        """Reject files that are clearly not PO text; True when a UTF-8 BOM was skipped."""
        start = stream.read(4)
        if start in MO_MAGICS:
            raise ImportFormatError(self.path, "this is a compiled MO file; use --format mo", 1)
        if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise ImportFormatError(self.path, "UTF-16 is not a PO encoding; save as UTF-8", 1)
        bom = start.startswith(BOM)
        stream.seek(len(BOM) if bom else 0)
        return bom

    def _parse(self, stream: BinaryIO, codec: str) -> Iterator[PoEntry]:
        """The PO state machine: one pass, one pending entry, strings joined once."""
        path = self.path
        pending = _Pending()
        parts: list[str] | None = None  # where continuation strings go
        obsolete = 0
        # A declared single-byte charset over text that is valid UTF-8 is almost surely a
        # lie (mojibake would follow), so such a file is refused rather than mis-decoded.
        blocks = read_blocks(
            stream,
            path,
            codec,
            hint="; check the header charset",
            refuse_utf8=codec not in ("utf-8", "latin-1"),
        )
        for first, block in blocks:
            for lineno, text in enumerate(block.split("\n"), first):
                line = text.strip()
                if not line:
                    continue
                pending.size += len(line)  # comments count too: junk must not pile up
                if pending.size > MAX_ENTRY_CHARS:
                    raise ImportFormatError(path, "entry is larger than 8 MiB", lineno)
                head = line[0]
                if head == '"':
                    if parts is None:
                        raise ImportFormatError(path, "string with no keyword before it", lineno)
                    parts.extend(self._strings(line, 0, codec, lineno))
                    continue
                if pending.done:
                    if head == "#" or line.startswith(("msgid", "msgctxt")):
                        yield pending.entry()
                        pending = _Pending()
                elif head == "#" and pending.started():
                    raise ImportFormatError(
                        path,
                        f"comment inside an entry: the entry at line {pending.line} has no msgstr",
                        lineno,
                    )
                if head != "#":
                    parts = self._keyword(pending, line, codec, lineno)
                    continue
                parts = None
                kind = line[1:2]
                if kind == "~":
                    # Obsolete entries are skipped; a "#~ msgid" line marks one, and the
                    # comments read so far belonged to it.
                    rest = line[2:].lstrip()
                    if rest.startswith("msgid") and not rest.startswith("msgid_plural"):
                        obsolete += 1
                    pending = _Pending()
                elif kind == ",":
                    pending.flags.extend(f for f in (f.strip() for f in line[2:].split(",")) if f)
                elif kind == ".":
                    pending.xcomments.append(line[2:].strip())
                elif kind == ":":
                    pending.refs.extend(line[2:].split())
                elif kind != "|":  # "#|" previous strings say nothing about the current text
                    pending.tcomments.append(line[1:].strip())
        self.info.skipped_obsolete = obsolete
        if pending.done:
            yield pending.entry()
        elif pending.started():
            raise ImportFormatError(path, "entry has no msgstr: truncated file?", pending.line)

    def _keyword(self, pending: _Pending, line: str, codec: str, lineno: int) -> list[str]:
        """Apply a ``keyword "string"`` line to the pending entry; returns the parts list."""
        start = line.find('"')
        if start < 0:
            raise self._fail(f"not a PO line: {line[:40]!r}", lineno)
        keyword = line[:start].rstrip()
        parts = self._strings(line, start, codec, lineno)
        fail = self._fail
        if keyword == "msgid":
            if pending.msgid is not None:
                raise fail(
                    f"msgid follows the msgid of line {pending.line} without a msgstr", lineno
                )
            pending.msgid = parts
            pending.line = pending.line or lineno
        elif keyword == "msgstr":
            if pending.msgid is None or pending.done:
                raise fail("msgstr without a msgid before it", lineno)
            if pending.plural is not None:
                raise fail("an entry with msgid_plural needs msgstr[0], not msgstr", lineno)
            pending.msgstr = parts
            pending.done = True
        elif keyword.startswith("msgstr["):
            index = keyword[7:-1]
            if pending.plural is None:
                raise fail(f"{keyword} without msgid_plural", lineno)
            if not keyword.endswith("]") or not index.isdigit() or int(index) in pending.plurals:
                raise fail(f"bad or repeated plural index {keyword!r}", lineno)
            pending.plurals[int(index)] = parts
            pending.done = True
        elif keyword == "msgctxt":
            if pending.started():
                raise fail("msgctxt must come first in an entry", lineno)
            pending.ctx = parts
            pending.line = lineno
        elif keyword == "msgid_plural":
            if pending.msgid is None or pending.done or pending.plural is not None:
                raise fail("msgid_plural must follow msgid", lineno)
            pending.plural = parts
        else:
            raise fail(f"unknown keyword {keyword[:40]!r}", lineno)
        return parts

    def _fail(self, message: str, lineno: int | None) -> ImportFormatError:
        return ImportFormatError(self.path, message, lineno)

    def _strings(self, text: str, start: int, codec: str, lineno: int) -> list[str]:
        """The unescaped string literal(s) of ``text`` from ``start``, which is a quote."""
        inner = text[start + 1 : -1]
        # Fast path: one literal with no escapes, by far the common line.
        if len(text) > start + 1 and text[-1] == '"' and "\\" not in inner and '"' not in inner:
            return [inner]
        values = []
        pos = start
        while pos < len(text):
            match = _STRING.match(text, pos)
            if match is None:
                problem = "unterminated string" if text[pos] == '"' else "text after a string"
                raise ImportFormatError(self.path, problem, lineno)
            values.append(self._unescape(match.group(1), codec, lineno))
            pos = match.end()
        return values

    def _unescape(self, inner: str, codec: str, lineno: int) -> str:
        """Resolve gettext escapes; octal/hex escapes are bytes in the file's charset."""
        if "\\" not in inner:
            return inner
        pieces: list[str | bytes] = []
        pos = 0
        for match in _ESCAPE.finditer(inner):
            pieces.append(inner[pos : match.start()])
            octal, hexa, char = match.groups()
            if char is not None:
                if char not in _SIMPLE_ESCAPES:
                    raise ImportFormatError(self.path, f"invalid escape \\{char}", lineno)
                pieces.append(_SIMPLE_ESCAPES[char])
            else:
                value = int(octal, 8) if octal else int(hexa, 16)
                if value > 0xFF:
                    raise ImportFormatError(
                        self.path, f"escape {match.group()} is not a byte", lineno
                    )
                pieces.append(bytes((value,)))
            pos = match.end()
        pieces.append(inner[pos:])
        if all(isinstance(p, str) for p in pieces):
            return "".join(pieces)  # type: ignore[arg-type]
        joined = b"".join(p if isinstance(p, bytes) else p.encode(codec) for p in pieces)
        try:
            return joined.decode(codec)
        except UnicodeDecodeError:
            raise ImportFormatError(
                self.path, f"byte escapes are not valid {codec}", lineno
            ) from None

    # -- records ------------------------------------------------------------------------

    def _record(self, entry: PoEntry) -> ConceptRecord | None:
        """Map one entry to a concept; ``None`` (with a problem) when it cannot be one."""
        where = entry.line
        if entry.msgid == "":
            self.problem("entry has an empty msgid", where)
            return None
        info = self.info
        uid, context = split_concept_id(entry.msgctxt)
        terms = [TermRecord(lang=info.source_lang or "en", text=entry.msgid, line=where)]
        target = entry.translation
        if target:
            if not info.target_lang:
                raise ImportFormatError(
                    self.path,
                    "the header has no Language and --lang was "
                    "not given: cannot tell the target language",
                    where,
                )
            # A fuzzy msgstr is a candidate all the same; the service files it as proposed.
            terms.append(
                TermRecord(
                    lang=info.target_lang,
                    text=target,
                    note="fuzzy" if entry.fuzzy else None,
                    line=where,
                )
            )
        record = ConceptRecord(terms=terms, uid=uid, context=context, line=where)
        notes = []
        for comment in entry.comment.split("\n") if entry.comment else ():
            match = _TAMYR_COMMENT.fullmatch(comment)
            if match is None:
                notes.append(comment)
            elif match.group(1) == "Domain":
                record.domain = match.group(3)
            else:
                record.definitions[match.group(2) or terms[0].lang] = match.group(3)
        record.note = "\n".join(notes) or None
        return record
