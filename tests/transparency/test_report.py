"""The quarterly enforcement report, checked against figures worked out independently from a simulated season."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.transparency.metrics import Metric, Value, register_metric, _REGISTRY
from civicshield.transparency.periods import PeriodError, Quarter
from civicshield.transparency.report import build_report, render

Q3 = Quarter(2026, 3)

pytestmark = pytest.mark.django_db(transaction=False)


def figures(report: dict) -> dict[str, dict]:
    return {f["key"]: f for f in report["figures"]}


def test_a_simulated_quarter_reports_the_independently_counted_figures(season):
    expected = season.expected()
    f = figures(build_report(Q3))

    assert f["content_uploaded"]["value"] == expected["content_uploaded"]
    assert f["content_uploaded"]["breakdown"] == expected["uploads_by_market"]
    assert f["content_removed"]["value"] == expected["content_removed"]
    assert f["content_removed"]["breakdown"] == {"election_misinformation": expected["content_removed"]}
    assert f["content_removed_by_market"]["breakdown"] == expected["removed_by_market"]
    assert f["removal_rate"]["value"] == expected["removal_rate"]
    assert f["proactive_rate"]["value"] == expected["proactive_rate"]
    assert f["removed_before_views"]["value"] == expected["removed_before_views"] == 3
    assert f["removed_within_24h"]["value"] == expected["removed_within_24h"]
    assert f["automated_removals"]["value"] == expected["automated_removals"] == 1
    assert f["time_to_action_hours"]["value"] == expected["time_to_action_hours"]
    assert f["time_to_action_hours"]["breakdown"] == expected["time_buckets"]
    assert f["political_ads_rejected"]["breakdown"].get("ads.political_advertiser", 0) == expected["political_ads_rejected"]
    assert f["accounts_removed"]["value"] == expected["accounts_removed"] == 2
    assert f["influence_networks_removed"]["value"] == expected["influence_networks_removed"]
    assert f["influence_accounts_removed"]["value"] == 2
    assert f["appeals_filed"]["value"] == expected["appeals_filed"] == 2
    assert f["content_restored"]["value"] == expected["content_restored"] == 1
    assert f["content_restored_after_appeal"]["value"] == 1
    assert f["ai_labels_applied"]["breakdown"].get("ai_generated", 0) == expected["ai_labels_applied"]


def test_sources_that_do_not_exist_yet_say_so_instead_of_zero(season):
    f = figures(build_report(Q3))
    visits = f["election_center_visits"]
    if visits["value"] is None:  # until the Election Center records visits
        assert visits["status"] == "not yet measured" and "visits" in visits["note"]
    empty = figures(build_report(Quarter(2025, 1)))
    assert empty["content_removed"]["value"] == 0 and empty["content_removed"]["status"] == "measured"


def test_the_report_names_the_log_head_and_recomputes_identically(season):
    from civicshield.decisions.log import record_decision

    first = build_report(Q3)
    assert first["decision_log"]["head_seq"] > 0 and len(first["decision_log"]["head_hash"]) == 64
    removal = season.removals[0]
    record_decision("content", "post-late", "remove", rule_id="review.election_misinformation",
                    policy_version="2026.11.0", area="election_misinformation", start=removal["start"])
    later = build_report(Q3)
    assert later["decision_log"]["head_seq"] == first["decision_log"]["head_seq"] + 1
    assert later["digest"] != first["digest"]
    again = build_report(Q3, at_seq=first["decision_log"]["head_seq"])
    assert again == first


def test_a_capability_adds_its_figure_through_the_registry(season):
    metric = Metric("election_center_visits", "Election Center visits", "Civic information", "Visits.",
                    lambda period: Value(42))
    register_metric(metric)
    try:
        assert figures(build_report(Q3))["election_center_visits"]["value"] == 42
    finally:
        _REGISTRY.pop("election_center_visits")


def test_csv_and_html_carry_the_same_figures(season):
    report = build_report(Q3)
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    totals = {r["key"]: r["value"] for r in rows if not r["breakdown"]}
    assert totals["content_removed"] == str(figures(report)["content_removed"]["value"])
    assert {r["head_hash"] for r in rows} == {report["decision_log"]["head_hash"]}
    html = render(report, "html")
    assert "<h1>Enforcement report 2026Q3</h1>" in html and report["decision_log"]["head_hash"] in html
    assert "not yet measured" in html or all(f["value"] is not None for f in report["figures"])


def test_the_command_line_writes_each_format(season, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["quarter"] == "2026Q3" and data["digest"] == build_report(Q3)["digest"]
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--format", "html",
                               "--out", str(out)]).exit_code == 0
    assert "Enforcement report 2026Q3" in out.read_text()
    bad = runner.invoke(app, ["transparency", "report", "--quarter", "2026-7", "--format", "json"])
    assert bad.exit_code == 2 and "write it like 2026Q3" in bad.output
    assert runner.invoke(app, ["transparency", "report", "--quarter", "2026Q3", "--format", "xml"]).exit_code == 2


def test_quarters_parse_and_bound():
    q = Quarter.parse("2026q4")
    assert (q.start.month, q.end.year, str(q.next()), str(q.previous())) == (10, 2027, "2027Q1", "2026Q3")
    with pytest.raises(PeriodError):
        Quarter.parse("2026Q5")


def test_stored_totals_plus_new_decisions_equal_a_full_count(season, monkeypatch):
    from civicshield.decisions.log import record_decision
    from civicshield.transparency import cube
    from civicshield.transparency.models import CubeMark
    from civicshield.transparency.snapshot import LogHead

    build_report(Q3)
    mark = CubeMark.objects.get()
    for i in range(3):
        record_decision("content", f"post-more-{i}", "remove", rule_id="review.election_misinformation",
                        policy_version="2026.11.0", area="election_misinformation", start=season.removals[0]["start"])
    head = LogHead.current()
    assert cube.counts(head.seq, head.hash) == cube.group(0, head.seq)
    assert CubeMark.objects.get().seq == mark.seq  # too few new decisions to move the mark
    monkeypatch.setattr(cube, "ADVANCE_AFTER", 1)
    assert cube.counts(head.seq, head.hash) == cube.group(0, head.seq)
    assert CubeMark.objects.get().seq == head.seq
    old = cube.counts(mark.seq, mark.hash)
    assert old == cube.group(0, mark.seq) and old != cube.group(0, head.seq)
