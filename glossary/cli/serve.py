"""`tamyr serve`: gunicorn in production, Flask's reloader with --debug, a throwaway demo."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from glossary.cli.common import clear_errors


class TamyrServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with Tamyr's app factory; each worker builds its own app and engine."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.app_config = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from glossary import create_app

        return create_app(self.app_config)


def _lan_address() -> str:
    """The address other devices on the meetup's network reach this machine at."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for a UDP connect
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def _prepare_demo(config: dict[str, Any]) -> None:
    from glossary import create_app
    from glossary.cli.database import init_database
    from glossary.extensions import db
    from glossary.services.demo import load_demo
    from glossary.services.indexing import apply_pending

    app = create_app(config)
    with app.app_context():
        init_database()
        summary = load_demo()
        apply_pending()
        db.engine.dispose()  # no connection may cross the fork into the workers
    click.echo(f"Demo termbase: {summary}")


def _prepare(config: dict[str, Any]) -> None:
    """Validate settings before forking, so a missing secret is one clear line, and catch the
    search index up with changes a crash or `import --defer-index` left in the outbox."""
    from sqlalchemy.exc import DBAPIError

    from glossary import create_app
    from glossary.extensions import db
    from glossary.services.indexing import apply_pending

    app = create_app(config)
    with app.app_context():
        try:
            applied = apply_pending()
        except DBAPIError as exc:  # e.g. no schema yet: the pages say so; serve anyway
            click.echo(f"warning: search outbox not applied: {exc.orig}", err=True)
        else:
            if applied:
                click.echo(f"Applied {applied} pending term changes to the search index.")
        db.engine.dispose()


def _announce_meetups(config: dict[str, Any], base_url: str) -> None:
    """Print each open meetup's join URL and its QR code, so an organiser without internet can
    project the terminal; with none open, say how to create one."""
    from sqlalchemy.exc import DBAPIError

    from glossary import create_app
    from glossary.extensions import db
    from glossary.services import meetups

    app = create_app(config)
    with app.app_context():
        try:
            rows = meetups.open_meetups()
            ansi = sys.stdout.isatty()  # colours on a terminal; plain blocks in a log
            for meetup in rows:
                url = meetups.join_url(meetup, base_url)
                click.echo(f"Meetup {meetup.id} «{meetup.name}»: join at {url}")
                click.echo(meetups.join_qr_text(meetup, base_url, ansi=ansi))
        except DBAPIError as exc:
            click.echo(f"warning: meetups not read: {exc.orig} (run `tamyr init`)", err=True)
            return
        finally:
            db.engine.dispose()  # no connection may cross the fork into the workers
    if not rows:
        click.echo(
            "No open meetup yet. Create one as a moderator (`tamyr user create NAME --role"
            f" moderator`): sign in at {base_url}/login and use {base_url}/meetups, or POST"
            f" {base_url}/api/v1/meetups with a moderator's token. Then restart"
            " `tamyr serve --meetup` to print its join QR code (the meetup's projector page"
            " shows it too)."
        )


@click.command("serve")
@click.option("--demo", is_flag=True, help="Serve a throwaway SQLite termbase with demo data.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--meetup", is_flag=True, help="Offline meetup mode: listen on the LAN.")
@click.option("--debug", is_flag=True, help="Flask's debugger and reloader (never in public).")
@clear_errors
def serve_command(
    demo: bool, host: str, port: int, workers: int, meetup: bool, debug: bool
) -> None:
    """Run Tamyr's web server."""
    config: dict[str, Any] = {}
    if demo:
        folder = Path(tempfile.mkdtemp(prefix="tamyr-demo-"))
        config.update(
            DEMO=True,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'demo.sqlite3'}",
            INDEX_DIR=str(folder / "index"),
        )
        _prepare_demo(config)
    if debug:
        config["DEBUG"] = True
    if meetup:
        host = "0.0.0.0"
        lan_url = f"http://{_lan_address()}:{port}"
        click.echo(f"Meetup mode: participants open {lan_url}/")
        _announce_meetups(config, lan_url)
    if debug:
        from glossary import create_app

        create_app(config).run(host=host, port=port, debug=True, use_reloader=True)
        return
    _prepare(config)
    click.echo(f"Tamyr on http://{host}:{port}/ with {workers} workers")
    from glossary.ops.metrics import gunicorn_child_exit

    # No gunicorn access log: the app writes one JSON line per request with its request id,
    # and without query strings, where a token or join code could otherwise leak.
    # The request line may be up to gunicorn's maximum, so the app, not gunicorn's HTML page,
    # answers an over-long API URL (a 414 problem+json, see api/hardening.py).
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": 120,
        "limit_request_line": 8190,
    }
    TamyrServer(config, {**options, "child_exit": gunicorn_child_exit}).run()
