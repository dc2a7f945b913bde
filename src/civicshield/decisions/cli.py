"""`civicshield audit …` and `civicshield webhooks …`: the decision log's integrity and delivery."""

from __future__ import annotations

import json
import secrets

import typer
from rich.console import Console
from rich.progress import track

audit_app = typer.Typer(help="Verify and rebuild from the decision log.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhook endpoints and deliveries.", no_args_is_help=True)
groups = {"audit": audit_app, "webhooks": webhooks_app}
out = Console()
err = Console(stderr=True)


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


@audit_app.command("verify")
def verify(json_out: bool = typer.Option(False, "--json")) -> None:
    """Recompute the hash chain and check it reaches the signed checkpoint of its head: any altered,
    removed or reordered row, a truncated log or a recomputed chain fails (exit 1)."""
    _django()
    from civicshield.decisions import checkpoints
    from civicshield.decisions.chain import ChainBreak, HASHED_FIELDS, verify_rows
    from civicshield.decisions.models import Decision

    total = Decision.objects.count()
    rows = Decision.objects.order_by("seq").values(*HASHED_FIELDS, "prev_hash", "hash")
    checked, breaks = verify_rows(track(rows.iterator(chunk_size=5000), total=total, description="verify",
                                        console=err, disable=json_out or total < 20_000))
    checkpoint = checkpoints.latest()
    if checkpoint is not None:
        last = Decision.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        at = Decision.objects.filter(seq=checkpoint.seq).values_list("hash", flat=True).first()
        problems = checkpoints.compare(checkpoint, checkpoints.signing_key(), last, at, checkpoints.first_hash())
        breaks += [ChainBreak(checkpoint.seq, problem) for problem in problems]
    if json_out:
        typer.echo(json.dumps({"checked": checked, "ok": not breaks,
                               "breaks": [{"seq": b.seq, "problem": b.problem} for b in breaks],
                               "checkpoint": checkpoint and {"seq": checkpoint.seq, "signed_at": checkpoint.signed_at}}))
    else:
        for b in breaks[:50]:
            err.print(f"[red]BROKEN[/red] decision #{b.seq}: {b.problem}")
        if not breaks:
            anchored = (f", reaches the checkpoint of #{checkpoint.seq} signed {checkpoint.signed_at}" if checkpoint
                        else "; no signed checkpoint yet, so truncation cannot be ruled out")
            out.print(f"ok: {checked:,} decisions, chain intact{anchored}")
    raise typer.Exit(1 if breaks else 0)


@audit_app.command("checkpoint")
def checkpoint(restart: bool = typer.Option(
        False, "--restart", help="Replace a checkpoint the log no longer reaches (after a deliberate restore "
                                 "or a new database); the old one stays in the checkpoint history.")) -> None:
    """Sign the head of the decision log now (appends do this on their own after each commit)."""
    _django()
    from civicshield.decisions import checkpoints
    from civicshield.decisions.chain import HASHED_FIELDS, verify_rows
    from civicshield.decisions.models import Decision

    _, breaks = verify_rows(Decision.objects.order_by("seq").values(*HASHED_FIELDS, "prev_hash", "hash").iterator())
    if breaks:
        err.print(f"[red]error:[/red] the chain is broken at #{breaks[0].seq} ({breaks[0].problem}); "
                  "nothing was signed")
        raise typer.Exit(1)
    head = Decision.objects.order_by("-seq").values("seq", "hash").first() or {"seq": 0, "hash": ""}
    current = checkpoints.latest()
    if current is not None and not restart:
        at = Decision.objects.filter(seq=current.seq).values_list("hash", flat=True).first()
        problems = checkpoints.compare(current, checkpoints.signing_key(), head["seq"], at, checkpoints.first_hash())
        if problems:
            err.print(f"[red]error:[/red] {problems[0]}; nothing was signed (use --restart only if this is expected)")
            raise typer.Exit(1)
    signed = checkpoints.record(head["seq"], head["hash"], checkpoints.first_hash(), restart=restart)
    shown = signed or current
    out.print(f"checkpoint: decision #{shown.seq} signed {shown.signed_at} in {checkpoints.head_path()}"
              if shown else "the log is empty; nothing to sign")


@audit_app.command("rebuild-state")
def rebuild_state() -> None:
    """Recompute every subject's labels and visibility from the decision log."""
    _django()
    from civicshield.decisions.state import rebuild_all

    out.print(f"rebuilt state of {rebuild_all():,} subjects")


@webhooks_app.command("add")
def add(name: str, url: str, topic: list[str] = typer.Option([], "--topic")) -> None:
    """Register an endpoint; prints its signing secret once."""
    _django()
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from civicshield.decisions.models import WebhookEndpoint

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        err.print(f"[red]error:[/red] {url!r} is not an http(s) URL")
        raise typer.Exit(2) from None
    if WebhookEndpoint.objects.filter(name=name).exists():
        err.print(f"[red]error:[/red] an endpoint named {name!r} exists")
        raise typer.Exit(2)
    secret = "whsec_" + secrets.token_urlsafe(32)
    WebhookEndpoint.objects.create(name=name, url=url, secret=secret, topics=topic)
    typer.echo(secret)


@webhooks_app.command("deliver")
def deliver() -> None:
    """Fan out the outbox and attempt every due delivery once (run periodically, or use a worker)."""
    _django()
    from civicshield.decisions import webhooks

    queued = webhooks.fan_out()
    counts = webhooks.deliver_due()
    out.print(json.dumps({"queued": queued, **counts}))
