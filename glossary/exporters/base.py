"""The one small interface every export writer implements, and what the writers share.

Writers never touch the database: ``glossary.services.exports`` streams them an
:class:`ExportDocument` whose ``concepts`` is a lazy iterable of :class:`ExportConcept`, and a
writer turns it into bytes, a chunk at a time. Nothing holds the whole document, so memory stays
flat however many concepts go out; the XLSX writer is the one exception to pure streaming
(a zip file is only complete at the end), and it spools to a temporary file instead.
"""

from __future__ import annotations

import importlib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from types import MappingProxyType
from typing import BinaryIO, ClassVar, NamedTuple

from glossary.errors import InvalidInput

# Best first: which term stands for a language when a format has room for only one.
STATUS_ORDER = ("preferred", "admitted", "proposed", "deprecated", "rejected")
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
ALL_STATUSES = frozenset(STATUS_ORDER)
# Statuses a translator may use: a deprecated or rejected term is never offered as msgstr.
USABLE_STATUSES = frozenset({"preferred", "admitted", "proposed"})

CHUNK_BYTES = 64 * 1024  # what a writer hands on at a time: big enough to keep syscalls rare

# Characters XML 1.0 forbids; stored text should not hold them, but a note imported from a
# careless file might, and one bad character must not break a whole export.
_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
_NOT_XML = re.compile(f"[{_FORBIDDEN}]")
_DROP = {
    code: None
    for low, high in ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0xFFFE, 0xFFFF), (0xD800, 0xDFFF))
    for code in range(low, high + 1)
}
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"} | _DROP)
# Attribute values also lose their line breaks and tabs to normalisation unless escaped.
_XML_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
     "\t": "&#9;"} | _DROP
)  # fmt: skip
# Nearly every term needs no escaping: one regex scan decides, and only the rest is translated.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_FORBIDDEN}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\r\n\t{_FORBIDDEN}]')


@cache
def tamyr_version() -> str:
    """The installed Tamyr version (``X-Generator``, ``creationtoolversion``)."""
    try:
        return version("tamyr")
    except PackageNotFoundError:  # running from a bare checkout
        return "0"


class ExportTerm(NamedTuple):
    """One term as the writers see it: plain values, no database object.

    A named tuple, not a dataclass: an export builds a million of these, and a tuple is the
    cheapest object Python makes.
    """

    lang: str
    text: str
    status: str
    pos: str | None = None
    note: str | None = None
    source: str | None = None  # Source.name, for attribution


class ExportConcept(NamedTuple):
    """One concept with its exported terms, already in output order.

    The service orders ``terms`` by language (registry order, then other tags alphabetically),
    then the preferred term first, then alphabetically by the language's own alphabet. A named
    tuple for the reason ExportTerm is one; ``definitions`` is never mutated.
    """

    uid: str
    terms: tuple[ExportTerm, ...]
    domain: str | None = None
    note: str | None = None
    wikidata: str | None = None
    definitions: Mapping[str, str] = MappingProxyType({})

    def languages(self) -> list[str]:
        """The languages this concept has terms in, in output order."""
        return list(dict.fromkeys(term.lang for term in self.terms))

    def terms_in(self, lang: str) -> list[ExportTerm]:
        """The terms in ``lang``, preferred first, then alphabetical."""
        return [term for term in self.terms if term.lang == lang]

    def best_term(self, lang: str, statuses: frozenset[str] = ALL_STATUSES) -> ExportTerm | None:
        """The one term that stands for ``lang``: best status, then alphabetical; or None."""
        # One pass, no lists: exports ask this several times for each of a million concepts.
        best, best_rank = None, len(STATUS_ORDER)
        for term in self.terms:
            if term.lang == lang and term.status in statuses:
                # Strictly better only: the first of equals is the alphabetically first.
                rank = STATUS_RANK.get(term.status, len(STATUS_ORDER))
                if rank < best_rank:
                    best, best_rank = term, rank
        return best


@dataclass(frozen=True, slots=True)
class ExportLanguage:
    """A language's metadata a writer needs (PO header, spreadsheet columns, TBX xml:lang)."""

    tag: str
    name: str
    direction: str = "ltr"
    plural_forms: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where some of the exported terms came from, and under which licence."""

    name: str
    licence: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        parts = [self.name]
        if self.licence:
            parts.append(f"licence {self.licence}")
        if self.url:
            parts.append(self.url)
        return "; ".join(parts)


@dataclass
class ExportDocument:
    """Everything a writer needs: the header facts up front, then the concepts, lazily."""

    concepts: Iterable[ExportConcept]
    source: ExportLanguage
    # The exported languages in column order (wide spreadsheets need them before any row);
    # empty for formats that take each concept's own languages.
    languages: Sequence[ExportLanguage] = ()
    target: ExportLanguage | None = None  # PO only: the translation language
    layout: str = "wide"
    attribution: Sequence[Attribution] = ()
    base_url: str | None = None
    group: str = "tamyr-termbase"  # PO X-Message-Group
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    def concept_url(self, uid: str) -> str:
        """The concept's page: absolute with TAMYR_BASE_URL, else site-relative."""
        return f"{(self.base_url or '').rstrip('/')}/concepts/{uid}"

    def attribution_lines(self) -> list[str]:
        """One line per source of the exported terms, for a header comment or note."""
        if not self.attribution:
            return ["No recorded source: the terms were entered in Tamyr."]
        return [f"Source: {item}" for item in self.attribution]


class Exporter(ABC):
    """Base class: subclasses set the class attributes and implement ``chunks``.

    An instance serves one export: ``written`` and ``skipped`` count the concepts that went out
    and those the format had no room for (a PO entry needs a source-language term).
    """

    format: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]

    def __init__(self) -> None:
        self.written = 0
        self.skipped = 0

    @abstractmethod
    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """Yield the encoded file, a piece at a time, as the concepts stream in."""

    def write(self, document: ExportDocument, out: BinaryIO) -> int:
        """Write the whole file to ``out``; returns the number of concepts written."""
        for chunk in self.chunks(document):
            out.write(chunk)
        return self.written

    def stream_text(
        self,
        head: str,
        concepts: Iterable[ExportConcept],
        render: Callable[[ExportConcept], str | None],
        tail: str | Callable[[], str] = "",
        encoding: str = "utf-8",
    ) -> Iterator[bytes]:
        """Chunks of ``head``, one rendered text per concept (None skips it), then ``tail``.

        ``tail`` may be a function, for an ending that depends on what was written.
        """
        parts: list[str] = [head]
        size = len(head)
        for concept in concepts:
            text = render(concept)
            if text is None:
                self.skipped += 1
                continue
            self.written += 1
            parts.append(text)
            size += len(text)
            if size >= CHUNK_BYTES:
                yield "".join(parts).encode(encoding)
                parts.clear()
                size = 0
        parts.append(tail() if callable(tail) else tail)
        yield "".join(parts).encode(encoding)


# -- shared text helpers -----------------------------------------------------------------


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def xml_text(text: str) -> str:
    """Escape ``text`` for element content."""
    return text.translate(_XML_TEXT) if _TEXT_SPECIAL.search(text) else text


def xml_attr(text: str) -> str:
    """Escape ``text`` for a double-quoted attribute value."""
    return text.translate(_XML_ATTR) if _ATTR_SPECIAL.search(text) else text


def xml_start(tag: str, attrs: Mapping[str, str] | None = None) -> str:
    """``<tag attr="…">`` with escaped attribute values."""
    attributes = "".join(f' {name}="{xml_attr(value)}"' for name, value in (attrs or {}).items())
    return f"<{tag}{attributes}>"


def xml_element(indent: str, tag: str, text: str, attrs: str = "") -> str:
    """One indented ``<tag attrs>text</tag>`` line: ``text`` is escaped, ``attrs`` is markup.

    ``attrs`` is written as given (``' type="definition"'``), so writers keep their constant
    attributes as literals and escape variable values with :func:`xml_attr` themselves.
    """
    return f"{indent}<{tag}{attrs}>{xml_text(text)}</{tag}>\n"


def note_lines(text: str | None) -> list[str]:
    """The non-blank lines of a multi-line note (formats that keep one note per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- registry ----------------------------------------------------------------------------

# ``module:Class``, imported on first use so a writer's dependencies load only when needed.
EXPORTERS: dict[str, str] = {
    "po": "glossary.exporters.po:PoExporter",
    "tmx": "glossary.exporters.tmx:TmxExporter",
    "tbx": "glossary.exporters.tbx:TbxExporter",
    "csv": "glossary.exporters.tabular:CsvExporter",
    "xlsx": "glossary.exporters.xlsx:XlsxExporter",
}


def export_formats() -> tuple[str, ...]:
    """The names ``--format`` and ``?format=`` accept."""
    return tuple(EXPORTERS)


def exporter_class(format: str) -> type[Exporter]:
    """The writer class for ``format``; InvalidInput names the formats there are."""
    spec = EXPORTERS.get((format or "").lower())
    if spec is None:
        raise InvalidInput(
            f"unknown export format {format!r}; use one of: {', '.join(EXPORTERS)}",
            field="format",
        )
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def exporter_for(format: str) -> Exporter:
    """A fresh writer for ``format`` (writers count what they write, so one per export)."""
    return exporter_class(format)()
