"""HTTP API v1 (flask-smorest): thin handlers over the services, problem+json errors."""

from __future__ import annotations

from flask_smorest import Api


def register_api(api: Api) -> None:
    from glossary.api.views import blp

    api.register_blueprint(blp)
