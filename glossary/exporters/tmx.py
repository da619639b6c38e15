"""TMX 1.4b, multilingual: one ``<tu tuid="<concept uid>">`` per concept, one ``<tuv>`` per term.

What TMX has no element for travels in ``<prop>`` elements whose types are the ones
``importers.tmx`` reads (imported from there, so the two cannot drift apart):

* on the ``<tu>``: ``x-domain``, ``x-note``, ``x-wikidata``;
* on each ``<tuv>``: ``x-status``, ``x-pos``, ``x-note``, and ``x-definition`` (the concept's
  definition in that language) on the first ``<tuv>`` of each language only.

The header has every attribute the 1.4b DTD requires; ``srclang`` is the export's source
language, and the attribution of the exported terms is in header ``<note>`` elements. The file
is written as escaped text, a concept at a time, and validates against ``tmx14.dtd``.
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.exporters.base import (
    ExportConcept,
    ExportDocument,
    Exporter,
    tamyr_version,
    xml_attr,
    xml_element,
    xml_start,
)
from importers.tmx import (
    PROP_DEFINITION,
    PROP_DOMAIN,
    PROP_NOTE,
    PROP_POS,
    PROP_STATUS,
    PROP_WIKIDATA,
)


class TmxExporter(Exporter):
    """Write the termbase as a TMX 1.4b translation memory."""

    format = "tmx"
    extension = ".tmx"
    media_type = "application/x-tmx+xml; charset=utf-8"

    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """The header, then one ``<tu>`` per concept that has terms."""
        return self.stream_text(self._head(document), document.concepts, self._tu, _TAIL)

    def _head(self, document: ExportDocument) -> str:
        header = {
            "creationtool": "Tamyr",
            "creationtoolversion": tamyr_version(),
            "segtype": "phrase",  # terms, not sentences
            "o-tmf": "Tamyr",
            "adminlang": "en",
            "srclang": document.source.tag,
            "datatype": "plaintext",
            "creationdate": document.created.strftime("%Y%m%dT%H%M%SZ"),
        }
        notes = "".join(xml_element("    ", "note", line) for line in document.attribution_lines())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<tmx version="1.4">\n'
            f"  {xml_start('header', header)}\n{notes}  </header>\n"
            "  <body>\n"
        )

    def _tu(self, concept: ExportConcept) -> str | None:
        if not concept.terms:
            return None  # the DTD wants at least one <tuv>
        lines = [f'    <tu tuid="{xml_attr(concept.uid)}">\n']
        for kind, value in (
            (PROP_DOMAIN, concept.domain),
            (PROP_NOTE, concept.note),
            (PROP_WIKIDATA, concept.wikidata),
        ):
            if value:
                lines.append(xml_element("      ", "prop", value, _TYPE[kind]))
        defined: set[str] = set()
        for term in concept.terms:
            lines.append(f'      <tuv xml:lang="{xml_attr(term.lang)}">\n')
            props = [(PROP_STATUS, term.status), (PROP_POS, term.pos), (PROP_NOTE, term.note)]
            if term.lang not in defined:
                defined.add(term.lang)
                props.append((PROP_DEFINITION, concept.definitions.get(term.lang)))
            for kind, value in props:
                if value:
                    lines.append(xml_element("        ", "prop", value, _TYPE[kind]))
            lines.append(xml_element("        ", "seg", term.text))
            lines.append("      </tuv>\n")
        lines.append("    </tu>\n")
        return "".join(lines)


_TYPE = {
    kind: f' type="{kind}"'
    for kind in (PROP_DOMAIN, PROP_NOTE, PROP_WIKIDATA, PROP_STATUS, PROP_POS, PROP_DEFINITION)
}
_TAIL = "  </body>\n</tmx>\n"
