"""`civicshield`: the command line. Each capability folder contributes its own `cli.py`.

A capability's `cli.py` may define `app` (a Typer group named after the folder), `groups` (more named
groups) and `commands` (top-level commands). Django is only started by commands that need it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

app = typer.Typer(help="CivicShield: election integrity, one pipeline, one decision log.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)


def _register() -> None:
    package = Path(__file__).parent
    for cli_file in sorted(package.glob("*/cli.py")):
        module = importlib.import_module(f"civicshield.{cli_file.parent.name}.cli")
        if hasattr(module, "app"):
            app.add_typer(module.app, name=getattr(module, "NAME", cli_file.parent.name))
        for name, group in getattr(module, "groups", {}).items():
            app.add_typer(group, name=name)
        for command in getattr(module, "commands", []):
            app.command()(command)


_register()


def main() -> None:
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - only "no such table" is answered here; the rest re-raise
        if not _before_setup(exc):
            raise
        typer.echo("CivicShield's database is not set up yet: run `civicshield setup` first "
                   "(it creates the tables and loads the shipped reference data), then run this command again.",
                   err=True)
        raise SystemExit(2) from None


def _before_setup(exc: BaseException) -> bool:
    """Whether a command failed because the database has no tables yet (run before `setup`). An empty
    SQLite file the attempt created is removed, so nothing is left behind."""
    from django.db.utils import OperationalError, ProgrammingError

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, (OperationalError, ProgrammingError)):
        cause = cause.__cause__ or cause.__context__
    if cause is None or not any(words in str(cause) for words in ("no such table", "does not exist")):
        return False
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        connection.close()
        path = Path(str(settings.DATABASES["default"]["NAME"]))
        if path.exists():
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
                empty = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            if empty:
                for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    leftover.unlink(missing_ok=True)
    return True


if __name__ == "__main__":
    main()
