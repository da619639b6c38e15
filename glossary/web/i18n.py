"""The interface language: ``?uselang=`` (remembered), else the person's choice, else the browser.

``lang`` in a query string is always a term-language filter, never the interface language
(MediaWiki's convention, DESIGN.md §8).
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel.support import NullTranslations
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user

babel = Babel()

# Interface languages with a catalogue, by autonym. Only English is checked by a native speaker;
# the rest carry a visible "needs native review" mark until a reviewer signs them off.
UI_LANGUAGES = {
    "en": "English",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tr": "Türkçe",
    "uz": "Oʻzbekcha",
    "az": "Azərbaycanca",
    "tt": "Татарча",
    "ru": "Русский",
}
REVIEWED_UI_LANGUAGES = frozenset({"en"})
RTL_UI_LANGUAGES = frozenset({"ug", "ar", "fa"})  # none yet; <html dir> follows when one comes
DEFAULT_UI_LANGUAGE = "en"


def _supported(tag: str | None) -> str | None:
    """The catalogue for a tag, allowing region/script subtags (``uz-Latn`` → ``uz``)."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-")
    if tag in UI_LANGUAGES:
        return tag
    base = tag.split("-")[0].lower()
    return base if base in UI_LANGUAGES else None


def select_ui_language() -> str:
    asked = _supported(request.args.get("uselang"))
    if asked:
        session["uselang"] = asked
        return asked
    remembered = _supported(session.get("uselang"))
    if remembered:
        return remembered
    if current_user and current_user.is_authenticated:
        chosen = _supported(current_user.ui_language)
        if chosen:
            return chosen
    return request.accept_languages.best_match(UI_LANGUAGES) or DEFAULT_UI_LANGUAGE


def ui_language() -> str:
    return str(get_locale() or DEFAULT_UI_LANGUAGE)


def ui_direction() -> str:
    return "rtl" if ui_language() in RTL_UI_LANGUAGES else "ltr"


def url_with_uselang(tag: str) -> str:
    """This page again in another interface language (its other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["uselang"] = [tag]
    args.pop("cursor", None)
    return request.path + "?" + urlencode(args, doseq=True)


def _translations() -> NullTranslations:
    """This context's interface catalogue, looked up once: Flask-Babel looks it up again for
    every string (tens of µs each), and a busy concept page translates a few hundred.

    Kept beside Flask-Babel's own per-context state and tied to the locale object it chose, so
    ``flask_babel.refresh()`` (which drops that locale) is honoured.
    """
    state = g.get("_flask_babel") if g else None
    if state is None:
        return get_translations()
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "tamyr_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()  # chooses the locale if nothing has yet
    state.tamyr_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_UI_LANGUAGE)
    babel.init_app(app, locale_selector=select_ui_language)
    # The same callables Flask-Babel installs, on the catalogue looked up once per context.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(
        ui_language=ui_language,
        ui_direction=ui_direction,
        url_with_uselang=url_with_uselang,
        UI_LANGUAGES=UI_LANGUAGES,
        REVIEWED_UI_LANGUAGES=REVIEWED_UI_LANGUAGES,
    )
