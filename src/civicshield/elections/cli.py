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


@app.command()
def train(
    data: Path = typer.Option(None, help="folder of rebuilt data sets (default: $CIVICSHIELD_DATASETS or var/datasets)"),
    clef: Path = typer.Option(None, help="CLEF-2020 verified_claims.docs.tsv (default: ../shared/data/...)"),
    only: str = typer.Option("all", help="relevance, procedural, narratives, hoax or all"),
    encoder: str = typer.Option("use", help="sentence encoder the heads read: use or e5"),
    tune_hoax: Path = typer.Option(None, help="events with `expected` (false, true, unverified, none) from "
                                   "which the voting-hoax head's operating point is read; kept apart from "
                                   "training and evaluation (default: cross-validation)"),
) -> None:
    """Train the election-relevance, procedural-claim and voting-hoax heads and calibrate the narrative
    catalogue (the hoax head reads the calibrated catalogue, so it is trained last)."""
    from .training import calibrate_narratives, train_hoax, train_procedural, train_relevance

    steps = {"relevance": lambda: train_relevance(data, encoder=encoder),
             "narratives": lambda: calibrate_narratives(data, encoder=encoder),
             "procedural": lambda: train_procedural(data, clef, encoder=encoder),
             "hoax": lambda: train_hoax(data, clef, encoder=encoder, tune=tune_hoax)}
    if only != "all" and only not in steps:
        _fail(CivicShieldError(f"--only must be one of all, {', '.join(steps)}"))
    results = {}
    for name, step in steps.items():
        if only in ("all", name):
            try:
                results[name] = step()
            except (CivicShieldError, FileNotFoundError) as exc:
                _fail(exc)
    typer.echo(json.dumps(results, indent=1))


@app.command()
def narratives(as_json: bool = typer.Option(False, "--json")) -> None:
    """List the known false voting narratives the procedural check recognises, with their sources."""
    from .narratives import load_catalogue

    try:
        entries = load_catalogue()
    except CivicShieldError as exc:
        _fail(exc)
    rows = [n.as_evidence() | {"kind": n.kind, "languages": len(claims)} for n, claims, _ in entries]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        source = row["source"]
        typer.echo(f"{row['id']}: {row['summary']}  [{source.get('publisher')}: {source.get('title')}]")


def _evaluate(file: Path, run, as_json: bool, show_mistakes: bool, what: str) -> None:
    from rich.progress import track

    from civicshield.ads.cli import _read_lines

    lines, _ = _read_lines(file)
    try:
        result = run(track(lines, description=f"Assessing {what}", console=err, disable=as_json))
    except CivicShieldError as exc:
        _fail(exc)
    figures = result.as_dict()
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
    else:
        typer.echo(f"precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
                   f"f1 {figures['f1']:.3f}  n {figures['n']}  (uncertain band: {figures['uncertain_band']})")
        for lang, f in figures["by_language"].items():
            typer.echo(f"  {lang}: precision {f['precision']:.3f}  recall {f['recall']:.3f}  n {f['n']}")
        if "confusion" in figures:
            typer.echo(f"  claim detection: precision {figures['detection']['precision']:.3f}  "
                       f"recall {figures['detection']['recall']:.3f}")
            for expected, row in sorted(figures["confusion"].items()):
                typer.echo(f"  expected {expected}: " + ", ".join(f"{k} {v}" for k, v in sorted(row.items())))
        for e in figures["errors"]:
            err.print(f"[yellow]line {e['index']}:[/yellow] {e['reason']}")
    if show_mistakes:
        for m in result.mistakes:
            err.print(json.dumps(m, ensure_ascii=False))
    if figures["n"] == 0:
        raise typer.Exit(1)


@app.command("evaluate-relevance")
def evaluate_relevance(
    file: Path = typer.Argument(..., help="JSONL: content/search/ad events with a top-level `expected`"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    show_mistakes: bool = typer.Option(False, "--mistakes", help="list the lines decided wrongly"),
) -> None:
    """Precision, recall and F1 of the election banner decision, per language and category."""
    from .evaluation import evaluate_relevance as run

    _evaluate(file, run, as_json, show_mistakes, "posts")


@app.command("evaluate-procedural")
def evaluate_procedural(
    file: Path = typer.Argument(..., help="JSONL: content events with a top-level `expected` (false, unverified, true, none)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    show_mistakes: bool = typer.Option(False, "--mistakes", help="list the lines decided wrongly"),
) -> None:
    """Precision, recall and F1 of the false-procedural-claim decision, the claim detection and the confusion."""
    from .evaluation import evaluate_procedural as run

    _evaluate(file, run, as_json, show_mistakes, "claims")
