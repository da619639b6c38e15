"""RFC 9457 problem+json for every API error; HTML pages keep HTML errors."""

from __future__ import annotations

import functools
import http
from typing import Any

from apispec import BasePlugin
from flask import Flask, Response, current_app, jsonify, request
from flask_limiter import RouteLimit
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from glossary.errors import TamyrError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE = "about:blank"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MEDIA_TYPE
    return response


def _wants_problem() -> bool:
    return request.path.startswith("/api/")


def _validation_detail(messages: Any) -> tuple[str, dict[str, Any]]:
    """flask-smorest puts marshmallow's messages under location -> field -> [messages]."""
    fields: dict[str, Any] = {}
    if isinstance(messages, dict):
        for location_messages in messages.values():
            if isinstance(location_messages, dict):
                fields.update(location_messages)
    parts = [
        f"{name}: {'; '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
        for name, msgs in fields.items()
    ]
    return ("; ".join(parts) or "the request failed validation"), fields


class ProblemSchema(Schema):
    """RFC 9457 problem details; validation failures add ``errors`` (field -> messages)."""

    class Meta:
        unknown = INCLUDE  # services add context such as the conflicting term's id

    type = fields.String(required=True, metadata={"example": PROBLEM_TYPE})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "for 422: each failing field with its messages"},
    )


# Which errors each operation can answer with, beyond the ones its decorators document.
WRITE_METHODS = ("post", "put", "patch", "delete")
COMMON_ERRORS = (400, 401, 403, 414, 429)  # 414: a URL too long, whatever the operation


class ProblemResponsesPlugin(BasePlugin):
    """Document the problem+json errors every operation can produce, so the spec is truthful."""

    def operation_helper(self, path: str | None = None, operations: Any = None, **_: Any) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            codes = set(COMMON_ERRORS)
            has_path_params = "{" in (path or "")
            if has_path_params:
                codes.add(404)
            if has_path_params or operation.get("parameters") or "requestBody" in operation:
                codes.add(422)
            if method in WRITE_METHODS:
                codes.update((404, 409, 413, 422))
            for code in sorted(codes):
                if code not in responses and str(code) not in responses:
                    responses[code] = http.HTTPStatus(code).name


def _write_limit_value() -> str:
    return str(current_app.config["API_WRITE_RATE_LIMIT"])


def _writer_key() -> str:
    from glossary.api.auth import current_actor

    return f"user:{current_actor().user_id}"


def _is_anonymous() -> bool:
    """Anonymous writes (joining a meetup) are limited per address where they are declared."""
    from glossary.api.auth import current_actor

    return current_actor().user_id is None


@functools.cache
def _write_limit() -> RouteLimit:
    """One shared bucket per user for every API write (DESIGN.md §8: generous, 10/s)."""
    from glossary.extensions import limiter

    return limiter.shared_limit(
        _write_limit_value,
        scope="api-write",
        key_func=_writer_key,
        exempt_when=_is_anonymous,
        methods=["POST", "PUT", "PATCH", "DELETE"],
    )


class TamyrApi(Api):
    """flask-smorest's Api, answering and documenting errors as problem+json."""

    ERROR_SCHEMA = ProblemSchema
    # Each operation lists its real errors (ProblemResponsesPlugin) instead of a catch-all.
    DEFAULT_ERROR_RESPONSE_NAME = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec_kwargs = dict(kwargs.pop("spec_kwargs", None) or {})
        spec_kwargs.setdefault("extra_plugins", [ProblemResponsesPlugin()])
        super().__init__(*args, spec_kwargs=spec_kwargs, **kwargs)

    def init_app(self, app: Flask, *, spec_kwargs: Any = None) -> None:
        from glossary.api import hardening

        for key, value in {
            "OPENAPI_SWAGGER_UI_PATH": "docs",
            # Relative to /api/v1/docs: the bundled copy, never a CDN (meetups may be offline).
            "OPENAPI_SWAGGER_UI_URL": "docs-assets/",
            "API_WRITE_RATE_LIMIT": "10/second",
            "RATELIMIT_HEADER_LIMIT": "RateLimit-Limit",
            "RATELIMIT_HEADER_REMAINING": "RateLimit-Remaining",
            "RATELIMIT_HEADER_RESET": "RateLimit-Reset",
        }.items():
            app.config.setdefault(key, value)
        super().init_app(app, spec_kwargs=spec_kwargs)
        app.url_map.converters["int"] = hardening.BoundedIntegerConverter
        self.register_converter(hardening.BoundedIntegerConverter, hardening.bounded_integer_schema)
        hardening.install(app)

    def register_blueprint(self, blp: Blueprint, *, parameters: Any = None, **options: Any) -> None:
        _write_limit()(blp)
        super().register_blueprint(blp, parameters=parameters, **options)

    def _register_responses(self) -> None:
        """flask-smorest's per-status responses, as problem+json with ProblemSchema."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            if status == http.HTTPStatus.REQUEST_URI_TOO_LONG:
                # The app answers URLs up to its limit; a request line past gunicorn's own
                # (8190 bytes under `tamyr serve`) gets gunicorn's HTML page, never the app.
                response["description"] += " (past the server's request-line limit: HTML)"
                response["content"]["text/html"] = {"schema": {"type": "string"}}
            self.spec.components.response(status.name, response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not _wants_problem():
            return error
        status = error.code or 500
        if status == 304:
            return Response(status=304)
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            detail, fields_ = _validation_detail(data["messages"])
            response = problem(status, "Invalid input", detail, errors=fields_)
        else:
            message = data.get("message") or error.description or error.name
            response = problem(status, error.name, str(message))
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TamyrError)
    def _tamyr_error(error: TamyrError) -> Any:
        if not _wants_problem():
            return error.detail, error.status
        extra = dict(error.extra)
        if error.status == 422 and isinstance(extra.get("field"), str):
            extra.setdefault("errors", {extra["field"]: [error.detail]})
        return problem(error.status, error.title, error.detail, **extra)
