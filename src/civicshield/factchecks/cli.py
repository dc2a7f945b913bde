"""`civicshield factchecks …`: search and measure claim matching, import and export ClaimReview.

`evaluate` and `train` work on files only (no database); the rest use the configured store.
`--json` output is stable: `evaluate --json` prints one object with the keys `map@1`, `map@3`,
`map@5`, `success@10`, `queries_per_s`, `n` (and `method`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from civicshield.core.errors import CivicShieldError

app = typer.Typer(help="Fact-checks: claim matching, ClaimReview import/export, retroactive sweep.",
                  no_args_is_help=True)
out = Console()
err = Console(stderr=True)
METHODS = ("hybrid", "lexical", "rrf", "bm25", "embedding")


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


def _fail(message: object) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _method(value: str) -> str:
    if value not in METHODS:
        raise typer.BadParameter(f"choose one of {', '.join(METHODS)}")
    return value


def _encoder(value: str) -> str:
    from .semantic import ENCODERS

    if value not in ENCODERS:
        raise typer.BadParameter(f"choose one of {', '.join(ENCODERS)}")
    return value


ENCODER_HELP = "Sentence encoder: use (fast, the default) or e5 (stronger, slower)"


@app.command()
def search(text: str = typer.Argument(..., help="Text of a post, ad or search"),
           top: int = typer.Option(5, "--top", min=1, max=100, help="How many fact-checks to show"),
           method: str = typer.Option("hybrid", callback=_method, help=f"One of {', '.join(METHODS)}"),
           as_json: bool = typer.Option(False, "--json", help="Machine-readable output")) -> None:
    """The stored fact-checks that best match TEXT, with the suggest/confirm decision."""
    if not text.strip():
        _fail("TEXT is empty; give the text of a post to match")
    _django()
    from .store import live_index

    index = live_index()
    if not len(index):
        _fail("no fact-checks are stored yet; import some with `civicshield factchecks import FILE`")
    matches = index.search(text, top, method=method)
    decision = index.decide(matches, embedded=method != "lexical")
    if as_json:
        out.print_json(json.dumps({"decision": decision, "matches": [m.as_dict() for m in matches]}))
        return
    table = Table(title=f"decision: {decision}")
    for column in ("fact-check", "score", "rating", "claim"):
        table.add_column(column)
    for m in matches:
        table.add_row(m.claim.id, f"{m.score:.3f}", m.claim.rating, m.claim.text[:100])
    out.print(table)


def _clef_index(claims_path: Path, progress: Progress, encoder: str = "use",
                reranker=None):  # type: ignore[no-untyped-def]
    import numpy as np

    from . import clef
    from .evaluation import build_index
    from .semantic import embed, spec

    claims = clef.read_claims(claims_path)
    embedded = {}
    for name in filter(None, (encoder, spec(encoder).second_opinion)):
        task = progress.add_task(f"embedding claims ({name})", total=len(claims))
        vectors = []
        for start in range(0, len(claims), 256):
            vectors.extend(embed([c.text for c in claims[start:start + 256]], name, "document"))
            progress.advance(task, min(256, len(claims) - start))
        embedded[name] = np.asarray(vectors)
    second = spec(encoder).second_opinion
    return build_index(claims, reranker=reranker, vectors=embedded[encoder], encoder=encoder,
                       second_vectors=embedded[second] if second else None)


@app.command()
def evaluate(claims: Path = typer.Option(..., exists=True, dir_okay=False, help="Verified claims TSV"),
             queries: Path = typer.Option(..., exists=True, dir_okay=False, help="Queries TSV"),
             qrels: Path = typer.Option(..., exists=True, dir_okay=False, help="Relevance judgements"),
             method: str = typer.Option("hybrid", callback=_method, help=f"One of {', '.join(METHODS)}"),
             encoder: str = typer.Option("use", callback=_encoder, help=ENCODER_HELP),
             as_json: bool = typer.Option(False, "--json", help="One JSON object")) -> None:
    """Rank every claim for every query (CLEF-2020 task 2 format) and print MAP@1/3/5, success@10."""
    from . import clef
    from .evaluation import evaluate as run

    try:
        judged = clef.read_qrels(qrels)
        query_list = clef.read_queries(queries)
        with Progress(console=err, transient=True) as progress:
            index = _clef_index(claims, progress, encoder)
            task = progress.add_task("ranking", total=sum(1 for q in query_list if judged.get(q.id)))
            result = run(index, query_list, judged, method, lambda n: progress.advance(task, n))
    except CivicShieldError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(result.as_dict()))
        return
    table = Table(title=f"claim retrieval ({method}, {result.n} queries)")
    for key in ("map@1", "map@3", "map@5", "success@10", "queries_per_s"):
        table.add_column(key)
    figures = result.as_dict()
    table.add_row(*(str(figures[k]) for k in ("map@1", "map@3", "map@5", "success@10", "queries_per_s")))
    out.print(table)


@app.command()
def train(claims: Path = typer.Option(..., exists=True, dir_okay=False, help="Verified claims TSV"),
          queries: Path = typer.Option(..., exists=True, dir_okay=False, help="TRAINING queries TSV"),
          qrels: Path = typer.Option(..., exists=True, dir_okay=False, help="TRAINING judgements"),
          output: Optional[Path] = typer.Option(None, "--out", help="Where to write the weights "
                                                "(default: the shipped model for the encoder)"),
          encoder: str = typer.Option("use", callback=_encoder, help=ENCODER_HELP),
          name: str = typer.Option("training split", help="What the model was trained on, for the record")) -> None:
    """Fit the match-probability model, query adapter and thresholds on a training split (never on
    evaluation data)."""
    from . import clef
    from .evaluation import train as fit
    from .reranker import Reranker, weights_file

    try:
        judged = clef.read_qrels(qrels)
        query_list = clef.read_queries(queries)
        with Progress(console=err, transient=True) as progress:
            # Training must not depend on a model already shipped for this encoder (there may be none).
            index = _clef_index(claims, progress, encoder, reranker=Reranker(models={}, encoder=encoder))
            task = progress.add_task("training", total=sum(1 for q in query_list if judged.get(q.id)))
            reranker = fit(index, query_list, judged, name, lambda n: progress.advance(task, n))
    except CivicShieldError as exc:
        _fail(exc)
    target = output or weights_file(encoder)
    reranker.save(target)
    print(json.dumps({"written": str(target), "encoder": encoder,
                      "thresholds": {m: vars(t) for m, t in reranker.thresholds.items()}}))


@app.command("import")
def import_file(path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                            help="ClaimReview JSON(-LD), a Fact Check Tools response, or CLEF TSV"),
                org: Optional[str] = typer.Option(None, help="Slug of the partner organisation that wrote them"),
                rating: str = typer.Option("false", help="Rating for CLEF TSV rows (the TSV carries none)"),
                sweep: bool = typer.Option(True, help="Re-assess stored posts that match new verdicts")) -> None:
    """Import fact-checks; prints a JSON summary with each rejected item's index and reason."""
    _django()
    from .importing import import_path

    try:
        summary = import_path(path, org=org, clef_rating=rating, sweep=sweep)
    except CivicShieldError as exc:
        _fail(exc)
    print(json.dumps(summary))
    # Like `ingest`: the good items are kept, and a rejected one makes the exit status say so.
    raise typer.Exit(1 if summary.get("rejected") else 0)


@app.command()
def export(output: Path = typer.Option(..., "--out", help="File to write (a JSON list of ClaimReview)"),
           org: Optional[str] = typer.Option(None, help="Only this partner organisation's verdicts")) -> None:
    """Export ClaimReview for the verdicts partners made in CivicShield."""
    _django()
    from .importing import export_claimreviews

    try:
        items = export_claimreviews(org)
    except CivicShieldError as exc:
        _fail(exc)
    output.write_text(json.dumps(items, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"written": str(output), "claim_reviews": len(items)}))


@app.command("export-posts")
def export_posts_command(output: Path = typer.Option(..., "--out", help="Parquet file to write")) -> None:
    """Export stored posts (id and case-folded text) for `sweep --engine duckdb|spark --posts FILE`."""
    if output.is_dir():
        _fail(f"{output} is a directory; give a file name such as posts.parquet")
    _django()
    from .candidates import export_posts

    with err.status(f"exporting posts to {output}"):
        written = export_posts(output)
    print(json.dumps({"written": str(output), "posts": written}))


SWEEP_ENGINES = ("database", "duckdb", "spark")


@app.command("sweep")
def sweep_command(fact_check: list[int] = typer.Option([], "--fact-check", help="Fact-check id (repeatable); "
                                                       "default: all"),
                  engine: str = typer.Option("database", help="Where candidate posts are found: database, "
                                             "or duckdb / spark over a --posts export"),
                  posts: Optional[Path] = typer.Option(None, "--posts", help="File written by export-posts")) -> None:
    """Re-assess stored posts that match the given fact-checks (run after a bulk import)."""
    if engine not in SWEEP_ENGINES:
        _fail(f"--engine must be database, duckdb or spark (got {engine!r})")
    if (engine == "database") != (posts is None):
        _fail("--engine duckdb and spark read a posts export given with --posts FILE; "
              "the database engine takes no --posts")
    if posts is not None and not posts.is_file():
        _fail(f"{posts} does not exist; write it with `civicshield factchecks export-posts --out FILE`")
    _django()
    from functools import partial

    from .candidates import in_database, in_parquet
    from .models import FactCheck
    from .sweep import sweep

    ids = fact_check or list(FactCheck.objects.values_list("id", flat=True))
    unknown = sorted(set(ids) - set(FactCheck.objects.filter(pk__in=ids).values_list("id", flat=True)))
    if unknown:
        _fail(f"no fact-check with id {', '.join(map(str, unknown))}")
    finder = in_database if posts is None else partial(in_parquet, posts=posts, engine=engine)
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("re-assessing", total=None)
            result = sweep(ids, progress=lambda n: progress.advance(task, n), candidates=finder)
    except CivicShieldError as exc:
        _fail(exc)
    print(json.dumps(result.summary()))
