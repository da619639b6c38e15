"""Browser-facing hardening: cookie flags, CSRF on every page form, security headers, CSP nonce.

Scripts are external files under ``static/``; the Content-Security-Policy allows only those
(and any ``<script nonce="{{ csp_nonce() }}">`` a template may need), never inline code.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csp_nonce() -> str:
    """A per-response nonce for ``<script nonce=...>``; the CSP header names it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_framing(origins: str = "'self'") -> None:
    """Let this one response be framed by ``origins`` (e.g. a projector page in a slide deck)."""
    g.frame_ancestors = origins


def uses_https(app: Flask) -> bool:
    return str(app.config.get("BASE_URL") or "").lower().startswith("https://")


def _content_security_policy() -> str:
    script_src = "'self'"
    if "csp_nonce" in g:
        script_src += f" 'nonce-{g.csp_nonce}'"
    frame_ancestors = g.get("frame_ancestors", "'none'")
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )


def init_security(app: Flask) -> None:
    https = uses_https(app)
    # Flask ships defaults for the session cookie (not Secure, no SameSite), so setdefault
    # would keep those; only a stricter explicit setting survives.
    for cookie in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{cookie}_SECURE"] = bool(app.config.get(f"{cookie}_SECURE")) or https
        app.config[f"{cookie}_HTTPONLY"] = True
        if app.config.get(f"{cookie}_SAMESITE") not in ("Strict", "Lax"):
            app.config[f"{cookie}_SAMESITE"] = "Lax"
    # The API is checked in glossary.api.auth (only cookie-authenticated writes need a token),
    # so CSRFProtect does not check every view by default; pages are checked below.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session: long meetups
    csrf.init_app(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def _check_csrf_on_pages() -> None:
        if request.method in UNSAFE_METHODS and not request.path.startswith("/api/"):
            csrf.protect()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "frame_ancestors" not in g:  # for browsers that predate frame-ancestors
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if https:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
