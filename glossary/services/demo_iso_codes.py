"""The demo termbase's iso-codes part: Debian's translated ISO 3166-1 names next to CLDR's.

Debian's ``iso-codes`` package ships gettext catalogues whose msgids are the English ISO 3166-1
names. For each Turkic catalogue we look up every country by its English names, link it to
the CLDR territory concept through the alpha-2 code, and sort the result three ways:

* the same as CLDR's name for that language (after NFC, whitespace and case folding): nothing
  to do;
* different: a ``NameConflict``, to be put to a demo meetup ballot (not named ``Conflict``,
  which is ``glossary.errors``' HTTP 409 error);
* CLDR has no name for that language: simply an extra ``proposed`` term.

Both the conflicting and the extra names come back as ``proposed`` terms in ``records``
(uid-only concept records that merge into the CLDR concepts), so ``conflicts`` only has to
say which slots are contested.
"""

from __future__ import annotations

import gettext
import gzip
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from glossary.services.demo_data import (
    TURKIC_LANGUAGES,
    cldr_names,
    concept_uid,
    normalise,
    same_term,
    tamyr_tag,
)
from glossary.text.languages import dominant_script
from importers.base import ConceptRecord, TermRecord

LOCALE_DIR: Final = Path("/usr/share/locale")
ISO_3166_JSON: Final = Path("/usr/share/iso-codes/json/iso_3166-1.json")
ISO_CODES_DOC: Final = Path("/usr/share/doc/iso-codes")
DPKG_STATUS: Final = Path("/var/lib/dpkg/status")
CATALOGUE: Final = "LC_MESSAGES/iso_3166-1.mo"

# Catalogues whose content is not the language they are filed under (checked by reading them).
EXCLUDED_CATALOGUES: Final[Mapping[str, str]] = {
    "cv": "Debian's cv catalogue is largely Chechen, not Chuvash "
    "(Бермуда гӀайренаш, Доминикан Пачхьалкх, Аремалойн for Armenia)",
}

# Enough of each script to see two of them inside one word; other letters are ignored.
_SCRIPT_LETTERS: Final = {
    "Latn": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "Cyrl": re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\ua640-\ua69f]"),
    "Arab": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
}


@dataclass(frozen=True, slots=True)
class NameConflict:
    """CLDR and iso-codes name one territory differently in one language."""

    uid: str
    lang: str
    cldr_text: str
    iso_text: str
    territory: str  # the ISO 3166-1 alpha-2 code, for people reading a report


@dataclass(slots=True)
class IsoCodesTerms:
    """What the iso-codes catalogues add to the demo termbase."""

    source: str  # provenance on every term, e.g. "iso-codes 4.15.0"
    records: list[ConceptRecord] = field(default_factory=list)
    conflicts: list[NameConflict] = field(default_factory=list)
    catalogues: dict[str, str] = field(default_factory=dict)  # Debian locale dir -> Tamyr tag
    excluded: dict[str, str] = field(default_factory=dict)  # Debian locale dir -> why
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> how many names
    missing: str | None = None  # why nothing was read, when the catalogues are absent


def iso_codes_version(doc_dir: Path = ISO_CODES_DOC, dpkg_status: Path = DPKG_STATUS) -> str:
    """The installed upstream iso-codes version, or "unknown" when neither source says."""
    changelog = doc_dir / "changelog.Debian.gz"
    if changelog.is_file():
        with gzip.open(changelog, "rt", encoding="utf-8") as lines:
            found = re.match(r"iso-codes \(([^)]+)\)", lines.readline())
        if found:
            return _upstream(found.group(1))
    # Slim images often drop /usr/share/doc; dpkg's database still knows the package.
    if dpkg_status.is_file():
        stanza = dpkg_status.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^Package: iso-codes\n(?:.+\n)*?Version: (\S+)", stanza, re.M)
        if found:
            return _upstream(found.group(1))
    return "unknown"


def _upstream(debian_version: str) -> str:
    """``4.15.0-1`` -> ``4.15.0``: the Debian revision says nothing about the data."""
    return re.sub(r"^\d+:", "", debian_version).rsplit("-", 1)[0]


def _english_names(codes_json: Path) -> dict[str, list[str]]:
    """Alpha-2 code -> the msgids that name it, the everyday name first.

    ``common_name`` ("Iran") is what CLDR and Wikipedia call a country, so its translation is
    tried before the formal ``name`` ("Iran, Islamic Republic of"). Without Debian's JSON the
    CLDR English names stand in; they match the msgids for most countries.
    """
    if codes_json.is_file():
        entries = json.loads(codes_json.read_text(encoding="utf-8"))["3166-1"]
        return {
            entry["alpha_2"]: [entry[k] for k in ("common_name", "name") if k in entry]
            for entry in entries
        }
    return {
        code: [names["en"]]
        for code, names in cldr_names("territory").items()
        if len(code) == 2 and "en" in names
    }


def _mixes_scripts(text: str) -> bool:
    """True when one word mixes letters of two scripts (``Анgола``): an encoding slip."""
    return any(
        sum(1 for letters in _SCRIPT_LETTERS.values() if letters.search(word)) > 1
        for word in text.split()
    )


def _catalogues(locale_dir: Path) -> list[tuple[str, str, gettext.GNUTranslations]]:
    """(locale dir, language, catalogue) for Turkic iso_3166-1 catalogues, plain dirs first."""
    if not locale_dir.is_dir():
        return []
    found = []
    for folder in sorted(locale_dir.iterdir()):
        language = re.split(r"[_@.]", folder.name)[0]
        path = folder / CATALOGUE
        if language in TURKIC_LANGUAGES and path.is_file():
            with path.open("rb") as fileobj:
                found.append((folder.name, language, gettext.GNUTranslations(fileobj)))
    return found


def _translations(
    catalogue: gettext.GNUTranslations, english: Mapping[str, list[str]]
) -> dict[str, str]:
    """Alpha-2 code -> translated name; a msgid echoed back untranslated does not count."""
    names = {}
    for code, msgids in english.items():
        for msgid in msgids:
            text = normalise(catalogue.gettext(msgid))
            if text and text != msgid:
                names[code] = text
                break
    return names


def iso_codes_terms(
    locale_dir: Path = LOCALE_DIR,
    codes_json: Path = ISO_3166_JSON,
    doc_dir: Path = ISO_CODES_DOC,
) -> IsoCodesTerms:
    """Read every Turkic iso_3166-1 catalogue and compare it with CLDR's territory names."""
    result = IsoCodesTerms(source=f"iso-codes {iso_codes_version(doc_dir)}")
    catalogues = _catalogues(locale_dir)
    if not catalogues:
        result.missing = f"no Turkic {CATALOGUE} under {locale_dir} (Debian package iso-codes)"
        return result
    english = _english_names(codes_json)
    territories = cldr_names("territory")
    proposed: dict[str, list[TermRecord]] = {}
    for folder, language, catalogue in catalogues:
        names = _translations(catalogue, english)
        # The text decides the script, not the folder name: crh is Latin, tt@iqtelif Latin.
        tag = tamyr_tag(language, dominant_script(" ".join(names.values())))
        why_not = _catalogue_excluded(folder, tag, names, result.catalogues)
        if why_not:
            result.excluded[folder] = why_not
            continue
        result.catalogues[folder] = tag
        for code, text in names.items():
            cldr = territories.get(code)
            reason = _skip_reason(cldr, tag, text)
            if reason:
                result.skipped[reason] += 1
                continue
            if cldr and tag in cldr:
                uid = concept_uid("territory", code)
                result.conflicts.append(NameConflict(uid, tag, cldr[tag], text, code))
            term = TermRecord(lang=tag, text=text, status="proposed", source=result.source)
            proposed.setdefault(code, []).append(term)
    result.records = [
        ConceptRecord(uid=concept_uid("territory", code), domain="territory", terms=terms)
        for code, terms in proposed.items()
    ]
    return result


def _catalogue_excluded(
    folder: str, tag: str, names: Mapping[str, str], read: Mapping[str, str]
) -> str | None:
    """Why a whole catalogue is left out, or None to read it."""
    if folder in EXCLUDED_CATALOGUES:
        return EXCLUDED_CATALOGUES[folder]
    if not names:
        return "no translated country names"
    if tag in read.values():
        return f"a second {tag} catalogue; the first one read wins"
    return None


def _skip_reason(cldr: Mapping[str, str] | None, tag: str, text: str) -> str | None:
    """Why an iso-codes name adds nothing to the termbase, or None when it is worth proposing."""
    if cldr is None:
        return "no CLDR territory with that code"
    if _mixes_scripts(text):
        return "mixed scripts in one word"
    cldr_text = cldr.get(tag)
    if cldr_text is None:
        return None  # an extra proposed term where CLDR says nothing
    if cldr_text == text:
        return "same as CLDR"
    if same_term(cldr_text, text, tag):
        # Would collide with the CLDR term on the termbase's unique (concept, lang, norm).
        return "differs from CLDR only in case"
    return None


def iso_codes_conflicts() -> list[NameConflict]:
    """The contested (territory, language) slots for the demo meetup ballot."""
    return iso_codes_terms().conflicts
