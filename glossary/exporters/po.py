"""Gettext PO, translatewiki style: one file per (source, target) language pair (DESIGN.md §5).

One entry per concept::

    #. Definition: <definition in the source language>
    #. Definition (kk): <definition in the target language>
    #. Domain: <subject field>
    #. <the concept's note, one comment per line>
    #. Equivalent (tr): <the best term of each sister language>
    #: <TAMYR_BASE_URL>/concepts/<uid>
    #, fuzzy                       (only when the target term is merely proposed)
    msgctxt "<concept uid>"
    msgid "<source term>"
    msgstr "<target term, empty when there is none>"

``Definition``/``Domain`` lines are the ones ``importers.po`` reads back. The source term is
the best one by status (preferred first); the target term is the best usable one: a deprecated
or rejected term is never offered to translators, so such a slot stays empty. A concept with no
source-language term has no msgid and is skipped (counted in ``Exporter.skipped``).

The header carries ``Plural-Forms`` from the target's Language row (translatewiki's table,
TURKIC.md Part 1 §5; English's rule when a language has none, as translatewiki falls back) and
the attribution of the exported terms in its comment. The output passes ``msgfmt -c``.
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.errors import InvalidInput
from glossary.exporters.base import (
    USABLE_STATUSES,
    ExportConcept,
    ExportDocument,
    Exporter,
    ExportLanguage,
    note_lines,
    tamyr_version,
)

DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"  # translatewiki's fallback: en's rule
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v",
     "\b": "\\b", "\a": "\\a"}
)  # fmt: skip


def po_string(text: str) -> str:
    """``text`` as one quoted PO string literal."""
    return f'"{text.translate(_ESCAPES)}"'


def comment_text(text: str) -> str:
    """``text`` on one line: a PO comment ends at the line break."""
    return " ".join(text.split())


class PoExporter(Exporter):
    """Write one (source, target) pair as a PO catalogue."""

    format = "po"
    extension = ".po"
    media_type = "text/x-gettext-translation; charset=utf-8"

    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """The header, then one entry per concept that has a source-language term."""
        target = document.target
        if target is None:
            raise InvalidInput("a PO export needs a target language", field="lang")
        source = document.source.tag

        def render(concept: ExportConcept) -> str | None:
            return self._entry(document, concept, source, target.tag)

        yield from self.stream_text(self._header(document, target), document.concepts, render)

    def _header(self, document: ExportDocument, target: ExportLanguage) -> str:
        source = document.source
        stamp = document.created.strftime("%Y-%m-%d %H:%M%z")
        generator = f"Tamyr {tamyr_version()}"
        comments = [
            f"Tamyr termbase: {source.name} ({source.tag}) → {target.name} ({target.tag})",
            f"Exported by {generator} from {document.base_url or 'a Tamyr site'} on {stamp}.",
            "Each msgctxt is a concept uid: keep it, so an import finds the concept again.",
            *document.attribution_lines(),
        ]
        fields = [
            ("Project-Id-Version", "Tamyr termbase"),
            ("POT-Creation-Date", stamp),
            ("PO-Revision-Date", stamp),
            ("Last-Translator", "Tamyr"),
            ("Language-Team", target.name),
            ("Language", target.tag),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", target.plural_forms or DEFAULT_PLURAL_FORMS),
            ("X-Generator", generator),
            ("X-Language-Code", target.tag),
            ("X-Message-Group", document.group),
            ("X-Source-Language", source.tag),
        ]  # fmt: skip
        lines = [f"# {comment_text(comment)}\n" for comment in comments]
        lines.append('msgid ""\nmsgstr ""\n')
        lines.extend(po_string(f"{name}: {value}\n") + "\n" for name, value in fields)
        lines.append("\n")
        return "".join(lines)

    def _entry(
        self, document: ExportDocument, concept: ExportConcept, source: str, target: str
    ) -> str | None:
        source_term = concept.best_term(source)
        if source_term is None:
            return None
        target_term = concept.best_term(target, USABLE_STATUSES)
        lines = [f"#. {comment_text(c)}\n" for c in self._comments(concept, source, target)]
        lines.append(f"#: {document.concept_url(concept.uid)}\n")
        if target_term is not None and target_term.status == "proposed":
            lines.append("#, fuzzy\n")
        lines.append(
            f"msgctxt {po_string(concept.uid)}\n"
            f"msgid {po_string(source_term.text)}\n"
            f"msgstr {po_string(target_term.text if target_term else '')}\n\n"
        )
        return "".join(lines)

    def _comments(self, concept: ExportConcept, source: str, target: str) -> list[str]:
        """The ``#.`` lines: definitions, domain, note, then the sister-language equivalents."""
        comments = []
        if concept.definitions:
            if concept.definitions.get(source):
                comments.append(f"Definition: {concept.definitions[source]}")
            if concept.definitions.get(target):
                comments.append(f"Definition ({target}): {concept.definitions[target]}")
        if concept.domain:
            comments.append(f"Domain: {concept.domain}")
        if concept.note:
            comments.extend(note_lines(concept.note))
        # Sister languages in output order; a language with no usable term has no equivalent.
        seen = {source, target}
        for term in concept.terms:
            if term.lang in seen or term.status not in USABLE_STATUSES:
                continue
            best = concept.best_term(term.lang, USABLE_STATUSES)
            seen.add(term.lang)
            if best is not None:
                comments.append(f"Equivalent ({term.lang}): {best.text}")
        return comments
