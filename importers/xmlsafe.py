"""Safe, streaming XML reading shared by the TMX, TBX and Apertium readers.

Every XML file Tamyr reads comes from outside (uploads, other tools), so parsing is locked down:

* entities are never expanded and no DTD or external entity is ever loaded or fetched
  (``resolve_entities=False``, ``load_dtd=False``, ``no_network=True``); a DOCTYPE that only
  names an external DTD, as Weblate's martif files do, is harmless and ignored;
* a document that *declares* entities (XXE, billion laughs) is refused outright, first from its
  prolog bytes and again from the parsed internal subset, before any element content is read;
* ``huge_tree`` stays off, so libxml2's limits on text and depth apply;
* elements are cleared as soon as the reader has turned them into records, so memory stays flat
  however many entries a file holds.

Everything that goes wrong becomes one :class:`~importers.base.ImportFormatError` line with the
file and line number, never a traceback. Element names are matched by local name, so TBX v3's
default namespace and the DCT style's ``min:``/``basic:`` prefixes need no special cases.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from importers.base import ConceptRecord, ImportFormatError, Reader

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The prolog (XML declaration, comments, DOCTYPE) of any sane file fits in this many bytes; a
# longer one is still parsed safely, because the parsed internal subset is checked as well.
_HEAD_BYTES = 64 * 1024

_XML_SPACE = re.compile(r"[ \t\r\n]+")
_NAME_START = re.compile(r"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")
_DOCTYPE_END = re.compile(r"\][ \t\r\n]*>")
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(?:%\s+)?([^\s>]*)")
# lxml appends the place to its messages; ImportFormatError states the line itself.
_LXML_PLACE = re.compile(r",? line \d+, column \d+$")


def local_name(element: etree._Element) -> str:
    """The element's name without namespace (``{urn:…}term`` and ``min:term`` → ``term``)."""
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2]


def any_namespace(names: Collection[str]) -> list[str]:
    """lxml tag filters for ``names`` in any namespace or none (``iter``, ``iterparse``)."""
    return [f"{{*}}{name}" for name in names]


def child_groups(element: etree._Element) -> dict[str, list[etree._Element]]:
    """The element's child elements grouped by local name, in document order (one pass)."""
    groups: dict[str, list[etree._Element]] = {}
    for child in element:
        name = local_name(child)
        if name:
            groups.setdefault(name, []).append(child)
    return groups


def xml_lang(element: etree._Element, *, inherit: bool = True) -> str | None:
    """The element's ``xml:lang`` (or legacy ``lang``), inherited from ancestors by default."""
    node: etree._Element | None = element
    while node is not None:
        lang = node.get(XML_LANG) or node.get("lang")
        if lang and lang.strip():
            return lang.strip()
        if not inherit:
            return None
        node = node.getparent()
    return None


def normalize_space(text: str) -> str:
    """Collapse XML whitespace runs to one space; file indentation is not part of a term."""
    return _XML_SPACE.sub(" ", text).strip()


def text_of(element: etree._Element, *, skip: Collection[str] = (), collapse: bool = True) -> str:
    """The element's text with inline markup flattened and whitespace normalized.

    Children named in ``skip`` (e.g. TMX ``bpt``/``ph``, which hold the native codes of some other
    format) lose their content but keep the text that follows them. ``collapse=False`` only
    strips the ends, for values written verbatim (Tamyr's own multi-line notes).
    """
    # A plain text node (the common case) needs no walk through the generator.
    text = "".join(_raw_text(element, skip)) if len(element) else element.text or ""
    return normalize_space(text) if collapse else text.strip()


def _raw_text(element: etree._Element, skip: Collection[str]) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        name = local_name(child)
        if name and name not in skip:
            yield from _raw_text(child, skip)
        if child.tail:
            yield child.tail


def sniff_root(head: bytes, names: Collection[str]) -> bool:
    """True when the document in ``head`` has a root element whose local name is in ``names``."""
    text = _decode_head(head)
    return _root_name(text, _scan_prolog(text)[1]) in names


def iter_elements(
    path: str | Path, *, roots: Collection[str], tags: Collection[str]
) -> Iterator[etree._Element]:
    """Stream the elements named ``tags`` from a safely parsed file, each once it is complete.

    ``roots`` are the accepted root element names (anything else is an ImportFormatError). Each
    yielded element is cleared, and its already-read siblings dropped, when the caller asks for
    the next one, so use it fully before moving on. ``tags`` must not nest inside each other.
    """
    path = Path(path)
    _check_prolog(path, roots)
    wanted = any_namespace([*roots, *tags])
    targets = set(tags)
    try:
        with path.open("rb") as stream:
            events = etree.iterparse(
                stream,
                events=("start", "end"),
                tag=wanted,
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            checked_root = False
            for event, element in events:
                if not checked_root:
                    _check_root(path, element, roots)
                    checked_root = True
                if event != "end" or local_name(element) not in targets:
                    continue
                yield element
                _release(element)
            if not checked_root:  # the tag filter never matched: wrong document type
                root = events.root
                found = local_name(root) if root is not None else ""
                raise ImportFormatError(path, _wrong_root(roots, found or "nothing"))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except OSError as exc:
        raise ImportFormatError(path, f"cannot read the file: {exc.strerror or exc}") from None


class XmlReader(Reader):
    """A reader of one XML format: one record per entry element, streamed safely.

    Subclasses name their ``roots``, ``entries`` (``tu``, ``conceptEntry``, ``e``) and optional
    ``headers``, and implement ``read_entry``; ``start``/``read_header``/``finish`` are hooks.
    """

    roots: ClassVar[frozenset[str]]
    entries: ClassVar[frozenset[str]]
    headers: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """True when the document's root element is one of ``roots``."""
        return sniff_root(head, cls.roots)

    def records(self) -> Iterator[ConceptRecord]:
        """Stream one ConceptRecord per entry element that holds one."""
        self.start()
        for element in iter_elements(self.path, roots=self.roots, tags=self.entries | self.headers):
            if local_name(element) in self.headers:
                self.read_header(element)
            elif (record := self.read_entry(element)) is not None:
                yield record
        self.finish()

    def start(self) -> None:
        """Before reading: ``--source-lang`` is the source language until the file says more."""
        self.info.source_lang = self.source_lang

    def read_header(self, header: etree._Element) -> None:
        """Read a header element into ``self.info``."""

    @abstractmethod
    def read_entry(self, entry: etree._Element) -> ConceptRecord | None:
        """Turn one entry element into a record; None (with a problem if due) skips it."""

    def finish(self) -> None:
        """After the last entry."""


def _release(element: etree._Element) -> None:
    """Free a finished element and the siblings read before it (comments, headers, entries)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _check_root(path: Path, element: etree._Element, roots: Collection[str]) -> None:
    """Refuse the wrong kind of document and, as a second guard, any declared entity."""
    root = element.getroottree().getroot()
    if local_name(root) not in roots:
        raise ImportFormatError(path, _wrong_root(roots, local_name(root)), root.sourceline)
    dtd = element.getroottree().docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            raise ImportFormatError(path, _entity_message(entity.name), root.sourceline)


def _check_prolog(path: Path, roots: Collection[str]) -> None:
    """Reject entity declarations and the wrong root before lxml parses anything.

    Checking the raw prolog names the offending line, and refuses a wrong document at once
    instead of after reading it to the end in search of a matching element.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError as exc:
        raise ImportFormatError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if not head.strip():
        raise ImportFormatError(path, "the file is empty")
    text = _decode_head(head)
    doctype, root = _scan_prolog(text)
    if doctype is not None:
        match = _ENTITY_DECL.search(text, doctype[0], doctype[1])
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ImportFormatError(path, _entity_message(match.group(1)), line)
    name = _root_name(text, root)
    if name is not None and name not in roots:
        raise ImportFormatError(path, _wrong_root(roots, name), text.count("\n", 0, root) + 1)


def _wrong_root(roots: Collection[str], found: str) -> str:
    return f"expected a <{'> or <'.join(roots)}> document, found <{found}>"


def _entity_message(name: str) -> str:
    return (
        f"the document declares XML entities (<!ENTITY {name} …>); "
        "files with entity declarations are refused (XXE and entity-expansion attacks)"
    )


def _decode_head(head: bytes) -> str:
    """Decode enough of a file to read its prolog, whatever its encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        # The prolog's markup is ASCII in every ASCII-compatible encoding, so UTF-8 with
        # replacement is enough to find it even in a windows-1251 file.
        encoding = "utf-8"
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def _scan_prolog(text: str) -> tuple[tuple[int, int] | None, int | None]:
    """Find the DOCTYPE span and the root element's offset in a document's beginning.

    Returns ``(doctype, root)``; either is None when absent or beyond the text. A DOCTYPE that
    runs past the text spans to its end, so a long internal subset is still searched.
    """
    doctype: tuple[int, int] | None = None
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end, skip = text.find("?>", pos), 2
        elif text.startswith("<!--", pos):
            end, skip = text.find("-->", pos), 3
        elif text.startswith("<!DOCTYPE", pos):
            end, skip = _doctype_end(text, pos), 0
            doctype = (pos, len(text) if end < 0 else end)
        elif _NAME_START.match(text, pos):
            return doctype, pos
        else:
            return doctype, None
        if end < 0:
            return doctype, None
        pos = end + skip


def _root_name(text: str, offset: int | None) -> str | None:
    """The local name of the element starting at ``offset`` (prefix dropped)."""
    match = _NAME_START.match(text, offset) if offset is not None else None
    return match.group(1).rpartition(":")[2] if match else None


def _doctype_end(text: str, start: int) -> int:
    """Offset just past a DOCTYPE declaration (with or without internal subset), or -1."""
    close = text.find(">", start)
    bracket = text.find("[", start)
    if bracket < 0 or (0 <= close < bracket):
        return -1 if close < 0 else close + 1
    match = _DOCTYPE_END.search(text, bracket)
    return match.end() if match else -1


def _syntax_error(path: Path, exc: etree.XMLSyntaxError) -> ImportFormatError:
    message = _LXML_PLACE.sub("", exc.msg or str(exc)).strip()  # libxml2 ends some with "\n"
    if message == "no element found":
        message = "no XML element found (empty or truncated file)"
    elif "Text node too long" in message:
        # libxml2's limit on one text node (10 MB), which its "try XML_PARSE_HUGE" hint would
        # lift; a glossary term or note is never that long, so the file is refused instead.
        message = "a text node is longer than 10 MB (no term or note is that long)"
    return ImportFormatError(path, f"malformed XML: {message}", exc.lineno or None)
