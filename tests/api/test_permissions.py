"""Who may do what: every write endpoint against every role, as one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import ROLES_AND_ANONYMOUS, bearer, term_id

Call = Callable[[Any, dict[str, Any], dict[str, str]], Any]

# endpoint -> (the least role that may do it, how to call it, status on success)
WRITES: dict[str, tuple[str, Call, int]] = {
    "POST /concepts": (
        "editor",
        lambda c, ctx, h: c.post("/api/v1/concepts", json={"terms": []}, headers=h),
        201,
    ),
    "PATCH /concepts/{uid}": (
        "editor",
        lambda c, ctx, h: c.patch(ctx["concept_url"], json={"note": "n"}, headers=h),
        200,
    ),
    "POST /concepts/{uid}/terms": (
        "editor",
        lambda c, ctx, h: c.post(
            ctx["concept_url"] + "/terms", json={"lang": "tr", "text": "veritabanı"}, headers=h
        ),
        201,
    ),
    "PATCH /terms/{id} text": (
        "editor",
        lambda c, ctx, h: c.patch(ctx["term_url"], json={"pos": "noun"}, headers=h),
        200,
    ),
    "PATCH /terms/{id} status": (
        "moderator",
        lambda c, ctx, h: c.patch(ctx["term_url"], json={"status": "admitted"}, headers=h),
        200,
    ),
    "POST /concepts/{uid}/comments": (
        "viewer",
        lambda c, ctx, h: c.post(ctx["concept_url"] + "/comments", json={"text": "ok"}, headers=h),
        201,
    ),
    "GET /users": ("admin", lambda c, ctx, h: c.get("/api/v1/users", headers=h), 200),
    "POST /users": (
        "admin",
        lambda c, ctx, h: c.post("/api/v1/users", json={"username": "new"}, headers=h),
        201,
    ),
    "POST /users/{id}/tokens of another": (
        "admin",
        lambda c, ctx, h: c.post(f"/api/v1/users/{ctx['other_user']}/tokens", json={}, headers=h),
        201,
    ),
    "DELETE /tokens/{id} of another": (
        "admin",
        lambda c, ctx, h: c.delete(f"/api/v1/tokens/{ctx['other_token']}", headers=h),
        204,
    ),
    "GET /me": ("viewer", lambda c, ctx, h: c.get("/api/v1/me", headers=h), 200),
}


def _expected(least: str, role: str, success: int) -> int:
    if role == "anonymous":
        return 401
    order = ROLES_AND_ANONYMOUS
    return success if order.index(role) >= order.index(least) else 403


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
@pytest.mark.parametrize("endpoint", list(WRITES))
def test_permission_matrix(client, concept, token_for, endpoint, role):
    from glossary.services.actors import CLI
    from glossary.services.users import create_token, create_user, tokens_of

    other = create_user(CLI, "someone-else", "viewer", None)
    create_token(CLI, other, "theirs")
    ctx = {
        "concept_url": f"/api/v1/concepts/{concept['uid']}",
        "term_url": f"/api/v1/terms/{term_id(concept, 'дерекқор')}",
        "other_user": other.id,
        "other_token": tokens_of(other)[0].id,
    }
    least, call, success = WRITES[endpoint]
    response = call(client, ctx, bearer(token_for(role)))
    assert response.status_code == _expected(least, role, success), response.get_json()
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_reads_are_public_for_every_role(client, concept, token_for, role):
    headers = bearer(token_for(role))
    for url in (
        "/api/v1/concepts",
        f"/api/v1/concepts/{concept['uid']}",
        f"/api/v1/concepts/{concept['uid']}/comments",
        f"/api/v1/concepts/{concept['uid']}/history",
        "/api/v1/languages",
        "/api/v1/stats",
    ):
        assert client.get(url, headers=headers).status_code == 200, (url, role)
