"""`civicshield policy check` and `backtest` as a policy manager uses them."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.policies import DEFAULT_POLICY_DIR
from tests.conftest import ev_account, ev_content

runner = CliRunner()


def test_policy_check_accepts_the_default_set_and_rejects_a_broken_one(tmp_path):
    ok = runner.invoke(app, ["policy", "check", str(DEFAULT_POLICY_DIR)])
    assert ok.exit_code == 0 and "rules" in ok.stdout
    broken = tmp_path / "p"
    shutil.copytree(DEFAULT_POLICY_DIR, broken)
    (broken / "x.yaml").write_text("rules:\n  - {id: x.y, area: civic_information, applies_to: [content],"
                                   " when: 'a >', actions: [label], explanation: e}\n")
    bad = runner.invoke(app, ["policy", "check", str(broken)])
    message = bad.stderr.replace("\n", "")  # the console wraps long paths
    assert bad.exit_code == 1 and "x.yaml:2 (rule x.y)" in message and "not valid CEL" in message


@pytest.mark.django_db
def test_backtest_counts_how_outcomes_would_change(tmp_path, ingest):
    ingest([ev_account("a1"),
            ev_content("p1", account_id="a1", text="Vote early: find your polling place"),
            ev_content("p2", account_id="a1", text="Election results are in"),
            ev_content("p3", account_id="a1", text="Best tacos in town")])
    candidate = tmp_path / "candidate"
    shutil.copytree(DEFAULT_POLICY_DIR, candidate)
    civic = (candidate / "civic.yaml").read_text()
    # The candidate shows the banner only on posts seen ten million times: none of these.
    (candidate / "civic.yaml").write_text(civic.replace(
        "when: signals.election_relevance.value >= 0.6",
        "when: signals.election_relevance.value >= 0.6 && subject.views >= 10000000", 1))
    result = runner.invoke(app, ["policy", "backtest", "--policies", str(candidate), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    banner = report["rules"]["civic.election_banner"]
    assert banner["baseline"] == 2 and banner["candidate"] < 2 and banner["removed"] >= 1
    assert report["changed"] >= 1 and report["examples"]["civic.election_banner"][0]["subject"]["type"] == "content"
    assert report["baseline_version"] != report["candidate_version"]
