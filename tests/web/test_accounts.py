"""Signing in and out, the account page and its API tokens."""

from __future__ import annotations

from glossary.extensions import db
from glossary.services.users import user_for_token
from tests.web.conftest import csrf_token, make_user, sign_in


def test_sign_in_and_out(app, client):
    make_user("aigerim", "editor")
    response = sign_in(client, "aigerim")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "aigerim" in html and 'action="/logout"' in html
    client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert "aigerim" not in client.get("/").get_data(as_text=True)


def test_wrong_password_says_so_without_telling_which_part(app, client):
    make_user("aigerim", "editor")
    response = sign_in(client, "aigerim", "not the password")
    assert response.status_code == 200
    assert "Unknown user name or wrong password." in response.get_data(as_text=True)
    assert "Unknown user name or wrong password." in (
        sign_in(client, "nobody").get_data(as_text=True)
    )


def test_logout_is_post_only(app, editor_client):
    assert editor_client.get("/logout").status_code == 405


def test_deactivated_account_cannot_sign_in(app, client):
    from glossary.extensions import db

    user = make_user("aigerim", "editor")
    user.active = False
    db.session.commit()
    assert sign_in(client, "aigerim").status_code == 200


def test_next_goes_back_but_never_off_site(app, client):
    make_user("aigerim", "editor")
    page = client.get("/login?next=/coverage").get_data(as_text=True)
    assert 'value="/coverage"' in page
    data = {"username": "aigerim", "password": "correct horse battery"}
    data["csrf_token"] = csrf_token(page)
    assert client.post("/login", data={**data, "next": "/coverage"}).headers["Location"] == (
        "/coverage"
    )
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        # signing in starts a fresh session, with a new CSRF token, each time
        account = client.get("/account").get_data(as_text=True)
        client.post("/logout", data={"csrf_token": csrf_token(account)})
        data["csrf_token"] = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={**data, "next": evil})
        assert response.headers["Location"] == "/", evil


def test_account_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_create_and_revoke_api_token(app, editor_client):
    page = editor_client.get("/account").get_data(as_text=True)
    token = csrf_token(page)
    response = editor_client.post(
        "/account", data={"action": "create-token", "name": "bot", "csrf_token": token}
    )
    html = response.get_data(as_text=True)
    secret = html.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("tamyr_")
    row = user_for_token(secret)
    assert row is not None and row.name == "bot"
    # the list shows a prefix, never the secret again
    listing = editor_client.get("/account").get_data(as_text=True)
    assert row.prefix in listing and secret not in listing
    assert (
        editor_client.get("/api/v1/stats", headers={"Authorization": f"Bearer {secret}"})
    ).status_code == 200
    editor_client.post(
        "/account",
        data={"action": "revoke-token", "token_id": str(row.id), "csrf_token": token},
    )
    db.session.expire_all()  # the page wrote in its own session
    assert user_for_token(secret) is None
    assert "revoked" in editor_client.get("/account").get_data(as_text=True)


def test_cannot_revoke_someone_elses_token(app, editor_client):
    from glossary.services.actors import CLI
    from glossary.services.users import create_token

    other = make_user("bolat", "editor")
    secret = create_token(CLI, other, "theirs")
    row = user_for_token(secret)
    token = csrf_token(editor_client.get("/account").get_data(as_text=True))
    editor_client.post(
        "/account", data={"action": "revoke-token", "token_id": str(row.id), "csrf_token": token}
    )
    db.session.expire_all()
    assert user_for_token(secret).revoked_at is None


def test_saved_interface_language_applies_after_sign_in(app, editor_client):
    token = csrf_token(editor_client.get("/account").get_data(as_text=True))
    editor_client.post(
        "/account", data={"action": "ui-language", "ui_language": "tr", "csrf_token": token}
    )
    html = editor_client.get("/").get_data(as_text=True)
    assert '<html lang="tr"' in html and "Son kavramlar" in html
