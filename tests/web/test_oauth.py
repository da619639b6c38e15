"""Signing in with a Wikimedia account, against a local stand-in for the wiki's OAuth 2
endpoints (a real HTTP server on 127.0.0.1: Tamyr exchanges the code over the network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from werkzeug.serving import make_server

from glossary import create_app
from glossary.cli.database import init_database
from glossary.extensions import db
from glossary.models import User
from tests.web.page_helpers import new_client

CLIENT_ID, CLIENT_SECRET, CODE, ACCESS_TOKEN = "tamyr-test", "s3cret", "code-42", "token-42"


def stand_in_wiki() -> Flask:
    wiki = Flask("stand-in-wiki")
    base = "/w/rest.php/oauth2"

    @wiki.get(f"{base}/authorize")
    def authorize():  # the person approves at once
        assert request.args["client_id"] == CLIENT_ID
        query = urlencode({"code": CODE, "state": request.args["state"]})
        return redirect(f"{request.args['redirect_uri']}?{query}")

    @wiki.post(f"{base}/access_token")
    def access_token():
        auth = request.authorization
        sent_id = auth.username if auth else request.form.get("client_id")
        sent_secret = auth.password if auth else request.form.get("client_secret")
        if (sent_id, sent_secret) != (CLIENT_ID, CLIENT_SECRET) or request.form["code"] != CODE:
            return jsonify(error="invalid_grant"), 400
        return jsonify(access_token=ACCESS_TOKEN, token_type="Bearer", expires_in=3600)

    @wiki.get(f"{base}/resource/profile")
    def profile():
        if request.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return jsonify(error="invalid_token"), 401
        return jsonify(sub="31337", username="Aigerim (WMKZ)", editcount=1200)

    return wiki


@pytest.fixture
def wiki_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, stand_in_wiki(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def oauth_app(tmp_path, wiki_url) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "oauth-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'oauth.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "OAUTH_WIKI_URL": wiki_url,
            "OAUTH_CLIENT_ID": CLIENT_ID,
            "OAUTH_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    with app.app_context():
        init_database()
    yield app


def _through_the_wiki(client, start: str = "/login/mediawiki") -> str:
    """Follow the redirect to the wiki and back; returns the callback path with its query."""
    to_wiki = client.get(start)
    assert to_wiki.status_code == 302
    back = requests.get(to_wiki.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    return f"{parts.path}?{parts.query}"


def test_wiki_sign_in_creates_a_viewer_and_signs_in(oauth_app):
    client = new_client(oauth_app)
    assert "Sign in with your Wikimedia account" in client.get("/login").get_data(as_text=True)
    response = client.get(_through_the_wiki(client))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    with oauth_app.app_context():
        user = db.session.query(User).filter_by(oauth_subject="31337").one()
        assert (user.username, user.role, user.password_hash) == ("Aigerim (WMKZ)", "viewer", None)
    # a second sign-in finds the same account
    again = new_client(oauth_app)
    again.get(_through_the_wiki(again))
    with oauth_app.app_context():
        assert db.session.query(User).filter_by(oauth_subject="31337").count() == 1


def test_a_forged_callback_is_refused(oauth_app):
    client = new_client(oauth_app)
    path = _through_the_wiki(client).replace("state=", "state=forged")
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302  # still signed out
    assert "failed" in client.get("/login").get_data(as_text=True)


def test_wiki_sign_in_is_off_unless_configured(client):
    assert client.get("/login/mediawiki").status_code == 404
    assert "Wikimedia account" not in client.get("/login").get_data(as_text=True)
