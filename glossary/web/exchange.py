"""/import and /export pages: upload → dry-run report → confirm; an export form → download.

An upload is kept in the instance folder under a random token between the dry run and the
commit, so the editor confirms exactly the files whose report they read; only the editor who
uploaded them can commit them. The import and export logic is ``glossary.services.imports``
and ``glossary.services.exports``; these views only carry files and form fields to them.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from glossary.api.exchange import export_response
from glossary.api.imports import MAX_FILES
from glossary.api.imports import _save as save_upload
from glossary.errors import Forbidden, InvalidInput, NotFound, TamyrError
from glossary.exporters.base import export_formats
from glossary.models import TERM_STATUSES
from glossary.services.actors import Actor
from glossary.services.exports import LAYOUTS, ExportRequest, plan_export
from glossary.services.imports import ImportFile, ImportOptions, ImportRejected, run_import
from glossary.services.languages import list_languages
from glossary.web.auth import page_actor
from glossary.web.meetups import page_error
from importers.registry import formats

bp = Blueprint("exchange_pages", __name__)
bp.register_error_handler(TamyrError, page_error)

UPLOAD_LIFETIME_SECONDS = 24 * 3600  # an abandoned dry run is swept after a day
_TOKEN_BYTES = 24


# -- uploads kept between the dry run and the commit ------------------------------------------
def _uploads_root() -> Path:
    root = Path(current_app.instance_path) / "imports"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sweep_old_uploads(root: Path) -> None:
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _options_from_form(dry_run: bool, form: dict[str, Any]) -> ImportOptions:
    return ImportOptions(
        format=form.get("format") or "auto",
        source_lang=(form.get("source_lang") or "").strip() or None,
        lang=(form.get("lang") or "").strip() or None,
        skip_invalid=bool(form.get("skip_invalid")),
        dry_run=dry_run,
    )


def _keep_upload(actor: Actor) -> tuple[str, list[ImportFile], dict[str, Any]]:
    """Save the request's files under a fresh token with who uploaded them and the options."""
    uploads = [f for f in request.files.getlist("file") if f.filename]
    if not uploads:
        raise InvalidInput(_("choose at least one file"), field="file")
    if len(uploads) > MAX_FILES:
        raise InvalidInput(_("at most %(count)d files at once", count=MAX_FILES), field="file")
    root = _uploads_root()
    _sweep_old_uploads(root)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    folder = root / token
    folder.mkdir()
    files = [save_upload(upload, folder, n) for n, upload in enumerate(uploads, 1)]
    form = {key: request.form.get(key, "") for key in ("format", "source_lang", "lang")}
    form["skip_invalid"] = "on" if request.form.get("skip_invalid") else ""
    meta = {
        "user": actor.user_id,
        "form": form,
        "files": [{"path": f.path.name, "name": f.name} for f in files],
    }
    (folder / "upload.json").write_text(json.dumps(meta), encoding="utf-8")
    return token, files, form


def _load_upload(actor: Actor, token: str) -> tuple[Path, list[ImportFile], dict[str, Any]]:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise NotFound(_("no such upload"))
    folder = _uploads_root() / token
    meta_path = folder / "upload.json"
    if not meta_path.is_file():
        raise NotFound(_("this upload is gone (already imported, or older than a day)"))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["user"] != actor.user_id:
        raise Forbidden(_("only the person who uploaded these files can import them"))
    files = [ImportFile(folder / f["path"], f["name"]) for f in meta["files"]]
    return folder, files, meta["form"]


def _import_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("form", {})
    page = render_template(
        "exchange/import.html", formats=["auto", *formats()], languages=list_languages(), **context
    )
    return page, status


# -- import ----------------------------------------------------------------------------------
@bp.get("/import")
def import_form() -> tuple[str, int]:
    page_actor().require("editor")
    return _import_page()


@bp.post("/import")
def import_dry_run() -> tuple[str, int]:
    """Keep the files and show what importing them would do; nothing is written yet."""
    actor = page_actor()
    actor.require("editor")  # before any upload touches the disk
    try:
        token, files, form = _keep_upload(actor)
    except InvalidInput as error:
        return _import_page(422, error=error.detail, form=request.form)
    try:
        report = run_import(actor, files, _options_from_form(True, form))
    except ImportRejected as error:
        shutil.rmtree(_uploads_root() / token, ignore_errors=True)
        report = error.report.as_dict() if error.report else None
        return _import_page(422, error=error.detail, report=report, form=form)
    except InvalidInput as error:
        shutil.rmtree(_uploads_root() / token, ignore_errors=True)
        return _import_page(422, error=error.detail, form=form)
    return _import_page(report=report.as_dict(), token=token, form=form)


@bp.post("/import/<token>/commit")
def import_commit(token: str) -> tuple[str, int]:
    """Import the kept files for real, with the options of their dry run."""
    actor = page_actor()
    actor.require("editor")
    folder, files, form = _load_upload(actor, token)
    try:
        report = run_import(actor, files, _options_from_form(False, form))
    except ImportRejected as error:  # the termbase changed since the dry run
        report = error.report.as_dict() if error.report else None
        return _import_page(422, error=error.detail, report=report, form=form)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _import_page(report=report.as_dict(), committed=True, form=form)


@bp.post("/import/<token>/cancel")
def import_cancel(token: str) -> BaseResponse:
    actor = page_actor()
    actor.require("editor")
    folder, _files, _form = _load_upload(actor, token)
    shutil.rmtree(folder, ignore_errors=True)
    return redirect(url_for("exchange_pages.import_form"))


# -- export ----------------------------------------------------------------------------------
def _export_request() -> ExportRequest:
    args = request.args
    return ExportRequest(
        format=args.get("format", ""),
        layout=args.get("layout", "wide"),
        source_lang=args.get("source_lang") or "en",
        languages=[tag for tag in args.getlist("lang") if tag],
        statuses=[status for status in args.getlist("status") if status],
        domain=args.get("domain"),
    )


@bp.get("/export")
def export() -> BaseResponse | tuple[str, int]:
    """The form; once it is submitted (it has a ``format``), the download itself."""
    error = None
    if "format" in request.args:
        try:
            return export_response(plan_export(_export_request()))
        except (InvalidInput, NotFound) as problem:
            error = problem.detail
    page = render_template(
        "exchange/export.html",
        formats=export_formats(),
        layouts=LAYOUTS,
        statuses=TERM_STATUSES,
        languages=list_languages(),
        args=request.args,
        error=error,
    )
    return page, 422 if error else 200
