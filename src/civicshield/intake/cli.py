"""Intake commands: ingest and assess event files, simulate a stream, manage API keys."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

err = Console(stderr=True)
apikey_app = typer.Typer(help="Manage API keys of platform clients.", no_args_is_help=True)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=err, transient=False)


def _print_errors(errors: list[dict[str, Any]], limit: int = 20) -> None:
    for e in errors[:limit]:
        where = f"event {e['index']}" + (f" ({e['id']})" if e.get("id") else "")
        field = f" field {e['field']}:" if e.get("field") else ":"
        err.print(f"[red]rejected[/red] {where}{field} {e['reason']}")
    if len(errors) > limit:
        err.print(f"… and {len(errors) - limit} more rejected events")


def ingest(file: Path = typer.Argument(..., help="Events as JSONL (one per line) or Parquet."),
           batch_size: int = typer.Option(1000, min=1, max=1000, help="Events per transaction."),
           json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON.")) -> None:
    """Ingest an event file. Safe to re-run after an interruption: stored event ids are skipped."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .pipeline import process_batch
    from .readers import count_events, read_batches

    total = {"accepted": 0, "duplicates": 0, "rejected": 0, "decisions": 0, "cases": 0}
    errors: list[dict[str, Any]] = []
    offset = 0
    with _progress() as progress:
        task = progress.add_task(f"ingest {file.name}", total=count_events(file) if file.exists() else None, rate="")
        for batch in _batches_or_exit(file, batch_size):
            result = process_batch(batch, source="cli", offset=offset)
            offset += len(batch)
            summary = result.summary()
            for key in total:
                total[key] += summary[key]
            errors.extend(result.errors)
            progress.update(task, advance=len(batch),
                            rate=f"{progress.tasks[0].speed or 0:,.0f} events/s" if progress.tasks[0].speed else "")
    _print_errors(errors)
    if json_out:
        typer.echo(json.dumps({**total, "errors": errors}))
    else:
        err.print(f"accepted {total['accepted']:,} · duplicates {total['duplicates']:,} · rejected {total['rejected']:,}"
                  f" · decisions {total['decisions']:,} · cases {total['cases']:,}")
    raise typer.Exit(1 if errors else 0)


def _batches_or_exit(file: Path, size: int):  # type: ignore[no-untyped-def]
    from civicshield.core.errors import CivicShieldError

    from .readers import read_batches

    try:
        yield from read_batches(file, size)
    except CivicShieldError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def assess(file: Path = typer.Argument(..., help="Events as JSONL or Parquet, processed in order."),
           dry_run: bool = typer.Option(False, "--dry-run", help="Compute verdicts without storing anything.")) -> None:
    """Print the verdict for each subject, one JSON object per line."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from civicshield.core.events import Account

    from .pipeline import process_batch

    accounts: dict[str, Account] = {}
    offset, errors = 0, []
    out = sys.stdout
    for batch in _batches_or_exit(file, 500):
        result = process_batch(batch, dry_run=dry_run, source="cli", offset=offset, accounts=accounts)
        offset += len(batch)
        errors.extend(result.errors)
        for o in result.outcomes:
            if o.verdict is not None:
                out.write(json.dumps(o.verdict.as_dict(o.event.id), ensure_ascii=False) + "\n")
    _print_errors(errors)
    raise typer.Exit(1 if errors else 0)


def simulate(seed: int = typer.Option(7, help="Same seed, same stream."),
             days: int = typer.Option(3, min=1, max=365),
             posts_per_day: int = typer.Option(900, min=1, max=1_000_000),
             accounts: int = typer.Option(600, min=10, max=10_000_000),
             out: Path = typer.Option(..., help="Output JSONL file.")) -> None:
    """Write a deterministic election-season event stream (with every installed capability's phenomena)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()  # capabilities register their phenomena when Django loads them
    from .simulate import Simulation

    sim = Simulation(seed=seed, days=days, posts_per_day=posts_per_day, accounts_n=accounts)
    n = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for event in sim.events():
            fh.write(json.dumps(event, ensure_ascii=False) + "\n")
            n += 1
    err.print(f"wrote {n:,} events to {out}")


@apikey_app.command("create")
def apikey_create(name: str = typer.Argument(..., help="A name for the client, e.g. the platform service.")) -> None:
    """Create an API key and print it once (only its digest is stored)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.db import IntegrityError

    from .auth import create_api_key

    try:
        key = create_api_key(name)
    except IntegrityError:
        err.print(f"[red]error:[/red] an API key named {name!r} already exists")
        raise typer.Exit(2) from None
    typer.echo(key)


@apikey_app.command("revoke")
def apikey_revoke(name: str) -> None:
    """Revoke a key by name."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.utils import timezone

    from .models import ApiKey

    if not ApiKey.objects.filter(name=name, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        err.print(f"[red]error:[/red] no active key named {name!r}")
        raise typer.Exit(2)
    err.print(f"revoked {name}")


commands = [ingest, assess, simulate]
groups = {"apikey": apikey_app}


def consume(url: str = typer.Option("nats://127.0.0.1:4222", envvar="CIVICSHIELD_NATS_URL", help="NATS server."),
            stream: str = typer.Option("CIVICSHIELD", help="JetStream stream (created if missing)."),
            subject: str = typer.Option("civicshield.events", help="Subject carrying one event per message."),
            durable: str = typer.Option("civicshield-intake", help="Durable consumer name (shared by workers)."),
            dead_letter: str = typer.Option("civicshield.rejected", help="Where invalid events are parked."),
            batch_size: int = typer.Option(500, min=1, max=1000),
            idle_exit: Optional[float] = typer.Option(None, help="Exit after this many idle seconds."),
            max_messages: Optional[int] = typer.Option(None, min=1, help="Exit after this many messages."),
            ack_wait: float = typer.Option(60.0, min=1, help="Seconds before an unacknowledged message is redelivered."),
            max_attempts: int = typer.Option(5, min=1, help="Deliveries of a message that fails to process before "
                                             "it is dead-lettered."),
            max_ack_pending: int = typer.Option(5000, min=1, help="Backpressure: unacknowledged messages allowed.")) -> None:
    """Consume events from NATS JetStream; each message is acknowledged only after it is stored."""
    import asyncio

    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .consumer import NatsSource, consume as run

    async def main() -> None:
        source = NatsSource(url, stream, subject, durable, dead_letter, max_ack_pending=max_ack_pending,
                            ack_wait=ack_wait)
        try:
            await source.connect()
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            err.print(f"[red]error:[/red] cannot reach NATS at {url}: {exc}")
            raise typer.Exit(2) from None
        try:
            stats = await run(source, batch_size=batch_size, idle_exit=idle_exit, max_messages=max_messages,
                              max_attempts=max_attempts)
        finally:
            await source.close()
        typer.echo(json.dumps({"batches": stats.batches, "accepted": stats.accepted, "duplicates": stats.duplicates,
                               "rejected": stats.rejected, "dead_lettered": stats.dead_lettered,
                               "decisions": stats.decisions, "database_retries": stats.retries,
                               "redelivered": stats.redelivered}))

    asyncio.run(main())


commands.append(consume)
