"""Reading pages through the test client: search, a concept across languages, coverage,
the interface language, and user text always escaped."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from glossary.extensions import db
from glossary.services.actors import CLI, actor_for
from glossary.services.comments import add_comment
from glossary.services.indexing import apply_pending
from glossary.services.terms import create_concept
from tests.web.conftest import make_user

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def termbase(app):
    computer = create_concept(
        CLI,
        domain="computing",
        wikidata="Q68",
        definitions={"en": "A machine that processes data."},
        terms=[
            {"lang": "en", "text": "computer", "status": "preferred", "pos": "noun"},
            {"lang": "kk", "text": "компьютер", "status": "preferred"},
            {"lang": "kk", "text": "есептеуіш машина", "status": "deprecated"},
            {"lang": "tr", "text": "bilgisayar", "status": "preferred"},
            {"lang": "ug", "text": "كومپيۇتېر", "status": "preferred"},
        ],
    )
    keyboard = create_concept(
        CLI,
        domain="hardware",
        terms=[
            {"lang": "en", "text": "keyboard"},
            {"lang": "tr", "text": "klavye"},
            {"lang": "kk", "text": "пернетақта"},
        ],
    )
    apply_pending()
    return {"computer": computer, "keyboard": keyboard}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_search_groups_terms_by_concept_and_marks_the_match(client, termbase):
    html = text_of(client.get("/search?q=kompyuter"))
    uid = termbase["computer"].uid
    assert html.count(f'href="/concepts/{uid}"') == 1  # one result for the concept
    assert "<mark>компьютер</mark>" in html  # found across scripts, highlighted
    # sister-language equivalents under it, each with its language and direction
    assert '<span class="term" lang="tr" dir="ltr">bilgisayar</span>' in html
    assert re.search(r'<span class="term" lang="ug" dir="rtl">(<mark>)?كومپيۇتېر', html)
    assert "klavye" not in html


def test_search_is_a_plain_get_form_that_works_without_javascript(client, termbase):
    home = text_of(client.get("/"))
    assert re.search(r'<form class="search" action="/search" method="get"', home)
    assert '<input type="search" id="q" name="q"' in home
    # the home page with ?q= answers the same way
    assert "<mark>klavye</mark>" in text_of(client.get("/?q=klavye"))


def test_search_filters(client, termbase):
    only_tr = text_of(client.get("/search?q=computer&lang=tr"))
    assert "<mark>" not in only_tr or "<mark>computer</mark>" not in only_tr
    by_domain = text_of(client.get("/search?q=klavye&domain=computing"))
    assert "Nothing found" in by_domain
    deprecated = text_of(client.get("/search?q=есептеуіш&status=deprecated"))
    assert "<mark>есептеуіш машина</mark>" in deprecated
    assert "Nothing found" in text_of(client.get("/search?q=есептеуіш&status=preferred"))


def test_search_refuses_bad_filters_clearly(client, termbase):
    response = client.get("/search?q=computer&lang=xx-nonsense-tag")
    assert response.status_code == 422
    assert "not a well-formed language tag" in text_of(response)
    assert "unknown language" in text_of(client.get("/search?q=computer&lang=fr"))
    assert client.get("/search?q=computer&status=bogus").status_code == 422
    assert client.get("/search?q=computer&cursor=garbage").status_code == 422


def test_concept_page_shows_a_row_per_language_with_direction(client, termbase):
    concept = termbase["computer"]
    html = text_of(client.get(f"/concepts/{concept.uid}"))
    assert "<h1>computer</h1>" in html
    rows = re.findall(r'<th scope="row" class="language">(.*?)</th>', html, re.S)
    tags = [re.search(r'<small class="tag">([^<]+)</small>', row).group(1) for row in rows]
    assert sorted(tags) == ["en", "kk", "tr", "ug"] and len(tags) == len(set(tags))
    assert '<span class="autonym" lang="ug" dir="rtl">' in html
    assert '<span class="term" lang="ug" dir="rtl">كومپيۇتېر</span>' in html
    assert '<span class="term" lang="kk" dir="ltr">есептеуіш машина</span>' in html
    assert 'class="status status-deprecated"' in html
    assert '<small class="pos">noun</small>' in html
    assert 'href="https://www.wikidata.org/wiki/Q68"' in html
    assert "A machine that processes data." in html
    assert 'data-copy="كومپيۇتېر"' in html  # copy buttons
    assert "concept.create" in html  # history


def test_concept_page_shows_vote_tallies(app, client, termbase):
    from glossary.services.meetups import create_meetup, join_meetup
    from glossary.services.voting import cast_vote, open_ballot

    concept = termbase["keyboard"]
    meetup = create_meetup(CLI, name="Almaty", quorum=1, threshold=0.5)
    open_ballot(CLI, concept.uid, "tr", meetup_id=meetup.id)
    voter, _token = join_meetup(meetup.id, meetup.join_code, "Dana")
    klavye = next(t for t in concept.terms if t.text == "klavye")
    cast_vote(actor_for(voter, meetup_id=meetup.id), klavye.id, 1)
    html = text_of(client.get(f"/concepts/{concept.uid}"))
    assert "▲1 ▼0 ○0" in html


def test_unknown_concept_is_a_404_page(client):
    response = client.get("/concepts/not-a-uid")
    assert response.status_code == 404
    assert "<html" in text_of(response) and "no concept" in text_of(response)


def test_user_text_is_escaped_everywhere(app, client):
    user = make_user("mallory", "editor")
    concept = create_concept(
        CLI,
        domain=XSS[:100],
        definitions={"en": XSS},
        terms=[{"lang": "en", "text": XSS, "note": XSS}],
    )
    add_comment(actor_for(user), concept, XSS)
    apply_pending()
    pages = [
        text_of(client.get(f"/concepts/{concept.uid}")),
        text_of(client.get("/")),
        text_of(client.get("/search?q=script+alert")),
        text_of(client.get("/search?q=" + XSS)),
        text_of(client.get("/coverage")),
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages[0]


def test_coverage_counts_preferred_and_any_term_per_language(app, client, termbase, monkeypatch):
    monkeypatch.setitem(app.config, "COVERAGE_CACHE_SECONDS", 0)  # recount on every change
    html = text_of(client.get("/coverage"))
    rows = dict(
        re.findall(
            r'<small class="tag">([^<]+)</small></th>\s*<td class="num">(\d+)</td>', html, re.S
        )
    )
    any_rows = dict(
        re.findall(
            r'<small class="tag">([^<]+)</small></th>\s*<td class="num">\d+</td>\s*'
            r'<td class="num">(\d+)</td>',
            html,
            re.S,
        )
    )
    assert rows["tr"] == "1" and any_rows["tr"] == "2"  # bilgisayar preferred; klavye proposed
    assert rows["ug"] == "1" and any_rows["ug"] == "1"
    assert "of 2" in html
    narrowed = text_of(client.get("/coverage?domain=hardware"))
    assert "How many of the 1 concepts" in narrowed
    create_concept(CLI, terms=[{"lang": "ug", "text": "چاشقىنەك", "status": "preferred"}])
    assert "How many of the 3 concepts" in text_of(client.get("/coverage"))


def test_coverage_is_kept_while_nothing_changes(app, client, termbase, monkeypatch):
    monkeypatch.setitem(app.config, "COVERAGE_CACHE_SECONDS", 3600)
    first = text_of(client.get("/coverage"))
    counted = []
    listener = lambda *args: counted.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        again = text_of(client.get("/coverage"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert (
        again.split("<main")[1].split("</main>")[0] == first.split("<main")[1].split("</main>")[0]
    )
    assert len(counted) <= 2  # the version check only, no counting


def test_uselang_switches_the_interface_and_is_remembered(client):
    html = text_of(client.get("/?uselang=kk"))
    assert '<html lang="kk" dir="ltr">' in html and "Соңғы ұғымдар" in html
    again = text_of(client.get("/coverage"))
    assert '<html lang="kk"' in again and "<h1>Қамту</h1>" in again
    assert '<html lang="uz"' in text_of(client.get("/?uselang=uz-Latn"))


def test_accept_language_picks_the_interface_language(client):
    html = text_of(client.get("/", headers={"Accept-Language": "ky-KG,ky;q=0.9,en;q=0.5"}))
    assert '<html lang="ky"' in html and "Акыркы түшүнүктөр" in html
    fallback = text_of(client.get("/", headers={"Accept-Language": "ja"}))
    assert '<html lang="en"' in fallback


def test_lang_in_the_query_is_a_term_filter_not_the_interface_language(client, termbase):
    html = text_of(client.get("/search?q=computer&lang=kk"))
    assert '<html lang="en"' in html


def test_language_menu_marks_unreviewed_catalogues(client):
    html = text_of(client.get("/"))
    menu = html.split('<details class="uselang">')[1].split("</details>")[0]
    assert menu.count("needs native review") == 7  # every catalogue but English
    assert 'href="/?uselang=tt"' in menu


def test_concept_page_query_count_does_not_grow_with_terms(app, client):
    """No N+1: a concept with 4 terms and one with 40 cost the same number of queries."""

    def queries_for(n_terms: int) -> int:
        concept = create_concept(
            CLI, terms=[{"lang": "en", "text": f"word {n_terms} {i}"} for i in range(n_terms)]
        )
        counted = []
        engine = db.engine
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/concepts/{concept.uid}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(counted)

    assert queries_for(4) == queries_for(40)


def test_search_page_query_count_does_not_grow_with_results(app, client):
    """No N+1: grouping 3 or 15 hits with their equivalents costs the same queries."""

    def queries_for(word: str, n_concepts: int) -> int:
        for i in range(n_concepts):
            create_concept(
                CLI,
                terms=[
                    {"lang": "en", "text": f"{word} {i}"},
                    {"lang": "tr", "text": f"{word} tr {i}"},
                    {"lang": "kk", "text": f"{word} kk {i}"},
                ],
            )
        apply_pending()
        counted = []
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            html = text_of(client.get(f"/search?q={word}&lang=en"))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert html.count('<li class="result">') == n_concepts
        return len(counted)

    assert queries_for("alpha", 3) == queries_for("omega", 15)
