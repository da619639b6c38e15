"""PATCH /api/v1/terms/{id}: text and notes for editors, statuses for moderators."""

from __future__ import annotations

from tests.api.conftest import bearer, term_id


def _terms_by_text(client, uid):
    return {t["text"]: t for t in client.get(f"/api/v1/concepts/{uid}").get_json()["terms"]}


def test_editor_changes_text_pos_and_note(client, concept, editor_token):
    term = term_id(concept, "дерекқор")
    body = {"text": "  дерекқор  ", "pos": "noun", "note": "Ресми термин"}
    response = client.patch(f"/api/v1/terms/{term}", json=body, headers=bearer(editor_token))
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["text"] == "дерекқор" and changed["pos"] == "noun"
    assert changed["note"] == "Ресми термин" and changed["status"] == "proposed"


def test_editor_may_not_change_a_status(client, concept, editor_token):
    term = term_id(concept, "дерекқор")
    response = client.patch(
        f"/api/v1/terms/{term}", json={"status": "preferred"}, headers=bearer(editor_token)
    )
    assert response.status_code == 403
    assert "moderator" in response.get_json()["detail"]


def test_a_new_preferred_term_demotes_the_old_one(client, concept, token_for):
    moderator = token_for("moderator")
    first, second = term_id(concept, "дерекқор"), term_id(concept, "деректер базасы")
    for term in (first, second):
        response = client.patch(
            f"/api/v1/terms/{term}", json={"status": "preferred"}, headers=bearer(moderator)
        )
        assert response.status_code == 200, response.get_json()
    terms = _terms_by_text(client, concept["uid"])
    assert terms["деректер базасы"]["status"] == "preferred"
    assert terms["дерекқор"]["status"] == "admitted"
    assert terms["database"]["status"] == "preferred"  # another language: untouched

    history = client.get(f"/api/v1/concepts/{concept['uid']}/history").get_json()["results"]
    assert [row["action"] for row in history[:3]] == ["term.update", "term.demote", "term.update"]
    assert history[1]["after"] == {"status": "admitted", "replaced_by": second}


def test_moderator_rejects_and_deprecates(client, concept, token_for):
    moderator = token_for("moderator")
    term = term_id(concept, "дерекқор")
    for status in ("rejected", "deprecated", "proposed"):
        response = client.patch(
            f"/api/v1/terms/{term}", json={"status": status}, headers=bearer(moderator)
        )
        assert response.get_json()["status"] == status


def test_renaming_onto_a_sibling_is_a_409(client, concept, editor_token):
    term = term_id(concept, "дерекқор")
    response = client.patch(
        f"/api/v1/terms/{term}", json={"text": "Деректер базасы"}, headers=bearer(editor_token)
    )
    assert response.status_code == 409
    assert response.get_json()["term"] == term_id(concept, "деректер базасы")


def test_bad_patches_are_422_and_unknown_terms_404(client, concept, editor_token):
    term = term_id(concept, "дерекқор")
    url = f"/api/v1/terms/{term}"
    for body, field in (
        ({"status": "great"}, "status"),
        ({"text": ""}, "text"),
        ({"text": 42}, "text"),
        ({"text": "a\u0007b"}, "text"),
    ):
        response = client.patch(url, json=body, headers=bearer(editor_token))
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"], response.get_json()
    assert (
        client.patch("/api/v1/terms/999999", json={}, headers=bearer(editor_token)).status_code
        == 404
    )
    too_big = client.patch(
        "/api/v1/terms/99999999999999999999", json={}, headers=bearer(editor_token)
    )
    assert too_big.status_code == 404
