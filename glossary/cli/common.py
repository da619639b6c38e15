"""What every command shares: service errors as one clear line, progress only on a terminal."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from glossary.config import ConfigError
from glossary.errors import TamyrError

F = TypeVar("F", bound=Callable[..., Any])


def clear_errors(func: F) -> F:
    """Turn service and config errors into `Error: …` on stderr and exit 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (TamyrError, ConfigError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def show_progress(quiet: bool) -> bool:
    """A progress bar only for a person at a terminal (DESIGN.md §6)."""
    return not quiet and sys.stderr.isatty()
