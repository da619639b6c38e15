"""Reading pages: home, search, a concept across languages, coverage, health."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from glossary.errors import InvalidInput
from glossary.models import TERM_STATUSES
from glossary.services.browse import (
    concept_heading,
    coverage,
    group_by_concept,
    languages_by_tag,
    latest_tallies,
    rows_by_language,
)
from glossary.services.changes import describe_history
from glossary.services.comments import comments_on
from glossary.services.curation import MODERATOR, resolve_merged
from glossary.services.decisions import concept_decisions
from glossary.services.languages import list_languages
from glossary.services.meetups import concept_history
from glossary.services.search import search_terms
from glossary.services.stats import termbase_stats
from glossary.services.terms import get_concept, recent_concepts
from glossary.web import bp
from glossary.web.auth import page_actor
from glossary.web.curation import split_form_for
from glossary.web.forms import CommentForm, MergeForm, TermForm
from glossary.web.propose import language_choices, status_choices
from glossary.web.reading import script_variants

RESULTS_PER_PAGE = 50


@bp.get("/")
def home() -> str | tuple[str, int]:
    if request.args.get("q", "").strip():
        return search()
    return render_template("home.html", concepts=recent_concepts(20), stats=termbase_stats())


@bp.get("/search")
def search() -> str | tuple[str, int]:
    """Results grouped by concept; plain GET form, so it works without JavaScript."""
    q = request.args.get("q", "").strip()
    filters = {
        "lang": request.args.get("lang", "").strip(),
        "status": request.args.get("status", "").strip(),
        "domain": request.args.get("domain", "").strip(),
    }
    languages = languages_by_tag()
    context = {
        "q": q,
        "filters": filters,
        "languages": [lang for lang in list_languages() if lang.registered],
        "statuses": TERM_STATUSES,
        "hits": [],
        "next": None,
        "error": None,
    }
    if not q:
        return render_template("search.html", **context)
    try:
        results = search_terms(
            q,
            lang=filters["lang"] or None,
            statuses=[filters["status"]] if filters["status"] else None,
            domain=filters["domain"] or None,
            limit=RESULTS_PER_PAGE,
            cursor=request.args.get("cursor") or None,
        )
    except InvalidInput as error:
        context["error"] = error.detail
        return render_template("search.html", **context), error.status
    context["hits"] = group_by_concept(results.rows, languages)
    context["next"] = results.next
    context["language_map"] = languages
    return render_template("search.html", **context)


@bp.get("/concepts/<uid>")
def concept(uid: str) -> str | Response:
    found = get_concept(uid)
    live = resolve_merged(found)
    if live is not None:  # a merged concept's address keeps working, like a wiki redirect
        return redirect(url_for("web.concept", uid=live.uid, merged_from=found.uid))
    languages = languages_by_tag()
    actor = page_actor()
    term_form = TermForm()
    term_form.lang.choices = language_choices()
    term_form.status.choices = status_choices(actor)
    rows = rows_by_language(found, languages)
    return render_template(
        "concept.html",
        concept=found,
        heading=concept_heading(found, rows),
        rows=rows,
        languages=languages,
        tallies=latest_tallies(found),
        decisions=concept_decisions(found),
        variants=script_variants(found.terms),
        history=describe_history(concept_history(actor, uid, limit=100), found.terms),
        comments=comments_on(found),
        can_edit=actor.has_role("editor"),
        can_curate=actor.has_role(MODERATOR),
        merged_from=request.args.get("merged_from", "").strip()[:36] or None,
        term_form=term_form,
        comment_form=CommentForm(),
        merge_form=MergeForm(),
        split_form=split_form_for(found.terms),
    )


@bp.get("/coverage")
def coverage_page() -> str:
    domain = request.args.get("domain", "").strip() or None
    return render_template("coverage.html", coverage=coverage(domain), domain=domain)
