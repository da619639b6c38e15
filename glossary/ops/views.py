"""The probes a load balancer or orchestrator calls, and the Prometheus scrape endpoint."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from glossary.extensions import limiter
from glossary.ops.health import readiness
from glossary.ops.metrics import metrics_exposition

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process is alive and answering; touches nothing else, so it never flaps."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """Ready for traffic: the database answers and the search index can be read."""
    report = readiness()
    return jsonify(report.as_dict()), 200 if report.ok else 503


@bp.get("/metrics")
@limiter.exempt
def metrics() -> Response:
    body, content_type = metrics_exposition()
    return Response(body, content_type=content_type)
