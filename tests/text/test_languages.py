"""The language registry and resolve_tag: what every raw tag Tamyr meets becomes."""

from __future__ import annotations

import dataclasses

import pytest

from glossary.text.languages import (
    InvalidLanguageTag,
    LanguageInfo,
    ResolvedTag,
    dominant_script,
    find_language,
    get_language,
    registry,
    resolve_tag,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

REGISTRY_ORDER = [
    "kk", "kk-Latn", "kk-Arab", "tr", "az", "az-Cyrl", "azb", "uz", "uz-Cyrl", "ky", "tt",
    "tt-Latn", "ba", "crh-Latn", "crh-Cyrl", "ug", "ug-Latn", "tk", "cv", "sah", "kaa", "gag",
    "krc", "alt", "tyv", "kjh", "kum", "nog", "en", "ru",
]  # fmt: skip
ONE_FORM = "nplurals=1; plural=0;"
TWO_FORMS = "nplurals=2; plural=(n != 1);"
RUSSIAN = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


# --- the registry as data -------------------------------------------------------------


def test_registry_order_is_the_file_order():
    assert list(registry()) == REGISTRY_ORDER


def test_registry_is_read_only_and_cached():
    with pytest.raises(TypeError):
        registry()["xx"] = registry()["kk"]  # type: ignore[index]
    assert registry() is registry()


def test_language_info_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_language("kk").name = "Qazaq"  # type: ignore[misc, union-attr]


def test_get_language_takes_canonical_tags_only():
    assert get_language("kk") == registry()["kk"]
    assert get_language("kk-Cyrl") is None
    assert get_language("xx") is None


def test_find_language_reads_any_alias():
    assert find_language("kk_KZ") is registry()["kk"]
    assert find_language("crh") is registry()["crh-Latn"]
    assert find_language("DE-DE") is None
    assert find_language("not a tag") is None


def test_kazakh_entry():
    kk = registry()["kk"]
    assert (kk.name, kk.autonym, kk.script, kk.dir, kk.casing, kk.iso639_3) == (
        "Kazakh", "қазақша", "Cyrl", "ltr", "default", "kaz"
    )  # fmt: skip
    assert kk.alphabet[:6] == ("а", "ә", "б", "в", "г", "ғ")


@pytest.mark.parametrize("info", registry().values(), ids=list(registry()))
def test_every_entry_is_consistent(info: LanguageInfo):
    assert info.script in {"Cyrl", "Latn", "Arab"}
    assert info.dir == ("rtl" if info.script == "Arab" else "ltr")
    assert info.casing in {"default", "turkic"}
    assert len(info.iso639_3) == 3 and info.iso639_3.isalpha() and info.iso639_3.islower()
    assert info.name and info.autonym and info.plural_forms.startswith("nplurals=")
    # A canonical tag resolves to itself: no suppressed script, canonical casing.
    assert resolve_tag(info.tag) == ResolvedTag(info.tag, True, None)


@pytest.mark.parametrize("info", registry().values(), ids=list(registry()))
def test_every_alias_resolves_to_its_entry(info: LanguageInfo):
    for alias in info.aliases:
        assert resolve_tag(alias) == ResolvedTag(info.tag, True, alias)


def test_rtl_languages_are_the_arabic_script_ones():
    rtl = [tag for tag, info in registry().items() if info.dir == "rtl"]
    assert rtl == ["kk-Arab", "azb", "ug"]


def test_turkic_casing_languages():
    turkic = {tag for tag, info in registry().items() if info.casing == "turkic"}
    assert turkic == {"tr", "az", "crh-Latn", "gag", "tt-Latn", "kk-Latn"}


@pytest.mark.parametrize(
    "tag",
    ["kk", "kk-Latn", "tr", "az", "uz", "uz-Cyrl", "ky", "tt", "tt-Latn", "ba", "crh-Latn",
     "ug", "ug-Latn", "tk", "cv", "sah", "kaa", "gag", "en", "ru"],
)  # fmt: skip
def test_alphabets_are_lower_case_and_unique(tag: str):
    alphabet = registry()[tag].alphabet
    assert alphabet, f"{tag} needs an alphabet for sorting"
    assert len(set(alphabet)) == len(alphabet)
    for letter in alphabet:
        assert letter == letter.lower() or letter == "ı", letter


def test_alphabets_start_as_turkic_md_says():
    assert registry()["tr"].alphabet[:12] == tuple("abcçdefgğhıi")
    assert registry()["uz"].alphabet[-6:] == ("oʻ", "gʻ", "sh", "ch", "ng", "ʼ")
    assert registry()["az"].alphabet[:7] == tuple("abcçdeə")


# --- Plural-Forms: translatewiki's header, the en rule where it has none -----------------


@pytest.mark.parametrize("tag", ["tr", "kk", "ky", "uz", "ug", "tt"])
def test_one_plural_form_as_on_translatewiki(tag: str):
    assert registry()[tag].plural_forms == ONE_FORM


@pytest.mark.parametrize("tag", ["az", "tk", "en", "sah", "cv", "ba", "kaa", "crh-Latn", "gag"])
def test_two_plural_forms_as_on_translatewiki_or_its_en_fallback(tag: str):
    assert registry()[tag].plural_forms == TWO_FORMS


def test_russian_has_three_plural_forms():
    assert registry()["ru"].plural_forms == RUSSIAN


def test_script_variants_share_their_languages_plural_rule():
    for variant, base in [("kk-Latn", "kk"), ("kk-Arab", "kk"), ("uz-Cyrl", "uz"),
                          ("tt-Latn", "tt"), ("ug-Latn", "ug"), ("az-Cyrl", "az")]:  # fmt: skip
        assert registry()[variant].plural_forms == registry()[base].plural_forms


# --- resolve_tag -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        # MediaWiki variant codes
        ("kk-cyrl", "kk"), ("kk-latn", "kk-Latn"), ("kk-arab", "kk-Arab"), ("kk-kz", "kk"),
        ("kk-tr", "kk-Latn"), ("kk-cn", "kk-Arab"), ("uz-latn", "uz"), ("uz-cyrl", "uz-Cyrl"),
        ("crh-latn", "crh-Latn"), ("crh-cyrl", "crh-Cyrl"), ("tt-cyrl", "tt"),
        ("tt-latn", "tt-Latn"), ("ug-arab", "ug"), ("ug-latn", "ug-Latn"),
        # POSIX / gettext locale names, with and without encodings
        ("kk_KZ", "kk"), ("tr_TR", "tr"), ("uz_UZ", "uz"), ("uz_UZ@cyrillic", "uz-Cyrl"),
        ("uz@cyrillic", "uz-Cyrl"), ("uz@latin", "uz"), ("tt_RU@iqtelif", "tt-Latn"),
        ("kk_KZ.UTF-8", "kk"), ("uz_UZ.UTF-8@cyrillic", "uz-Cyrl"), ("ru_RU.KOI8-R", "ru"),
        ("ky_KG.utf8", "ky"), ("crh_UA@cyrillic", "crh-Cyrl"),
        # ISO 639-3, as Apertium file names use them
        ("kaz", "kk"), ("tur", "tr"), ("kir", "ky"), ("uzb", "uz"), ("aze", "az"), ("tat", "tt"),
        ("bak", "ba"), ("uig", "ug"), ("tuk", "tk"), ("chv", "cv"), ("sah", "sah"),
        ("eng", "en"), ("rus", "ru"), ("kaz-Latn", "kk-Latn"), ("KAZ_kz", "kk"),
        # suppressed scripts are dropped
        ("kk-Cyrl", "kk"), ("tr-Latn", "tr"), ("uz-Latn", "uz"), ("az-Latn", "az"),
        ("ug-Arab", "ug"), ("ky-Cyrl", "ky"), ("tt-Cyrl", "tt"), ("azb-Arab", "azb"),
        ("ru-Cyrl", "ru"), ("kaa-Latn", "kaa"),
        # regions on registered languages are dropped
        ("tr-TR", "tr"), ("tr-CY", "tr"), ("kk-Cyrl-KZ", "kk"), ("uz-Cyrl-UZ", "uz-Cyrl"),
        ("az-Latn-AZ", "az"), ("ug-CN", "ug"), ("en-US", "en"), ("crh-Cyrl-UA", "crh-Cyrl"),
        # canonical casing
        ("KK", "kk"), ("KK-LATN", "kk-Latn"), ("Uz-cYRL", "uz-Cyrl"), ("  tr  ", "tr"),
    ],
)  # fmt: skip
def test_registered_aliases(raw: str, tag: str):
    resolved = resolve_tag(raw)
    assert resolved.tag == tag
    assert resolved.known
    assert resolved.alias_of == (None if raw.strip() == tag else raw.strip())


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("DE-DE", "de-DE"), ("pt-BR", "pt-BR"), ("cs", "cs"), ("fr", "fr"), ("es-419", "es-419"),
        ("zh-hant-tw", "zh-Hant-TW"), ("sr_RS@latin", "sr-Latn-RS"),
        ("ca@valencia", "ca-valencia"), ("de_DE@euro", "de-DE"), ("kaa-Cyrl", "kaa-Cyrl"),
        ("ky-Latn", "ky-Latn"), ("sl-rozaj-biske", "sl-rozaj-biske"), ("de-CH-1996", "de-CH-1996"),
        ("zh-yue-HK", "zh-yue-HK"),
        ("tt-Latn-baku1926", "tt-Latn-baku1926"), ("en-a-bbb-X-Private", "en-a-bbb-x-private"),
        ("x-Tamyr", "x-tamyr"), ("deu", "deu"),
    ],
)  # fmt: skip
def test_other_well_formed_tags_are_plain_languages(raw: str, tag: str):
    resolved = resolve_tag(raw)
    assert (resolved.tag, resolved.known) == (tag, False)
    assert resolved.alias_of == (None if raw == tag else raw)


def test_alias_of_says_what_the_input_was():
    assert resolve_tag("kk_KZ") == ResolvedTag("kk", True, "kk_KZ")
    assert resolve_tag("kk") == ResolvedTag("kk", True, None)
    assert resolve_tag("pt-BR").alias_of is None


def test_bare_crh_is_latin_unless_the_text_is_cyrillic():
    assert resolve_tag("crh") == ResolvedTag("crh-Latn", True, "crh")
    assert resolve_tag("crh", "Qırım tatarları").tag == "crh-Latn"
    assert resolve_tag("crh", "Къырым татарлары, Qırım").tag == "crh-Cyrl"
    assert resolve_tag("crh_UA", "Къырым").tag == "crh-Cyrl"
    # An explicit script wins over the sample.
    assert resolve_tag("crh-Latn", "Къырым").tag == "crh-Latn"
    assert resolve_tag("crh", "12345 …").tag == "crh-Latn"


def test_bare_kaa_stays_kaa_whatever_the_text():
    assert resolve_tag("kaa", "Қарақалпақ").tag == "kaa"


def test_sample_text_does_not_move_other_languages():
    assert resolve_tag("kk", "Qazaqstan").tag == "kk"
    assert resolve_tag("uz", "Ўзбекистон").tag == "uz"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "123", "k", "kk--x", "english language", "kk-", "-kk", "kk-x", "abcd",
     "kk_KZ.", "kk@", "kk@foo", "uz-Latn@cyrillic", "tr-İ", "kk-Latn-Cyrl-KZ", "en-a",
     "toolongtag", "kk.UTF 8", "C.UTF-8"],
)  # fmt: skip
def test_malformed_tags_are_refused_with_the_input_named(raw: str):
    with pytest.raises(InvalidLanguageTag) as caught:
        resolve_tag(raw)
    assert repr(raw) in str(caught.value)
    assert caught.value.raw == raw
    assert isinstance(caught.value, ValueError)


def test_conflicting_modifier_is_explained():
    with pytest.raises(InvalidLanguageTag, match="contradicts @cyrillic"):
        resolve_tag("uz-Latn@cyrillic")


def test_dominant_script():
    assert dominant_script("Қазақстан Республикасы") == "Cyrl"
    assert dominant_script("Qazaqstan Respublikasy") == "Latn"
    assert dominant_script("ئۇيغۇرچە") == "Arab"
    assert dominant_script("Қазақ Qazaq") is None  # a tie is no majority
    assert dominant_script("2024 — !") is None
