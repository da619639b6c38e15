"""Reading aids: the A–Z list of a language, and the reader's preferred script.

The preferred script (``all``, ``Latn``, ``Cyrl``, ``Arab`` or ``none``) lives in the session,
so it follows the reader from page to page without an account or JavaScript: a plain form
posts it and comes back to the page it was sent from.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from glossary.errors import InvalidInput, NotFound
from glossary.services.alphabetical import alphabetical_page
from glossary.services.browse import languages_by_tag
from glossary.services.languages import list_languages, resolve_language
from glossary.services.script_variants import (
    SCRIPT_CHOICES,
    HasText,
    ScriptVariant,
    normalise_choice,
    variants_for_terms,
)
from glossary.web import bp
from glossary.web.auth import safe_next

SCRIPT_SESSION_KEY = "script"
SCRIPT_LABELS = {
    "all": _l("All scripts"),
    "Latn": _l("Latin"),
    "Cyrl": _l("Cyrillic"),
    "Arab": _l("Arabic"),
    "none": _l("Off"),
}
assert tuple(SCRIPT_LABELS) == SCRIPT_CHOICES


def preferred_script() -> str:
    """The reader's choice of automatic transliterations; every script until they choose."""
    return normalise_choice(session.get(SCRIPT_SESSION_KEY))


def script_choices() -> list[tuple[str, str]]:
    return [(choice, str(label)) for choice, label in SCRIPT_LABELS.items()]


def script_variants(terms: Iterable[HasText]) -> dict[int, list[ScriptVariant]]:
    """The automatic variants of ``terms`` (anything with id, lang, text) the reader wants."""
    return variants_for_terms(terms, preferred_script())


@bp.post("/preferences/script")
def set_preferred_script() -> Response:
    session[SCRIPT_SESSION_KEY] = normalise_choice(request.form.get("script"))
    return redirect(safe_next(request.form.get("next")))


@bp.get("/browse")
def browse() -> str:
    """A language's terms A–Z by its own alphabet, a letter and a page at a time."""
    raw = request.args.get("lang", "").strip()
    languages = languages_by_tag()
    context: dict = {
        "languages": [language for language in list_languages() if language.registered],
        "language_map": languages,
        "listing": None,
        "lang": "",
    }
    if raw:
        lang = resolve_language(raw)
        if lang not in languages:
            raise NotFound(_("No terms in %(lang)s yet.", lang=raw))
        page = request.args.get("page", default=1, type=int)
        try:
            listing = alphabetical_page(lang, request.args.get("letter") or None, page)
        except InvalidInput as error:
            raise InvalidInput(_("No such letter or page here.")) from error
        context.update(lang=lang, listing=listing, variants=script_variants(listing.entries))
    return render_template("browse.html", **context)


def init_reading(app: Flask) -> None:
    app.jinja_env.globals.update(preferred_script=preferred_script, script_choices=script_choices)
