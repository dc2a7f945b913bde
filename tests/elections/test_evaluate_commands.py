"""`civicshield elections evaluate-relevance` and `evaluate-procedural`: figures a user can read, bad lines
reported by index while the good ones are kept."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from civicshield.cli import app


def content(i: int, text: str, expected: str, language: str = "en", region: str = "US-TX") -> str:
    return json.dumps({"id": f"e{i}", "type": "content.created", "occurred_at": "2026-10-20T12:00:00Z",
                       "content": {"id": f"c{i}", "account_id": "a", "text": text, "region": region, "views": 5000},
                       "expected": expected, "language": language})


def test_relevance_figures_per_language_and_bad_lines_by_index(tmp_path):
    lines = [
        content(1, "Early voting starts Monday: find your polling place and bring your ballot", "election_related"),
        content(2, "Morning run done, legs are jelly", "not_election_related"),
        "{not json",
        content(4, "¿Dónde está mi colegio electoral para las elecciones del domingo?", "election_related", "es"),
        content(5, "hello", "maybe"),
    ]
    path = tmp_path / "relevance.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["elections", "evaluate-relevance", str(path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == 3 and set(figures["by_language"]) == {"en", "es"}
    assert {"precision", "recall", "f1", "uncertain_band"} <= set(figures)
    assert [e["index"] for e in figures["errors"]] == [2, 4]
    assert figures["recall"] == 1.0 and figures["precision"] == 1.0


def test_procedural_figures_with_the_confusion_of_expected_and_decided(tmp_path):
    lines = [
        content(1, "In Texas you can vote by text message, just text VOTE to 55555", "false"),
        content(2, "In Texas the deadline to register to vote is 30 days before Election Day.", "true"),
        content(3, "The governor's debate was a disaster for the challenger", "none"),
    ]
    path = tmp_path / "procedural.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["elections", "evaluate-procedural", str(path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == 3 and figures["precision"] == 1.0 and figures["recall"] == 1.0
    assert figures["confusion"]["false"] == {"false": 1}
    assert figures["confusion"]["true"] == {"true": 1}
    assert figures["detection"]["precision"] == 1.0


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["elections", "evaluate-relevance", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output
