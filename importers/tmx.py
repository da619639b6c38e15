"""TMX 1.4b reader: one concept per ``<tu>``, one term per ``<tuv>``.

Tamyr's own TMX carries what plain TMX has no place for in ``<prop>`` elements, whose ``type``
names are the ``PROP_*`` constants below; ``glossary.exporters.tmx`` writes exactly these:

``<tu tuid="<concept uid>">``
    ``<prop type="x-domain">`` the concept's domain, ``<prop type="x-note">`` its note and
    ``<prop type="x-wikidata">`` its Wikidata item (``Q42``).
``<tuv xml:lang="…">``
    ``<prop type="x-status">`` the term's status (one of ``importers.base.STATUSES``),
    ``<prop type="x-pos">`` its part of speech, ``<prop type="x-note">`` its note and
    ``<prop type="x-definition">`` the concept's definition in the tuv's language (written on the
    first tuv of each language only).

Other tools' TMX imports too: a plain ``<note>`` stands in for a missing ``x-note``, a ``tuid``
that is not a UUID is the concept's context, and Weblate's header without ``creationtool`` or
``datatype`` (and with upper-case language codes such as ``DE-DE``) is fine.
"""

from __future__ import annotations

from lxml import etree

from importers.base import STATUSES, ConceptRecord, TermRecord, split_concept_id
from importers.xmlsafe import XmlReader, child_groups, text_of, xml_lang

PROP_DOMAIN = "x-domain"
PROP_NOTE = "x-note"
PROP_WIKIDATA = "x-wikidata"
PROP_STATUS = "x-status"
PROP_POS = "x-pos"
PROP_DEFINITION = "x-definition"

# Inline elements whose content is some other format's native code, not text of the segment;
# <hi> and <sub> hold real text and are flattened into it.
_NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})
_NO_SOURCE_LANG = "*all*"  # TMX: "any language can be the source"
_HEADER_FIELDS = ("creationtool", "creationtoolversion", "datatype", "o-tmf", "adminlang")


class TmxReader(XmlReader):
    """Read a TMX 1.4b translation memory (also TMX 1.1–1.3's ``lang`` attribute)."""

    format = "tmx"
    extensions = (".tmx",)
    roots = frozenset({"tmx"})
    entries = frozenset({"tu"})
    headers = frozenset({"header"})

    def read_header(self, header: etree._Element) -> None:
        """The header's ``srclang`` (unless ``*all*``) and tool names fill ``self.info``."""
        srclang = (header.get("srclang") or "").strip()
        if not self.source_lang and srclang and srclang.lower() != _NO_SOURCE_LANG:
            self.info.source_lang = srclang
        for name in _HEADER_FIELDS:
            if header.get(name):
                self.info.extra[name] = header.get(name, "")

    def read_entry(self, tu: etree._Element) -> ConceptRecord | None:
        """One ``<tu>`` as a concept, each usable ``<tuv>`` a term."""
        uid, context = split_concept_id(tu.get("tuid"))
        parts = child_groups(tu)
        props = _props(parts)
        record = ConceptRecord(
            terms=[],
            uid=uid,
            context=context,
            domain=props.get(PROP_DOMAIN),
            note=props.get(PROP_NOTE) or _notes(parts),
            wikidata=props.get(PROP_WIKIDATA),
            line=tu.sourceline,
        )
        for tuv in parts.get("tuv", ()):
            self._add_variant(record, tuv)
        if not record.terms:
            self.problem("<tu> has no usable <tuv>; entry skipped", tu.sourceline)
            return None
        return record

    def _add_variant(self, record: ConceptRecord, tuv: etree._Element) -> None:
        """Add one ``<tuv>`` to ``record`` as a term (and maybe a definition)."""
        line = tuv.sourceline
        lang = xml_lang(tuv, inherit=False)
        if lang is None:
            self.problem("<tuv> without xml:lang; variant skipped", line)
            return
        parts = child_groups(tuv)
        if "seg" not in parts:
            self.problem(f"<tuv xml:lang={lang!r}> has no <seg>; variant skipped", line)
            return
        text = text_of(parts["seg"][0], skip=_NATIVE_CODE)
        if not text:
            self.problem(f"empty <seg> for {lang!r}; variant skipped", line, "warning")
            return
        props = _props(parts)
        status = props.get(PROP_STATUS, "").lower() or None
        if status is not None and status not in STATUSES:
            self.problem(f"unknown {PROP_STATUS} {status!r}; status left unset", line, "warning")
            status = None
        if props.get(PROP_DEFINITION):
            record.definitions.setdefault(lang, props[PROP_DEFINITION])
        record.terms.append(
            TermRecord(
                lang=lang,
                text=text,
                status=status,
                pos=props.get(PROP_POS),
                note=props.get(PROP_NOTE) or _notes(parts),
                line=line,
            )
        )


def _props(parts: dict[str, list[etree._Element]]) -> dict[str, str]:
    """The ``<prop type=…>`` values among an element's children, the first of each type winning."""
    found: dict[str, str] = {}
    for prop in parts.get("prop", ()):
        value = text_of(prop, collapse=False)
        if value:
            found.setdefault(prop.get("type", ""), value)
    return found


def _notes(parts: dict[str, list[etree._Element]]) -> str | None:
    """The ``<note>`` texts among an element's children, one per line, or None."""
    if "note" not in parts:
        return None
    notes = [text_of(note, collapse=False) for note in parts["note"]]
    return "\n".join(note for note in notes if note) or None
