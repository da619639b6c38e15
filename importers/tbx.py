"""TBX reader: TBX-Basic and TBX-Min v3, the DCT style, and TBX 2008 ``martif``.

The generations differ in names, not in shape, so one walk reads them all:

=================  =====================  ==========================
                   TBX v3 (ISO 30042)     TBX 2008 (Weblate, Pontoon)
=================  =====================  ==========================
root               ``tbx``                ``martif``
concept            ``conceptEntry``       ``termEntry``
language section   ``langSec``            ``langSet``
term section       ``termSec``            ``tig`` / ``ntig``
=================  =====================  ==========================

A data category is either a ``type`` attribute (``<termNote type="partOfSpeech">``, the DCA style)
or the element's own name (``<min:partOfSpeech>``, the DCT style); :func:`_datcat` reads both.

What Tamyr writes (``glossary.exporters.tbx`` mirrors this exactly):

* ``<conceptEntry id="c-<uid>">``: any id containing a UUID gives the concept uid, other ids
  (``c1``, ``e001``) are its context;
* ``<descrip type="subjectField">`` → domain; concept-level ``<note>`` → concept note;
  ``<xref type="externalCrossReference" target="https://www.wikidata.org/wiki/Q42">`` →
  Wikidata item; ``<descrip type="definition">`` → definition in the ``xml:lang`` in effect
  (its langSec's, else the document's);
* ``<termNote type="partOfSpeech">`` → pos; ``<termNote type="administrativeStatus">`` (also
  TBX-Min's ``usageStatus`` and TBX 2008's ``normativeAuthorization``) → status, see
  :func:`tbx_status`; term-level ``<note>`` → term note;
* ``<note>tamyr:status=proposed</note>`` (or ``=rejected``) in a termSec restores a status TBX
  cannot express and wins over administrativeStatus; it is not kept as a note.

From other tools, a concept-level ``<descrip>`` of another type (Weblate's "Usage note") joins
the concept note as ``type: text``, and a langSec-level note as ``[lang] text``. Text is
whitespace-normalized everywhere (termbases wrap and indent long definitions), so a note's
line breaks do not survive a TBX round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from importers.base import STATUSES, ConceptRecord, TermRecord, split_concept_id
from importers.xmlsafe import XmlReader, any_namespace, local_name, text_of, xml_lang

TAMYR_STATUS_NOTE = "tamyr:status={status}"
_TAMYR_STATUS = re.compile(r"tamyr:status=(\w+)")

_LANG_SECTIONS = frozenset({"langSec", "langSet"})
_TERM_SECTIONS = frozenset({"termSec", "tig", "ntig"})
# Meta elements whose data category is their ``type`` attribute (DCA style).
_TYPED = frozenset(
    {"descrip", "descripNote", "termNote", "admin", "adminNote", "transac", "transacNote", "xref"}
)
_STATUS_CATEGORIES = frozenset({"administrativeStatus", "usageStatus", "normativeAuthorization"})
# Descrip types read elsewhere or too bulky for a note (example sentences); any other
# concept-level <descrip> (Weblate's "Usage note") is kept in the concept note as "type: text".
_NOT_NOTES = frozenset({"definition", "subjectField", "context", "source"})
_STATUS_MAP = {
    "preferred": "preferred",
    "admitted": "admitted",
    "deprecated": "deprecated",
    "superseded": "deprecated",
    "obsolete": "deprecated",
    "forbidden": "deprecated",
    "notrecommended": "deprecated",
}
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_WIKIDATA = re.compile(r"wikidata\.org/(?:wiki|entity)/(Q[1-9]\d*)$")


def tbx_status(value: str) -> str | None:
    """Map a TBX status value to a Tamyr status, or None when it has no equivalent.

    ``preferredTerm-admn-sts`` and ``preferred`` are the same thing in different TBX versions;
    superseded, obsolete, forbidden and TBX-Min's notRecommended all mean "do not use".
    """
    key = value.strip().lower().removesuffix("-admn-sts").removesuffix("term")
    return _STATUS_MAP.get(key)


def _concept_id(value: str | None) -> tuple[str | None, str | None]:
    """``(uid, context)``: TBX ids are XML names, so Tamyr writes ``c-<uid>``; any UUID counts."""
    match = _UUID.search(value or "")
    return split_concept_id(match.group(0) if match else value)


def _datcat(element: etree._Element) -> str:
    """The data category an element carries, in the DCA or the DCT style."""
    name = local_name(element)
    return element.get("type", "") if name in _TYPED else name


def _datcats(element: etree._Element, *, stop: frozenset[str]) -> Iterator[etree._Element]:
    """Descendants of ``element`` (through descripGrp, termGrp, …), not entering ``stop``."""
    for child in element:
        name = local_name(child)
        if not name or name in stop:
            continue
        yield child
        yield from _datcats(child, stop=stop)


class TbxReader(XmlReader):
    """Read a TBX termbase of any of the generations and styles above."""

    format = "tbx"
    extensions = (".tbx",)
    roots = frozenset({"tbx", "martif"})
    entries = frozenset({"conceptEntry", "termEntry"})
    headers = frozenset({"tbxHeader", "martifHeader"})

    def read_header(self, header: etree._Element) -> None:
        """The root's dialect and the header's sourceDesc go to ``self.info.extra``."""
        root = header.getroottree().getroot()
        dialect = " ".join(filter(None, (root.get("type"), root.get("style"))))
        if dialect:
            self.info.extra["dialect"] = dialect
        for element in header.iter(*any_namespace({"sourceDesc"})):
            description = text_of(element)
            if description:
                self.info.extra["description"] = description
                return

    def read_entry(self, entry: etree._Element) -> ConceptRecord | None:
        """One conceptEntry/termEntry as a concept with its definitions and terms."""
        if not self.info.source_lang:  # the document's language before any langSec's
            self.info.source_lang = xml_lang(entry.getroottree().getroot(), inherit=False)
        uid, context = _concept_id(entry.get("id"))
        record = ConceptRecord(terms=[], uid=uid, context=context, line=entry.sourceline)
        notes: list[str] = []
        for element in _datcats(entry, stop=_LANG_SECTIONS):
            self._concept_datcat(record, element, notes)
        for section in entry.iter(*any_namespace(_LANG_SECTIONS)):
            self._lang_section(record, section, notes)
        record.note = "\n".join(notes) or None
        if not record.terms:
            self.problem("concept entry has no terms; entry skipped", entry.sourceline)
            return None
        return record

    def _concept_datcat(
        self, record: ConceptRecord, element: etree._Element, notes: list[str]
    ) -> None:
        """Read one concept-level data category into ``record`` (notes collect in ``notes``)."""
        category = _datcat(element)
        target = _WIKIDATA.search(element.get("target", ""))
        if target and record.wikidata is None:
            record.wikidata = target.group(1)
        elif category == "subjectField" and record.domain is None:
            record.domain = text_of(element) or None
        elif category == "definition":
            self._definition(record, element, xml_lang(element) or self.info.source_lang)
        elif category == "note" and (note := text_of(element)):
            notes.append(note)
        elif local_name(element) == "descrip" and category not in _NOT_NOTES:
            text = text_of(element)
            if text:
                notes.append(f"{category}: {text}")

    def _lang_section(
        self, record: ConceptRecord, section: etree._Element, notes: list[str]
    ) -> None:
        """Read one langSec/langSet: its definitions, notes and terms."""
        lang = xml_lang(section, inherit=False)
        if lang is None:
            self.problem(f"<{local_name(section)}> without xml:lang; skipped", section.sourceline)
            return
        if not self.info.source_lang:
            self.info.source_lang = lang
        for element in _datcats(section, stop=_TERM_SECTIONS):
            category = _datcat(element)
            if category == "definition":
                self._definition(record, element, lang)
            elif category == "note" and (note := text_of(element)):
                notes.append(f"[{lang}] {note}")
        for term_section in section.iter(*any_namespace(_TERM_SECTIONS)):
            term = self._term(record, term_section, lang)
            if term is not None:
                record.terms.append(term)

    def _term(self, record: ConceptRecord, section: etree._Element, lang: str) -> TermRecord | None:
        """Read one termSec/tig/ntig into a TermRecord (None, with a problem, when empty)."""
        text = status = pos = tamyr_status = None
        notes: list[str] = []
        for element in _datcats(section, stop=frozenset()):
            category = _datcat(element)
            if category == "term" and text is None:
                text = text_of(element)
            elif category in _STATUS_CATEGORIES and status is None:
                status = self._status(text_of(element), element.sourceline)
            elif category == "partOfSpeech" and pos is None:
                pos = text_of(element) or None
            elif category == "definition":
                self._definition(record, element, lang)
            elif category == "note" and (note := text_of(element)):
                match = _TAMYR_STATUS.fullmatch(note)
                if match and match.group(1) in STATUSES:
                    tamyr_status = match.group(1)
                else:
                    notes.append(note)
        if not text:
            self.problem(f"<{local_name(section)}> has no term text; skipped", section.sourceline)
            return None
        return TermRecord(
            lang=lang,
            text=text,
            status=tamyr_status or status,
            pos=pos,
            note="\n".join(notes) or None,
            line=section.sourceline,
        )

    def _status(self, value: str, line: int | None) -> str | None:
        status = tbx_status(value)
        if status is None:
            self.problem(f"unknown term status {value!r}; status left unset", line, "warning")
        return status

    def _definition(self, record: ConceptRecord, element: etree._Element, lang: str | None) -> None:
        """Keep the first definition per language; one without any language is reported."""
        text = text_of(element)
        if not text:
            return
        if lang is None:
            self.problem("definition without a language; skipped", element.sourceline, "warning")
            return
        record.definitions.setdefault(lang, text)
