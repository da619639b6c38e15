"""What keeps /api/v1 predictable from outside: strict JSON, bounded ids, CORS, write limits.

Installed by ``TamyrApi.init_app`` so every API blueprint gets it, whoever wrote it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, g, request, send_from_directory
from flask_cors import CORS
from werkzeug.exceptions import RequestURITooLarge
from werkzeug.routing import IntegerConverter

from glossary.errors import TamyrError

API_PREFIX = "/api/"
JSON_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# A JSON body is a few terms or a ballot; imports (multipart) keep MAX_CONTENT_LENGTH.
DEFAULT_JSON_MAX_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
# I-JSON (RFC 7493): numbers beyond ±2^53 do not survive JavaScript clients anyway.
MAX_JSON_INTEGER = 2**53
# Database ids are 32-bit signed on PostgreSQL; a larger id in a URL is simply not found.
MAX_PATH_ID = 2**31 - 1
# Under gunicorn's default request line limit (4094 bytes), so a long URL is a problem+json 414
# from the app rather than gunicorn's HTML page (`tamyr serve` also raises gunicorn's limit).
MAX_REQUEST_TARGET_BYTES = 4000
DOCS_ASSETS_PATH = "/api/v1/docs-assets"
READ_METHODS = ["GET", "HEAD", "OPTIONS"]
EXPOSED_HEADERS = ["ETag", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]


class MalformedRequest(TamyrError):
    status = 400
    title = "Malformed request"


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` that never hands the database a number its id columns cannot hold."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_PATH_ID)
        super().__init__(map, *args, **kwargs)


def bounded_integer_schema(converter: BoundedIntegerConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": converter.max}


def _reject_constant(name: str) -> Any:
    raise MalformedRequest(f"{name} is not a JSON number")


def _parse_int(text: str) -> int:
    # Checked on the digits, before int() does quadratic work on a megabyte of them.
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_JSON_INTEGER:
        raise MalformedRequest(f"numbers must lie within ±2^53; {text[:20]}… does not")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedRequest(f"the number {text[:20]} is too large")
    return value


def _check_structure(value: Any, depth: int = 0) -> None:
    """Bounded nesting, and strings that are real Unicode (no lone surrogates from \\ud800)."""
    if depth > MAX_JSON_DEPTH:
        raise MalformedRequest(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        _check_string(value)
    elif isinstance(value, list):
        for item in value:
            _check_structure(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_string(key)
            _check_structure(item, depth + 1)


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedRequest(
            "the JSON holds a lone surrogate escape (like \\ud800), which is not text"
        ) from exc


def check_request_target() -> None:
    """Refuse an over-long API URL (percent-encoded, as sent) with a 414 problem."""
    if not request.path.startswith(API_PREFIX):
        return
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        length = len(raw)
    else:
        length = len(quote(request.path, errors="replace")) + 1 + len(request.query_string)
    if length > MAX_REQUEST_TARGET_BYTES:
        raise RequestURITooLarge(
            f"the URL is {length} bytes long; at most {MAX_REQUEST_TARGET_BYTES} are accepted"
        )


def check_json_body() -> None:
    """Parse API JSON bodies once, strictly, so no handler ever sees a poisoned value."""
    if not request.path.startswith(API_PREFIX) or request.method not in JSON_BODY_METHODS:
        return
    if not request.is_json:
        return
    limit = request.max_content_length
    json_limit = int(current_app.config["API_JSON_MAX_BYTES"])
    request.max_content_length = min(limit, json_limit) if limit else json_limit
    raw = request.get_data(cache=True)  # 413 past the limit; webargs reads this cache
    if not raw:
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequest(f"the body is not UTF-8 (byte {exc.start})") from exc
    try:
        document = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"the body is not valid JSON: {exc.msg} at {exc.pos}") from exc
    except RecursionError as exc:
        raise MalformedRequest(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except ValueError as exc:  # int() past Python's digit limit
        raise MalformedRequest(f"the body holds a number that is too large: {exc}") from exc
    _check_structure(document)


def forget_actor() -> None:
    """The caller is worked out per request: an app context reused across requests (tests,
    CLI-driven clients) must not carry the last request's actor into this one."""
    g.pop("actor", None)


def install(app: Flask) -> None:
    """Hooks, converters, CORS and the docs assets; called once per app."""
    app.config.setdefault("API_JSON_MAX_BYTES", DEFAULT_JSON_MAX_BYTES)
    app.before_request(forget_actor)
    app.before_request(check_request_target)
    app.before_request(check_json_body)
    # Reads are public: any site's browser tool may GET. No credentials are shared, and the
    # preflight allows neither writes nor Authorization, so cross-site scripts cannot write.
    CORS(
        app,
        resources={r"/api/v1/*": {"origins": "*"}},
        methods=READ_METHODS,
        allow_headers=["Accept", "Content-Type", "If-None-Match"],
        expose_headers=EXPOSED_HEADERS,
        supports_credentials=False,
        send_wildcard=True,  # "*", not an echo of the Origin: one cacheable answer for all
        max_age=86400,
    )
    _serve_docs_assets(app)


def _serve_docs_assets(app: Flask) -> None:
    """Swagger UI from the swagger-ui-bundle wheel: the docs work offline (no CDN)."""
    import swagger_ui_bundle

    folder = Path(swagger_ui_bundle.swagger_ui_path)

    def docs_asset(filename: str) -> Any:
        return send_from_directory(folder, filename, max_age=86400)

    app.add_url_rule(f"{DOCS_ASSETS_PATH}/<path:filename>", "api_docs_asset", docs_asset)
