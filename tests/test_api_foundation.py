"""The /api/v1 endpoints other capabilities build on: languages, stats, concepts."""

from __future__ import annotations

import uuid


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


NEW_CONCEPT = {
    "domain": "computing",
    "definitions": {"en": "An organised collection of structured data"},
    "wikidata": "Q8513",
    "terms": [
        {"lang": "en", "text": "database", "pos": "noun", "status": "preferred"},
        {"lang": "kk", "text": "дерекқор", "pos": "noun"},
        {"lang": "tr", "text": "veritabanı"},
        {"lang": "uz", "text": "maʼlumotlar bazasi"},
        {"lang": "ug", "text": "سانداني"},
    ],
}


def test_languages_lists_the_registry(client):
    response = client.get("/api/v1/languages")
    assert response.status_code == 200
    languages = {row["tag"]: row for row in response.get_json()}
    assert languages["kk"]["name"] == "Kazakh" and languages["kk"]["script"] == "Cyrl"
    assert languages["kk"]["dir"] == "ltr"
    assert languages["ug"]["dir"] == "rtl"
    assert languages["tr"]["autonym"] == "Türkçe"
    assert response.get_json()[0]["tag"] == "kk"  # registry order


def test_stats_counts_match_the_contract(client):
    response = client.get("/api/v1/stats")
    assert response.get_json() == {
        "concepts": 0,
        "terms": 0,
        "languages": 0,
        "meetups": 0,
        "votes": 0,
    }


def test_admin_creates_a_concept_and_reads_it_back(client, admin_token):
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers=_auth(admin_token))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    uuid.UUID(created["uid"])
    assert created["domain"] == "computing" and created["wikidata"] == "Q8513"
    assert created["definitions"] == {"en": "An organised collection of structured data"}
    by_lang = {term["lang"]: term for term in created["terms"]}
    assert by_lang["en"]["status"] == "preferred"
    assert by_lang["kk"] == {
        **by_lang["kk"],
        "text": "дерекқор",
        "status": "proposed",
        "pos": "noun",
        "concept": created["uid"],
    }
    assert by_lang["uz"]["text"] == "maʼlumotlar bazasi"
    assert all(isinstance(term["id"], int) for term in created["terms"])

    fetched = client.get(f"/api/v1/concepts/{created['uid']}").get_json()
    assert fetched["terms"] == created["terms"]
    assert client.get("/api/v1/stats").get_json()["terms"] == 5


def test_editor_terms_are_proposed_and_status_needs_a_moderator(client, editor_token):
    body = {"terms": [{"lang": "kk", "text": "файл"}]}
    response = client.post("/api/v1/concepts", json=body, headers=_auth(editor_token))
    assert response.status_code == 201
    assert response.get_json()["terms"][0]["status"] == "proposed"
    body = {"terms": [{"lang": "kk", "text": "файл", "status": "preferred"}]}
    response = client.post("/api/v1/concepts", json=body, headers=_auth(editor_token))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "moderator" in response.get_json()["detail"]


def test_writing_needs_a_token(client):
    response = client.post("/api/v1/concepts", json=NEW_CONCEPT)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_wrong_token_is_refused_not_ignored(client):
    response = client.post(
        "/api/v1/concepts", json=NEW_CONCEPT, headers=_auth("tamyr_not-a-real-token")
    )
    assert response.status_code == 401
    assert "unknown or revoked" in response.get_json()["detail"]


def test_schema_failures_are_422_problems_naming_the_field(client, admin_token):
    response = client.post(
        "/api/v1/concepts", json={"wikidata": "database"}, headers=_auth(admin_token)
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert problem["status"] == 422 and "wikidata" in problem["errors"]


def test_malformed_language_tag_is_a_clear_error(client, admin_token):
    body = {"terms": [{"lang": "not a tag", "text": "x"}]}
    response = client.post("/api/v1/concepts", json=body, headers=_auth(admin_token))
    assert response.status_code == 422
    assert "not a tag" in response.get_json()["detail"]


def test_aliases_and_plain_languages_are_accepted(client, admin_token):
    body = {
        "terms": [
            {"lang": "kk_KZ", "text": "тіл"},
            {"lang": "uz@cyrillic", "text": "тил"},
            {"lang": "DE-DE", "text": "Sprache"},
        ]
    }
    response = client.post("/api/v1/concepts", json=body, headers=_auth(admin_token))
    assert response.status_code == 201
    assert sorted(t["lang"] for t in response.get_json()["terms"]) == ["de-DE", "kk", "uz-Cyrl"]
    tags = [row["tag"] for row in client.get("/api/v1/languages").get_json()]
    assert tags[-1] == "de-DE"  # plain languages come after the registry


def test_duplicate_term_in_a_concept_is_409(client, admin_token):
    uid = client.post(
        "/api/v1/concepts",
        json={"terms": [{"lang": "tr", "text": "Dosya"}]},
        headers=_auth(admin_token),
    ).get_json()["uid"]
    response = client.post(
        f"/api/v1/concepts/{uid}/terms",
        json={"lang": "tr", "text": "DOSYA"},
        headers=_auth(admin_token),
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/v1/concepts/{uid}/terms",
        json={"lang": "tr", "text": "Belge"},
        headers=_auth(admin_token),
    )
    assert response.status_code == 201 and response.get_json()["text"] == "Belge"


def test_unknown_concept_is_404_problem(client):
    response = client.get(f"/api/v1/concepts/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_openapi_document_is_relative(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["info"]["title"] == "Tamyr"
    assert "/api/v1/concepts" in document["paths"]
    assert all(not s.get("url", "").startswith("http") for s in document.get("servers", []))


def test_writes_are_recorded_in_history(app, client, admin_token):
    from glossary.extensions import db
    from glossary.models import History, SearchOutbox

    created = client.post("/api/v1/concepts", json=NEW_CONCEPT, headers=_auth(admin_token))
    actions = [row.action for row in db.session.query(History)]
    assert "concept.create" in actions
    # The request wrote one outbox row per new term and applied them to the index after commit.
    assert db.session.query(SearchOutbox).count() == 0
    found = client.get("/api/v1/search", query_string={"q": NEW_CONCEPT["terms"][1]["text"]})
    assert created.get_json()["uid"] in {row["concept"] for row in found.get_json()["results"]}


def test_term_changes_write_outbox_rows_in_their_transaction(app):
    from glossary.extensions import db
    from glossary.models import SearchOutbox
    from glossary.services.actors import CLI
    from glossary.services.terms import create_concept

    create_concept(CLI, domain=None, definitions={}, terms=NEW_CONCEPT["terms"])
    assert db.session.query(SearchOutbox).count() == len(NEW_CONCEPT["terms"])
