"""`civicshield transparency …`: the enforcement report and DSA statements of reasons."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(help="Enforcement reports and DSA statements of reasons.", no_args_is_help=True)
err = Console(stderr=True)


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


ENGINES = ("database", "duckdb", "spark")


@app.command("report")
def report(quarter: str = typer.Option(..., help="The quarter, e.g. 2026Q3."),
           fmt: str = typer.Option("json", "--format", help="json, csv or html."),
           at_seq: Optional[int] = typer.Option(None, "--at-seq", min=0,
                                                help="Recompute as of this decision (default: the log's head)."),
           engine: str = typer.Option("database", help="database, or duckdb / spark over an --input export."),
           input_dir: Optional[Path] = typer.Option(None, "--input", help="Directory written by export-parquet."),
           out: Optional[Path] = typer.Option(None, help="Write here instead of standard output.")) -> None:
    """Compute the quarterly enforcement report from the decision log (reproducible with --at-seq)."""
    from civicshield.core.errors import CivicShieldError

    if fmt not in ("json", "csv", "html"):
        _fail(f"--format must be json, csv or html (got {fmt!r})")
    if engine not in ENGINES:
        _fail(f"--engine must be database, duckdb or spark (got {engine!r})")
    if (engine == "database") != (input_dir is None):
        _fail("--engine duckdb and spark read an export given with --input DIR; the database engine takes no --input")
    _django()
    from .parquet import report_from_parquet
    from .periods import Quarter
    from .report import build_report, render

    try:
        q = Quarter.parse(quarter)
        with err.status(f"computing the {q} report" + (f" with {engine}" if input_dir else "")):
            data = (report_from_parquet(q, input_dir, engine, at_seq)  # type: ignore[arg-type]
                    if input_dir else build_report(q, at_seq=at_seq))
    except CivicShieldError as exc:
        _fail(str(exc))
    text = render(data, fmt)  # type: ignore[arg-type]
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out} (decision log head #{data['decision_log']['head_seq']}, digest {data['digest'][:12]}…)")
    else:
        sys.stdout.write(text)


@app.command("export-parquet")
def export_parquet(out: Path = typer.Option(..., help="Directory for decisions, content and events .parquet "
                                                      "and manifest.json."),
                   at_seq: Optional[int] = typer.Option(None, "--at-seq", min=0,
                                                        help="Export the log up to this decision (default: its head)."),
                   json_out: bool = typer.Option(False, "--json", help="Print the manifest as JSON.")) -> None:
    """Export what the enforcement report reads to Parquet, for `report --engine duckdb|spark --input DIR`."""
    if out.exists() and not out.is_dir():
        _fail(f"{out} exists and is not a directory")
    _django()
    from .parquet import export_tables

    with err.status(f"exporting to {out}"):
        manifest = export_tables(out, at_seq)
    if json_out:
        typer.echo(json.dumps(manifest))
    else:
        rows = manifest["rows"]
        err.print(f"wrote {rows['decisions']:,} decisions (head #{manifest['head_seq']}), {rows['content']:,} "
                  f"content items and {rows['events']:,} events to {out}")


@app.command("export-dsa")
def export_dsa(since: str = typer.Option(..., help="First day, YYYY-MM-DD (UTC)."),
               until: str = typer.Option(..., help="Last day, YYYY-MM-DD (UTC), included."),
               out: Path = typer.Option(..., help="Output JSONL: one bulk request of ≤100 statements per line."),
               batch_size: int = typer.Option(100, min=1, max=100),
               json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON.")) -> None:
    """Write DSA statements of reasons for every EU/EEA restriction that took effect in the period."""
    from civicshield.core.errors import CivicShieldError

    _django()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .periods import parse_day
    from .statements import export_statements, restrictions

    try:
        start, end = parse_day(since), parse_day(until, end=True)
    except CivicShieldError as exc:
        _fail(str(exc))
    if end <= start:
        _fail("--until is before --since")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=json_out) as bar:
        task = bar.add_task("statements of reasons", total=restrictions(start, end).count())
        result = export_statements(start, end, out, batch_size=batch_size,
                                   progress=lambda n: bar.advance(task, n))
    for r in result.rejected[:20]:
        err.print(f"[red]not exported[/red] decision #{r['decision']}: {'; '.join(r['problems'])}")
    if json_out:
        typer.echo(json.dumps(result.summary()))
    else:
        err.print(f"wrote {result.written:,} statements in {result.batches:,} batches to {out} · "
                  f"{result.outside_scope:,} outside the EU/EEA · {result.informational:,} informational labels (no statement)"
                  f" · {len(result.rejected):,} not exported")
    raise typer.Exit(1 if result.rejected else 0)


@app.command("validate-dsa")
def validate_dsa(file: Path = typer.Argument(..., help="JSONL of statements or bulk requests."),
                 json_out: bool = typer.Option(False, "--json")) -> None:
    """Check a file against the DSA Transparency Database API rules; list every violation with its line."""
    from .validation import check_file

    if not file.is_file():
        _fail(f"{file} does not exist")
    violations = check_file(file)
    if json_out:
        typer.echo(json.dumps({"ok": not violations, "violations": [v.__dict__ for v in violations]}))
    else:
        for v in violations:
            typer.echo(str(v))
        err.print("ok: every statement passes" if not violations else f"{len(violations)} violations")
    raise typer.Exit(1 if violations else 0)
