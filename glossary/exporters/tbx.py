"""TBX-Basic (ISO 30042:2019, DCA style): ``conceptEntry/langSec/termSec``.

What Tamyr writes, and ``importers.tbx`` reads back:

* ``<conceptEntry id="c-<uid>">`` (an XML id cannot start with a digit, so the uid is prefixed);
  ``<descrip type="subjectField">`` the domain; ``<xref type="externalCrossReference">`` the
  Wikidata item; one ``<note>`` per line of the concept's note;
* ``<langSec xml:lang>`` with ``<descrip type="definition">`` for that language;
* ``<termSec>``: ``<term>``, ``<termNote type="partOfSpeech">``,
  ``<termNote type="administrativeStatus">``, then one ``<note>`` per line of the usage note.

Status mapping (DESIGN.md §5): preferred/admitted/deprecated → ``…Term-admn-sts``; TBX has no
``proposed`` or ``rejected``, so they go out as ``admittedTerm-admn-sts`` and
``deprecatedTerm-admn-sts`` plus the note ``tamyr:status=…`` (``importers.tbx.TAMYR_STATUS_NOTE``)
that restores them on import. Parts of speech outside TBX-Basic's picklist (adjective, noun,
verb, adverb, other) are written as ``other``; ``proper noun`` is a noun.

The file is valid against the TBX core RELAX NG schema and obeys the TBX-Basic Schematron rules
for every element it uses. A language with a definition but no exported term gets no langSec,
because the schema wants at least one termSec in each.
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.exporters.base import (
    ExportConcept,
    ExportDocument,
    Exporter,
    ExportTerm,
    note_lines,
    tamyr_version,
    xml_attr,
    xml_element,
    xml_start,
)
from importers.tbx import TAMYR_STATUS_NOTE

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
WIKIDATA_URL = "https://www.wikidata.org/wiki/{qid}"

# Tamyr status -> (administrativeStatus value, whether the Tamyr status needs a restoring note)
ADMINISTRATIVE_STATUS = {
    "preferred": ("preferredTerm-admn-sts", False),
    "admitted": ("admittedTerm-admn-sts", False),
    "deprecated": ("deprecatedTerm-admn-sts", False),
    "proposed": ("admittedTerm-admn-sts", True),
    "rejected": ("deprecatedTerm-admn-sts", True),
}
_PART_OF_SPEECH = {
    "noun": "noun",
    "n": "noun",
    "proper noun": "noun",
    "np": "noun",
    "verb": "verb",
    "v": "verb",
    "adjective": "adjective",
    "adj": "adjective",
    "adverb": "adverb",
    "adv": "adverb",
    "other": "other",
}


def tbx_part_of_speech(pos: str) -> str:
    """The TBX-Basic picklist value for a Tamyr part of speech."""
    return _PART_OF_SPEECH.get(pos.strip().lower(), "other")


def tbx_concept_id(uid: str) -> str:
    """A valid XML id for a concept uid (importers find the uid inside it again)."""
    return f"c-{uid}"


class TbxExporter(Exporter):
    """Write the termbase as a TBX-Basic v3 document."""

    format = "tbx"
    extension = ".tbx"
    media_type = "application/x-tbx+xml; charset=utf-8"

    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """The header, then one ``<conceptEntry>`` per concept that has terms."""

        def render(concept: ExportConcept) -> str | None:
            entry = self._entry(concept)
            # The schema wants a <body> to hold at least one entry: it opens with the first.
            return _BODY + entry if entry is not None and not self.written else entry

        def tail() -> str:
            return (_BODY_END if self.written else "") + _TAIL

        return self.stream_text(self._head(document), document.concepts, render, tail)

    def _head(self, document: ExportDocument) -> str:
        root = {
            "type": "TBX-Basic",
            "style": "dca",
            "xml:lang": document.source.tag,
            "xmlns": TBX_NAMESPACE,
        }
        stamp = document.created.strftime("%Y-%m-%d %H:%M UTC")
        site = document.base_url or "a Tamyr site"
        paragraphs = [f"Exported by Tamyr {tamyr_version()} from {site} on {stamp}."]
        paragraphs.extend(document.attribution_lines())
        description = "".join(xml_element("        ", "p", line) for line in paragraphs)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"{xml_start('tbx', root)}\n"
            "  <tbxHeader>\n"
            "    <fileDesc>\n"
            "      <titleStmt>\n"
            "        <title>Tamyr termbase</title>\n"
            "      </titleStmt>\n"
            f"      <sourceDesc>\n{description}      </sourceDesc>\n"
            "    </fileDesc>\n"
            "  </tbxHeader>\n"
            "  <text>\n"
        )

    def _entry(self, concept: ExportConcept) -> str | None:
        languages = concept.languages()
        if not languages:
            return None  # the schema wants at least one langSec
        lines = [f'      <conceptEntry id="{xml_attr(tbx_concept_id(concept.uid))}">\n']
        indent = "        "
        if concept.domain:
            lines.append(xml_element(indent, "descrip", concept.domain, ' type="subjectField"'))
        if concept.wikidata:
            target = xml_attr(WIKIDATA_URL.format(qid=concept.wikidata))
            attrs = f' type="externalCrossReference" target="{target}"'
            lines.append(xml_element(indent, "xref", concept.wikidata, attrs))
        lines.extend(xml_element(indent, "note", line) for line in note_lines(concept.note))
        for lang in languages:
            lines.append(f'{indent}<langSec xml:lang="{xml_attr(lang)}">\n')
            definition = concept.definitions.get(lang)
            if definition:
                lines.append(
                    xml_element(f"{indent}  ", "descrip", definition, ' type="definition"')
                )
            lines.extend(_term(term) for term in concept.terms_in(lang))
            lines.append(f"{indent}</langSec>\n")
        lines.append("      </conceptEntry>\n")
        return "".join(lines)


_INDENT = " " * 12


def _status_lines(status: str) -> str:
    """The administrativeStatus line of a status, with the restoring note TBX needs for some."""
    value, restore = ADMINISTRATIVE_STATUS.get(status, ("admittedTerm-admn-sts", False))
    line = xml_element(_INDENT, "termNote", value, ' type="administrativeStatus"')
    if restore:
        line += xml_element(_INDENT, "note", TAMYR_STATUS_NOTE.format(status=status))
    return line


_STATUS_LINES = {status: _status_lines(status) for status in ADMINISTRATIVE_STATUS}


def _term(term: ExportTerm) -> str:
    """One ``<termSec>``: term, partOfSpeech, administrativeStatus, then the notes."""
    lines = ["          <termSec>\n", xml_element(_INDENT, "term", term.text)]
    if term.pos:
        pos = tbx_part_of_speech(term.pos)
        lines.append(xml_element(_INDENT, "termNote", pos, ' type="partOfSpeech"'))
    lines.append(_STATUS_LINES.get(term.status) or _status_lines(term.status))
    lines.extend(xml_element(_INDENT, "note", line) for line in note_lines(term.note))
    lines.append("          </termSec>\n")
    return "".join(lines)


_BODY = "    <body>\n"
_BODY_END = "    </body>\n"
_TAIL = "  </text>\n</tbx>\n"
