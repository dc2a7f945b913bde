"""`civicshield ads …`: build the written set, train the political-ad head, evaluate, scan for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import track

app = typer.Typer(help="Political-ad ban: labelled set, classifier, evaluation, coordinated scripts.",
                  no_args_is_help=True)
err = Console(stderr=True)


@app.command("build-dataset")
def build_dataset(seed: int = typer.Option(7, help="seed for choosing template variants")) -> None:
    """Write the training and held-out labelled ads (src/civicshield/ads/data/ads_{train,eval}.jsonl)."""
    from .dataset import EVAL_FILE, TRAIN_FILE, write

    train, held = write("train", TRAIN_FILE, seed), write("heldout", EVAL_FILE, seed)
    typer.echo(json.dumps({"train": train, "eval": held, "train_file": str(TRAIN_FILE),
                           "eval_file": str(EVAL_FILE)}))


@app.command()
def train(data: Path = typer.Option(None, help="folder of rebuilt data sets (default: $CIVICSHIELD_DATASETS or var/datasets)"),
          encoder: str = typer.Option("use", help="sentence encoder the head reads: use or e5"),
          out: Path = typer.Option(None, help="head file to write (default: the shipped one)")) -> None:
    """Train the political-ad head on real ads (docs/data-sources.md) and save the shipped head file."""
    from civicshield.core.errors import CivicShieldError

    from .training import train_political_ad

    try:
        typer.echo(json.dumps(train_political_ad(data, encoder=encoder, out=out), indent=1))
    except CivicShieldError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)


@app.command()
def evaluate(file: Path = typer.Argument(..., help="JSONL: ad.submitted events with a top-level `expected`"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
             show_mistakes: bool = typer.Option(False, "--mistakes", help="list the ads decided wrongly")) -> None:
    """Precision, recall and F1 of the political decision (an ad counts as political when rejected)."""
    from .evaluation import evaluate as run

    lines, bad = _read_lines(file)
    result = run(track(lines, description="Assessing ads", console=err, disable=as_json))
    result.errors[:0] = bad
    figures = result.as_dict()
    if as_json:
        typer.echo(json.dumps({k: figures[k] for k in ("precision", "recall", "f1", "n")}
                              | {"held_for_review": figures["held_for_review"],
                                 "by_language": figures["by_language"], "errors": figures["errors"]}))
    else:
        typer.echo(f"precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
                   f"f1 {figures['f1']:.3f}  n {figures['n']}  (held for review: {figures['held_for_review']})")
        for lang, f in figures["by_language"].items():
            typer.echo(f"  {lang}: precision {f['precision']:.3f}  recall {f['recall']:.3f}  n {f['n']}")
        for e in figures["errors"]:
            err.print(f"[yellow]line {e['index']}:[/yellow] {e['reason']}")
    if show_mistakes:
        for m in result.mistakes:
            err.print(f"{m['id']} expected {m['expected']} got {','.join(m['actions'])} "
                      f"score {m['score']}: {m['text']}")
    if figures["n"] == 0:
        raise typer.Exit(1)


def _read_lines(file: Path) -> tuple[list[object], list[dict[str, object]]]:
    """Parsed lines (an unparseable one becomes a placeholder that evaluation reports by index)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(2)
    lines: list[object] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        try:
            lines.append(json.loads(raw))
        except json.JSONDecodeError as exc:
            lines.append(f"not JSON: {exc.msg}")
    return lines, []


@app.command("scan-scripts")
def scan_scripts(hours: float = typer.Option(24.0, help="look back this many hours (also the time window)"),
                 min_accounts: int = typer.Option(5, help="distinct accounts needed to report a script"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Find many accounts posting one political script, undisclosed; open ads review cases."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .scan import scan

    summary = scan(hours, min_accounts=min_accounts)
    typer.echo(json.dumps(summary) if as_json else
               f"{summary['posts']} posts, {summary['clusters']} coordinated scripts, "
               f"{summary['cases_opened']} cases opened")
