"""`civicshield elections …`: import VIP and partner feeds, check official links, rebuild the US dataset."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from civicshield.core.errors import CivicShieldError

app = typer.Typer(help="Election Center data: feeds, links, voter facts.", no_args_is_help=True)
err = Console(stderr=True)


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


def _fail(exc: Exception) -> None:
    err.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(2)


def _refresh_assessor() -> None:
    from civicshield.intake import context

    context.reset()


@app.command("import-vip")
def import_vip(
    feed: Path = typer.Argument(..., help="VIP 5.2 or 6.0 feed: an .xml file or a .zip holding one"),
) -> None:
    """Import a VIP feed; prints a JSON summary. Re-importing the same feed changes nothing."""
    _django()
    from .importing import store_vip
    from .vip import parse_feed, read_feed_bytes

    try:
        raw = read_feed_bytes(feed)
        summary = store_vip(parse_feed(raw), raw)
    except CivicShieldError as exc:
        _fail(exc)
    _refresh_assessor()
    typer.echo(json.dumps(summary, indent=1))


@app.command("import-partner")
def import_partner(
    file: Path = typer.Argument(..., help="Democracy Works v2 JSON, or the CSV form (docs/elections.md)"),
) -> None:
    """Import partner voter information (authorities and elections); prints a JSON summary."""
    _django()
    from .partner import import_partner_file

    try:
        summary = import_partner_file(file)
    except CivicShieldError as exc:
        _fail(exc)
    _refresh_assessor()
    typer.echo(json.dumps(summary, indent=1))
    raise typer.Exit(1 if summary["errors"] else 0)


@app.command("check-links")
def check_links(
    timeout: float = typer.Option(10.0, help="Seconds per request"),
    workers: int = typer.Option(8, min=1, max=64),
    json_out: bool = typer.Option(False, "--json", help="Stable JSON output"),
) -> None:
    """Check every official URL (voter facts, election administrations, calendar sources). Exit 1 if any fail."""
    _django()
    from django.utils import timezone

    from .linkcheck import check_urls, official_urls
    from .models import Election, ElectionAdministration, LinkCheck, VoterFact

    facts = (
        (f.jurisdiction.region, f.field, f.value) for f in VoterFact.objects.select_related("jurisdiction")
    )
    extra = [
        (url, f"vip:{a.feed.vip_id}:{a.object_id}.{name}")
        for a in ElectionAdministration.objects.select_related("feed")
        for name, url in a.urls.items()
    ]
    extra += [
        (e.source_url, f"calendar:{e.country}:{e.name}") for e in Election.objects.exclude(source_url="")
    ]
    urls = official_urls(facts, extra)
    with Progress(console=err, disable=json_out, transient=True) as progress:
        task = progress.add_task("checking links", total=len(urls))
        results = check_urls(urls, timeout, workers, progress=lambda r: progress.advance(task))
    now = timezone.now()
    for r in results:
        LinkCheck.objects.update_or_create(
            url=r.url[:500],
            defaults={
                "ok": r.ok,
                "status": r.status,
                "error": r.error[:300],
                "used_by": r.used_by,
                "checked_at": now,
            },
        )
    broken = [r for r in results if not r.ok]
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "checked": len(results),
                    "broken": [
                        {"url": r.url, "status": r.status, "error": r.error, "used_by": r.used_by}
                        for r in broken
                    ],
                }
            )
        )
    else:
        for r in broken:
            err.print(f"[red]BROKEN[/red] {r.url} ({r.status or r.error}) used by {', '.join(r.used_by[:3])}")
        err.print(f"{len(results)} links checked, {len(broken)} broken")
    raise typer.Exit(1 if broken else 0)


@app.command("build-us-dataset")
def build_us_dataset(source: Path = typer.Argument(..., help="Folder with the vote.gov facts CSV")) -> None:
    """Regenerate the shipped US voter-information dataset from the vote.gov facts."""
    from .votegov import main

    raise typer.Exit(main([str(source)]))
