"""The enforcement report as a batch job: exported to Parquet, recomputed by DuckDB and by Spark.

Spark starts once per test process (the engine shares one session); only one test here uses it.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.transparency.parquet import ExportError, export_tables, report_from_parquet
from civicshield.transparency.periods import Quarter
from civicshield.transparency.report import build_report

Q3 = Quarter(2026, 3)
Q4 = Quarter(2026, 4)

pytestmark = pytest.mark.django_db(transaction=False)


def test_spark_and_duckdb_reports_equal_the_database_report_figure_for_figure(season, tmp_path,
                                                                              django_assert_num_queries):
    expected = {q: build_report(q) for q in (Q3, Q4)}
    manifest = export_tables(tmp_path)
    assert manifest["head_seq"] == expected[Q3]["decision_log"]["head_seq"]

    with django_assert_num_queries(0):  # the files alone: no database needed
        reports = {(engine, q): report_from_parquet(q, tmp_path, engine) for engine in ("duckdb", "spark")
                   for q in (Q3, Q4)}

    removed = {f["key"]: f for f in expected[Q3]["figures"]}["content_removed"]
    assert removed["value"] == len([r for r in season.removals if season.in_q3(r["start"])]) > 0
    for (engine, q), report in reports.items():
        assert report["figures"] == expected[q]["figures"], (engine, q)
        assert report["decision_log"] == expected[q]["decision_log"]
        assert report["digest"] == expected[q]["digest"]


def test_an_export_pins_the_log_and_recomputes_an_earlier_head(season, tmp_path):
    from civicshield.decisions.log import record_decision

    first = build_report(Q3)
    removal = season.removals[0]
    record_decision("content", "post-late", "remove", rule_id="review.election_misinformation",
                    policy_version="2026.11.0", area="election_misinformation", start=removal["start"])
    later = build_report(Q3)
    export_tables(tmp_path / "now")
    export_tables(tmp_path / "then", at_seq=first["decision_log"]["head_seq"])

    assert report_from_parquet(Q3, tmp_path / "now", "duckdb") == later
    assert report_from_parquet(Q3, tmp_path / "now", "duckdb", at_seq=first["decision_log"]["head_seq"]) == first
    assert report_from_parquet(Q3, tmp_path / "then", "duckdb") == first


def test_the_command_line_exports_and_reports_with_an_engine(season, tmp_path):
    runner = CliRunner()
    exported = runner.invoke(app, ["transparency", "export-parquet", "--out", str(tmp_path / "x"), "--json"])
    assert exported.exit_code == 0, exported.output
    manifest = json.loads(exported.stdout)
    assert manifest["rows"]["decisions"] > 0 and manifest["rows"]["content"] > 0
    result = runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--engine", "duckdb",
                                 "--input", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == build_report(Q3)

    no_input = runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--engine", "spark"])
    assert no_input.exit_code == 2 and "--input" in no_input.output
    unknown = runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--engine", "hive",
                                  "--input", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "database, duckdb or spark" in unknown.output
    empty = runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--engine", "duckdb",
                                "--input", str(tmp_path)])
    assert empty.exit_code == 2 and "is not a report export" in " ".join(empty.output.split())


def test_an_export_that_does_not_end_at_its_manifest_head_is_refused(season, tmp_path):
    manifest = export_tables(tmp_path)
    manifest["head_seq"] += 1
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match="not at the head"):
        report_from_parquet(Q3, tmp_path, "duckdb")
