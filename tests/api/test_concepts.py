"""Concepts over the API: list with cursors, read with ETags, change with history."""

from __future__ import annotations

from tests.api.conftest import bearer, term_id


def test_list_pages_through_every_concept_with_opaque_cursors(client, admin_token):
    uids = []
    for number in range(5):
        body = {"domain": "maths" if number % 2 else "computing", "terms": []}
        response = client.post("/api/v1/concepts", json=body, headers=bearer(admin_token))
        uids.append(response.get_json()["uid"])

    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/concepts", query_string=query).get_json()
        seen += [row["uid"] for row in page["results"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
        assert cursor.isascii() and str(uids[0]) not in cursor  # opaque, not an id or uid
    assert seen == uids and pages == 3

    maths = client.get("/api/v1/concepts", query_string={"domain": "maths"}).get_json()
    assert [row["uid"] for row in maths["results"]] == [uids[1], uids[3]]
    assert maths["next"] is None


def test_a_cursor_tamyr_did_not_make_is_a_422(client):
    for cursor in ("nonsense!", "eyJrIjogLTF9", "x" * 600):
        response = client.get("/api/v1/concepts", query_string={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.mimetype == "application/problem+json"
        assert "cursor" in response.get_json()["errors"]


def test_list_limit_out_of_range_is_a_422(client):
    response = client.get("/api/v1/concepts?limit=0")
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]


def test_get_answers_304_while_the_etag_is_current(client, concept, admin_token):
    url = f"/api/v1/concepts/{concept['uid']}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag

    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag

    client.patch(url, json={"note": "a new note"}, headers=bearer(admin_token))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["note"] == "a new note"


def test_unknown_concept_is_a_404_problem(client):
    response = client.get("/api/v1/concepts/no-such-uid")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 404 and "no-such-uid" in problem["detail"]


def test_patch_changes_only_what_is_sent_and_merges_definitions(client, concept, editor_token):
    url = f"/api/v1/concepts/{concept['uid']}"
    body = {"wikidata": "Q8513", "definitions": {"kk": "Деректер жиынтығы", "en": None}}
    response = client.patch(url, json=body, headers=bearer(editor_token))
    assert response.status_code == 200, response.get_json()
    patched = response.get_json()
    assert patched["wikidata"] == "Q8513"
    assert patched["domain"] == "computing"  # not sent, not changed
    assert patched["definitions"] == {"kk": "Деректер жиынтығы"}

    cleared = client.patch(
        url, json={"wikidata": None, "domain": None}, headers=bearer(editor_token)
    )
    assert cleared.get_json()["wikidata"] is None and cleared.get_json()["domain"] is None


def test_patch_rejects_a_bad_wikidata_id_and_unknown_fields(client, concept, editor_token):
    url = f"/api/v1/concepts/{concept['uid']}"
    bad = client.patch(url, json={"wikidata": "P31"}, headers=bearer(editor_token))
    assert bad.status_code == 422 and "wikidata" in bad.get_json()["errors"]
    unknown = client.patch(url, json={"uid": "mine"}, headers=bearer(editor_token))
    assert unknown.status_code == 422 and "uid" in unknown.get_json()["errors"]
    missing = client.patch("/api/v1/concepts/nope", json={}, headers=bearer(editor_token))
    assert missing.status_code == 404


def test_adding_the_same_term_again_is_a_409_naming_the_existing_one(client, concept, admin_token):
    url = f"/api/v1/concepts/{concept['uid']}/terms"
    response = client.post(
        url, json={"lang": "kk", "text": "ДЕРЕКҚОР"}, headers=bearer(admin_token)
    )
    assert response.status_code == 409
    assert response.get_json()["term"] == term_id(concept, "дерекқор")
    added = client.post(url, json={"lang": "tr", "text": "veritabanı"}, headers=bearer(admin_token))
    assert added.status_code == 201 and added.get_json()["status"] == "proposed"
    assert added.get_json()["concept"] == concept["uid"]
