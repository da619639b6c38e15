"""Atom 1.0 (RFC 4287) documents built with ElementTree, so user text is always escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
# ElementTree escapes markup but passes control characters through, and XML 1.0 forbids
# them: one stray U+0001 in a note would make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class AtomEntry:
    id: str
    title: str
    updated: datetime
    link: str
    author: str
    summary: str


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC (the history stores aware UTC datetimes)."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    updated: datetime,
    entries: list[AtomEntry],
    language: str | None = None,
) -> bytes:
    """The feed as UTF-8 bytes with an XML declaration."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    if language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    _add(feed, "updated", _timestamp(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _add(feed, "generator", "Tamyr")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title)
        _add(entry, "updated", _timestamp(item.updated))
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        _add(_add(entry, "author"), "name", item.author)
        _add(entry, "summary", item.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
