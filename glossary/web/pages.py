"""The home page and the concept page."""

from __future__ import annotations

from flask import render_template

from glossary.services.languages import list_languages
from glossary.services.stats import termbase_stats
from glossary.services.terms import get_concept, recent_concepts
from glossary.web import bp

STATUS_ORDER = ("preferred", "admitted", "proposed", "deprecated", "rejected")


@bp.get("/")
def home() -> str:
    return render_template("home.html", concepts=recent_concepts(20), stats=termbase_stats())


@bp.get("/concepts/<uid>")
def concept(uid: str) -> str:
    languages = {language.tag: language for language in list_languages()}
    found = get_concept(uid)
    terms = sorted(
        found.terms,
        key=lambda t: (
            languages[t.lang].position if t.lang in languages else 10_000,
            t.lang,
            STATUS_ORDER.index(t.status),
            t.text,
        ),
    )
    return render_template("concept.html", concept=found, terms=terms, languages=languages)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
