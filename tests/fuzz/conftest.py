"""Hypothesis settings for the property tests: bounded, so the whole suite stays fast."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# deadline=None: the 2-core CI machine is shared, and a slow example is not a wrong one.
settings.register_profile(
    "tamyr",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    # Locally every run explores new examples; CI replays a fixed set so it cannot flake.
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
)
settings.load_profile("tamyr")
