"""The language registry (data/languages.json) and resolution of raw tags to canonical BCP 47."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

_DATA = "data/languages.json"  # beside this module; named in error messages


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    """One registered language, exactly as data/languages.json describes it."""

    tag: str
    name: str
    autonym: str
    script: str
    dir: str
    casing: str
    plural_forms: str
    iso639_3: str
    aliases: tuple[str, ...]
    alphabet: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedTag:
    """A canonical tag; ``alias_of`` holds the stripped input when it was rewritten."""

    tag: str
    known: bool
    alias_of: str | None = None


class InvalidLanguageTag(ValueError):
    """A language tag that is not well-formed BCP 47 (nor a POSIX locale name Tamyr reads)."""

    def __init__(self, raw: str, reason: str = "") -> None:
        self.raw = raw
        detail = f" ({reason})" if reason else ""
        super().__init__(
            f"{raw!r} is not a well-formed language tag{detail}; "
            "expected BCP 47 such as 'kk', 'kk-Latn', 'uz-Cyrl' or 'tr'"
        )


@functools.cache
def registry() -> Mapping[str, LanguageInfo]:
    """Every registered language by tag, in registry (file) order; read-only."""
    path = resources.files(__package__) / "data" / "languages.json"
    languages: dict[str, LanguageInfo] = {}
    for entry in json.loads(path.read_text(encoding="utf-8"))["languages"]:
        alphabet = entry.get("alphabet")
        lists = {
            "aliases": tuple(entry["aliases"]),
            "alphabet": tuple(alphabet) if alphabet else None,
        }
        info = LanguageInfo(**{**entry, **lists})
        if info.tag in languages:
            raise ValueError(f"{_DATA}: {info.tag!r} is listed twice")
        languages[info.tag] = info
    return MappingProxyType(languages)


def get_language(tag: str) -> LanguageInfo | None:
    """The registry entry for a canonical tag, or None."""
    return registry().get(tag)


@functools.lru_cache(maxsize=1024)
def find_language(raw: str) -> LanguageInfo | None:
    """The registry entry for a tag in any form resolve_tag reads (tr_TR, kaz, crh), or None."""
    info = registry().get(raw)
    if info is None:
        try:
            info = registry().get(resolve_tag(raw).tag)
        except InvalidLanguageTag:
            return None
    return info


# RFC 5646 §2.1 syntax, checked on ASCII only (re.ASCII keeps [a-z] from matching İ or ı
# under IGNORECASE). Four-letter primary subtags are reserved by the RFC and never
# assigned, so they are refused here like other malformed tags.
_LANGTAG = re.compile(
    r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{5,8})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<rest>
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*        # variants
        (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*              # extensions
        (?:-x(?:-[a-z0-9]{1,8})+)?                       # private use
    )
    |(?P<private>x(?:-[a-z0-9]{1,8})+)
    """,
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
# language[_territory][.codeset][@modifier], the POSIX/gettext locale name shape.
_POSIX = re.compile(r"(?P<base>[^.@]*)(?:\.(?P<codeset>[^@]*))?(?:@(?P<modifier>.*))?", re.DOTALL)
_CODESET = re.compile(r"[a-z0-9][a-z0-9_-]*", re.ASCII | re.IGNORECASE)
_MODIFIER_SCRIPTS = {"cyrillic": "Cyrl", "latin": "Latn", "iqtelif": "Latn", "arabic": "Arab"}
_IGNORED_MODIFIERS = {"euro"}  # de_DE@euro: a currency choice, nothing about the language
_VARIANT = re.compile(r"[a-z0-9]{5,8}|[0-9][a-z0-9]{3}", re.ASCII | re.IGNORECASE)

# Letters of the three scripts Tamyr's languages use (Latin includes IPA ə ɵ).
SCRIPT_LETTERS = {
    "Cyrl": re.compile(r"[\u0400-\u052f]"),
    "Latn": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff]"),
    "Arab": re.compile(r"[\u0620-\u064a\u066e-\u06d5\u06fa-\u06ff]"),
}


def _alias_key(text: str) -> str:
    return text.lower().replace("_", "-")


@functools.cache
def _indexes() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]:
    """Lookups derived from the registry: alias → tag, ISO 639-3 → language subtag, and for
    languages registered only with explicit scripts (crh), their tags in registry order."""
    aliases: dict[str, str] = {}
    iso: dict[str, str] = {}
    scripted: dict[str, list[str]] = {}
    reg = registry()
    owners = {_alias_key(tag): tag for tag in reg}
    for info in reg.values():
        language = info.tag.split("-")[0]
        iso.setdefault(info.iso639_3, language)
        if language not in reg:
            scripted.setdefault(language, []).append(info.tag)
        for alias in info.aliases:
            key = _alias_key(alias)
            if owners.setdefault(key, info.tag) != info.tag:
                raise ValueError(f"{_DATA}: alias {alias!r} of {info.tag} is {owners[key]}'s")
            aliases[key] = info.tag
    return aliases, iso, {lang: tuple(tags) for lang, tags in scripted.items()}


def dominant_script(text: str) -> str | None:
    """The ISO 15924 code (Cyrl, Latn, Arab) of more than half of ``text``'s letters, or None."""
    counts = {script: len(pattern.findall(text)) for script, pattern in SCRIPT_LETTERS.items()}
    total = sum(counts.values())
    best = max(counts, key=counts.__getitem__)
    return best if total and counts[best] * 2 > total else None


def _split_posix(text: str) -> tuple[str, str | None]:
    """Drop a ``.codeset`` and return (base, modifier) of a POSIX-style locale name."""
    match = _POSIX.fullmatch(text)
    assert match is not None  # the pattern accepts every string
    codeset, modifier = match["codeset"], match["modifier"]
    if codeset is not None and not _CODESET.fullmatch(codeset):
        raise InvalidLanguageTag(text, f"bad encoding suffix {'.' + codeset!r}")
    if modifier is not None and not modifier:
        raise InvalidLanguageTag(text, "empty @modifier")
    return match["base"], modifier


def _canonical_case(subtags: list[str]) -> list[str]:
    """RFC 5646 §2.1.1 casing: lower case, Title-case scripts, upper-case regions."""
    out: list[str] = []
    after_singleton = False
    for position, subtag in enumerate(subtags):
        subtag = subtag.lower()
        if len(subtag) == 1:
            after_singleton = True
        elif position and not after_singleton and len(subtag) == 4 and subtag.isalpha():
            subtag = subtag.title()
        elif position and not after_singleton and len(subtag) == 2:
            subtag = subtag.upper()
        out.append(subtag)
    return out


def _registered_core(language: str, script: str | None, script_hint: str | None) -> str | None:
    """The registry tag for a language/script pair, with suppressed scripts dropped."""
    reg = registry()
    if script is None:
        if language in reg:
            return language
        candidates = _indexes()[2].get(language)
        if not candidates:
            return None
        # Bare crh: the sample's script decides, else the first registered (crh-Latn).
        by_script = [tag for tag in candidates if reg[tag].script == script_hint]
        return (by_script or candidates)[0]
    tag = f"{language}-{script}"
    if tag in reg:
        return tag
    if language in reg and reg[language].script == script:
        return language  # kk-Cyrl, tr-Latn, uz-Latn, ug-Arab …: the script is implied
    return None


@functools.lru_cache(maxsize=4096)
def _resolve(text: str, script_hint: str | None) -> str:
    base, modifier = _split_posix(text)
    aliases, iso, _ = _indexes()
    alias = aliases.get(_alias_key(base + (f"@{modifier}" if modifier else "")))
    if alias is not None:
        return alias
    base = base.replace("_", "-")
    match = _LANGTAG.fullmatch(base)
    if match is None:
        raise InvalidLanguageTag(text)
    if match["private"]:
        return base.lower()
    language, script, region = match["language"].lower(), match["script"], match["region"]
    rest = [subtag for subtag in match["rest"].split("-") if subtag]
    if modifier is not None and modifier.lower() not in _IGNORED_MODIFIERS:
        modifier_script = _MODIFIER_SCRIPTS.get(modifier.lower())
        if modifier_script is None:
            if not _VARIANT.fullmatch(modifier):
                raise InvalidLanguageTag(text, f"unknown @modifier {modifier!r}")
            rest.insert(0, modifier)  # ca@valencia, be@tarask: POSIX modifiers that are variants
        elif script is not None and script.title() != modifier_script:
            raise InvalidLanguageTag(text, f"script {script!r} contradicts @{modifier}")
        else:
            script = modifier_script
    language = iso.get(language, language)
    core = None
    if "-" not in language:  # an extlang form (zh-yue) is never registered
        core = _registered_core(language, script and script.title(), script_hint)
    if core is not None:
        subtags = [core, *rest]  # a region on a registered language is dropped
    else:
        subtags = [language, *(s for s in (script, region) if s), *rest]
    return "-".join(_canonical_case("-".join(subtags).split("-")))


def resolve_tag(raw: str, sample_text: str | None = None) -> ResolvedTag:
    """Canonical BCP 47 for a raw tag, alias, POSIX locale name or ISO 639-3 code.

    ``sample_text`` only matters for a bare ``crh``: mostly Cyrillic text makes it
    ``crh-Cyrl``, anything else ``crh-Latn``. Raises InvalidLanguageTag when malformed.
    """
    text = raw.strip()
    if text in registry():
        return ResolvedTag(text, True)
    if not text:
        raise InvalidLanguageTag(raw, "empty")
    if not text.isascii():
        raise InvalidLanguageTag(raw, "non-ASCII characters")
    tag = _resolve(text, dominant_script(sample_text) if sample_text else None)
    return ResolvedTag(tag, tag in registry(), None if tag == text else text)
