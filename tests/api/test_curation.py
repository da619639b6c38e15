"""Merge, split and revert over the API: moderators only, problem+json refusals."""

from __future__ import annotations

from sqlalchemy import select

from glossary.extensions import db
from glossary.models import History
from glossary.services.actors import CLI
from glossary.services.editing import update_term
from glossary.services.terms import create_concept
from tests.api.conftest import bearer


def make_pair():
    keep = create_concept(CLI, terms=[{"lang": "tr", "text": "fare", "status": "preferred"}])
    other = create_concept(
        CLI,
        terms=[
            {"lang": "tr", "text": "Fare", "status": "admitted"},
            {"lang": "kk", "text": "тышқан", "status": "preferred"},
        ],
    )
    return keep, other


def test_merge_split_and_revert(client, token_for):
    keep, other = make_pair()
    token = bearer(token_for("moderator"))
    merged = client.post(
        f"/api/v1/concepts/{keep.uid}/merge", json={"other": other.uid}, headers=token
    )
    assert merged.status_code == 200, merged.get_json()
    assert sorted(t["text"] for t in merged.get_json()["terms"]) == ["fare", "тышқан"]
    kk = next(t for t in merged.get_json()["terms"] if t["lang"] == "kk")
    split = client.post(
        f"/api/v1/concepts/{keep.uid}/split", json={"terms": [kk["id"]]}, headers=token
    )
    assert split.status_code == 201
    assert [t["text"] for t in split.get_json()["terms"]] == ["тышқан"]
    term = next(t for t in keep.terms if t.lang == "tr")
    update_term(CLI, term, {"pos": "noun"})
    change = db.session.scalars(select(History.id).where(History.action == "term.update")).one()
    reverted = client.post(f"/api/v1/history/{change}/revert", headers=token)
    assert reverted.status_code == 200
    assert next(t for t in reverted.get_json()["terms"] if t["lang"] == "tr")["pos"] is None
    again = client.post(f"/api/v1/history/{change}/revert", headers=token)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert "already undone" in again.get_json()["detail"]


def test_only_moderators_may_curate(client, token_for):
    keep, other = make_pair()
    path = f"/api/v1/concepts/{keep.uid}/merge"
    anonymous = client.post(path, json={"other": other.uid})
    assert anonymous.status_code == 401
    editor = client.post(path, json={"other": other.uid}, headers=bearer(token_for("editor")))
    assert editor.status_code == 403 and editor.mimetype == "application/problem+json"
    bad = client.post(path, json={}, headers=bearer(token_for("moderator")))
    assert bad.status_code == 422
