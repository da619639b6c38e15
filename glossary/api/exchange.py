"""``GET /api/v1/export``: the termbase as a streamed PO, TMX, TBX, CSV or XLSX file.

Query arguments are those of ``tamyr export`` (``lang`` and ``status`` repeat, or take
comma-separated lists). The response is streamed as the concepts are read, names its file in
``Content-Disposition`` and carries a weak ETag, so a client that sends ``If-None-Match`` gets a
``304`` while nothing has changed.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, stream_with_context
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from glossary.exporters.base import export_formats, exporter_class
from glossary.services.exports import (
    LAYOUTS,
    ExportPlan,
    ExportRequest,
    export_chunks,
    export_etag,
    plan_export,
)

blp = Blueprint("exchange", __name__, url_prefix="/api/v1", description="Exchange formats: export")


class ExportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(export_formats()))
    layout = fields.String(load_default="wide", validate=validate.OneOf(LAYOUTS))
    source_lang = fields.String(load_default="en", validate=validate.Length(min=1, max=35))
    lang = fields.List(fields.String(validate=validate.Length(min=1, max=400)), load_default=list)
    status = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list)
    domain = fields.String(load_default=None, validate=validate.Length(max=100))
    meetup = fields.String(load_default=None, validate=validate.Length(max=36))


def _split(values: list[str]) -> list[str]:
    """``["kk,tr", "uz"]`` → ``["kk", "tr", "uz"]``: both spellings of a list work."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@blp.route("/export")
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, description="The export file, streamed; Content-Disposition names it.")
@blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match.")
@blp.alt_response(404, response="NOT_FOUND", description="No meetup with that id or uid.")
def export(args: dict[str, Any]) -> Response:
    """Export the termbase (PO needs exactly one target `lang`)."""
    plan = plan_export(
        ExportRequest(
            format=args["format"],
            layout=args["layout"],
            source_lang=args["source_lang"],
            languages=_split(args["lang"]),
            statuses=_split(args["status"]),
            domain=args["domain"],
            meetup=args["meetup"],
        )
    )
    return export_response(plan)


def export_response(plan: ExportPlan) -> Response:
    """The planned export as a streamed download with a weak ETag (the web form uses it too)."""
    base_url = current_app.config.get("BASE_URL")
    etag = export_etag(plan, base_url)
    if request.if_none_match.contains_weak(etag):
        not_modified = Response(status=304)
        not_modified.set_etag(etag, weak=True)
        return not_modified
    chunks = export_chunks(plan, base_url=base_url)  # validates and reads the header facts now
    response = Response(
        stream_with_context(chunks), mimetype=exporter_class(plan.format).media_type
    )
    response.headers.set("Content-Disposition", "attachment", filename=plan.filename)
    response.set_etag(etag, weak=True)
    return response
