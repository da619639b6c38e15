"""RFC 9457 problem+json for every API error; HTML pages keep HTML errors."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from glossary.errors import TamyrError

PROBLEM_TYPE = "about:blank"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
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


class TamyrApi(Api):
    """flask-smorest's Api, answering errors as problem+json."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not _wants_problem():
            return error
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            detail, fields = _validation_detail(data["messages"])
            response = problem(status, "Invalid input", detail, errors=fields)
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
        return problem(error.status, error.title, error.detail, **error.extra)
