"""The CLEF-2020 claim-retrieval files read and score (skipped when the shared data is absent)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from civicshield.factchecks import clef
from civicshield.factchecks.evaluation import average_precision

from .conftest import CLEF

needs_clef = pytest.mark.skipif(not CLEF.is_dir(), reason=f"CLEF-2020 task 2 data not found at {CLEF}")


def test_average_precision_follows_the_task_definition() -> None:
    assert average_precision(["a", "b"], {"a"}, 5) == 1.0
    assert average_precision(["x", "a"], {"a"}, 5) == 0.5
    assert average_precision(["x", "a"], {"a"}, 1) == 0.0
    assert average_precision(["a", "x", "b"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)


def test_a_malformed_qrels_line_is_reported_with_its_line(tmp_path) -> None:
    path = tmp_path / "bad.qrels"
    path.write_text("1 0 10 1\n2 0 11\n")
    with pytest.raises(Exception, match="line 2"):
        clef.read_qrels(path)


@needs_clef
def test_the_shared_files_read_completely() -> None:
    claims = clef.read_claims(CLEF / "verified_claims.docs.tsv")
    queries = clef.read_queries(CLEF / "dev" / "tweets.queries.tsv")
    qrels = clef.read_qrels(CLEF / "dev" / "tweet-vclaim-pairs.qrels")
    assert len(claims) == 10375
    assert len(queries) == 197
    assert set(qrels) <= {q.id for q in queries}


@needs_clef
@pytest.mark.parametrize("encoder", ["use", "e5"])
def test_evaluate_prints_the_task_measures_on_a_small_slice(tmp_path, encoder: str) -> None:
    from civicshield.factchecks.cli import app

    claims = clef.read_claims(CLEF / "verified_claims.docs.tsv")
    qrels = clef.read_qrels(CLEF / "dev" / "tweet-vclaim-pairs.qrels")
    queries = [q for q in clef.read_queries(CLEF / "dev" / "tweets.queries.tsv") if q.id in qrels][:15]
    wanted = {c for q in queries for c in qrels[q.id]}
    subset = [c for c in claims if c.id in wanted] + [c for c in claims if c.id not in wanted][:300]
    (tmp_path / "claims.tsv").write_text("\tvclaim\ttitle\n" + "".join(
        f"{c.id}\t{c.claim}\t{c.title}\n" for c in subset), encoding="utf-8")
    (tmp_path / "queries.tsv").write_text("\ttweet_content\n" + "".join(
        f"{q.id}\t{' '.join(q.text.split())}\n" for q in queries), encoding="utf-8")
    (tmp_path / "qrels").write_text("".join(f"{q.id}\t0\t{c}\t1\n" for q in queries for c in qrels[q.id]))
    result = CliRunner().invoke(app, ["evaluate", "--claims", str(tmp_path / "claims.tsv"), "--queries",
                                      str(tmp_path / "queries.tsv"), "--qrels", str(tmp_path / "qrels"), "--json",
                                      "--encoder", encoder])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) >= {"map@1", "map@3", "map@5", "success@10", "queries_per_s", "n"}
    assert figures["n"] == 15
    assert figures["map@5"] > 0.7


def test_an_unknown_encoder_is_a_usage_error(tmp_path) -> None:
    from civicshield.factchecks.cli import app

    for name in ("claims.tsv", "queries.tsv", "qrels"):
        (tmp_path / name).write_text("")
    result = CliRunner().invoke(app, ["evaluate", "--claims", str(tmp_path / "claims.tsv"), "--queries",
                                      str(tmp_path / "queries.tsv"), "--qrels", str(tmp_path / "qrels"),
                                      "--encoder", "bert"])
    assert result.exit_code == 2
    assert "use, e5" in result.output
