"""HTTP API v1 (flask-smorest): thin handlers over the services, problem+json errors."""

from __future__ import annotations

from flask_smorest import Api


def register_api(api: Api) -> None:
    from glossary.api import exchange, imports, meetups, search, views

    for module in (views, search, meetups, exchange, imports):
        api.register_blueprint(module.blp)
