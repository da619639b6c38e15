"""Security on the HTML side: CSRF everywhere, headers, cookies, login throttling, and the API
accepting a browser session only with its CSRF token on writes."""

from __future__ import annotations

from glossary import create_app
from glossary.extensions import limiter
from tests.web.conftest import csrf_token, make_user, sign_in


def test_every_page_sends_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain-http installation


def test_pages_have_no_inline_script(client):
    html = client.get("/").get_data(as_text=True)
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0], "inline <script> would break the CSP"


def test_https_base_url_makes_cookies_secure_and_sends_hsts(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "BASE_URL": "https://tamyr.example.org",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite(app, client):
    make_user("aigerim", "editor")
    response = sign_in(client, "aigerim")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_without_csrf_token_are_refused(app, client):
    make_user("aigerim", "editor")
    response = client.post("/login", data={"username": "aigerim", "password": "x" * 12})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_signed_in_post_without_token_is_refused(app, editor_client):
    from glossary.services.actors import CLI
    from glossary.services.terms import create_concept

    concept = create_concept(CLI, terms=[{"lang": "en", "text": "file"}])
    response = editor_client.post(
        f"/concepts/{concept.uid}/terms", data={"lang": "kk", "text": "файл"}
    )
    assert response.status_code == 400
    assert [t.text for t in concept.terms] == ["file"]


def test_failed_logins_are_rate_limited_per_address(app, client):
    make_user("aigerim", "editor")
    limiter.reset()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    statuses = [
        client.post(
            "/login", data={"username": "aigerim", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    limiter.reset()
    # a good password is never what uses the budget up
    for _ in range(12):
        client.post("/logout", data={"csrf_token": token})
        assert sign_in(client, "aigerim").status_code == 302
    limiter.reset()


def _api_concept(client, headers=None):
    return client.post(
        "/api/v1/concepts", json={"terms": [{"lang": "en", "text": "mouse"}]}, headers=headers
    )


def test_api_accepts_a_browser_session_only_with_its_csrf_token(app, editor_client):
    assert _api_concept(editor_client).status_code == 403  # cookie alone: refused
    page = editor_client.get("/").get_data(as_text=True)
    response = _api_concept(editor_client, {"X-CSRFToken": csrf_token(page)})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert editor_client.get("/api/v1/stats").status_code == 200  # reads need no token


def test_api_bearer_tokens_need_no_csrf(app, client, editor_token):
    response = _api_concept(client, {"Authorization": f"Bearer {editor_token}"})
    assert response.status_code == 201


def test_anonymous_api_write_is_unauthorized(client):
    assert _api_concept(client).status_code == 401
