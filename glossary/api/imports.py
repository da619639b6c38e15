"""``POST /api/v1/imports``: upload PO, MO, TMX, TBX, CSV, XLSX or bidix files; get the report.

A ``multipart/form-data`` request with one or more ``file`` parts and the options of
``tamyr import`` as plain fields (``format``, ``source_lang``, ``lang``, ``meetup``,
``skip_invalid``); ``?dry_run=1`` reports without writing. Editors may import; the statuses a
file carries are kept only for moderators. The files of one request are one transaction: an
invalid one is a 422 problem whose ``report`` member says what was wrong, and nothing is written.
A request over ``MAX_CONTENT_LENGTH`` is a 413.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from glossary.api.auth import current_actor
from glossary.services.imports import ImportFile, ImportOptions, run_import
from importers.registry import formats

MAX_FILES = 50
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


class _MultipartParser(FlaskParser):
    """Reads the ``files`` location as the whole multipart body: uploads and plain fields.

    flask-smorest documents a ``files`` schema as one ``multipart/form-data`` body, which is
    exactly this request's shape; webargs alone would read only the uploads.
    """

    def load_files(self, req: Any, schema: Schema) -> MultiDictProxy:
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _MultipartParser()


blp = _Blueprint("imports", __name__, url_prefix="/api/v1", description="Exchange formats: import")


class _FilePart(Upload):
    """A multipart part that is a file (a plain text field named ``file`` is a 422)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError("must be a file part of a multipart/form-data body")
        return value


class ImportFormSchema(Schema):
    file = fields.List(_FilePart(), required=True, validate=validate.Length(min=1, max=MAX_FILES))
    format = fields.String(load_default="auto", validate=validate.OneOf(["auto", *formats()]))
    source_lang = fields.String(load_default=None, validate=validate.Length(min=1, max=35))
    lang = fields.String(load_default=None, validate=validate.Length(min=1, max=35))
    meetup = fields.String(load_default=None, validate=validate.Length(min=1, max=36))
    skip_invalid = fields.Boolean(load_default=False)


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False)


def _display_name(upload: FileStorage, number: int) -> str:
    """The upload's own file name without any directory part, for reports."""
    name = _CONTROLS.sub("", upload.filename or "").replace("\\", "/")
    return PurePosixPath(name).name[:200] or f"upload-{number}"


def _save(upload: FileStorage, folder: Path, number: int) -> ImportFile:
    """Store one upload under a name of our own; its extension is kept for format detection."""
    name = _display_name(upload, number)
    suffix = PurePosixPath(name).suffix
    path = folder / f"upload-{number}{suffix if _SAFE_SUFFIX.fullmatch(suffix) else ''}"
    upload.save(path)
    return ImportFile(path, name)


@blp.route("/imports", methods=["POST"])
@blp.arguments(ImportFormSchema, location="files")
@blp.arguments(ImportQuerySchema, location="query")
@blp.response(200, description="The import report: per file and totals.")
@blp.alt_response(413, description="The request is larger than the server accepts.")
def create_import(form: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
    """Import files in one transaction (editors; file statuses are kept for moderators)."""
    actor = current_actor()
    actor.require("editor")  # before any upload is written to disk
    options = ImportOptions(
        format=form["format"],
        source_lang=form["source_lang"],
        lang=form["lang"],
        meetup=form["meetup"],
        skip_invalid=form["skip_invalid"],
        dry_run=query["dry_run"],
    )
    with tempfile.TemporaryDirectory(prefix="tamyr-import-") as folder:
        files = [_save(upload, Path(folder), n) for n, upload in enumerate(form["file"], 1)]
        current_app.logger.info("import of %d files by %s", len(files), actor.name)
        return run_import(actor, files, options).as_dict()
