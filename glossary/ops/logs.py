"""Structured logs: one JSON object per line, one line per request, secrets scrubbed.

Every request gets an id, taken from ``X-Request-ID`` when a proxy sent a sane one, else
generated, and echoed in the response's ``X-Request-ID`` so a user's report can be matched to
the log line. Request lines carry the path without its query string, and path values of
secret-bearing routes (join codes, tokens) are replaced; the formatter scrubs bearer tokens,
``password=…``-like pairs and the app's secret key from every message, whatever logged it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # nothing that could forge a log line
REQUEST_LOGGER = "glossary.requests"
REDACTED = "[redacted]"
# Route variables whose values are credentials (a meetup join code lets anyone vote).
SECRET_ROUTE_ARGS = frozenset({"code", "token", "join_code", "secret"})
_SECRET_PAIRS = re.compile(
    r"(?i)\b(password|passwd|token|secret|secret_key|api_key|csrf_token|code|authorization)"
    r"(\"?\s*[=:]\s*\"?)(?!bearer\b|basic\b|\[redacted\])([^\s\"&,;]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_HANDLER_MARK = "_tamyr_json_handler"


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with credentials replaced: known secret values, bearer tokens, key=value pairs."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _SECRET_PAIRS.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, extra fields."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage(), self.secrets),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info), self.secrets)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr for the app's loggers, in servers (one-shot commands print text)."""
    if app.config.get("CLI") or app.config.get("TESTING"):
        return
    logger = logging.getLogger("glossary")
    secrets = (str(app.config.get("SECRET_KEY") or ""),)
    for handler in logger.handlers:
        if getattr(handler, _HANDLER_MARK, False):
            handler.setFormatter(JsonFormatter(secrets))
            return
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter(secrets))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # gunicorn or a host app may log the root: no second, plain copy


def _request_id() -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SANE_REQUEST_ID.match(offered) else uuid.uuid4().hex


def loggable_path() -> str:
    """The request path with secret route values replaced; never the query string."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ROUTE_ARGS and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path


def register_request_logging(app: Flask) -> None:
    logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def _assign_request_id() -> None:
        g.request_id = _request_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        request_id = g.get("request_id") or _request_id()
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started is not None else None
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": loggable_path(),
            "status": response.status_code,
            "duration_ms": round(duration, 2) if duration is not None else None,
            "remote": request.remote_addr,
        }
        logger.info(
            "%s %s %s",
            request.method,
            fields["path"],
            response.status_code,
            extra={"fields": fields},
        )
        return response
