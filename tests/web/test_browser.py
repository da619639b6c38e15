"""The pages in a real browser (Debian's chromium through Playwright) against a live server:
autocomplete by keyboard, right-to-left Uyghur, signing in and proposing, switching the
interface language, a phone-sized screen. Screenshots for the README are made here."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, SCREENSHOTS

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def test_suggestions_appear_from_the_second_character_and_work_by_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    box = page.locator('input[type="search"][name="q"]')
    suggestions = page.locator("#q-suggestions")
    box.press_sequentially("k")
    page.wait_for_timeout(600)  # longer than the debounce: one character asks for nothing
    expect(suggestions).to_be_hidden()
    box.press_sequentially("l")
    expect(suggestions).to_be_visible()
    expect(suggestions.locator('[role="option"]').first).to_contain_text("klavye")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(suggestions.locator('[aria-selected="true"]')).to_have_count(1)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/concepts/" + live_server.concepts["keyboard"]))
    expect(page.locator("h1")).to_have_text("keyboard")


def test_search_results_without_suggestions(live_server, page):
    page.goto(live_server.url + "/")
    page.locator("#q").fill("kompyuter")
    page.locator("#q").press("Enter")  # no suggestion chosen: the form itself is sent
    page.wait_for_url(re.compile(r"/search\?q=kompyuter"))
    first = page.locator("ol.results > li").first
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator('.equivalents [lang="tr"]')).to_have_text("bilgisayar")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)


def test_home_page_screenshot(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Cross-Turkic term equivalents")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)


def test_concept_page_sets_rtl_on_uyghur(live_server, page):
    page.goto(f"{live_server.url}/concepts/{live_server.concepts['database']}")
    uyghur = page.locator('.term[lang="ug"]')
    expect(uyghur).to_have_attribute("dir", "rtl")
    expect(uyghur).to_have_text("سانلىق مەلۇمات ئامبىرى")
    direction = uyghur.evaluate("element => getComputedStyle(element).direction")
    assert direction == "rtl"
    assert (
        page.locator('.term[lang="kk"]').first.evaluate(
            "element => getComputedStyle(element).direction"
        )
        == "ltr"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "concept.png"), full_page=True)


def test_sign_in_and_propose_a_term(live_server, page):
    page.goto(f"{live_server.url}/concepts/{live_server.concepts['keyboard']}")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("User name").fill("aigerim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.site")).to_contain_text("aigerim")
    expect(page).to_have_url(re.compile(r"/concepts/"))  # back where the person started
    form = page.locator("section.propose form")
    form.get_by_label("Language").select_option("ky")
    form.get_by_label("Term").fill("баскычтоп")
    form.get_by_role("button", name="Add term").click()
    expect(page.locator(".flash")).to_contain_text("The term is added.")
    expect(page.locator('.term[lang="ky"]')).to_have_text("баскычтоп")


def test_viewer_is_refused_the_propose_page(live_server, page):
    page.goto(live_server.url + "/login")
    page.get_by_label("User name").fill("bolat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    response = page.goto(live_server.url + "/concepts/new")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Forbidden")


def test_switching_the_interface_language(live_server, page):
    page.goto(live_server.url + "/")
    page.locator("details.uselang summary").click()
    page.locator('details.uselang a[lang="kk"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_have_text("Түркі тілдеріндегі термин баламалары")
    expect(page.locator('form.search button[type="submit"]')).to_have_text("Іздеу")
    page.goto(live_server.url + "/coverage")  # remembered in the session
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def test_phone_sized_screen(live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/concepts/{live_server.concepts['computer']}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-concept.png"), full_page=True)
    expect(page.locator('input[type="search"]')).to_be_visible()
    box = page.locator('input[type="search"]').bounding_box()
    assert box is not None and box["width"] >= 150
    page.goto(live_server.url + "/search?q=database")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-search.png"), full_page=True)


def test_preferred_script_without_javascript(live_server, browser):
    """The script selector is a plain form: it works, and is remembered, with JS switched off."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/concepts/{live_server.concepts['database']}")
        automatic = page.locator(".auto-variant")
        expect(automatic.filter(has_text="derekqor")).to_have_count(1)  # kk Cyrillic → Latin
        expect(automatic.filter(has_text="маълумотлар базаси")).to_have_count(1)  # uz → Cyrillic
        page.locator("#script-choice").select_option("Latn")
        page.locator("form.script-choice button").click()
        expect(page).to_have_url(re.compile(r"/concepts/" + live_server.concepts["database"]))
        expect(automatic.filter(has_text="маълумотлар базаси")).to_have_count(0)
        expect(automatic.locator('[lang="ug-Latn"]')).to_have_text("sanliq melumat ambiri")
        page.goto(f"{live_server.url}/browse?lang=kk&letter=к")  # a later page, same choice
        expect(page.locator("#script-choice")).to_have_value("Latn")
        expect(page.locator("ol.alphabetical")).to_contain_text("компьютер")
        expect(automatic.filter(has_text="kompiuter")).to_have_count(1)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "browse.png"), full_page=True)
    finally:
        context.close()
