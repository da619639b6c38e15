"""/api/v1/coverage and /api/v1/changes answer what the Coverage and Recent changes pages show."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import bearer, term_id

PROBLEM = "application/problem+json"


def add_concept(client: FlaskClient, token: str, domain: str, terms: list[dict[str, Any]]) -> str:
    response = client.post(
        "/api/v1/concepts", json={"domain": domain, "terms": terms}, headers=bearer(token)
    )
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["uid"])


def test_coverage_counts_preferred_and_any_term_per_language(client, concept, admin_token):
    add_concept(
        client,
        admin_token,
        "geography",
        [
            {"lang": "kk", "text": "Қазақстан", "status": "preferred"},
            {"lang": "tr", "text": "Kazakistan"},
        ],
    )
    report = client.get("/api/v1/coverage").get_json()
    assert report["concepts"] == 2 and report["domain"] is None
    assert report["domains"] == ["computing", "geography"]
    rows = {row["tag"]: row for row in report["languages"]}
    assert {tag: (row["preferred"], row["any_term"]) for tag, row in rows.items()} == {
        "en": (1, 1),
        "kk": (1, 2),  # дерекқор is only proposed; Қазақстан is preferred
        "tr": (0, 1),
    }
    assert rows["kk"]["name"] == "қазақша" and rows["kk"]["dir"] == "ltr"

    computing = client.get("/api/v1/coverage?domain=computing").get_json()
    assert computing["concepts"] == 1 and computing["domain"] == "computing"
    assert {row["tag"]: row["preferred"] for row in computing["languages"]} == {"en": 1, "kk": 0}


def test_coverage_of_an_unknown_domain_is_a_422(client, concept):
    response = client.get("/api/v1/coverage?domain=astrology")
    assert response.status_code == 422 and response.content_type == PROBLEM
    assert "domain" in str(response.get_json())


def test_recent_changes_newest_first_with_a_language_filter(client, concept, admin_token):
    kk = term_id(concept, "дерекқор")
    patched = client.patch(
        f"/api/v1/terms/{kk}", json={"note": "Қазақ Уикипедиясы"}, headers=bearer(admin_token)
    )
    assert patched.status_code == 200, patched.get_json()

    changes = client.get("/api/v1/changes").get_json()
    newest = changes["results"][0]
    assert newest["action"] == "term.update" and newest["entity_id"] == str(kk)
    assert newest["concept"] == concept["uid"] and newest["concept_label"] == "database"
    assert newest["subject"] == "дерекқор" and newest["subject_lang"] == "kk"
    assert newest["fields"] == [
        {"name": "note", "before": None, "after": "Қазақ Уикипедиясы", "segments": []}
    ]
    assert newest["actor"] == "admin" and newest["revertable"] is True
    ids = [entry["id"] for entry in changes["results"]]
    assert ids == sorted(ids, reverse=True) and changes["next"] is None

    kazakh = client.get("/api/v1/changes?lang=kk").get_json()["results"]
    assert kazakh and all(entry["subject_lang"] == "kk" for entry in kazakh)
    assert len(kazakh) < len(ids)  # the concept's own rows and the English term's are left out


def test_recent_changes_pages_follow_the_cursor(client, concept, admin_token):
    for number in range(3):
        add_concept(client, admin_token, "computing", [{"lang": "en", "text": f"word {number}"}])
    everything = [entry["id"] for entry in client.get("/api/v1/changes").get_json()["results"]]
    seen: list[int] = []
    url = "/api/v1/changes?limit=2"
    while url:
        page = client.get(url).get_json()
        assert len(page["results"]) <= 2
        seen += [entry["id"] for entry in page["results"]]
        url = f"/api/v1/changes?limit=2&cursor={page['next']}" if page["next"] else ""
    assert seen == everything and len(seen) > 2


def test_recent_changes_refuse_what_they_cannot_understand(client, concept):
    for query in ("lang=xx-nowhere", "cursor=not-ours", "limit=0", "limit=201"):
        response = client.get(f"/api/v1/changes?{query}")
        assert response.status_code == 422, query
        assert response.content_type == PROBLEM


def test_an_over_long_url_is_a_414_problem(client):
    response = client.get("/api/v1/changes?cursor=" + "%F0%A7%B3%83" * 400)
    assert response.status_code == 414 and response.content_type == PROBLEM
    assert "4000" in response.get_json()["detail"]
    assert client.get("/api/v1/changes?cursor=" + "A" * 300).status_code == 422  # short: parsed
