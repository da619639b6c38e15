"""/api/v1/search, /suggest and /lookup: the DESIGN.md §8 shapes, on each backend."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

TERM_FIELDS = {"id", "concept", "lang", "text", "status", "pos"}


@pytest.fixture
def api(search_app: Any, countries: list[str]) -> FlaskClient:
    return search_app.test_client()


def test_search_shape(api: FlaskClient):
    response = api.get("/api/v1/search", query_string={"q": "Qazaqstan"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"results", "next"}
    assert body["next"] is None
    first = body["results"][0]
    assert TERM_FIELDS | {"match", "score"} <= set(first)
    assert (first["lang"], first["text"], first["match"]) == ("kk-Latn", "Qazaqstan", "exact")
    assert {"kk", "en", "tr"} <= {row["lang"] for row in body["results"]}


def test_search_filters_and_cursor(api: FlaskClient):
    query = {"q": "Türkiye", "limit": 1}
    first = api.get("/api/v1/search", query_string=query).get_json()
    assert len(first["results"]) == 1 and first["next"]
    second = api.get("/api/v1/search", query_string={**query, "cursor": first["next"]}).get_json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    only = api.get(
        "/api/v1/search", query_string={"q": "Türkiye", "status": "admitted", "lang": "en"}
    ).get_json()
    assert [(r["lang"], r["status"]) for r in only["results"]] == [("en", "admitted")]
    weather = api.get("/api/v1/search", query_string={"q": "ilik", "domain": "weather"})
    assert [r["text"] for r in weather.get_json()["results"]] == ["ılık"]


def test_suggest_shape(api: FlaskClient):
    body = api.get("/api/v1/suggest", query_string={"q": "qa", "lang": "kk"}).get_json()
    assert body == {"suggestions": [body["suggestions"][0]]}
    suggestion = body["suggestions"][0]
    assert set(suggestion) == {"concept", "term", "lang", "text"}
    assert (suggestion["lang"], suggestion["text"]) == ("kk", "Қазақстан")
    one = api.get("/api/v1/suggest", query_string={"q": "q"}).get_json()
    assert one == {"suggestions": []}


def test_lookup_shape_with_spans(api: FlaskClient):
    text = "Қазақстанның астанасы"
    response = api.post("/api/v1/lookup", json={"text": text, "lang": "kk"})
    assert response.status_code == 200
    (match,) = response.get_json()["matches"]
    assert (match["start"], match["end"], match["surface"]) == (0, 12, "Қазақстанның")
    assert text[match["start"] : match["end"]] == match["surface"]
    assert set(match["term"]) >= TERM_FIELDS
    assert (match["term"]["lang"], match["term"]["text"]) == ("kk", "Қазақстан")


def test_lookup_turkish_suffixes_after_apostrophes(api: FlaskClient):
    text = "Türkiye'nin kitapları ve veri tabanında"
    matches = api.post("/api/v1/lookup", json={"text": text, "lang": "tr"}).get_json()["matches"]
    assert [(m["surface"], m["term"]["text"]) for m in matches] == [
        ("Türkiye'nin", "Türkiye"),
        ("kitapları", "kitap"),
        ("veri tabanında", "veri tabanı"),
    ]


def test_a_new_term_is_searchable_right_after_the_write(api: FlaskClient, admin_token: str):
    created = api.post(
        "/api/v1/concepts",
        json={"terms": [{"lang": "kk", "text": "Алатау"}]},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert created.status_code == 201
    body = api.get("/api/v1/search", query_string={"q": "Alatau", "lang": "kk"}).get_json()
    assert [r["text"] for r in body["results"]] == ["Алатау"]


@pytest.mark.parametrize(
    "query",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "a\x07b"},
        {"q": "kitap", "lang": "xx-Zzzz"},
        {"q": "kitap", "status": "approved"},
        {"q": "kitap", "limit": 0},
        {"q": "kitap", "cursor": "garbage"},
        {},
    ],
)
def test_bad_search_input_is_a_problem_not_a_500(api: FlaskClient, query: dict[str, Any]):
    response = api.get("/api/v1/search", query_string=query)
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]


def test_lone_surrogate_in_the_url_is_refused(api: FlaskClient):
    response = api.get("/api/v1/search?q=%ED%A0%80")  # UTF-8 of U+D800: not valid UTF-8
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Қазақстан"},
        {"text": "", "lang": "kk"},
        {"text": "Қазақстан", "lang": "no-such-language"},
        {"text": "x" * 30_000, "lang": "kk"},
        {"text": 5, "lang": "kk"},
    ],
)
def test_bad_lookup_input_is_a_problem(api: FlaskClient, body: dict[str, Any]):
    response = api.post("/api/v1/lookup", json=body)
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_lookup_needs_json(api: FlaskClient):
    response = api.post("/api/v1/lookup", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
