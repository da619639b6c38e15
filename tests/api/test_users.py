"""Accounts and tokens over the API."""

from __future__ import annotations

from tests.api.conftest import bearer


def test_admin_creates_a_user_and_a_token_that_works_until_revoked(client, admin_token):
    created = client.post(
        "/api/v1/users", json={"username": "kk-bot", "role": "editor"}, headers=bearer(admin_token)
    )
    assert created.status_code == 201, created.get_json()
    user = created.get_json()
    assert user["role"] == "editor" and "password" not in user

    made = client.post(
        f"/api/v1/users/{user['id']}/tokens", json={"name": "bot"}, headers=bearer(admin_token)
    )
    assert made.status_code == 201
    token = made.get_json()
    assert token["token"].startswith("tamyr_") and token["token"].startswith(token["prefix"])
    assert token["user"] == "kk-bot" and token["revoked_at"] is None

    me = client.get("/api/v1/me", headers=bearer(token["token"])).get_json()
    assert me["username"] == "kk-bot" and [t["id"] for t in me["tokens"]] == [token["id"]]
    assert me["tokens"][0]["last_used_at"] is not None

    revoked = client.delete(f"/api/v1/tokens/{token['id']}", headers=bearer(admin_token))
    assert revoked.status_code == 204
    after = client.get("/api/v1/me", headers=bearer(token["token"]))
    assert after.status_code == 401 and after.mimetype == "application/problem+json"
    listed = client.get(f"/api/v1/users/{user['id']}/tokens", headers=bearer(admin_token))
    assert listed.get_json()[0]["revoked_at"] is not None


def test_users_list_pages_by_id(client, admin_token):
    for number in range(3):
        client.post("/api/v1/users", json={"username": f"u{number}"}, headers=bearer(admin_token))
    page = client.get("/api/v1/users?limit=2", headers=bearer(admin_token)).get_json()
    assert [u["username"] for u in page["results"]] == ["admin", "u0"]
    rest = client.get(f"/api/v1/users?cursor={page['next']}", headers=bearer(admin_token))
    assert [u["username"] for u in rest.get_json()["results"]] == ["u1", "u2"]


def test_user_errors(client, admin_token):
    dup = client.post("/api/v1/users", json={"username": "admin"}, headers=bearer(admin_token))
    assert dup.status_code == 409
    bad = client.post(
        "/api/v1/users", json={"username": "x", "role": "king"}, headers=bearer(admin_token)
    )
    assert bad.status_code == 422 and "role" in bad.get_json()["errors"]
    short = client.post(
        "/api/v1/users", json={"username": "x", "password": "short"}, headers=bearer(admin_token)
    )
    assert short.status_code == 422 and "password" in short.get_json()["errors"]
    assert (
        client.post("/api/v1/users/999/tokens", json={}, headers=bearer(admin_token)).status_code
        == 404
    )
    assert client.delete("/api/v1/tokens/999", headers=bearer(admin_token)).status_code == 404
    assert client.get("/api/v1/me").status_code == 401


def test_people_manage_their_own_tokens_but_not_others(client, token_for):
    viewer = token_for("viewer")
    editor = token_for("editor")
    me = client.get("/api/v1/me", headers=bearer(viewer)).get_json()
    own = client.post(f"/api/v1/users/{me['id']}/tokens", json={}, headers=bearer(viewer))
    assert own.status_code == 201 and own.get_json()["name"] == "default"
    theirs = client.get(f"/api/v1/users/{me['id']}/tokens", headers=bearer(editor))
    assert theirs.status_code == 403
    gone = client.delete(f"/api/v1/tokens/{own.get_json()['id']}", headers=bearer(editor))
    assert gone.status_code == 403
    assert (
        client.delete(f"/api/v1/tokens/{own.get_json()['id']}", headers=bearer(viewer)).status_code
        == 204
    )


def test_a_malformed_authorization_header_is_a_401(client):
    for header in ("Basic abc", "Bearer ", "Bearer tamyr_unknown"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
