"""Hostile and sloppy requests get a clear 4xx problem, never a 500; CORS, limits, docs."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import bearer

JSON = "application/json"
BAD_BODIES = {
    "not json": b"{domain: computing}",
    "truncated": b'{"terms": [',
    "latin-1 bytes": '{"domain": "Türkçe"}'.encode("latin-1"),
    "lone surrogate": b'{"domain": "\\ud800"}',
    "lone surrogate key": b'{"\\udfff": 1}',
    "deep nesting": b'{"terms": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "moderately deep": b'{"definitions": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}",
    "huge integer": b'{"terms": [], "x": ' + b"9" * 5000 + b"}",
    "big integer": b'{"domain": 12345678901234567890}',
    "huge float": b'{"domain": 1e999}',
    "NaN": b'{"domain": NaN}',
    "Infinity": b'{"domain": -Infinity}',
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_malformed_json_is_a_400_problem(client, admin_token, name):
    response = client.post(
        "/api/v1/concepts",
        data=BAD_BODIES[name],
        content_type=JSON,
        headers=bearer(admin_token),
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and problem["title"] and problem["detail"]


WRONG_TYPES = [
    ([], "_schema"),
    ("a string", "_schema"),
    ({"domain": 7}, "domain"),
    ({"definitions": ["en", "x"]}, "definitions"),
    ({"definitions": {"en": 5}}, "definitions"),
    ({"terms": {"lang": "kk"}}, "terms"),
    ({"terms": [{"lang": "kk"}]}, "terms"),
    ({"terms": [{"lang": "kk", "text": None}]}, "terms"),
    ({"terms": [{"lang": "kk", "text": "x", "status": True}]}, "terms"),
    ({"wikidata": "Q0"}, "wikidata"),
]


@pytest.mark.parametrize(("body", "field"), WRONG_TYPES)
def test_wrong_types_are_a_422_naming_the_field(client, admin_token, body, field):
    response = client.post("/api/v1/concepts", json=body, headers=bearer(admin_token))
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_an_unknown_language_is_a_422_not_a_500(client, admin_token):
    body = {"terms": [{"lang": "x" * 35, "text": "a"}]}
    response = client.post("/api/v1/concepts", json=body, headers=bearer(admin_token))
    assert response.status_code == 422


def test_a_body_over_the_json_limit_is_a_413_problem(client, admin_token, app):
    limit = app.config["API_JSON_MAX_BYTES"]
    body = json.dumps({"note": "x" * (limit + 1)})
    response = client.post(
        "/api/v1/concepts", data=body, content_type=JSON, headers=bearer(admin_token)
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_max_content_length_applies_to_any_api_body(client, admin_token, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post(
            "/api/v1/concepts",
            data=json.dumps({"note": "x" * 2000}),
            content_type=JSON,
            headers=bearer(admin_token),
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_ids_beyond_the_database_range_are_not_found(client, admin_token):
    for url in ("/api/v1/terms/2147483648", "/api/v1/users/99999999999999999999/tokens"):
        response = client.patch(url, json={}, headers=bearer(admin_token))
        assert response.status_code in (404, 405)
        response = client.post(url, json={}, headers=bearer(admin_token))
        assert response.status_code in (404, 405)


def test_reads_carry_cors_headers_for_any_site(client, concept):
    origin = {"Origin": "https://kk.wikipedia.org"}
    response = client.get(f"/api/v1/concepts/{concept['uid']}", headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_cors_preflight_allows_reads_only(client):
    response = client.options(
        "/api/v1/concepts",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    allowed = response.headers.get("Access-Control-Allow-Methods", "")
    assert "POST" not in allowed and "Authorization" not in response.headers.get(
        "Access-Control-Allow-Headers", ""
    )
    read = client.options(
        "/api/v1/concepts",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert "GET" in read.headers["Access-Control-Allow-Methods"]


def test_writes_are_limited_per_user_with_ratelimit_headers(client, app, admin_token, token_for):
    app.config["API_WRITE_RATE_LIMIT"] = "3/minute"
    try:
        answers = [
            client.post("/api/v1/concepts", json={}, headers=bearer(admin_token)) for _ in range(4)
        ]
        other_user = client.post("/api/v1/concepts", json={}, headers=bearer(token_for("editor")))
        reads = [client.get("/api/v1/concepts") for _ in range(20)]
    finally:
        app.config["API_WRITE_RATE_LIMIT"] = "10000/second"
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert answers[0].headers["RateLimit-Remaining"] == "2"
    assert int(answers[0].headers["RateLimit-Reset"]) > 0
    assert answers[3].mimetype == "application/problem+json"
    assert "Retry-After" in answers[3].headers
    assert other_user.status_code == 201  # per user, not per address
    assert {r.status_code for r in reads} == {200}  # reads are never limited here


def test_the_default_write_limit_is_ten_per_second(app):
    from glossary import create_app

    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert fresh.config["API_WRITE_RATE_LIMIT"] == "10/second"


def test_the_openapi_document_is_relative_and_documents_problems(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "servers" not in spec or all(not s["url"].startswith("http") for s in spec["servers"])
    problem = spec["components"]["responses"]["BAD_REQUEST"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (method, path)
            assert "400" in operation["responses"], (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"401", "403", "422", "429"} <= set(operation["responses"]), (method, path)


def test_the_docs_page_loads_its_assets_from_tamyr_itself(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "cdn" not in html.lower() and "//" not in html.split("<script>")[0].replace(
        "<!DOCTYPE", ""
    )
    assert 'src="docs-assets/swagger-ui-bundle.js"' in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        response = client.get(f"/api/v1/docs-assets/{asset}")
        assert response.status_code == 200 and len(response.data) > 1000, asset
