"""The wiki habits through the pages: recent changes and their Atom feed, the concept history
with diffs, and the moderator tools (merge, split, revert) with roles and CSRF enforced."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from glossary.extensions import db
from glossary.models import History, Term
from glossary.services.actors import CLI
from glossary.services.editing import update_term
from glossary.services.terms import create_concept, get_concept
from tests.web.page_helpers import counted_queries, new_client, post_form, sign_in_as, text

ATOM = "{http://www.w3.org/2005/Atom}"
XSS = '<script>alert("x")</script>'


@pytest.fixture
def moderator(app):
    client = new_client(app)
    sign_in_as(client, "dana", "moderator")
    return client


@pytest.fixture
def editor(app):
    client = new_client(app)
    sign_in_as(client, "aigerim", "editor")
    return client


@pytest.fixture
def twins(app):
    """Two concepts for "database" that a moderator should merge."""
    keep = create_concept(
        CLI,
        terms=[
            {"lang": "en", "text": "database", "status": "preferred"},
            {"lang": "kk", "text": "дерекқор", "status": "preferred"},
        ],
    )
    other = create_concept(
        CLI,
        terms=[
            {"lang": "kk", "text": "деректер базасы", "status": "preferred"},
            {"lang": "en", "text": "Database", "status": "admitted"},
        ],
    )
    return keep, other


def change_id(action: str) -> int:
    return db.session.scalars(select(History.id).where(History.action == action)).first()


# -- recent changes ------------------------------------------------------------------------
def test_recent_changes_lists_newest_first_in_words(app, client):
    concept = create_concept(CLI, terms=[{"lang": "tr", "text": "bilgisayar"}])
    update_term(CLI, concept.terms[0], {"status": "preferred"})
    html = text(client.get("/changes"))
    items = re.findall(r'<li id="change-\d+" data-action="([^"]+)">', html)
    assert items == ["term.update", "concept.create"]
    assert "changed a term" in html and "created the concept" in html
    assert '<del dir="auto">proposed</del> → <ins dir="auto">preferred</ins>' in html
    assert f'href="/concepts/{concept.uid}#change-' in html
    assert '<span class="actor">cli</span>' in html
    # linked from every page: the navigation and the feed discovery link
    home = text(client.get("/"))
    assert '<a href="/changes">Recent changes</a>' in home
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/changes.atom"' in home


def test_recent_changes_pages_with_an_older_link(app, client):
    for number in range(55):
        create_concept(CLI, terms=[{"lang": "en", "text": f"term {number}"}])
    first = text(client.get("/changes"))
    assert first.count('data-action="concept.create"') == 50
    older = re.search(r'<a rel="next" href="([^"]+)">Older changes</a>', first).group(1)
    second = text(client.get(older.replace("&amp;", "&")))
    assert second.count('data-action="concept.create"') == 5
    assert "term 0" in second and "term 54" not in second
    assert 'rel="next"' not in second


def test_recent_changes_filter_by_language(app, client):
    concept = create_concept(
        CLI, terms=[{"lang": "tr", "text": "fare"}, {"lang": "kk", "text": "тышқан"}]
    )
    for term in concept.terms:
        update_term(CLI, term, {"pos": "noun"})
    html = text(client.get("/changes?lang=kk"))
    assert html.count('data-action="term.update"') == 1 and "тышқан" in html
    assert '<option value="kk" selected>' in html
    assert client.get("/changes?lang=xx").status_code == 422


def test_recent_changes_runs_a_fixed_number_of_queries(app, client):
    def queries() -> int:
        with counted_queries() as statements:
            assert client.get("/changes").status_code == 200
        return len(statements)

    first = create_concept(CLI, terms=[{"lang": "en", "text": "one"}])
    update_term(CLI, first.terms[0], {"pos": "noun"})
    few = queries()
    for number in range(20):
        concept = create_concept(CLI, terms=[{"lang": "en", "text": f"word {number}"}])
        update_term(CLI, concept.terms[0], {"pos": "noun"})
    assert queries() == few


def test_atom_feed_is_valid_atom_with_the_changes(app, client):
    concept = create_concept(CLI, terms=[{"lang": "tr", "text": "klavye"}])
    update_term(CLI, concept.terms[0], {"text": XSS})
    response = client.get("/changes.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # well-formed XML: user text was escaped
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href").endswith("/changes.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    newest = entries[0]
    for name in ("id", "title", "updated", "summary"):
        assert newest.find(f"{ATOM}{name}").text, name
    assert newest.find(f"{ATOM}author/{ATOM}name").text == "cli"
    assert newest.find(f"{ATOM}link").get("href").startswith("http://localhost/concepts/")
    assert XSS in newest.find(f"{ATOM}title").text  # as text, not markup
    assert newest.find(f"{ATOM}summary").text == f"Term: klavye → {XSS}"
    assert newest.find(f"{ATOM}id").text.startswith("tag:localhost,")
    assert b"<script>" not in response.data
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 2


# -- concept history with diffs --------------------------------------------------------------
def test_concept_history_shows_an_escaped_diff(app, client):
    concept = create_concept(CLI, terms=[{"lang": "kk", "text": "деректер базасы"}])
    update_term(CLI, concept.terms[0], {"text": f"деректер {XSS}"})
    html = text(client.get(f"/concepts/{concept.uid}"))
    history = html[html.index('<section id="history">') :]
    assert "<del>базасы</del>" in history
    assert "<ins>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</ins>" in history
    assert "<script>alert" not in html
    assert 'data-action="term.update"' in history


def test_history_speaks_the_interface_language(app, client):
    concept = create_concept(CLI, terms=[{"lang": "tr", "text": "fare"}])
    update_term(CLI, concept.terms[0], {"status": "preferred"})
    html = text(client.get(f"/concepts/{concept.uid}?uselang=kk"))
    history = html[html.index('<section id="history">') :]
    assert "терминді өзгертті" in history  # "changed a term"
    assert '<del dir="auto">ұсыныс</del> → <ins dir="auto">таңдаулы</ins>' in history
    assert "Жуықтағы өзгерістер" in text(client.get("/changes?uselang=kk"))


# -- merge ------------------------------------------------------------------------------------
def test_moderator_merges_a_duplicate_and_its_address_redirects(app, moderator, twins):
    keep, other = twins
    page = text(moderator.get(f"/concepts/{keep.uid}"))
    assert "Moderator tools" in page
    response = post_form(
        moderator,
        f"/concepts/{keep.uid}/merge",
        {"other": f"http://localhost/concepts/{other.uid}"},  # a pasted address works too
        token_from=f"/concepts/{keep.uid}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    terms = {(t.lang, t.text, t.status) for t in get_concept(keep.uid).terms}
    assert terms == {
        ("en", "database", "preferred"),  # "Database" is the same term: kept once
        ("kk", "дерекқор", "preferred"),
        ("kk", "деректер базасы", "admitted"),  # two preferred: the newcomer steps down
    }
    redirect = moderator.get(f"/concepts/{other.uid}")
    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith(f"/concepts/{keep.uid}")
    landed = text(moderator.get(redirect.headers["Location"]))
    assert f"Redirected from the merged concept {other.uid}." in landed
    assert 'data-action="concept.merge"' in landed
    changes = text(moderator.get("/changes"))
    assert "merged a duplicate into the concept" in changes


def test_merge_reports_a_problem_on_the_page(app, moderator, twins):
    keep, _other = twins
    response = post_form(
        moderator, f"/concepts/{keep.uid}/merge", {"other": keep.uid}, token_from="/changes"
    )
    assert response.status_code == 302
    page = text(moderator.get(response.headers["Location"]))
    assert "cannot be merged into itself" in page


# -- split ------------------------------------------------------------------------------------
def test_moderator_splits_terms_off(app, moderator):
    concept = create_concept(
        CLI, terms=[{"lang": "en", "text": "mouse"}, {"lang": "tr", "text": "sıçan"}]
    )
    animal = next(t for t in concept.terms if t.lang == "tr")
    response = post_form(
        moderator,
        f"/concepts/{concept.uid}/split",
        {"terms": str(animal.id)},
        token_from="/changes",
    )
    assert response.status_code == 302
    new_uid = response.headers["Location"].rsplit("/", 1)[1]
    assert new_uid != concept.uid
    db.session.expire_all()
    assert [t.text for t in get_concept(new_uid).terms] == ["sıçan"]
    assert [t.text for t in get_concept(concept.uid).terms] == ["mouse"]
    assert "split terms off the concept" in text(moderator.get(f"/concepts/{concept.uid}"))


# -- revert -----------------------------------------------------------------------------------
def test_moderator_reverts_a_change_from_the_history(app, moderator):
    concept = create_concept(CLI, terms=[{"lang": "uz", "text": "kompyuter"}])
    update_term(CLI, concept.terms[0], {"text": "kompyuterr", "status": "preferred"})
    page = text(moderator.get(f"/concepts/{concept.uid}"))
    edit = change_id("term.update")
    assert f'action="/changes/{edit}/revert"' in page
    response = post_form(moderator, f"/changes/{edit}/revert", token_from="/changes")
    assert response.status_code == 302 and response.headers["Location"].endswith("#history")
    db.session.expire_all()
    term = db.session.get(Term, concept.terms[0].id)
    assert (term.text, term.status) == ("kompyuter", "proposed")
    html = text(moderator.get(f"/concepts/{concept.uid}"))
    assert 'data-action="term.revert"' in html and "reverted a change to a term" in html
    again = post_form(moderator, f"/changes/{edit}/revert", token_from="/changes")
    assert "already undone" in text(moderator.get(again.headers["Location"]))


# -- roles and CSRF ---------------------------------------------------------------------------
def curation_posts(concept, other, edit):
    return [
        (f"/concepts/{concept.uid}/merge", {"other": other.uid}),
        (f"/concepts/{concept.uid}/split", {"terms": str(concept.terms[0].id)}),
        (f"/changes/{edit}/revert", {}),
    ]


def test_editors_get_403_and_change_nothing(app, editor, twins):
    keep, other = twins
    update_term(CLI, keep.terms[0], {"pos": "noun"})
    page = text(editor.get(f"/concepts/{keep.uid}"))
    assert "Moderator tools" not in page and "/revert" not in page
    for path, data in curation_posts(keep, other, change_id("term.update")):
        assert post_form(editor, path, data, token_from="/changes").status_code == 403, path
    db.session.expire_all()
    assert get_concept(other.uid).merged_into_id is None
    assert db.session.get(Term, keep.terms[0].id).pos == "noun"


def test_anonymous_people_are_sent_to_sign_in(app, client, twins):
    keep, other = twins
    update_term(CLI, keep.terms[0], {"pos": "noun"})
    for path, data in curation_posts(keep, other, change_id("term.update")):
        response = post_form(client, path, data, token_from="/login")
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_curation_posts_without_a_csrf_token_are_refused(app, moderator, twins):
    keep, other = twins
    update_term(CLI, keep.terms[0], {"pos": "noun"})
    for path, data in curation_posts(keep, other, change_id("term.update")):
        assert moderator.post(path, data=data).status_code == 400, path
    db.session.expire_all()
    assert get_concept(other.uid).merged_into_id is None
