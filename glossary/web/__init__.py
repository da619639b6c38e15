"""HTML pages: thin views that call services and render templates."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template
from flask_babel import lazy_gettext as _l

from glossary.errors import TamyrError

bp = Blueprint("web", __name__)

from glossary.web import (  # noqa: E402,F401  (register the routes on bp)
    auth,
    changes,
    curation,
    labels,
    oauth,
    pages,
    propose,
    reading,
)


@bp.errorhandler(TamyrError)
def _page_error(error: TamyrError) -> tuple[str, int]:
    return render_template("error.html", error=error), error.status


# Top-level pages in the navigation, shown once some blueprint serves them (the meetup and
# exchange pages are built separately and may not be there yet).
NAV_PAGES = (
    ("/changes", _l("Recent changes")),
    ("/meetups", _l("Meetups")),
    ("/browse", _l("A–Z")),
    ("/coverage", _l("Coverage")),
    ("/import", _l("Import")),
    ("/export", _l("Export")),
)


def nav_links() -> list[tuple[str, str]]:
    served = {rule.rule for rule in current_app.url_map.iter_rules()}
    return [(path, str(label)) for path, label in NAV_PAGES if path in served]


def init_web(app: Flask) -> None:
    """Register the HTML blueprint and what the pages need (sessions, CSRF, UI language)."""
    from glossary.web.auth import login_manager
    from glossary.web.i18n import init_i18n
    from glossary.web.oauth import init_oauth
    from glossary.web.reading import init_reading
    from glossary.web.security import init_security

    init_security(app)
    init_i18n(app)
    login_manager.init_app(app)
    init_oauth(app)
    init_reading(app)
    login_manager.login_message = _l("Please sign in to see this page.")
    app.jinja_env.globals["nav_links"] = nav_links
    app.register_blueprint(bp)
    from glossary.web import exchange, meetups

    app.register_blueprint(meetups.bp)
    app.register_blueprint(exchange.bp)
