"""A meetup in a real browser: a phone joins and votes while the projector's tally moves.

Runs Debian's chromium through Playwright against the live server of ``conftest.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from glossary.extensions import db
from glossary.models import Term, User
from glossary.services import meetups, voting
from glossary.services.actors import CLI, actor_for
from glossary.services.users import create_user
from tests.web.conftest import PASSWORD, SCREENSHOTS

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def room(live_server) -> dict[str, Any]:
    """A moderator and an open meetup with quorum 1 (each test its own)."""
    with live_server.app.app_context():
        name = f"organiser-{uuid.uuid4().hex[:8]}"
        organiser = create_user(CLI, name, "moderator", PASSWORD)
        meetup = meetups.create_meetup(
            actor_for(organiser), name="Bishkek Wikimeetup", place="Bishkek", quorum=1
        )
        room = {"organiser": name, "meetup": meetup.id, "code": meetup.join_code}
        db.session.remove()
    return room


def open_ballot(live_server, room: dict[str, Any], english: str, lang: str, text: str) -> None:
    """Open a ballot on an existing candidate of the live termbase; note its ids in ``room``."""
    with live_server.app.app_context():
        organiser = db.session.scalar(db.select(User).where(User.username == room["organiser"]))
        ballot = voting.open_ballot(
            actor_for(organiser), live_server.concepts[english], lang, meetup_id=room["meetup"]
        )
        room["ballot"] = ballot.id
        room["term"] = db.session.scalar(
            db.select(Term.id).where(Term.lang == lang, Term.text == text)
        )
        db.session.remove()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] [type=submit]")
    page.wait_for_url(f"{base}/")


def test_phone_joins_and_votes_while_the_projector_updates(browser, live_server, room):
    open_ballot(live_server, room, "database", "ky", "маалымат базасы")
    base = live_server.url
    projector_context = browser.new_context(viewport={"width": 1280, "height": 800})
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        projector = projector_context.new_page()
        sign_in(projector, base, room["organiser"])
        projector.goto(f"{base}/meetups/{room['meetup']}/screen")
        assert projector.inner_text("#join-code") == room["code"]
        assert projector.locator("img#join-qr").evaluate("img => img.naturalWidth > 0")
        up = projector.locator(f"[data-candidate='{room['term']}'] b[data-field='up']")
        assert up.inner_text() == "0"
        projector.evaluate("window.notReloaded = true")

        phone = phone_context.new_page()
        phone.goto(f"{base}/join/{room['code']}")
        phone.fill("input[name=name]", "Aidana")
        phone.click("button.big")
        phone.wait_for_url(f"{base}/meetups/{room['meetup']}")
        phone.click(f"a[href='/meetups/{room['meetup']}/ballots/{room['ballot']}']")
        approve = phone.locator(f"#term-{room['term']} button[value=approve]")
        box = approve.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
        approve.tap()
        phone.wait_for_selector(f"#term-{room['term']} button[value=approve][aria-pressed=true]")
        # The whole page fits the phone's width: nothing to scroll sideways.
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "meetup-phone.png"), full_page=True)

        # The projector was not reloaded: its script fetched the new tally.
        projector.wait_for_function(
            "([selector]) => document.querySelector(selector).textContent === '1'",
            arg=[f"[data-candidate='{room['term']}'] b[data-field='up']"],
        )
        assert projector.evaluate("window.notReloaded === true")
        projector.screenshot(path=str(SCREENSHOTS / "meetup-projector.png"))
    finally:
        phone_context.close()
        projector_context.close()


def test_a_rotated_code_tells_the_phone_clearly(browser, live_server, room):
    with live_server.app.app_context():
        organiser = db.session.scalar(db.select(User).where(User.username == room["organiser"]))
        meetups.rotate_join_code(actor_for(organiser), room["meetup"])
        db.session.remove()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        response = phone.goto(f"{live_server.url}/join/{room['code']}")
        assert response.status == 403
        assert "wrong or has been replaced" in phone.inner_text("[role=alert]")
    finally:
        context.close()


def test_a_waiting_phone_sees_a_new_ballot_without_reloading_by_hand(browser, live_server, room):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(f"{live_server.url}/join/{room['code']}")
        phone.fill("input[name=name]", "Waiting")
        phone.click("button.big")
        phone.wait_for_url(f"{live_server.url}/meetups/{room['meetup']}")
        assert "No ballot is open right now" in phone.content()
        open_ballot(live_server, room, "keyboard", "ky", "")
        phone.wait_for_selector(f"a[data-ballot='{room['ballot']}']")
    finally:
        context.close()
