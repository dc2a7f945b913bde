"""`civicshield verification …`: the registry from the command line, and a look-alike check for a name."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Verified official accounts: registry export and look-alike checks.", no_args_is_help=True)
out = Console()


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


@app.command("registry")
def registry(category: str = typer.Option("", help="Only this category (e.g. politician)."),
             csv_out: bool = typer.Option(False, "--csv", help="CSV, as /verification/registry.csv."),
             json_out: bool = typer.Option(False, "--json", help="JSON, as /verification/registry.json.")) -> None:
    """List the public registry of verified official accounts."""
    _django()
    from .registry import as_csv, entry_dict, public_entries

    entries = public_entries(category or None)
    if csv_out:
        typer.echo(as_csv(entries), nl=False)
        return
    if json_out:
        typer.echo(json.dumps({"count": entries.count(), "officials": [entry_dict(e) for e in entries]}))
        return
    table = Table("Official", "Handle", "Category", "Office", "Verified")
    for e in entries:
        table.add_row(e.official_name, f"@{e.handle}", e.category, e.office, e.verified_at.date().isoformat())
    out.print(table)


@app.command("check")
def check(name: str = typer.Argument(..., help="A handle or display name to compare with the registry."),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Which verified officials does NAME look like? Exit status 1 when it looks like one."""
    _django()
    from .resources import load_registry

    matches = load_registry().lookalike_index().search("handle", name)
    if json_out:
        typer.echo(json.dumps([{"official": m.official.as_dict(), "matched": m.matched, "method": m.method,
                                "score": m.score} for m in matches]))
    else:
        for m in matches:
            out.print(f"{m.score:.2f}  @{m.official.handle} ({m.official.official_name}) — {m.method}")
        if not matches:
            out.print("No verified official looks like this name.")
    raise typer.Exit(1 if matches else 0)
