"""`civicshield policy …`: check a policy set, backtest a candidate against the active one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from civicshield.core.policy import check_policy, load_policy

NAME = "policy"
app = typer.Typer(help="Check and backtest policy sets.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@app.command("check")
def check(directory: Path = typer.Argument(..., help="A policy set directory (with policyset.yaml).")) -> None:
    """Validate a policy set; prints every problem with its file, line and rule id."""
    problems = check_policy(directory)
    for problem in problems:
        err.print(f"[red]error[/red] {problem}")
    if problems:
        raise typer.Exit(1)
    policy = load_policy(directory)
    for rule in policy.rules:
        if ".matches(" in rule.when:
            err.print(f"[yellow]warning[/yellow] {rule.file}:{rule.line} (rule {rule.id}): `matches()` compiles its "
                      "regular expression at every evaluation; declare it under `patterns:` and test "
                      "`\"name\" in signals.text_patterns.value`")
    out.print(f"ok: {len(policy.rules)} rules, {len(policy.queues)} queues, version {policy.version}")


@app.command("backtest")
def backtest(policies: Path = typer.Option(..., "--policies", help="The candidate policy set directory."),
             since: Optional[str] = typer.Option(None, help="Only subjects seen since this date (YYYY-MM-DD)."),
             json_out: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Replay stored subjects through the candidate policy and show how outcomes would change."""
    problems = check_policy(policies)
    if problems:
        for problem in problems:
            err.print(f"[red]error[/red] {problem}")
        raise typer.Exit(1)
    since_at = None
    if since:
        try:
            since_at = dt.datetime.fromisoformat(since).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            err.print(f"[red]error:[/red] --since must be a date like 2026-10-01, not {since!r}")
            raise typer.Exit(2) from None
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from civicshield.intake.context import current

    from .backtest import run_backtest

    report = run_backtest(current(), load_policy(policies), since_at)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    out.print(f"Backtest: {report.subjects:,} subjects · {report.changed:,} outcomes change · "
              f"{report.baseline_version} → {report.candidate_version}")
    rules = Table("rule", "baseline", "candidate", "added", "removed", title="Rules")
    for rule_id, c in sorted(report.rules.items()):
        rules.add_row(rule_id, str(c["baseline"]), str(c["candidate"]), str(c["added"]), str(c["removed"]))
    out.print(rules)
    actions = Table("action", "baseline", "candidate", "change", title="Actions")
    for action, c in sorted(report.actions.items()):
        actions.add_row(action, str(c["baseline"]), str(c["candidate"]), f"{c['candidate'] - c['baseline']:+d}")
    out.print(actions)
    for rule_id, examples in sorted(report.examples.items()):
        out.print(f"[bold]{rule_id}[/bold] examples:")
        for ex in examples:
            out.print(f"  {ex['subject']['type']} {ex['subject']['id']}: {ex['baseline_actions']} → "
                      f"{ex['candidate_actions']}  {ex['text'][:80]!r}")
