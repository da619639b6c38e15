"""The first pages: home with a search box and recent concepts, and a concept page."""

from __future__ import annotations

from glossary.services.actors import CLI
from glossary.services.terms import create_concept


def test_home_page_has_the_search_box(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<input type="search"' in html and 'name="q"' in html
    assert "tamyr demo" in html  # the empty state tells a newcomer what to do


def test_home_lists_recent_concepts_and_concept_page_shows_rtl(app, client):
    concept = create_concept(
        CLI,
        domain="ethnonym",
        terms=[
            {"lang": "en", "text": "Uyghur"},
            {"lang": "ug", "text": "ئۇيغۇر"},
            {"lang": "kk", "text": "Ұйғыр"},
        ],
    )
    html = client.get("/").get_data(as_text=True)
    assert f"/concepts/{concept.uid}" in html and "ئۇيغۇر" in html
    page = client.get(f"/concepts/{concept.uid}").get_data(as_text=True)
    assert '<span class="term" lang="ug" dir="rtl">ئۇيغۇر</span>' in page
    assert '<span class="term" lang="kk" dir="ltr">Ұйғыр</span>' in page


def test_user_text_is_escaped(app, client):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "<script>alert(1)</script>"}])
    page = client.get(f"/concepts/{concept.uid}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
