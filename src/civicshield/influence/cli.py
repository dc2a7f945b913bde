"""`civicshield influence …`: detect coordinated networks in a log, generate evaluation logs.

`detect` and `simulate` are pure (no database). The `--json` output of `detect` is stable:
`{"networks": [{"id", "members", "score", "behaviours", "evidence"}], "stats": {...}, "rejected": [...]}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from civicshield.core.errors import CivicShieldError

app = typer.Typer(help="Covert influence operations: co-activity networks, takedowns, reports.",
                  no_args_is_help=True)
console = Console(stderr=True)


@app.command()
def detect(
    input: Path = typer.Option(..., "--input", "-i", help="Interaction log, .csv or .parquet"),
    window: float = typer.Option(60.0, "--window", help="Co-activity window in seconds"),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (one machine) or spark"),
    accounts: Optional[Path] = typer.Option(None, "--accounts", help="Optional accounts file (.csv/.parquet)"
                                            " with created_at, device_id_hash, ip24_hash, asn, followers"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the networks as JSON to this file"),
) -> None:
    """Find networks of accounts acting together in an interaction log."""
    from .detection import detect_networks

    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("use duckdb or spark", param_hint="--engine")
    if window <= 0:
        raise typer.BadParameter("must be a positive number of seconds", param_hint="--window")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("starting", total=None)
        try:
            result = detect_networks(input, window=window, engine=engine,  # type: ignore[arg-type]
                                     accounts=accounts,
                                     progress=lambda text: progress.update(task, description=text))
        except CivicShieldError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    for rejected in result.rejected[:20]:
        console.print(f"[yellow]row {rejected.index} skipped:[/yellow] {rejected.reason}")
    if len(result.rejected) > 20:
        console.print(f"[yellow]… {len(result.rejected) - 20} more rows skipped[/yellow]")
    if json_out:
        json_out.write_text(json.dumps(result.as_dict(), indent=1, sort_keys=True))
    table = Table(title=f"{len(result.networks)} network(s) in {result.stats['events']} events")
    for column in ("id", "members", "score", "behaviours"):
        table.add_column(column)
    for network in result.networks:
        table.add_row(network.id, str(len(network.members)), f"{network.score:.3f}",
                      ", ".join(network.behaviours))
    Console().print(table)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", help="Events file to write (.csv or .parquet)"),
    accounts_out: Optional[Path] = typer.Option(None, "--accounts-out", help="Accounts file to write"),
    truth_out: Optional[Path] = typer.Option(None, "--truth", help="Planted networks as JSON"),
    seed: int = typer.Option(1, "--seed"),
    accounts: int = typer.Option(3000, "--accounts", min=100),
    events: int = typer.Option(60_000, "--events", min=1000),
    networks: int = typer.Option(10, "--networks", min=0),
    days: float = typer.Option(3.0, "--days", min=0.1),
) -> None:
    """Write a synthetic interaction log with planted campaigns and organic bursts."""
    from .simulate import simulate as generate
    from .simulate import write_truth

    simulation = generate(seed, accounts=accounts, events=events, networks=networks, days=days)
    simulation.write(out, accounts_out)
    if truth_out:
        write_truth(simulation.truth, truth_out)
    console.print(f"wrote {simulation.events.num_rows} events, {simulation.accounts.num_rows} accounts, "
                  f"{len(simulation.truth['networks'])} planted networks")
