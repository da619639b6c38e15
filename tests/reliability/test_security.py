"""Security properties over the whole app, not one page at a time: every POST route refuses a
missing or foreign CSRF token, every form carries one, every page sends the headers, hostile text
in every user-supplied field comes back inert in pages and exports, SQL-shaped input is data,
sign-in starts a fresh session, and reads are not throttled below 100 req/s.

The route lists are read off ``app.url_map``, so a route added later is checked without anyone
remembering to add it here.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import polib

from glossary.services.actors import CLI
from glossary.services.indexing import apply_pending
from tests.reliability.routes import XSS, page_routes, room, signed_in, url
from tests.web.page_helpers import PASSWORD, csrf_token, new_client, text

__all__ = ["room"]  # the fixture, used by name


SQL = "'; DROP TABLE terms; -- \" OR 1=1 %_"
_POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def html_of(response: Any) -> str:
    """The page's HTML; "" for JSON, SVG and other answers no browser renders as a page."""
    return text(response) if response.mimetype == "text/html" else ""


class _Tags(HTMLParser):
    """Every start tag of a page with its attribute names, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name for name, _value in attrs}))


def is_csrf_refusal(response: Any) -> bool:
    return response.status_code == 400 and "CSRF" in text(response)


# -- CSRF --------------------------------------------------------------------------------------
def test_every_post_route_refuses_a_missing_or_foreign_csrf_token(app, room):
    routes = page_routes(app, "POST")
    assert len(routes) >= 15, routes  # the listing found the forms' routes
    foreign = csrf_token(new_client(app))  # valid, but another browser's session
    for rule in routes:
        client = signed_in(app)
        path = url(rule, room)
        assert is_csrf_refusal(client.post(path, data={})), f"{rule} without a token"
        refused = client.post(path, data={"csrf_token": foreign})
        assert is_csrf_refusal(refused), f"{rule} with another session's token"
        # and with its own token the same request gets past the check: the refusal was CSRF's
        accepted = client.post(path, data={"csrf_token": csrf_token(client, "/account")})
        assert not is_csrf_refusal(accepted), f"{rule} refused its own token"


def test_every_post_form_on_every_page_carries_a_csrf_token(app, room):
    client = signed_in(app)
    forms = 0
    for rule in page_routes(app, "GET"):
        if rule.startswith("/login/mediawiki"):
            continue  # redirects to the wiki; no form
        response = client.get(url(rule, room))
        for form in _POST_FORM.findall(text(response)):
            forms += 1
            assert 'name="csrf_token"' in form, f"a form on {rule} has no csrf_token"
    assert forms >= 8  # the pattern really finds the forms


# -- headers -----------------------------------------------------------------------------------
def test_every_page_and_api_answer_sends_the_security_headers(app, room):
    client = signed_in(app)
    paths = [url(rule, room) for rule in page_routes(app, "GET")]
    paths += ["/api/v1/languages", f"/api/v1/concepts/{room['uid']}", "/api/v1/no-such", "/healthz"]
    for path in paths:
        if path.startswith("/login/mediawiki"):
            continue
        headers = client.get(path).headers
        csp = dict(
            part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
        )
        assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
        assert csp["object-src"] == "'none'", path
        assert csp["frame-ancestors"] in ("'none'", "'self'"), path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert "Strict-Transport-Security" not in headers, path  # plain http: no HSTS


def test_no_page_holds_inline_script_or_event_handlers(app, room):
    client = signed_in(app)
    for rule in page_routes(app, "GET"):
        if rule.startswith("/login/mediawiki"):
            continue
        parser = _Tags()
        parser.feed(html_of(client.get(url(rule, room))))
        for tag, attributes in parser.tags:
            assert tag != "script" or "src" in attributes, f"inline script on {rule}"
            handlers = [name for name in attributes if name.startswith("on")]
            assert not handlers, f"event handler {handlers} on <{tag}> of {rule}"


# -- stored XSS --------------------------------------------------------------------------------
def test_hostile_text_is_escaped_on_every_page(app, room):
    client = signed_in(app)
    escaped = "&lt;script&gt;alert"
    seen_escaped = set()
    for rule in page_routes(app, "GET"):
        if rule.startswith("/login/mediawiki"):
            continue
        html = html_of(client.get(url(rule, room)))
        assert "<script>alert" not in html and "<img src=x" not in html, rule
        if escaped in html:
            seen_escaped.add(rule)
    # the payloads were rendered (escaped), not merely absent
    for rule in ("/concepts/<uid>", "/meetups/<int:meetup_id>", "/meetups"):
        assert rule in seen_escaped, rule


def _export(client: Any, fmt: str, **query: str) -> bytes:
    query = {"format": fmt, "source_lang": "en", **query}
    response = client.get("/api/v1/export", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data()


def test_hostile_text_comes_back_as_text_in_every_export(app, room, tmp_path):
    client = new_client(app)
    term_en, term_kk = f"database {XSS}", f"дерекқор {XSS}"

    for fmt in ("tmx", "tbx"):
        root = ElementTree.fromstring(_export(client, fmt, lang="kk"))
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not tags & {"script", "img"}, fmt  # no element came out of the text
        texts = {element.text for element in root.iter() if element.text}
        assert {term_en, term_kk} <= texts, fmt

    po = tmp_path / "kk.po"
    po.write_bytes(_export(client, "po", lang="kk"))
    [entry] = polib.pofile(str(po))
    assert (entry.msgid, entry.msgstr) == (term_en, term_kk)

    exported = _export(client, "csv", layout="long", lang="en,kk").decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert sorted(row[2] for row in rows[1:]) == [term_en, term_kk]
    assert {row[5] for row in rows[1:]} == {XSS}  # quotes and commas stayed in their cell


# -- SQL-shaped input --------------------------------------------------------------------------
def test_sql_shaped_input_is_only_ever_data(app, room):
    client = signed_in(app)
    token = csrf_token(client, "/account")
    for path in ("/api/v1/search", "/api/v1/suggest", "/search"):
        response = client.get(path, query_string={"q": SQL})
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    assert client.get("/api/v1/search", query_string={"q": SQL}).get_json()["results"] == []
    assert client.get("/concepts/' OR '1'='1").status_code == 404
    looked_up = client.post("/api/v1/lookup", json={"text": SQL, "lang": "kk"})
    assert looked_up.status_code == 403  # a cookie write needs the header token …
    looked_up = client.post(
        "/api/v1/lookup", json={"text": SQL, "lang": "kk"}, headers={"X-CSRFToken": token}
    )
    assert looked_up.status_code == 200 and looked_up.get_json()["matches"] == []
    added = client.post(
        f"/api/v1/concepts/{room['uid']}/terms",
        json={"lang": "tr", "text": SQL},
        headers={"X-CSRFToken": token},
    )
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["text"] == SQL.strip()
    apply_pending()
    found = client.get("/api/v1/search", query_string={"q": SQL, "lang": "tr"}).get_json()
    assert [row["text"] for row in found["results"]] == [SQL.strip()]
    concept = client.get(f"/api/v1/concepts/{room['uid']}").get_json()
    assert len(concept["terms"]) == 3  # the table is still there, with every row


# -- sessions ----------------------------------------------------------------------------------
def test_signing_in_starts_a_fresh_session_with_a_new_csrf_token(app, room):
    """A cookie planted before sign-in (session fixation) must not carry over its CSRF token."""
    client = new_client(app)
    client.get("/?uselang=kk")
    planted = csrf_token(client)
    before = client.get_cookie("session").value
    response = client.post(
        "/login", data={"username": "organiser", "password": PASSWORD, "csrf_token": planted}
    )
    assert response.status_code == 302
    assert client.get_cookie("session").value != before
    assert csrf_token(client, "/account") != planted
    revoke = client.post("/logout", data={"csrf_token": planted})
    assert is_csrf_refusal(revoke)  # the planter's token no longer works
    assert 'lang="kk"' in text(client.get("/"))  # the interface language carried over

    replayed = new_client(app)
    replayed.set_cookie("session", before)
    assert replayed.get("/account").status_code == 302  # the old cookie is not signed in


def test_a_deactivated_account_loses_its_session_and_its_tokens(app, room):
    from glossary.extensions import db
    from glossary.services.users import create_token, get_user

    client = signed_in(app)
    user = get_user("organiser")
    token = create_token(CLI, user, "tests")
    user.active = False
    db.session.commit()
    assert client.get("/account").status_code == 302
    response = new_client(app).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


# -- rate limits -------------------------------------------------------------------------------
def test_reads_from_one_address_are_not_limited_below_100_per_second(app, room):
    client = new_client(app)
    statuses = [client.get("/api/v1/suggest?q=da").status_code for _ in range(150)]
    assert set(statuses) == {200}
