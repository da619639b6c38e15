"""HTTP API v1 (flask-smorest): thin handlers over the services, problem+json errors."""

from __future__ import annotations

from flask_smorest import Api


def register_api(api: Api) -> None:
    from glossary.api import (
        concepts,
        curation,
        discussion,
        exchange,
        imports,
        meetups,
        reports,
        search,
        terms,
        users,
        views,
    )

    for module in (
        views,
        concepts,
        curation,
        terms,
        discussion,
        users,
        search,
        meetups,
        reports,
        exchange,
        imports,
    ):
        api.register_blueprint(module.blp)
