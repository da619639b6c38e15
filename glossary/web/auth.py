"""Signing in and out, and the account page with API token management."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from glossary.errors import TamyrError
from glossary.extensions import db, limiter
from glossary.models import User
from glossary.services import users
from glossary.services.actors import Actor, actor_for
from glossary.web import bp
from glossary.web.forms import LoginForm, RevokeTokenForm, TokenForm, UiLanguageForm
from glossary.web.i18n import UI_LANGUAGES

# Failed sign-ins per address; successful ones cost nothing, so a meetup behind one NAT is fine.
LOGIN_LIMIT = "10 per minute;50 per hour"

login_manager = LoginManager()
login_manager.login_view = "web.login"
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def page_actor() -> Actor:
    """The actor behind this page request: the signed-in user, else anonymous."""
    if current_user.is_authenticated:
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        return actor_for(user, meetup_id=user.meetup_id)
    return actor_for(None)


def sign_in(user: User, remember: bool = False) -> None:
    """Start a browser session for ``user`` in a fresh session.

    The session is a signed cookie, so there is no server-side id to fix; but a cookie planted
    before sign-in carries a CSRF token the planter knows. Starting afresh gives the signed-in
    session a new token; only the interface language carries over.
    """
    uselang = session.get("uselang")
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches it per request: this response needs the new one
    if uselang:
        session["uselang"] = uselang
    login_user(user, remember=remember)


def safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must never bounce people to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("web.home")


def _login_failed() -> bool:
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    "10 per minute;50 per hour", methods=["POST"], deduct_when=lambda _r: _login_failed()
)
def login() -> str | Response:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = users.authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            sign_in(user)
            return redirect(safe_next(form.next.data))
        g.login_failed = True
        flash(_("Unknown user name or wrong password."), "error")
    return render_template("login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    return redirect(url_for("web.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    actor = page_actor()
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    token_form, revoke_form, language_form = TokenForm(), RevokeTokenForm(), UiLanguageForm()
    language_form.ui_language.choices = [SelectChoice("", _("Follow the browser"))] + [
        SelectChoice(tag, name) for tag, name in UI_LANGUAGES.items()
    ]
    new_token = None
    action = request.form.get("action")
    try:
        if action == "create-token" and token_form.validate_on_submit():
            new_token = users.create_token(actor, user, token_form.name.data or "web")
            token_form.name.data = ""
        elif action == "revoke-token" and revoke_form.validate_on_submit():
            users.revoke_token(actor, int(revoke_form.token_id.data or 0))
            flash(_("The token is revoked."), "info")
            return redirect(url_for("web.account"))
        elif action == "ui-language" and language_form.validate_on_submit():
            users.set_ui_language(actor, user, language_form.ui_language.data or None)
            session.pop("uselang", None)  # the saved choice now speaks for the person
            return redirect(url_for("web.account"))
    except (TamyrError, ValueError) as error:
        flash(getattr(error, "detail", str(error)), "error")
    if request.method == "GET":
        language_form.ui_language.data = user.ui_language or ""
    return render_template(
        "account.html",
        tokens=users.tokens_of(user),
        new_token=new_token,
        token_form=token_form,
        revoke_form=revoke_form,
        language_form=language_form,
    )
