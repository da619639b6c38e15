"""Errors the services raise; the API turns them into problem+json, the CLI into one line."""

from __future__ import annotations

from typing import Any


class TamyrError(Exception):
    """Base class: ``status`` is the HTTP status the API answers with."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(TamyrError):
    status = 422
    title = "Invalid input"


class NotFound(TamyrError):
    status = 404
    title = "Not found"


class Conflict(TamyrError):
    status = 409
    title = "Conflict"


class Forbidden(TamyrError):
    status = 403
    title = "Forbidden"


class Unauthorized(TamyrError):
    status = 401
    title = "Unauthorized"


class NotAvailable(TamyrError):
    """A capability that this installation does not offer (yet)."""

    status = 501
    title = "Not implemented"
