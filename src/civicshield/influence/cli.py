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


def _detect_with_progress(input, window, engine, accounts):  # type: ignore[no-untyped-def]
    """Run detection with a spinner naming the current stage; detection errors end the command (exit 2)."""
    from .detection import detect_networks

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("starting", total=None)
        try:
            return detect_networks(input, window=window, engine=engine,  # type: ignore[arg-type]
                                   accounts=accounts,
                                   progress=lambda text: progress.update(task, description=text))
        except CivicShieldError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc


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
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("use duckdb or spark", param_hint="--engine")
    if window <= 0:
        raise typer.BadParameter("must be a positive number of seconds", param_hint="--window")
    result = _detect_with_progress(input, window, engine, accounts)
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


@app.command()
def run(
    input: Path = typer.Option(..., "--input", "-i", help="Interaction log, .csv or .parquet"),
    window: float = typer.Option(60.0, "--window"),
    engine: str = typer.Option("duckdb", "--engine"),
    accounts: Optional[Path] = typer.Option(None, "--accounts"),
    source: str = typer.Option("internal", "--source", help="internal or external (a partner's report)"),
) -> None:
    """Detect networks and open a case for each one in the analysts' console; flag returning actors."""
    from civicshield.site.bootstrap import setup_django

    if source not in ("internal", "external"):
        raise typer.BadParameter("use internal or external", param_hint="--source")
    setup_django()
    from .cases import store_detection

    result = _detect_with_progress(input, window, engine, accounts)
    run_row, cases = store_detection(result.as_dict(), source=str(input), engine=engine, window=window,
                                     detection_source=source)
    returning = sum(case.returning_from.count() for case in cases)
    console.print(f"run {run_row.pk}: {len(cases)} network case(s), {returning} returning actor(s) flagged, "
                  f"{len(result.rejected)} row(s) skipped")


@app.command()
def export(
    out: Path = typer.Option(..., "--out", help="Parquet file for the interaction log"),
    accounts_out: Optional[Path] = typer.Option(None, "--accounts-out", help="Parquet file for accounts"),
) -> None:
    """Export the stored interaction log (and account infrastructure fields) to Parquet."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .export import export_log

    events, accounts_written = export_log(out, accounts_out)
    console.print(f"wrote {events} interactions to {out}"
                  + (f" and {accounts_written} accounts to {accounts_out}" if accounts_out else ""))


@app.command()
def report(
    quarter: str = typer.Argument(..., help="Quarter, like 2026-Q4"),
    format: str = typer.Option("json", "--format", help="json or csv"),
) -> None:
    """Print the covert-influence report of a quarter (the same data as the public page)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .reports import parse_quarter, quarter_report, report_csv

    try:
        year, q = parse_quarter(quarter)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="QUARTER") from exc
    data = quarter_report(year, q)
    typer.echo(report_csv(data) if format == "csv" else json.dumps(data, indent=1))
