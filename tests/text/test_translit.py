"""Transliteration tables on real words (TURKIC Part 2 §4), round trips, case and script choice."""

from __future__ import annotations

import pytest

from glossary.text import translit
from glossary.text.translit import (
    available_tables,
    get_table,
    latin_scheme,
    scripts_of,
    to_script,
    transliterate,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

KK_SENTENCE = (
    "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне "
    "келіп қоныпты. Қазыменен сөйлесіп, қазыны сөзге жеңе беріпті."
)
KK_SENTENCE_LATIN = (
    "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne "
    "kelıp qonypty. Qazymenen söilesıp, qazyny sözge jeñe berıptı."
)

EXAMPLES = [
    # Kazakh 2021: the en.wikipedia parallel text, and Turkic capitals
    ("kk-Cyrl-Latn", KK_SENTENCE, KK_SENTENCE_LATIN),
    ("kk-Cyrl-Latn", "Қазақстан", "Qazaqstan"),
    ("kk-Cyrl-Latn", "ҚАЗАҚСТАН", "QAZAQSTAN"),
    ("kk-Cyrl-Latn", "Ілияс ШЫМКЕНТ", "Ilias ŞYMKENT"),
    ("kk-Cyrl-Latn", "Түркия", "Türkia"),
    ("kk-Latn-Cyrl", "Qazaqstan", "Қазақстан"),
    ("kk-Latn-Cyrl", "syi berıp, ornymda qalaiyn", "сый беріп, орнымда қалайын"),
    # older Kazakh Latin schemes, read back to Cyrillic
    ("kk-Latn-Cyrl-2017", "Buryn'g'y tay'", "Бұрыңғы тау"),
    ("kk-Latn-Cyrl-2017", "Qazaqstan Respy'bli'kasy", "Қазақстан Республикасы"),
    ("kk-Latn-Cyrl-2018", "Buryńǵy ózen", "Бұрыңғы өзен"),
    ("kk-Latn-Cyrl-mediawiki", "Qazaqstan Respwblïkası", "Қазақстан Республикасы"),
    ("kk-Cyrl-Latn-mediawiki", "Бұрыңғы Республикасы", "Burıñğı Respwblïkası"),
    # Uzbek 1995
    ("uz-Cyrl-Latn", "Ўзбекистон", "Oʻzbekiston"),
    ("uz-Cyrl-Latn", "ЎЗБЕКИСТОН", "OʻZBEKISTON"),
    ("uz-Cyrl-Latn", "Ғафур Ғулом", "Gʻafur Gʻulom"),
    ("uz-Cyrl-Latn", "маъно", "maʼno"),
    ("uz-Cyrl-Latn", "ма'но", "maʼno"),
    ("uz-Cyrl-Latn", "Ер ва объект", "Yer va obyekt"),
    ("uz-Cyrl-Latn", "цирк ва милиция", "sirk va militsiya"),
    ("uz-Latn-Cyrl", "Oʻzbekiston", "Ўзбекистон"),
    ("uz-Latn-Cyrl", "O'zbekiston", "Ўзбекистон"),
    ("uz-Latn-Cyrl", "O‘zbekiston", "Ўзбекистон"),
    ("uz-Latn-Cyrl", "ma'no maʼno ma’no", "маъно маъно маъно"),
    ("uz-Latn-Cyrl", "Ergash yoʻl Isʼhoq Toshkent", "Эргаш йўл Исҳоқ Тошкент"),
    ("uz-Latn-Cyrl", "Qoʻqon SHAHAR Oʻgʻil", "Қўқон ШАҲАР Ўғил"),
    # Azerbaijani (BGN/PCGN 1993)
    ("az-Cyrl-Latn", "Азәрбајҹан әлифбасы", "Azərbaycan əlifbası"),
    ("az-Cyrl-Latn", "АЗӘРБАЈҸАН", "AZƏRBAYCAN"),
    ("az-Cyrl-Latn", "Илһам Бакы", "İlham Bakı"),
    ("az-Latn-Cyrl", "Azərbaycan əlifbası", "Азәрбајҹан әлифбасы"),
    ("az-Latn-Cyrl", "İLHAM BAKI", "ИЛҺАМ БАКЫ"),
    # Turkmen (BGN/PCGN 2000 tests)
    ("tk-Cyrl-Latn", "Ныязов", "Nyýazow"),
    ("tk-Cyrl-Latn", "Теҗен", "Tejen"),
    ("tk-Cyrl-Latn", "Чаршаңңы", "Çarşaňňy"),
    ("tk-Cyrl-Latn", "Ер", "Ýer"),
    ("tk-Latn-Cyrl", "Nyýazow Tejen Çarşaňňy", "Ныязов Теҗен Чаршаңңы"),
    # Tatar Zamanälif, with the simplified back-vowel rules
    ("tt-Cyrl-Latn", "Казан балык ачкыч китап", "Qazan balıq açqıç kitap"),
    ("tt-Cyrl-Latn", "чия дөя җырлау давыл яңак", "çiyä döyä cırlaw dawıl yañaq"),
    ("tt-Cyrl-Latn", "кыйсса", "qíssa"),
    ("tt-Latn-Cyrl", "Qazan balıq cırlaw dawıl", "Казан балык җырлау давыл"),
    ("tt-Latn-Cyrl", "et äti", "эт әти"),
    # Crimean Tatar, digraphs first
    ("crh-Cyrl-Latn", "Къырым Акъмесджит Ялта", "Qırım Aqmescit Yalta"),
    ("crh-Cyrl-Latn", "къырымтатарджа", "qırımtatarca"),
    ("crh-Latn-Cyrl", "Qırım Aqmescit", "Къырым Акъмесджит"),
    # Kyrgyz and Bashkir (unofficial Latin)
    ("ky-Cyrl-Latn", "Кыргызстан Түркия Бишкек", "Kırgızstan Türkiya Bişkek"),
    ("ba-Cyrl-Latn", "Башҡортостан Өфө ҡыҙ ҫыу", "Başqortostan Öfö qıź śıu"),
    # Karakalpak 2016, and the pre-2016 apostrophe letters read back
    ("kaa-Cyrl-Latn", "Қарақалпақстан Нөкис", "Qaraqalpaqstan Nókis"),
    ("kaa-Cyrl-Latn", "Ырыс ЫРЫС Ийе", "Írıs ÍRÍS Iye"),
    ("kaa-Latn-Cyrl", "Qaraqalpaqstan Nókis", "Қарақалпақстан Нөкис"),
    ("kaa-Latn-Cyrl", "No'kis", "Нөкис"),
    # Uyghur: hamza-on-tooth and the digraph apostrophe
    ("ug-Arab-Latn", "ئىنىكئانا", "inik'ana"),
    ("ug-Arab-Latn", "مەسئۇل", "mes'ul"),
    ("ug-Arab-Latn", "ئۇيغۇر", "uyghur"),
    ("ug-Arab-Latn", "باشلانغۇچ", "bashlan'ghuch"),
    ("ug-Arab-Latn", "ئۈرۈمچى، قەشقەر؟", "ürümchi, qeshqer?"),
    ("ug-Latn-Arab", "inik'ana mes'ul uyghur bashlan'ghuch", "ئىنىكئانا مەسئۇل ئۇيغۇر باشلانغۇچ"),
    ("ug-Arab-Cyrl", "ئۇيغۇر", "уйғур"),
    ("ug-Cyrl-Latn", "Уйғур", "Uyghur"),
    ("ug-Cyrl-Arab", "Уйғур", "ئۇيغۇر"),
    ("ug-Latn-Cyrl", "Uyghur", "Уйғур"),
    # fallback for languages without a table
    ("und-Cyrl-Latn", "Казахстан Ниязов", "Kazakhstan Niyazov"),
]


@pytest.mark.parametrize(("table", "source", "expected"), EXAMPLES)
def test_real_words(table: str, source: str, expected: str) -> None:
    assert transliterate(source, table) == expected


ROUND_TRIPS = [
    ("kk-Cyrl-Latn", "kk-Latn-Cyrl", KK_SENTENCE.replace("шаһарының", "қаласының")),
    ("uz-Cyrl-Latn", "uz-Latn-Cyrl", "Ўзбекистон маъно Ғафур Эргаш йўл Тошкент"),
    ("az-Cyrl-Latn", "az-Latn-Cyrl", "Азәрбајҹан әлифбасы Илһам Бакы"),
    ("tk-Cyrl-Latn", "tk-Latn-Cyrl", "Ныязов Теҗен Чаршаңңы Ер"),
    ("tt-Cyrl-Latn", "tt-Latn-Cyrl", "Казан балык ачкыч китап чия дөя җырлау давыл яңак"),
    ("crh-Cyrl-Latn", "crh-Latn-Cyrl", "Къырым Акъмесджит къырымтатарджа"),
    ("kaa-Cyrl-Latn", "kaa-Latn-Cyrl", "Қарақалпақстан Нөкис Ырыс"),
    ("ug-Arab-Latn", "ug-Latn-Arab", "ئىنىكئانا مەسئۇل ئۇيغۇر باشلانغۇچ"),
    ("ug-Cyrl-Latn", "ug-Latn-Cyrl", "Уйғур Қәшқәр"),
]


@pytest.mark.parametrize(("there", "back", "text"), ROUND_TRIPS)
def test_round_trip(there: str, back: str, text: str) -> None:
    assert transliterate(transliterate(text, there), back) == text


def test_every_table_has_real_word_examples_here() -> None:
    assert {table for table, _, _ in EXAMPLES} == set(available_tables())


def test_every_table_compiles() -> None:
    assert len(available_tables()) >= 25
    for name in available_tables():
        table = get_table(name)
        assert table.name == name
        assert {table.source_script, table.target_script} <= {"Cyrl", "Latn", "Arab"}
        assert table.chain or table.values, name


def test_one_default_table_per_language_and_direction() -> None:
    assert translit.default_table("kk", "Cyrl", "Latn") == "kk-Cyrl-Latn"
    assert translit.default_table("uz-Cyrl", "Cyrl", "Latn") == "uz-Cyrl-Latn"
    assert translit.default_table("ug", "Arab", "Cyrl") == "ug-Arab-Cyrl"
    assert translit.default_table("tr", "Latn", "Cyrl") is None


def test_unknown_table_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="available_tables"):
        transliterate("abc", "xx-Latn-Cyrl")


def test_a_table_whose_output_would_be_read_again_is_refused() -> None:
    bad = {"name": "bad", "lang": "xx", "source_script": "Latn", "target_script": "Cyrl"}
    with pytest.raises(ValueError, match="single-letter keys"):
        translit._compile({**bad, "map": {"a": "b", "b": "в"}})
    with pytest.raises(ValueError, match="lowercase"):
        translit._compile({**bad, "map": {"A": "а"}})
    with pytest.raises(ValueError, match="unknown context"):
        translit._compile(
            {**bad, "map": {"a": "а"}, "rules": [{"from": "a", "to": "я", "after": ["x"]}]}
        )


def test_decomposed_input_is_normalised() -> None:
    assert transliterate("Azərbaycan".replace("ə", "ə"), "az-Latn-Cyrl") == "Азәрбајҹан"
    assert transliterate("Türkmen".replace("ü", "u\u0308"), "tk-Latn-Cyrl") == "Түркмен"


def test_scripts_of() -> None:
    assert scripts_of("Қазақстан") == {"Cyrl"}
    assert scripts_of("Windows жүйесі") == {"Cyrl", "Latn"}
    assert scripts_of("ئۇيغۇر 2024") == {"Arab"}
    assert scripts_of("Azərbaycan") == {"Latn"}
    assert scripts_of("2024 — !") == set()


def test_to_script_for_display() -> None:
    assert to_script("Қазақстан", "kk", "Latn") == "Qazaqstan"
    assert to_script("Oʻzbekiston", "uz", "Cyrl") == "Ўзбекистон"
    assert to_script("Ўзбекистон", "uz-Cyrl", "Latn") == "Oʻzbekiston"
    assert to_script("ئۇيغۇر", "ug", "Latn") == "uyghur"
    assert to_script("ئۇيغۇر", "ug", "Cyrl") == "уйғур"
    assert to_script("Windows жүйесі", "kk", "Latn") == "Windows jüiesı"


def test_to_script_reads_older_kazakh_latin_in_its_own_scheme() -> None:
    assert to_script("Buryn'g'y", "kk-Latn", "Cyrl") == "Бұрыңғы"
    assert to_script("Respwblïka", "kk-Latn", "Cyrl") == "Республика"


def test_to_script_without_a_table_or_without_work() -> None:
    assert to_script("Türkiye", "tr", "Cyrl") is None
    assert to_script("Qazaqstan", "kk", "Latn") == "Qazaqstan"
    assert to_script("2024", "kk", "Latn") == "2024"


def test_latin_scheme_recognition() -> None:
    assert latin_scheme("Qazaqstan", "kk") is None  # the 2021 alphabet needs no reading
    assert latin_scheme("Buryn'g'y", "kk") == "kk-Latn-Cyrl-2017"
    assert latin_scheme("Buryńǵy", "kk") == "kk-Latn-Cyrl-2018"
    assert latin_scheme("Respwblïka", "kk") == "kk-Latn-Cyrl-mediawiki"
    assert latin_scheme("Buryn'g'y", "tr") is None
