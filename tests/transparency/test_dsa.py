"""DSA statements of reasons: every EU/EEA restriction gets one, every one passes the database's rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.transparency import sor_vocabulary as V
from civicshield.transparency.statements import export_statements, is_informational, restrictions
from civicshield.transparency.validation import check_file, check_statement

UTC = dt.timezone.utc
SINCE, UNTIL = dt.datetime(2026, 9, 1, tzinfo=UTC), dt.datetime(2026, 11, 1, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "dsa" / "dsa_sor_enums.json"


def read_batches(path: Path) -> list[list[dict]]:
    return [json.loads(line)["statements"] for line in path.read_text().splitlines()]


@pytest.mark.django_db
def test_every_eu_restriction_gets_one_valid_statement(season, tmp_path):
    out = tmp_path / "sor.jsonl"
    result = export_statements(SINCE, UNTIL, out, batch_size=7)
    batches = read_batches(out)

    assert check_file(out) == []
    assert result.rejected == [] and all(1 <= len(b) <= 7 for b in batches)
    exported = {s["puid"] for b in batches for s in b}
    assert len(exported) == result.written
    eu = {f"civicshield-decision-{d.seq}" for d in restrictions(SINCE, UNTIL)
          if set(d.territorial_scope) & V.TERRITORIES and not is_informational(d)}
    assert eu and exported == eu
    removal = next(r for r in season.removals if r["market"] in V.TERRITORIES and not r["automated"])
    statement = next(s for b in batches for s in b if s["decision_facts"].endswith(")")
                     and s.get("decision_visibility") == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
                     and s["application_date"] == removal["start"].date().isoformat()
                     and s["territorial_scope"] == [removal["market"]])
    assert statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert statement["category_specification"] == ["KEYWORD_MISINFORMATION_DISINFORMATION"]
    bans = [s for b in batches for s in b if s.get("decision_account") == "DECISION_ACCOUNT_TERMINATED"]
    assert all(s["content_type"] == ["CONTENT_TYPE_OTHER"] and s["content_type_other"] == "Account" for s in bans)


@pytest.mark.django_db
def test_a_user_notice_before_the_decision_is_the_statements_source(season, tmp_path):
    out = tmp_path / "sor.jsonl"
    export_statements(SINCE, UNTIL, out)
    sources = {s["source_type"] for b in read_batches(out) for s in b}
    assert sources == {"SOURCE_VOLUNTARY", "SOURCE_ARTICLE_16"}
    assert all(len(b) <= 100 for b in read_batches(out))


@pytest.mark.django_db
def test_a_statement_that_would_fail_is_reported_not_written(ingest, tmp_path, events):
    from civicshield.decisions.log import record_decision

    ingest([events.content("post-de", text="Wahl am Sonntag", region="DE", at="2026-10-02T10:00:00Z")])
    row = record_decision("content", "post-de", "remove", rule_id="legal.order", policy_version="1",
                          area="election_misinformation", dsa_ground="DECISION_GROUND_ILLEGAL_CONTENT",
                          territorial_scope=["DE"], start=dt.datetime(2026, 10, 2, 12, tzinfo=UTC))
    out = tmp_path / "sor.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["transparency", "export-dsa", "--since", "2026-10-01", "--until", "2026-10-31",
                                 "--out", str(out), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["written"] == 0 and summary["rejections"][0]["decision"] == row.seq
    assert "illegal_content_legal_ground: is required here" in summary["rejections"][0]["problems"][0]


def valid_statement(**changes) -> dict:
    s = {"decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
         "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT", "incompatible_content_ground": "Rule civic.x",
         "incompatible_content_explanation": "False claim about voting.", "incompatible_content_illegal": "No",
         "content_type": ["CONTENT_TYPE_TEXT"], "category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
         "territorial_scope": ["DE"], "content_date": "2026-10-01", "application_date": "2026-10-02",
         "decision_facts": "Removed.", "source_type": "SOURCE_VOLUNTARY", "automated_detection": "No",
         "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED", "puid": "civicshield-decision-1"}
    s.update(changes)
    return {k: v for k, v in s.items() if v is not None}


def test_a_statement_missing_a_conditional_field_fails_with_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    illegal = valid_statement(puid="civicshield-decision-2", decision_ground="DECISION_GROUND_ILLEGAL_CONTENT",
                              incompatible_content_ground=None, incompatible_content_explanation=None,
                              incompatible_content_illegal=None, illegal_content_explanation="Court order.")
    other = valid_statement(puid="civicshield-decision-3", content_type=["CONTENT_TYPE_OTHER"])
    path.write_text(json.dumps({"statements": [valid_statement()]}) + "\n"
                    + json.dumps({"statements": [illegal, other]}) + "\n")
    result = CliRunner().invoke(app, ["transparency", "validate-dsa", str(path)])
    assert result.exit_code == 1
    assert ("line 2, statement 0 (puid civicshield-decision-2): illegal_content_legal_ground: is required here "
            "(decision_ground is DECISION_GROUND_ILLEGAL_CONTENT)") in result.stdout
    assert "line 2, statement 1 (puid civicshield-decision-3): content_type_other: is required here" in result.stdout
    assert "line 1" not in result.stdout


def test_every_rule_of_the_database_is_checked():
    assert list(check_statement(valid_statement())) == []
    problems = dict(check_statement(valid_statement(
        decision_visibility=None, category="STATEMENT_CATEGORY_ELECTIONS", puid="has space",
        territorial_scope=["DE", "US"], application_date="2019-12-31", automated_detection="yes",
        source_identity=None, content_language="en", decision_facts="x" * 5001)))
    assert "at least one restriction" in problems["decision_visibility"]
    assert "'STATEMENT_CATEGORY_ELECTIONS' is not an allowed value" == problems["category"]
    assert "may only contain" in problems["puid"]
    assert "'US' is not an allowed value" == problems["territorial_scope"]
    assert "outside" in problems["application_date"]
    assert set(problems) >= {"automated_detection", "content_language", "decision_facts"}
    excluded = dict(check_statement(valid_statement(illegal_content_legal_ground="Art. 1")))
    assert "must be left out" in excluded["illegal_content_legal_ground"]


def test_batches_hold_at_most_100_and_puids_are_unique(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"statements": [valid_statement(puid=f"p{i}") for i in range(101)]}) + "\n"
                    + json.dumps(valid_statement(puid="p5")) + "\n" + "{not json\n")
    messages = [str(v) for v in check_file(path)]
    assert "line 1: statements: a batch holds 1 to 100 statements (101)" in messages
    assert any(m.startswith("line 2") and "repeats the puid on line 1" in m for m in messages)
    assert any(m.startswith("line 3: not valid JSON") for m in messages)


@pytest.mark.skipif(not SHARED.exists(), reason="the DSA transcription in shared/data is not present")
def test_the_shipped_vocabulary_matches_the_transcribed_api():
    source = json.loads(SHARED.read_text())
    enums = source["enums"]
    for name in ("DECISION_VISIBILITIES", "DECISION_MONETARIES", "DECISION_PROVISIONS", "DECISION_ACCOUNTS",
                 "ACCOUNT_TYPES", "DECISION_GROUNDS", "CONTENT_TYPES", "STATEMENT_CATEGORIES", "KEYWORDS",
                 "SOURCE_TYPES", "AUTOMATED_DECISIONS"):
        assert getattr(V, name) == frozenset(enums[name]), name
    assert V.TERRITORIES == frozenset(source["EUROPEAN_COUNTRY_CODES"])
    assert V.LANGUAGES == frozenset(source["ALL_LANGUAGES"])
