"""One streaming writer per exchange format (PO, TMX, TBX, CSV, XLSX) behind one interface.

``exporter_for("tmx")`` gives a writer; ``glossary.services.exports`` feeds it the concepts.
"""

from glossary.exporters.base import (
    Attribution,
    ExportConcept,
    ExportDocument,
    Exporter,
    ExportLanguage,
    ExportTerm,
    export_formats,
    exporter_for,
)

__all__ = [
    "Attribution",
    "ExportConcept",
    "ExportDocument",
    "ExportLanguage",
    "ExportTerm",
    "Exporter",
    "export_formats",
    "exporter_for",
]
