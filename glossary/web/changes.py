"""Recent changes across the termbase, as a page and as an Atom feed, and the words both use
to say what a change did."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from glossary.errors import InvalidInput
from glossary.models import utcnow
from glossary.services.browse import languages_by_tag
from glossary.services.changes import ChangeEntry, FieldChange, recent_changes
from glossary.web import bp
from glossary.web.atom import AtomEntry, atom_feed
from glossary.web.i18n import ui_language
from glossary.web.labels import POS_LABELS, STATUS_LABELS, VOTE_LABELS, label_for

FEED_SIZE = 50
# A tag URI (RFC 4151) keeps entry ids stable whatever path or port serves the feed.
TAG_DATE = "2026"

ACTION_LABELS = {
    "concept.create": _l("created the concept"),
    "concept.update": _l("changed the concept"),
    "concept.revert": _l("reverted a change to the concept"),
    "concept.merge": _l("merged a duplicate into the concept"),
    "concept.merged": _l("merged the concept into another"),
    "concept.split": _l("split terms off the concept"),
    "concept.split_from": _l("made the concept from split-off terms"),
    "term.add": _l("added a term"),
    "term.propose": _l("proposed a term"),
    "term.import": _l("imported a term"),
    "term.update": _l("changed a term"),
    "term.status": _l("changed a term's status"),
    "term.demote": _l("demoted a term"),
    "term.revert": _l("reverted a change to a term"),
    "comment.add": _l("commented"),
    "ballot.open": _l("opened a ballot"),
    "ballot.close": _l("closed a ballot"),
    "vote.cast": _l("voted"),
    "vote.change": _l("changed a vote"),
}
FIELD_LABELS = {
    "lang": _l("Language"),
    "text": _l("Term"),
    "status": _l("Status"),
    "pos": _l("Part of speech"),
    "note": _l("Note"),
    "domain": _l("Domain"),
    "wikidata": _l("Wikidata item"),
    "definitions": _l("Definition"),
    "terms": _l("Terms"),
    "value": _l("Vote"),
    "result": _l("Result"),
    "merged": _l("Merged from"),
    "merged_into": _l("Merged into"),
    "split_into": _l("Split into"),
    "split_from": _l("Split from"),
}
VALUE_LABELS = {"status": STATUS_LABELS, "value": VOTE_LABELS, "pos": POS_LABELS}


@bp.app_template_global()
def action_label(action: str) -> str:
    """An action code in words; unknown codes (a newer writer's) show as they are."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@bp.app_template_global()
def field_label(change: FieldChange) -> str:
    label = FIELD_LABELS.get(change.base)
    name = str(label) if label is not None else change.base
    return f"{name} ({change.key})" if change.key else name


@bp.app_template_global()
def value_label(change: FieldChange, value: str | None) -> str:
    if value is None:
        return "—"
    return label_for(VALUE_LABELS.get(change.base, {}), value)


def change_summary(entry: ChangeEntry) -> str:
    """The fields of a change as one plain line (the feed's summary)."""
    parts = []
    for change in entry.fields:
        after = value_label(change, change.after)
        if change.before is None:
            parts.append(f"{field_label(change)}: {after}")
        else:
            parts.append(f"{field_label(change)}: {value_label(change, change.before)} → {after}")
    return "; ".join(parts) or action_label(entry.action)


def change_title(entry: ChangeEntry) -> str:
    """Who · what · where: separators instead of a sentence, whose word order would differ
    between English and the (verb-final) Turkic languages."""
    parts = [entry.actor or "—", action_label(entry.action)]
    parts += [text for text in (entry.concept_label, entry.subject) if text]
    return " · ".join(parts)


def _language_filter() -> str | None:
    lang = request.args.get("lang", "").strip()
    if lang and lang not in languages_by_tag():
        raise InvalidInput(f"unknown language {lang!r}", field="lang")
    return lang or None


def _page_args() -> tuple[str | None, int | None]:
    before = request.args.get("before", type=int)
    return _language_filter(), before if before and before > 0 else None


@bp.get("/changes")
def changes() -> str:
    """Newest first, a page at a time ("older" follows the last id shown)."""
    lang, before = _page_args()
    languages = [language for language in languages_by_tag().values() if language.registered]
    return render_template(
        "changes.html",
        page=recent_changes(before=before, lang=lang),
        lang=lang,
        before=before,
        languages=sorted(languages, key=lambda language: (language.position, language.tag)),
    )


def _absolute(path: str) -> str:
    """An absolute URL on TAMYR_BASE_URL when set (behind a proxy), else this request's host."""
    base = current_app.config.get("BASE_URL") or request.host_url
    return urljoin(base.rstrip("/") + "/", path.lstrip("/"))


def _tag(specific: str) -> str:
    base = current_app.config.get("BASE_URL") or request.host_url
    return f"tag:{urlsplit(base).hostname or 'localhost'},{TAG_DATE}:{specific}"


@bp.get("/changes.atom")
def changes_feed() -> Response:
    """The newest changes as Atom 1.0; ``?lang=`` filters as on the page."""
    lang, _before = _page_args()
    entries = recent_changes(lang=lang, limit=FEED_SIZE).entries
    items = [
        AtomEntry(
            id=_tag(f"change:{entry.id}"),
            title=change_title(entry),
            updated=entry.at,
            link=_absolute(
                url_for("web.concept", uid=entry.concept_uid, _anchor=f"change-{entry.id}")
                if entry.concept_uid
                else url_for("web.changes")
            ),
            author=entry.actor or "—",
            summary=change_summary(entry),
        )
        for entry in entries
    ]
    body = atom_feed(
        feed_id=_tag(f"changes:{lang}" if lang else "changes"),
        title=_("Tamyr — recent changes"),
        self_url=_absolute(url_for("web.changes_feed", lang=lang)),
        alternate_url=_absolute(url_for("web.changes", lang=lang)),
        updated=entries[0].at if entries else utcnow(),
        entries=items,
        language=ui_language(),
    )
    return Response(body, mimetype="application/atom+xml")
