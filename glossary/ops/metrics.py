"""Prometheus metrics (prometheus_client): request latency per endpoint, votes, imports.

Services call the hook functions (:func:`count_vote`, :func:`count_import`); they cost a
counter increment and never fail the caller.

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by the
workers *before* the server starts (prometheus_client reads it at import). Each worker then
writes its samples there and ``/metrics`` sums every worker's files, so a scrape that lands on
any one worker sees the whole server; ``tamyr serve`` tells gunicorn to drop a dead worker's
live gauges (:func:`gunicorn_child_exit`). Empty the folder between server runs.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Web requests are meant to finish within 100 ms (issue 9's load target); the buckets are
# finest there and still tell a slow export from a hung one.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
VOTE_NAMES = {1: "approve", -1: "object", 0: "abstain"}

REQUEST_LATENCY = Histogram(
    "tamyr_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (the URL rule, not the raw path).",
    ["method", "endpoint"],
    buckets=LATENCY_BUCKETS,
)
REQUESTS = Counter(
    "tamyr_http_requests",
    "HTTP requests answered, by route and status code.",
    ["method", "endpoint", "status"],
)
VOTES = Counter("tamyr_votes_cast", "Votes cast or changed, by value.", ["value"])
IMPORTS = Counter(
    "tamyr_imports", "Import runs, by outcome (committed, rejected, dry_run).", ["outcome"]
)
IMPORTED_TERMS = Counter("tamyr_imported_terms", "New terms written by committed imports.")


def count_vote(value: int | None = None) -> None:
    """One vote was stored (cast or changed)."""
    VOTES.labels(value=VOTE_NAMES.get(value, "other") if value is not None else "other").inc()


def count_import(outcome: str, new_terms: int = 0) -> None:
    """One import run ended with ``outcome``; ``new_terms`` were written if it committed."""
    IMPORTS.labels(outcome=outcome).inc()
    if new_terms > 0:
        IMPORTED_TERMS.inc(new_terms)


def _endpoint() -> str:
    # The rule keeps the label set small: /concepts/<uid>, never one series per concept.
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def register_request_metrics(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            endpoint = _endpoint()
            REQUEST_LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started)
            REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response


def metrics_exposition() -> tuple[bytes, str]:
    """The text exposition of this process's metrics, or of every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def gunicorn_child_exit(_server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: forget a dead worker's live gauges in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
