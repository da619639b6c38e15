"""Reading aids: automatic transliterations on a concept page (marked, not votable, in the
reader's chosen script, remembered) and a language's terms A–Z by its own alphabet."""

from __future__ import annotations

import re

import pytest

from glossary.services.actors import CLI
from glossary.services.alphabetical import PER_PAGE
from glossary.services.script_variants import variants_of
from glossary.services.terms import create_concept
from tests.web.page_helpers import counted_queries, new_client, post_form, text

AUTO = re.compile(
    r'<span class="auto-variant" data-script="(\w+)"><span class="variant-text" '
    r'lang="([\w-]+)" dir="(\w+)">([^<]+)</span>'
)


@pytest.fixture
def computer(app):
    return create_concept(
        CLI,
        terms=[
            {"lang": "en", "text": "computer", "status": "preferred"},
            {"lang": "kk", "text": "компьютер", "status": "preferred"},
            {"lang": "uz", "text": "kompyuter", "status": "preferred"},
            {"lang": "ug", "text": "كومپيۇتېر", "status": "preferred"},
            {"lang": "crh-Latn", "text": "kompyuter", "status": "proposed"},
            {"lang": "tt", "text": "санак", "status": "proposed"},
        ],
    )


def variants_on(html: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(script, variant tag) → (dir, text) for every automatic variant on the page."""
    return {(m[1], m[2]): (m[3], m[4]) for m in AUTO.finditer(html)}


def test_variants_come_from_each_languages_own_table():
    assert [(v.script, v.text, v.lang) for v in variants_of("Қазақстан", "kk")] == [
        ("Latn", "Qazaqstan", "kk-Latn")
    ]
    assert [(v.script, v.lang) for v in variants_of("Oʻzbekiston", "uz")] == [("Cyrl", "uz-Cyrl")]
    assert variants_of("Oʻzbekiston", "uz")[0].text == "Ўзбекистон"
    latin = variants_of("ئۇيغۇر", "ug", ["Latn"])
    assert [(v.text, v.lang, v.direction) for v in latin] == [("uyghur", "ug-Latn", "ltr")]
    assert variants_of("computer", "en") == []  # no table: nothing is made up
    assert variants_of("Windows жүйесі", "kk") == []  # mixed scripts are left alone


def test_concept_page_marks_variants_as_automatic_and_keeps_them_out_of_the_terms(client, computer):
    html = text(client.get(f"/concepts/{computer.uid}"))
    found = variants_on(html)
    assert found[("Latn", "kk-Latn")] == ("ltr", "kompiuter")
    assert found[("Cyrl", "uz-Cyrl")] == ("ltr", "компютер")
    assert found[("Latn", "ug-Latn")] == ("ltr", "kompyutér")
    assert found[("Cyrl", "crh-Cyrl")][1] == "компйутер"  # the crh table keeps й
    assert ("Latn", "tt-Latn") in found
    assert html.count('class="auto-mark"') == len(AUTO.findall(html))
    assert "automatic" in html
    # Variants are not terms: the term list, copy buttons' targets and ids are the real six.
    assert len(re.findall(r'<li id="term-\d+"', html)) == 6
    assert len(re.findall(r'class="term" lang=', html)) == 6
    assert 'class="term" lang="kk-Latn"' not in html


def test_preferred_script_is_remembered_on_later_pages(app, computer):
    other = create_concept(CLI, terms=[{"lang": "kk", "text": "пернетақта"}])
    reader = new_client(app)
    page = f"/concepts/{computer.uid}"
    response = post_form(
        reader, "/preferences/script", {"script": "Cyrl", "next": page}, token_from=page
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    found = variants_on(text(reader.get(page)))
    assert {script for script, _tag in found} == {"Cyrl"}  # kk (already Cyrillic) shows none
    assert ("Cyrl", "uz-Cyrl") in found and ("Latn", "kk-Latn") not in found
    # Another page, later: the choice came along, and the selector shows it.
    later = text(reader.get(f"/concepts/{other.uid}"))
    assert variants_on(later) == {}
    assert '<option value="Cyrl" selected>' in later
    post_form(reader, "/preferences/script", {"script": "Latn", "next": "/"}, token_from=page)
    assert variants_on(text(reader.get(f"/concepts/{other.uid}"))) == {
        ("Latn", "kk-Latn"): ("ltr", "pernetaqta")
    }
    post_form(reader, "/preferences/script", {"script": "none"}, token_from=page)
    assert variants_on(text(reader.get(page))) == {}
    # A stranger's page is unaffected: the choice is per reader.
    assert ("Cyrl", "uz-Cyrl") in variants_on(text(new_client(app).get(page)))


def test_script_preference_never_redirects_off_site(app, computer):
    reader = new_client(app)
    page = f"/concepts/{computer.uid}"
    response = post_form(
        reader,
        "/preferences/script",
        {"script": "Latn", "next": "//evil.example/"},
        token_from=page,
    )
    assert response.headers["Location"] == "/"


def test_script_preference_needs_the_csrf_token(app, computer):
    assert new_client(app).post("/preferences/script", data={"script": "Latn"}).status_code == 400


# -- A–Z ---------------------------------------------------------------------------------------
def add_terms(lang: str, words: list[str]) -> None:
    for word in words:
        create_concept(CLI, terms=[{"lang": lang, "text": word}])


def entries(html: str) -> list[str]:
    listing = html.split('<ol class="alphabetical"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<span class="term" lang="[\w-]+" dir="\w+">([^<]+)</span>', listing)


def test_kazakh_letters_follow_the_kazakh_alphabet(client, app):
    add_terms("kk", ["ағаш", "ақпарат", "Әліппе", "аға", "ауа", "алма"])
    html = text(client.get("/browse?lang=kk"))  # the first letter by default: а
    assert entries(html) == ["аға", "ағаш", "ақпарат", "алма", "ауа"]  # ғ after г, қ after к
    assert entries(text(client.get("/browse?lang=kk&letter=ә"))) == ["Әліппе"]
    letters = re.findall(r'<nav class="letters".*?</nav>', html, re.S)[0]
    assert re.findall(r">(\w)</a>", letters)[:6] == ["А", "Ә", "Б", "В", "Г", "Ғ"]


def test_turkish_dotless_and_dotted_i_are_separate_letters(client, app):
    add_terms("tr", ["ılık", "ilik", "Işık", "İnci", "içerik"])
    assert entries(text(client.get("/browse?lang=tr&letter=ı"))) == ["ılık", "Işık"]
    assert entries(text(client.get("/browse?lang=tr&letter=i"))) == ["içerik", "ilik", "İnci"]
    html = text(client.get("/browse?lang=tr&letter=i"))
    assert re.search(r'aria-current="page">İ</a>', html)  # Turkish capital of i


def test_uzbek_digraph_letters_have_their_own_place(client, app):
    add_terms("uz", ["sut", "shahar", "oʻrik", "olma", "sabzi"])
    assert entries(text(client.get("/browse?lang=uz&letter=s"))) == ["sabzi", "sut"]
    assert entries(text(client.get("/browse?lang=uz&letter=sh"))) == ["shahar"]
    assert entries(text(client.get("/browse?lang=uz&letter=o"))) == ["olma"]
    assert entries(text(client.get("/browse?lang=uz&letter=o'"))) == ["oʻrik"]  # any apostrophe


def test_pages_of_a_long_letter(client, app):
    add_terms("kk", [f"бет {n:03d}" for n in range(PER_PAGE + 5)])
    first = text(client.get("/browse?lang=kk&letter=б"))
    assert len(entries(first)) == PER_PAGE and "Page 1 of 2" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = text(client.get("/browse?lang=kk&letter=б&page=2"))
    assert entries(second) == [f"бет {n:03d}" for n in range(PER_PAGE, PER_PAGE + 5)]
    assert client.get("/browse?lang=kk&letter=б&page=3").status_code == 422
    assert client.get("/browse?lang=kk&letter=q").status_code == 422  # not a Kazakh letter


def test_unknown_language_and_the_language_picker(client, app):
    assert client.get("/browse?lang=xx").status_code == 404
    html = text(client.get("/browse"))
    assert '<select id="browse-lang" name="lang">' in html and 'value="kk"' in html
    assert '<a href="/browse">' in text(client.get("/"))  # in the navigation


def test_rejected_terms_are_not_listed_and_concept_rows_link_here(client, app):
    concept = create_concept(
        CLI,
        terms=[
            {"lang": "kk", "text": "алма", "status": "preferred"},
            {"lang": "kk", "text": "алмұрт", "status": "rejected"},
        ],
    )
    assert entries(text(client.get("/browse?lang=kk"))) == ["алма"]
    assert 'href="/browse?lang=kk"' in text(client.get(f"/concepts/{concept.uid}"))


def test_browse_query_count_does_not_grow_with_the_list(client, app):
    """No N+1: 5 terms or 60 on a page cost the same number of queries."""

    def queries_for(words: list[str], letter: str) -> int:
        add_terms("kk", words)
        with counted_queries() as statements:
            response = client.get(f"/browse?lang=kk&letter={letter}")
        assert response.status_code == 200 and len(entries(text(response))) == len(words)
        return len(statements)

    few = queries_for([f"дала {n}" for n in range(5)], "д")
    many = queries_for([f"жол {n}" for n in range(60)], "ж")
    assert few == many
