"""Operations: health and readiness probes, structured request logs, Prometheus metrics.

``init_ops(app)`` wires all three into an app; services report events through the hook
functions in :mod:`glossary.ops.metrics` (``count_vote()``, ``count_import(...)``).
"""

from __future__ import annotations

from flask import Flask


def init_ops(app: Flask) -> None:
    """Register /healthz, /readyz and /metrics, request ids, JSON request logs and timings."""
    from glossary.ops.logs import configure_logging, register_request_logging
    from glossary.ops.metrics import register_request_metrics
    from glossary.ops.views import bp

    configure_logging(app)
    register_request_logging(app)
    register_request_metrics(app)
    app.register_blueprint(bp)
