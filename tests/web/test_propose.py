"""Proposing through the pages: concepts (after seeing similar ones), terms and comments, with
roles checked on the server whatever the form shows."""

from __future__ import annotations

from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Comment, Concept
from glossary.services.actors import CLI
from glossary.services.indexing import apply_pending
from glossary.services.terms import create_concept, get_concept
from tests.web.conftest import csrf_token, make_user, sign_in
from tests.web.page_helpers import new_client


def concept_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Concept.id)))


def post_with_token(client, path, data, token_from):
    token = csrf_token(client.get(token_from).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def test_new_concept_shows_similar_ones_before_creating(app, editor_client):
    existing = create_concept(CLI, terms=[{"lang": "kk", "text": "компьютер"}])
    apply_pending()
    form = {"lang": "uz", "text": "kompyuter", "status": "proposed", "domain": "computing"}
    first = post_with_token(editor_client, "/concepts/new", form, "/concepts/new")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Similar concepts already exist" in html
    assert f"/concepts/{existing.uid}" in html and concept_count() == 1
    # the page now carries confirmed=1: submitting again means "create it anyway"
    assert 'name="confirmed" type="hidden" value="1"' in html
    second = editor_client.post(
        "/concepts/new", data={**form, "confirmed": "1", "csrf_token": csrf_token(html)}
    )
    assert second.status_code == 302 and concept_count() == 2
    created = get_concept(second.headers["Location"].rsplit("/", 1)[1])
    assert [(t.lang, t.text, t.status) for t in created.terms] == [("uz", "kompyuter", "proposed")]
    assert created.domain == "computing"


def test_new_concept_without_similar_ones_is_created_at_once(app, editor_client):
    form = {
        "lang": "tr",
        "text": "klavye",
        "status": "proposed",
        "definition": "Tuşlardan oluşan giriş aygıtı",
        "wikidata": "Q250",
    }
    response = post_with_token(editor_client, "/concepts/new", form, "/concepts/new")
    assert response.status_code == 302
    concept = get_concept(response.headers["Location"].rsplit("/", 1)[1])
    assert concept.wikidata == "Q250"
    assert {d.lang: d.text for d in concept.definitions} == {"tr": "Tuşlardan oluşan giriş aygıtı"}


def test_new_concept_reports_bad_input_on_the_form(app, editor_client):
    form = {"lang": "tr", "text": "fare", "status": "proposed", "wikidata": "not-a-qid"}
    response = post_with_token(editor_client, "/concepts/new", form, "/concepts/new")
    assert response.status_code == 200
    assert "is not a Wikidata item id" in response.get_data(as_text=True)
    assert concept_count() == 0


def test_viewers_cannot_propose_even_by_posting_directly(app, viewer_client):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "mouse"}])
    assert viewer_client.get("/concepts/new").status_code == 403
    token = csrf_token(viewer_client.get("/account").get_data(as_text=True))
    response = viewer_client.post(
        f"/concepts/{concept.uid}/terms", data={"lang": "tr", "text": "fare", "csrf_token": token}
    )
    assert response.status_code == 403
    created = viewer_client.post(
        "/concepts/new", data={"lang": "tr", "text": "fare", "csrf_token": token}
    )
    assert created.status_code == 403 and concept_count() == 1
    db.session.expire_all()
    assert [t.text for t in get_concept(concept.uid).terms] == ["mouse"]
    # and the concept page offers them no form to begin with
    assert "Add a term" not in viewer_client.get(f"/concepts/{concept.uid}").get_data(True)


def test_anonymous_people_are_sent_to_sign_in(client, app):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "mouse"}])
    assert "/login" in client.get("/concepts/new").headers["Location"]
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"/concepts/{concept.uid}/terms", data={"lang": "tr", "text": "fare", "csrf_token": token}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_editor_adds_a_term_and_a_duplicate_is_refused_clearly(app, editor_client):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "mouse"}])
    path = f"/concepts/{concept.uid}"
    response = post_with_token(
        editor_client, f"{path}/terms", {"lang": "tr", "text": "fare", "pos": "noun"}, path
    )
    assert response.status_code == 302
    page = editor_client.get(path).get_data(as_text=True)
    assert "The term is added." in page
    assert '<span class="term" lang="tr" dir="ltr">fare</span>' in page
    again = post_with_token(editor_client, f"{path}/terms", {"lang": "tr", "text": "FARE"}, path)
    assert "already has the tr term" in editor_client.get(again.headers["Location"]).get_data(
        as_text=True
    )


def test_only_moderators_may_set_a_status(app, editor_client):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "mouse"}])
    path = f"/concepts/{concept.uid}"
    page = editor_client.get(path).get_data(as_text=True)
    assert '<option value="preferred">' not in page  # the editor's form offers only proposed
    post_with_token(
        editor_client, f"{path}/terms", {"lang": "tr", "text": "fare", "status": "preferred"}, path
    )
    db.session.expire_all()
    assert [t.text for t in get_concept(concept.uid).terms] == ["mouse"]
    make_user("mod", "moderator")
    moderator = new_client(app)
    sign_in(moderator, "mod")
    post_with_token(
        moderator, f"{path}/terms", {"lang": "tr", "text": "fare", "status": "preferred"}, path
    )
    db.session.expire_all()
    assert {t.text: t.status for t in get_concept(concept.uid).terms}["fare"] == "preferred"


def test_signed_in_people_comment_and_anonymous_ones_cannot(app, client, viewer_client):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "mouse"}])
    path = f"/concepts/{concept.uid}"
    assert "Sign in to comment." in client.get(path).get_data(as_text=True)
    post_with_token(
        viewer_client, f"{path}/comments", {"text": "Is «тышқан» better?\nI think so."}, path
    )
    page = viewer_client.get(path).get_data(as_text=True)
    assert "Is «тышқан» better?\nI think so." in page and "bolat" in page
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(f"{path}/comments", data={"text": "spam", "csrf_token": token})
    assert db.session.scalar(select(func.count(Comment.id))) == 1
