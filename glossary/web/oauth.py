"""Optional sign-in with a Wikimedia account (MediaWiki's OAuth 2 extension, via Authlib).

Enabled when TAMYR_OAUTH_WIKI_URL, TAMYR_OAUTH_CLIENT_ID and TAMYR_OAUTH_CLIENT_SECRET are set;
the endpoints are the wiki's ``rest.php/oauth2/...`` ones. New wiki users become viewers.
"""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from flask import Flask, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from glossary.errors import TamyrError
from glossary.services.users import user_for_oauth
from glossary.web import bp
from glossary.web.auth import sign_in

PROVIDER = "mediawiki"
EXTENSION = "tamyr_oauth"  # one Authlib registry per app: clients cache their endpoints


def oauth_enabled(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return all(config.get(k) for k in ("OAUTH_WIKI_URL", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"))


def _endpoint(app: Flask, name: str) -> str:
    return f"{str(app.config['OAUTH_WIKI_URL']).rstrip('/')}/w/rest.php/oauth2/{name}"


def init_oauth(app: Flask) -> None:
    app.jinja_env.globals["oauth_enabled"] = oauth_enabled
    if not oauth_enabled(app):
        return
    registry = OAuth(app)
    app.extensions[EXTENSION] = registry
    registry.register(
        PROVIDER,
        client_id=app.config["OAUTH_CLIENT_ID"],
        client_secret=app.config["OAUTH_CLIENT_SECRET"],
        authorize_url=_endpoint(app, "authorize"),
        access_token_url=_endpoint(app, "access_token"),
        api_base_url=_endpoint(app, "resource/"),
        client_kwargs={"timeout": 10},
    )


def _client() -> FlaskOAuth2App:
    if not oauth_enabled():
        abort(404)
    return current_app.extensions[EXTENSION].create_client(PROVIDER)


@bp.get("/login/mediawiki")
def oauth_login() -> Response:
    return _client().authorize_redirect(url_for("web.oauth_callback", _external=True))


@bp.get("/login/mediawiki/callback")
def oauth_callback() -> Response:
    client = _client()
    try:
        token = client.authorize_access_token()
        profile = client.get("profile", token=token).json()
        user = user_for_oauth(str(profile.get("sub", "")), str(profile.get("username", "")))
    except (OAuthError, TamyrError, ValueError) as error:
        current_app.logger.warning("MediaWiki sign-in failed: %s", error)
        flash(_("Signing in with the wiki failed; please try again."), "error")
        return redirect(url_for("web.login"))
    if not user.is_active:
        flash(_("This account is deactivated."), "error")
        return redirect(url_for("web.login"))
    sign_in(user)
    return redirect(url_for("web.home"))
