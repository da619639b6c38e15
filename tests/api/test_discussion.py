"""Comments and history of a concept over the API."""

from __future__ import annotations

from tests.api.conftest import bearer, term_id


def test_signed_in_people_comment_and_everyone_reads(client, concept, token_for):
    url = f"/api/v1/concepts/{concept['uid']}/comments"
    viewer = token_for("viewer")
    first = client.post(url, json={"text": "Қазақ Уикипедиясында осылай"}, headers=bearer(viewer))
    assert first.status_code == 201, first.get_json()
    term = term_id(concept, "дерекқор")
    second = client.post(url, json={"text": "+1", "term": term}, headers=bearer(viewer))
    assert second.get_json()["term"] == term

    comments = client.get(url).get_json()
    assert [c["text"] for c in comments] == ["Қазақ Уикипедиясында осылай", "+1"]
    assert comments[0]["author"] == "viewer-user" and comments[0]["concept"] == concept["uid"]


def test_comment_errors(client, concept, token_for, admin_token):
    url = f"/api/v1/concepts/{concept['uid']}/comments"
    assert client.post(url, json={"text": "hi"}).status_code == 401
    empty = client.post(url, json={"text": "   "}, headers=bearer(admin_token))
    assert empty.status_code == 422 and "text" in empty.get_json()["errors"]
    stray = client.post(url, json={"text": "hi", "term": 999999}, headers=bearer(admin_token))
    assert stray.status_code == 404
    assert client.get("/api/v1/concepts/nope/comments").status_code == 404


def test_history_lists_every_change_newest_first_in_pages(client, concept, admin_token):
    uid = concept["uid"]
    for number in range(3):
        client.patch(
            f"/api/v1/concepts/{uid}", json={"note": f"n{number}"}, headers=bearer(admin_token)
        )
    first = client.get(f"/api/v1/concepts/{uid}/history", query_string={"limit": 2}).get_json()
    assert [row["action"] for row in first["results"]] == ["concept.update", "concept.update"]
    assert first["results"][0]["after"] == {"note": "n2"}
    assert first["results"][0]["before"] == {"note": "n1"}
    assert first["results"][0]["actor"] == "admin"
    rest = client.get(
        f"/api/v1/concepts/{uid}/history", query_string={"cursor": first["next"]}
    ).get_json()
    assert [row["action"] for row in rest["results"]] == ["concept.update", "concept.create"]
    assert rest["next"] is None
    assert client.get("/api/v1/concepts/nope/history").status_code == 404


def test_an_unchanged_patch_records_nothing(client, concept, admin_token):
    uid = concept["uid"]
    client.patch(
        f"/api/v1/concepts/{uid}", json={"domain": "computing"}, headers=bearer(admin_token)
    )
    history = client.get(f"/api/v1/concepts/{uid}/history").get_json()["results"]
    assert [row["action"] for row in history] == ["concept.create"]
