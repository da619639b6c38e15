"""The demo termbase's data: CLDR concepts and iso-codes proposals, as neutral import records."""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import polib
import pytest
from babel import Locale
from babel.core import get_cldr_version, get_global
from babel.localedata import locale_identifiers

from glossary.services.demo_data import (
    CLDR_LOCALES,
    DOMAINS,
    TURKIC_LANGUAGES,
    cldr_names,
    cldr_records,
    cldr_source,
    concept_uid,
    same_term,
    tamyr_tag,
)
from glossary.services.demo_iso_codes import (
    ISO_3166_JSON,
    iso_codes_terms,
    iso_codes_version,
)
from glossary.text.languages import ResolvedTag, resolve_tag
from importers.base import ConceptRecord

KK_CATALOGUE = Path("/usr/share/locale/kk/LC_MESSAGES/iso_3166-1.mo")
WELL_FORMED_TAG = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?")


@pytest.fixture(scope="module")
def records() -> list[ConceptRecord]:
    return list(cldr_records())


@pytest.fixture(scope="module")
def by_uid(records: list[ConceptRecord]) -> dict[str, ConceptRecord]:
    return {record.uid: record for record in records if record.uid}


def names(record: ConceptRecord) -> dict[str, str]:
    return {term.lang: term.text for term in record.terms}


# --- CLDR concepts -------------------------------------------------------------------------


def test_kazakhstan_is_one_concept_named_in_many_languages(by_uid):
    kz = by_uid[concept_uid("territory", "KZ")]
    assert kz.domain == "territory"
    assert kz.definitions == {"en": "Country or territory (ISO 3166-1 KZ)"}
    expected = {
        "en": "Kazakhstan",
        "kk": "Қазақстан",
        "tr": "Kazakistan",
        "uz": "Qozogʻiston",
        "uz-Cyrl": "Қозоғистон",
        "kaa-Cyrl": "Қазақстан",
        "ug": "قازاقىستان",
    }
    assert expected.items() <= names(kz).items()
    assert {term.status for term in kz.terms} == {"preferred"}
    assert {term.source for term in kz.terms} == {cldr_source()}
    assert cldr_source() == f"CLDR {get_cldr_version()}"


def test_every_domain_has_concepts_and_the_whole_is_in_the_thousands(records):
    per_domain = Counter(record.domain for record in records)
    assert set(per_domain) == set(DOMAINS)
    assert per_domain["month"] == 12
    assert per_domain["weekday"] == 7
    assert per_domain["territory"] > 250
    assert per_domain["language"] > 500
    assert len(records) > 1500
    assert sum(len(record.terms) for record in records) > 10_000


def test_uids_are_deterministic_unique_and_pinned(records):
    again = [record.uid for record in cldr_records()]
    assert again == [record.uid for record in records]
    assert len(set(again)) == len(again)
    # Pinned: a changed namespace or key scheme would orphan every loaded demo concept.
    assert concept_uid("territory", "KZ") == "913a4034-2391-543c-8e53-6884deb1b5c8"


def test_each_call_builds_fresh_records(records):
    first = next(cldr_records())
    first.terms.clear()
    assert next(cldr_records()).terms


def test_terms_are_clean_well_tagged_and_one_per_language(records):
    tags = set(CLDR_LOCALES.values())
    for tag in tags:  # already canonical: the importer will not have to rewrite them
        assert resolve_tag(tag) == ResolvedTag(tag, known=tag not in {"kaa-Cyrl", "uz-Arab"})
    for record in records:
        langs = [term.lang for term in record.terms]
        assert len(langs) == len(set(langs)), record.uid  # at most one preferred per language
        for term in record.terms:
            assert term.lang in tags and WELL_FORMED_TAG.fullmatch(term.lang)
            assert term.text and term.text == term.text.strip()
            assert unicodedata.is_normalized("NFC", term.text)


def babel_tag(locale: Locale) -> str:
    """The Tamyr tag for a Babel locale, its script made explicit from CLDR's likely subtags."""
    likely = Locale.parse(get_global("likely_subtags")[locale.language])
    return tamyr_tag(locale.language, locale.script or likely.script)


def test_cldr_locales_follow_tamyr_tags_and_cover_every_turkic_locale():
    for locale_id, tag in CLDR_LOCALES.items():
        assert babel_tag(Locale.parse(locale_id)) == tag
    turkic = {
        babel_tag(locale)
        for locale in map(Locale.parse, locale_identifiers())
        if locale.language in TURKIC_LANGUAGES and not locale.territory
    }
    assert turkic <= set(CLDR_LOCALES.values())
    expected = {"uz": "uz", "uz_Cyrl": "uz-Cyrl", "kaa": "kaa-Cyrl", "ug": "ug", "az_Arab": "azb"}
    assert expected.items() <= CLDR_LOCALES.items()


def test_each_locale_contributes_exactly_the_names_babel_gives_it():
    # Holds only because every listed locale inherits straight from root, which has no
    # territory or language names: reading the locale's own data misses nothing Babel shows.
    odd = {"ZZ", "XA", "XB", "und"}
    for locale_id, tag in CLDR_LOCALES.items():
        locale = Locale.parse(locale_id)
        for domain, babel_names in (
            ("territory", locale.territories),
            ("language", locale.languages),
        ):
            ours = {key for key, by_tag in cldr_names(domain).items() if tag in by_tag}
            assert ours == set(babel_names) - odd, locale_id


def test_root_fallbacks_are_not_taken_for_translations():
    # Babel fills a locale's gaps from root: az_Arab has no months, kaa_Latn has nothing.
    assert Locale.parse("az_Arab").months["format"]["wide"][1] == "M01"
    assert Locale.parse("kaa_Latn").days["format"]["wide"][0] == "Mon"
    assert "az-Arab" not in cldr_names("month")["1"]
    used = {tag for domain in DOMAINS for by_tag in cldr_names(domain).values() for tag in by_tag}
    assert "kaa" not in used  # kaa_Latn: root data only
    # tyv has data of its own only from CLDR 49 (Babel 2.19) on; root has no territory names.
    assert ("tyv" in used) == bool(Locale.parse("tyv").territories)
    for domain in ("month", "weekday"):
        for by_tag in cldr_names(domain).values():
            assert not any(
                re.fullmatch(r"M\d\d|Sun|Mon|Tue|Wed|Thu|Fri|Sat", text)
                for tag, text in by_tag.items()
                if tag != "en"
            )


def test_names_equal_to_english_are_kept_where_the_locale_itself_says_so():
    # String comparison would wrongly drop these: Turkish really writes Angola as English does.
    assert cldr_names("territory")["AO"]["tr"] == "Angola"


def test_months_and_weekdays_keep_cldr_case_but_not_inflection():
    january = cldr_names("month")["1"]
    assert january["kk"] == "қаңтар"  # format form, lower case as CLDR writes it
    assert january["tr"] == "Ocak"
    assert january["sah"] == "Тохсунньу"
    assert january["ru"] == "январь"  # not the genitive "января" of "1 января"
    assert cldr_names("weekday")["mon"]["kk"] == "дүйсенбі"
    assert list(cldr_names("weekday")) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_units_languages_scripts_and_currencies(by_uid):
    meter = by_uid[concept_uid("unit", "length-meter")]
    assert names(meter)["kk"] == "метр" and names(meter)["en"] == "meters"
    assert meter.definitions["en"] == "Unit of measurement (CLDR length-meter)"
    assert names(by_uid[concept_uid("unit", "mass-kilogram")])["kk"] == "килограмм"
    assert names(by_uid[concept_uid("language", "kk")])["kk"] == "қазақ тілі"
    assert names(by_uid[concept_uid("script", "Cyrl")])["kk"] == "кирилл жазуы"
    assert names(by_uid[concept_uid("currency", "KZT")])["kk"] == "Қазақстан теңгесі"
    assert by_uid[concept_uid("language", "en_GB")].definitions["en"] == (
        "Language variety (BCP 47 en-GB)"
    )


def test_codes_for_nothing_are_skipped_but_real_user_assigned_ones_kept():
    territories = cldr_names("territory")
    assert not {"ZZ", "XA", "XB"} & territories.keys()
    assert territories["XK"]["en"] == "Kosovo" and "QO" in territories
    assert "und" not in cldr_names("language")
    assert "Zzzz" not in cldr_names("script")
    assert not {"XXX", "XTS"} & cldr_names("currency").keys()


def test_territory_definitions_claim_iso_codes_only_for_iso_codes(by_uid):
    if not ISO_3166_JSON.is_file():
        pytest.skip(f"{ISO_3166_JSON} not installed (Debian package iso-codes)")
    iso = {entry["alpha_2"] for entry in json.loads(ISO_3166_JSON.read_text())["3166-1"]}
    for code in cldr_names("territory"):
        definition = by_uid[concept_uid("territory", code)].definitions["en"]
        assert ("ISO 3166-1" in definition and "not an" not in definition) == (code in iso), code


def test_building_is_fast():
    list(cldr_records())  # warm the cache, as the first load in a process does once
    started = time.perf_counter()
    list(cldr_records())
    assert time.perf_counter() - started < 0.5


# --- iso-codes, on small catalogues written here -------------------------------------------


def write_catalogue(locale_dir: Path, folder: str, entries: dict[str, str]) -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in entries.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = locale_dir / folder / "LC_MESSAGES" / "iso_3166-1.mo"
    path.parent.mkdir(parents=True)
    catalogue.save_as_mofile(str(path))


@pytest.fixture
def iso_tree(tmp_path: Path) -> dict[str, Path]:
    locale_dir = tmp_path / "locale"
    write_catalogue(
        locale_dir,
        "kk",
        {
            "Kazakhstan": "Қазақстан",  # the same as CLDR
            "Austria": "Австрия",  # CLDR kk says Аустрия: a conflict
            "Angola": "Анgола",  # Latin g inside a Cyrillic word: an encoding slip
            "Iran": "Иран",  # common_name is tried before the formal name
            "Iran, Islamic Republic of": "Иран Ислам Республикасы",
            "Germany": "  Германия ",  # whitespace only: the same as CLDR
        },
    )
    write_catalogue(locale_dir, "tr", {"India": "HİNDİSTAN"})  # case only, with Turkish İ
    write_catalogue(locale_dir, "crh", {"Kazakhstan": "Qazahstan"})  # no CLDR crh at all
    write_catalogue(locale_dir, "cv", {"Armenia": "Аремалойн"})
    write_catalogue(locale_dir, "de", {"Kazakhstan": "Kasachstan"})  # not Turkic
    codes = tmp_path / "iso_3166-1.json"
    codes.write_text(
        json.dumps(
            {
                "3166-1": [
                    {"alpha_2": "KZ", "name": "Kazakhstan"},
                    {"alpha_2": "AT", "name": "Austria"},
                    {"alpha_2": "AO", "name": "Angola"},
                    {"alpha_2": "IR", "name": "Iran, Islamic Republic of", "common_name": "Iran"},
                    {"alpha_2": "DE", "name": "Germany"},
                    {"alpha_2": "IN", "name": "India"},
                    {"alpha_2": "AM", "name": "Armenia"},
                ]
            }
        )
    )
    doc = tmp_path / "doc"
    doc.mkdir()
    with gzip.open(doc / "changelog.Debian.gz", "wt") as changelog:
        changelog.write("iso-codes (4.99.0-2) unstable; urgency=medium\n")
    return {"locale_dir": locale_dir, "codes_json": codes, "doc_dir": doc}


def test_iso_codes_conflicts_extras_and_skips(iso_tree):
    result = iso_codes_terms(**iso_tree)
    assert result.source == "iso-codes 4.99.0"
    assert result.catalogues == {"crh": "crh-Latn", "kk": "kk", "tr": "tr"}
    assert "Chechen" in result.excluded["cv"]
    [conflict] = result.conflicts
    assert (conflict.uid, conflict.lang, conflict.cldr_text, conflict.iso_text) == (
        concept_uid("territory", "AT"),
        "kk",
        "Аустрия",
        "Австрия",
    )
    proposed = {
        (record.uid, term.lang, term.text) for record in result.records for term in record.terms
    }
    assert proposed == {
        (concept_uid("territory", "AT"), "kk", "Австрия"),
        (concept_uid("territory", "KZ"), "crh-Latn", "Qazahstan"),
    }
    assert {term.status for record in result.records for term in record.terms} == {"proposed"}
    assert result.skipped == Counter(
        {
            "same as CLDR": 3,  # Қазақстан, Германия, Иран (the common name's translation)
            "mixed scripts in one word": 1,
            "differs from CLDR only in case": 1,
        }
    )


def test_iso_codes_fall_back_to_cldr_english_names_without_the_json(iso_tree):
    result = iso_codes_terms(**(iso_tree | {"codes_json": iso_tree["codes_json"].with_name("x")}))
    assert [(c.lang, c.iso_text) for c in result.conflicts] == [("kk", "Австрия")]


def test_iso_codes_missing_says_why(tmp_path):
    result = iso_codes_terms(locale_dir=tmp_path)
    assert result.missing and "iso_3166-1.mo" in result.missing
    assert result.records == [] and result.conflicts == []


def test_iso_codes_version_from_dpkg_when_docs_are_stripped(tmp_path):
    status = tmp_path / "status"
    status.write_text(
        "Package: iso-code\nVersion: 1.0-1\n\n"
        "Package: iso-codes\nStatus: install ok installed\nVersion: 4.15.0-1\n\n"
    )
    assert iso_codes_version(tmp_path / "no-doc", status) == "4.15.0"
    assert iso_codes_version(tmp_path / "no-doc", tmp_path / "none") == "unknown"


def test_same_term_uses_turkic_casing_only_for_turkic_orthographies():
    assert same_term("HİNDİSTAN", "Hindistan", "tr")
    assert not same_term("ILIK", "ilik", "tr")
    assert same_term("ILIK", "ilik", "en")


# --- iso-codes, on the system's Debian catalogues ------------------------------------------


def test_system_iso_codes_give_ballot_conflicts():
    if not KK_CATALOGUE.is_file():
        pytest.skip(f"{KK_CATALOGUE} not installed (Debian package iso-codes)")
    result = iso_codes_terms()
    assert result.missing is None
    assert re.fullmatch(r"iso-codes \d+\.\d+(\.\d+)?", result.source)
    per_lang = Counter(conflict.lang for conflict in result.conflicts)
    assert per_lang["kk"] > 10
    territories = {concept_uid("territory", code): code for code in cldr_names("territory")}
    for conflict in result.conflicts:
        code = territories[conflict.uid]
        assert cldr_names("territory")[code][conflict.lang] == conflict.cldr_text
        assert not same_term(conflict.cldr_text, conflict.iso_text, conflict.lang)
    if "crh" in result.catalogues:
        assert result.catalogues["crh"] == "crh-Latn"
        crh = [t.text for r in result.records for t in r.terms if t.lang == "crh-Latn"]
        assert crh and all(re.search(r"[A-Za-z]", text) for text in crh)
        assert not any(re.search(r"[\u0400-\u04ff]", text) for text in crh)
