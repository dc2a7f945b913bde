"""The retroactive sweep at platform scale: candidates found by DuckDB or Spark in a Parquet export of the posts.

Spark starts once per test process (the engine shares one session); two tests here use it.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.decisions.models import Decision, OutboxMessage
from civicshield.decisions.state import subject_state
from civicshield.factchecks.candidates import export_posts, in_database, in_parquet
from civicshield.factchecks.claimreview import read_claimreviews
from civicshield.factchecks.models import FactCheck
from civicshield.factchecks.store import save_records
from civicshield.factchecks.sweep import sweep

from ..conftest import ev_account, ev_content
from .conftest import TURNOUT_CLAIM, review
from .test_sweep import CLAIM, COPIES

OTHER_POSTS = {
    "shouting": "MARICOPA ELECTION OFFICIALS ARE HIDING SOMETHING",          # two of the claim's words
    "near-miss": "Lovely sunset over Maricopa tonight",                       # only one
    "turnout": "Michigan counted more ballots than there were voters, look it up",
    "unrelated": "Our bake sale raised money for the library!",
}


def _store(ingest: Callable[..., Any], prefix: str, texts: dict[str, str]) -> None:
    result = ingest([ev_account(f"{prefix}acct"), *(ev_content(f"{prefix}{key}", account_id=f"{prefix}acct", text=text)
                                                    for key, text in texts.items())])
    assert result.accepted == len(texts) + 1


def _copies() -> dict[str, str]:
    return {f"copy-{i}": text for i, text in enumerate(COPIES)} | {"unrelated": OTHER_POSTS["unrelated"]}


@pytest.mark.django_db
def test_every_engine_finds_the_same_candidate_posts(ingest: Callable[..., Any], tmp_path: Path) -> None:
    _store(ingest, "", _copies() | OTHER_POSTS)
    posts = tmp_path / "posts.parquet"
    assert export_posts(posts) == 3 + len(OTHER_POSTS)
    claims = {7: CLAIM, 8: TURNOUT_CLAIM, 9: "the a of"}  # the last has no distinctive word

    found = {"database": sorted(in_database(claims))}
    for engine in ("duckdb", "spark"):
        found[engine] = sorted(in_parquet(claims, posts, engine))  # type: ignore[arg-type]

    expected = sorted([(7, "copy-0"), (7, "copy-1"), (7, "copy-2"), (7, "shouting"), (8, "turnout")])
    assert found == {"database": expected, "duckdb": expected, "spark": expected}


def _outcome(content_id: str) -> tuple[Counter, tuple, str, tuple]:
    """What a user sees of a post: its decisions, labels, visibility, restrictions."""
    rows = Decision.objects.filter(subject_type="content", subject_id=content_id)
    decisions = Counter((d.action, d.effect, tuple(d.labels), d.rule_id, d.mode) for d in rows)
    state = subject_state("content", content_id)
    return decisions, tuple(sorted(state.labels)), state.visibility, tuple(sorted(state.restrictions))


@pytest.mark.django_db(transaction=True)
def test_a_spark_sweep_labels_the_posts_the_database_sweep_labels(ingest: Callable[..., Any], tmp_path: Path) -> None:
    _store(ingest, "s-", _copies())
    posts = tmp_path / "posts.parquet"
    export_posts(posts)  # the Spark sweep sees the posts stored up to here
    _store(ingest, "d-", _copies())
    records, _ = read_claimreviews(review(CLAIM, "False"))
    fact_check = save_records(records, "claimreview", sweep=False).created[0]
    assert not any("fact_checked_false" in subject_state("content", f"{p}copy-0").labels for p in ("s-", "d-"))

    by_spark = sweep([fact_check], candidates=partial(in_parquet, posts=posts, engine="spark"))
    assert by_spark.summary() | {"decisions": 0} == {"fact_checks": 1, "candidates": 3, "reassessed": 3,
                                                    "decisions": 0}
    assert by_spark.decisions > 0
    by_database = sweep([fact_check])
    assert by_database.scanned == 6  # both sets; the Spark-swept posts have nothing left to change
    assert by_database.decisions == by_spark.decisions

    for key in _copies():
        spark_side, database_side = _outcome(f"s-{key}"), _outcome(f"d-{key}")
        assert spark_side == database_side, key
        labelled = "fact_checked_false" in spark_side[1]
        assert labelled == key.startswith("copy"), key
        if labelled:
            assert spark_side[2] == "removed"
    sent = Counter(m.payload["subject"]["id"][:2] for m in OutboxMessage.objects.filter(
        decision__rule_id__startswith="factchecks."))
    assert sent["s-"] == sent["d-"] >= 3  # the labels went out by webhook on both paths


@pytest.mark.django_db(transaction=True)
def test_the_command_line_sweeps_with_an_engine(ingest: Callable[..., Any], tmp_path: Path) -> None:
    _store(ingest, "", _copies())
    records, _ = read_claimreviews(review(CLAIM, "False"))
    save_records(records, "claimreview", sweep=False)
    runner = CliRunner()
    posts = tmp_path / "posts.parquet"
    exported = runner.invoke(app, ["factchecks", "export-posts", "--out", str(posts)])
    assert exported.exit_code == 0, exported.output
    assert '"posts": 4' in exported.stdout

    result = runner.invoke(app, ["factchecks", "sweep", "--engine", "duckdb", "--posts", str(posts)])
    assert result.exit_code == 0, result.output
    assert '"reassessed": 3' in result.stdout
    assert all("fact_checked_false" in subject_state("content", f"copy-{i}").labels for i in range(3))

    missing = runner.invoke(app, ["factchecks", "sweep", "--engine", "spark"])
    assert missing.exit_code == 2 and "--posts" in missing.output
    absent = runner.invoke(app, ["factchecks", "sweep", "--engine", "duckdb", "--posts", str(tmp_path / "no.parquet")])
    assert absent.exit_code == 2 and "does not exist" in absent.output
    unknown = runner.invoke(app, ["factchecks", "sweep", "--fact-check", str(FactCheck.objects.get().pk + 1)])
    assert unknown.exit_code == 2 and "no fact-check with id" in unknown.output
