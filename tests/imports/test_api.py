"""``POST /api/v1/imports``: multipart uploads, roles, dry runs and all-or-nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from glossary.services.actors import CLI
from glossary.services.users import create_token, create_user
from tests.imports.conftest import all_terms, counts

FR_TBX = "tbx/weblate_fr-extended-metadata.tbx"


def token_for(role: str) -> str:
    user = create_user(CLI, f"api-{role}", role, "correct horse battery")
    return create_token(CLI, user, "tests")


def upload(
    client: FlaskClient,
    samples: Path,
    *names: str,
    token: str | None = None,
    query: str = "",
    **fields: str,
) -> tuple[int, dict]:
    files = [(io.BytesIO((samples / name).read_bytes()), Path(name).name) for name in names]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        f"/api/v1/imports{query}",
        data={"file": files, **fields},
        headers=headers,
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_json()


def test_anonymous_is_401(client: FlaskClient, samples: Path) -> None:
    status, body = upload(client, samples, FR_TBX)
    assert status == 401 and body["status"] == 401
    assert counts() == (0, 0)


def test_viewer_is_403(client: FlaskClient, samples: Path) -> None:
    status, _ = upload(client, samples, FR_TBX, token=token_for("viewer"))
    assert status == 403
    assert counts() == (0, 0)


@pytest.mark.parametrize(("role", "kept"), [("editor", False), ("moderator", True)])
def test_statuses_follow_the_role(
    client: FlaskClient, samples: Path, role: str, kept: bool
) -> None:
    status, body = upload(client, samples, FR_TBX, token=token_for(role))
    assert status == 200, body
    assert body["committed"] and body["new_terms"] == 4
    assert body["files"][0]["file"] == "weblate_fr-extended-metadata.tbx"  # no server path
    statuses = {status for *_, status in all_terms()}
    assert ("deprecated" in statuses) is kept
    assert statuses == {"proposed"} or kept


def test_dry_run_writes_nothing(client: FlaskClient, samples: Path, app: Flask) -> None:
    token = token_for("editor")
    status, body = upload(
        client, samples, "po/baobab_kk.po", "po/baobab_tr.po", token=token, query="?dry_run=1"
    )
    assert status == 200, body
    assert body["dry_run"] and not body["committed"]
    assert body["new_concepts"] == 78 and body["matched_concepts"] == 78
    assert counts() == (0, 0)


def test_broken_upload_is_422_and_nothing_is_written(client: FlaskClient, samples: Path) -> None:
    token = token_for("editor")
    names = ("po/gnome-desktop_kk.po", "tbx/ltac_poorly_formed_xml.tbx")
    status, body = upload(client, samples, *names, token=token)
    assert status == 422
    assert body["detail"].startswith("ltac_poorly_formed_xml.tbx:42: ")
    assert counts() == (0, 0)
    status, body = upload(client, samples, *names, token=token, skip_invalid="true")
    assert status == 200, body
    assert body["failed_files"] == 1 and body["files"][0]["entries"] == 31
    assert counts()[0] > 0


def test_a_text_field_named_file_is_422(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/imports",
        data={"file": "not a file"},
        headers={"Authorization": f"Bearer {token_for('editor')}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
