"""The demo termbase's CLDR part: reviewed names from Babel's CLDR data as neutral import records.

Every CLDR key (territory ``KZ``, language ``kk``, unit ``length-meter`` …) becomes one concept
with a deterministic uid, so loading the demo twice updates instead of duplicating. Each locale
listed in ``CLDR_LOCALES`` contributes one ``preferred`` term per key it *itself* names.

Fallback detection: Babel merges a locale's data with its parent's when it loads a ``Locale``,
so ``Locale("kaa_Latn").months`` shows root's placeholders ``M01`` … and
``Locale("az_Arab").days`` root's English ``Sun`` …. We read each locale's own data file instead
(the data CLDR's vetters entered for that locale) and keep only keys present there. Every id in
``CLDR_LOCALES`` inherits straight from root (a base locale, or a script that is not the
language's likely one, per CLDR parentLocales), so its own file is the whole of its real data;
the tests check that invariant. Comparing strings with English would be wrong: tr, uz, az and tk
legitimately write "Angola", "Adlam", "Afar" exactly as English does.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Final

from babel import localedata
from babel.core import get_cldr_version, get_global
from babel.localedata import Alias

from glossary.text.languages import get_language, resolve_tag
from importers.base import ConceptRecord, TermRecord

# Generated once; never change it: concept uids in exports and URLs are derived from it.
TAMYR_NAMESPACE: Final = uuid.UUID("0d07ec7e-ba0f-4323-9866-d1ffef13d4fe")

# Babel locale id -> canonical Tamyr tag: pivots first, then every Turkic locale of CLDR 47
# without a region. The tag is what the language registry (glossary.text.languages) makes of
# the locale's language and script, its script made explicit from CLDR's likely subtags: so
# CLDR's kaa (Cyrillic) is kaa-Cyrl, because Tamyr's plain kaa is Latin like the kaa
# Wikipedia, and az_Arab is azb, which the registry takes az-Arab to mean. Region locales
# (kk_KZ, tr_CY) are left out because Tamyr stores no region subtags; kk_Cyrl, uz_Latn, az_Latn
# and kaa_Cyrl only alias their base locale (their data files are empty). kaa_Latn has no own
# data in CLDR 47 and yields nothing yet.
CLDR_LOCALES: Final[Mapping[str, str]] = {
    "en": "en",
    "ru": "ru",
    "az": "az",
    "az_Arab": "azb",
    "az_Cyrl": "az-Cyrl",
    "ba": "ba",
    "cv": "cv",
    "kaa": "kaa-Cyrl",
    "kaa_Latn": "kaa",
    "kk": "kk",
    "kk_Arab": "kk-Arab",
    "ky": "ky",
    "sah": "sah",
    "tk": "tk",
    "tr": "tr",
    "tt": "tt",
    "tyv": "tyv",
    "ug": "ug",
    "uz": "uz",
    "uz_Arab": "uz-Arab",
    "uz_Cyrl": "uz-Cyrl",
}

# TURKIC.md Part 1 §1; used to pick which catalogues and locales count as Turkic.
TURKIC_LANGUAGES: Final = frozenset(
    {"tr", "az", "azb", "uz", "tt", "ba", "crh", "ug", "tk", "cv", "sah", "kaa", "gag"}
    | {"krc", "alt", "tyv", "kjh", "kum", "nog", "kk", "ky"}
)
DOMAINS: Final = ("territory", "language", "script", "currency", "month", "weekday", "unit")

# Babel numbers weekdays from Monday = 0; CLDR's own day keys make readable, stable uids.
WEEKDAY_KEYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Codes that name no real thing: unknown, pseudo-locale, testing and private-use codes.
_ODD_KEYS: Final[Mapping[str, re.Pattern[str]]] = {
    # QO (Outlying Oceania) and XK (Kosovo) are user-assigned codes CLDR gives a real meaning.
    "territory": re.compile(r"ZZ|AA|Q[MN]|Q[P-Z]|X[A-JL-Z]"),
    "language": re.compile(r"und|q[a-t][a-z]"),
    "script": re.compile(r"Zzzz|Qa[ab][a-z]"),
    "currency": re.compile(r"XXX|XTS"),
}
# CLDR region codes that are not ISO 3166-1 assigned codes (exceptionally reserved or
# user-assigned); their definition must not claim an ISO code.
_GROUPINGS: Final = frozenset({"EU", "EZ", "UN"})
_NOT_ISO_TERRITORIES: Final = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "QO", "TA", "XK"})

# Where Babel keeps each kind of display name in a locale's data.
_NAME_SECTIONS: Final = {
    "territory": "territories",
    "language": "languages",
    "script": "scripts",
    "currency": "currency_names",
}

_WHITESPACE: Final = re.compile(r"\s+")


def cldr_source() -> str:
    """The provenance every CLDR term carries, e.g. ``"CLDR 47"``."""
    return f"CLDR {get_cldr_version()}"


def concept_uid(domain: str, key: str) -> str:
    """The stable uid of the demo concept for one CLDR key, e.g. ``("territory", "KZ")``."""
    return str(uuid.uuid5(TAMYR_NAMESPACE, f"cldr:{domain}:{key}"))


def normalise(text: str) -> str:
    """NFC with whitespace runs collapsed and trimmed; case is kept as the source writes it."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def same_term(first: str, second: str, tag: str) -> bool:
    """Whether two spellings are one term in ``tag``: equal after NFC, whitespace and case folding.

    Mirrors the termbase's identity (unique per concept, language and norm), so two spellings
    this calls the same could not both be stored.
    """
    return _fold_case(normalise(first), tag) == _fold_case(normalise(second), tag)


def _fold_case(text: str, tag: str) -> str:
    language = get_language(tag)
    if language is not None and language.casing == "turkic":  # I/ı and İ/i are two pairs
        text = text.replace("I", "ı").replace("İ", "i")
    return text.casefold()


def tamyr_tag(language: str, script: str | None = None) -> str:
    """The canonical tag for ``language`` written in ``script`` (by default its likely one).

    The script is always spelled out before the registry resolves the tag, so that text in a
    script other than the registry's default for the language keeps it (kaa + Cyrl: kaa-Cyrl).
    """
    if script is None:
        likely = get_global("likely_subtags").get(language, "")
        script = next((part for part in likely.split("_") if len(part) == 4), None)
    return resolve_tag(f"{language}-{script}" if script else language).tag


@cache
def _own_data(locale_id: str) -> Mapping[str, Any]:
    """The locale's own CLDR data, without anything inherited from root.

    ``babel.localedata.load(name, merge_inherited=False)`` would do this, but Babel caches by
    name alone, so it either returns the merged dict or poisons the cache for every later
    ``Locale(name)`` in the process. Reading the data file ourselves is side-effect free.
    """
    if not localedata.exists(locale_id):  # an older Babel may lack a CLDR 47 locale
        return {}
    with open(localedata.resolve_locale_filename(locale_id), "rb") as fileobj:
        return pickle.load(fileobj)  # Babel's own bundled data, read exactly as Babel reads it


def _lookup(data: Mapping[str, Any], *path: str) -> Any:
    """Walk ``path`` in a locale's data, following CLDR aliases within the same locale."""
    node: Any = data
    for part in path:
        if isinstance(node, Alias):
            node = _lookup(data, *node.keys)
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return _lookup(data, *node.keys) if isinstance(node, Alias) else node


def _calendar_names(data: Mapping[str, Any], section: str, tag: str) -> Iterator[tuple[int, str]]:
    """Wide month or day names in the form used inside a sentence, as CLDR writes them.

    The format form keeps the dictionary case of Turkic locales (kk "қаңтар", where the
    stand-alone form is a capitalised calendar heading). Where the stand-alone form differs by
    more than case, the format form is inflected (ru "января" is genitive, "1 января") and the
    stand-alone nominative ("январь") is the term.
    """
    inline = _lookup(data, section, "format", "wide") or {}
    alone = _lookup(data, section, "stand-alone", "wide") or {}
    for number in sorted(inline.keys() | alone.keys()):
        name, heading = inline.get(number), alone.get(number)
        if name and (heading is None or same_term(name, heading, tag)):
            yield number, name
        elif heading:
            yield number, heading


def _section(data: Mapping[str, Any], domain: str, tag: str) -> dict[str, str]:
    """One domain's names in a locale's own data, keyed by the CLDR key used in the uid."""
    if domain == "month":
        return {str(number): name for number, name in _calendar_names(data, "months", tag)}
    if domain == "weekday":
        return {WEEKDAY_KEYS[number]: name for number, name in _calendar_names(data, "days", tag)}
    if domain == "unit":
        units = _lookup(data, "unit_display_names") or {}
        return {unit: names["long"] for unit, names in units.items() if "long" in names}
    return dict(_lookup(data, _NAME_SECTIONS[domain]) or {})


def _is_odd(domain: str, key: str) -> bool:
    pattern = _ODD_KEYS.get(domain)
    return pattern is not None and pattern.fullmatch(key) is not None


@cache
def _cldr_table() -> Mapping[str, Mapping[str, Mapping[str, str]]]:
    """domain -> CLDR key -> Tamyr tag -> normalised name, built once per process."""
    table: dict[str, dict[str, dict[str, str]]] = {domain: {} for domain in DOMAINS}
    for locale_id, tag in CLDR_LOCALES.items():
        data = _own_data(locale_id)
        for domain in DOMAINS:
            names = table[domain]
            for key, name in _section(data, domain, tag).items():
                text = normalise(name) if isinstance(name, str) else ""
                if text and not _is_odd(domain, key):
                    names.setdefault(key, {})[tag] = text
    return table


def cldr_names(domain: str) -> Mapping[str, Mapping[str, str]]:
    """CLDR key -> Tamyr tag -> name for one domain (shared and cached: do not mutate)."""
    return _cldr_table()[domain]


def english_definition(domain: str, key: str) -> str:
    """A short English definition that says which standard code the concept stands for."""
    if domain == "territory":
        if key.isdigit():
            return f"Region (UN M.49 {key})"
        if key in _GROUPINGS:
            return f"Grouping of countries (CLDR region {key})"
        if key in _NOT_ISO_TERRITORIES:
            return f"Territory (CLDR region {key}, not an ISO 3166-1 code)"
        return f"Country or territory (ISO 3166-1 {key})"
    if domain == "language":
        kind = "Language variety" if "_" in key else "Language"
        return f"{kind} (BCP 47 {key.replace('_', '-')})"
    if domain == "script":
        return f"Writing system (ISO 15924 {key})"
    if domain == "currency":
        return f"Currency (ISO 4217 {key})"
    if domain == "month":
        return f"Month {key} of the Gregorian calendar"
    if domain == "weekday":
        return f"Day {WEEKDAY_KEYS.index(key) + 1} of the ISO 8601 week (Monday is day 1)"
    return f"Unit of measurement (CLDR {key})"


def cldr_records() -> Iterator[ConceptRecord]:
    """One concept per CLDR key, domain by domain, with a ``preferred`` term per locale naming it.

    Records are built fresh on every call (callers may mutate them); the CLDR lookup behind
    them is cached, so a second call costs only the object creation.
    """
    source = cldr_source()
    for domain in DOMAINS:
        for key, names in cldr_names(domain).items():
            yield ConceptRecord(
                uid=concept_uid(domain, key),
                domain=domain,
                definitions={"en": english_definition(domain, key)},
                terms=[
                    TermRecord(lang=tag, text=text, status="preferred", source=source)
                    for tag, text in names.items()
                ],
            )
