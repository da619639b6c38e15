"""Tamyr serves its own fonts (offline meetups: no CDN), and a real browser renders every
Turkic letter we care about with them rather than with whatever the machine has."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "glossary" / "static"
FONT_URL = re.compile(r'url\("(fonts/[^"]+\.woff2)"\)')
# Kazakh, Bashkir and Uyghur-Cyrillic letters, Uzbek oʻ gʻ (U+02BB) and tutuq ʼ, Azerbaijani ə,
# Turkish İ ı ş ğ, Uyghur Arabic script (ە ۇ ۆ ۈ ۋ ې ى ڭ ھ with hamza ئ).
CYRILLIC_LATIN = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ ҙҫҡ ҘҪҠ oʻ gʻ Oʻ Gʻ maʼlumot ə Ə İı şğ ñ ä ö ü ç"
UYGHUR = "ئۇيغۇرچە كومپيۇتېر سانلىق مەلۇمات ئامبىرى ڭ ھ ۆ ۈ ۋ ې ى"
MAX_TOTAL_BYTES = 300_000


def font_files() -> list[str]:
    return FONT_URL.findall((STATIC / "tamyr.css").read_text(encoding="utf-8"))


def test_the_stylesheet_declares_only_fonts_it_ships(client):
    files = font_files()
    assert len(files) == 4
    total = 0
    for name in files:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response.mimetype == "font/woff2"
        assert response.data[:4] == b"wOF2"
        total += len(response.data)
    assert total < MAX_TOTAL_BYTES, f"{total} bytes of fonts: subset them further"
    css = (STATIC / "tamyr.css").read_text(encoding="utf-8")
    assert "//" not in "".join(re.findall(r"url\(([^)]*)\)", css)), "no font from another host"
    assert 'font-family: "Tamyr Sans"' in css


def test_the_licence_and_how_they_were_made_ship_beside_them():
    licence = (STATIC / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Google" in licence
    notes = (STATIC / "fonts" / "README.md").read_text(encoding="utf-8")
    assert "pyftsubset" in notes and "fonts-noto-core" in notes


def test_fonts_come_from_self_under_the_csp(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "font-src 'self'" in csp


def fonts_rendering(page, text: str, lang: str, direction: str) -> list[dict]:
    """The fonts Chromium really used for ``text`` (DevTools: CSS.getPlatformFontsForNode)."""
    page.evaluate(
        """([text, lang, dir]) => {
            const p = document.createElement('p');
            p.id = 'font-probe'; p.lang = lang; p.dir = dir; p.textContent = text;
            document.querySelector('main').append(p);
            return document.fonts.ready.then(() => true);
        }""",
        [text, lang, direction],
    )
    page.wait_for_function("document.fonts.status === 'loaded'")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#font-probe"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    page.evaluate("document.getElementById('font-probe').remove()")
    return fonts


def test_a_browser_renders_every_letter_with_tamyrs_own_fonts(live_server, page):
    page.goto(live_server.url + "/")
    latin_cyrillic = fonts_rendering(page, CYRILLIC_LATIN, "kk", "ltr")
    assert latin_cyrillic and all(font["isCustomFont"] for font in latin_cyrillic), latin_cyrillic
    assert {font["familyName"] for font in latin_cyrillic} == {"Noto Sans"}
    uyghur = fonts_rendering(page, UYGHUR, "ug", "rtl")
    arabic = [font for font in uyghur if font["familyName"] == "Noto Sans Arabic"]
    assert all(font["isCustomFont"] for font in uyghur), uyghur
    assert arabic and arabic[0]["glyphCount"] >= len(UYGHUR.replace(" ", "")) // 2
