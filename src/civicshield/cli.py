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
    app()


if __name__ == "__main__":
    main()
