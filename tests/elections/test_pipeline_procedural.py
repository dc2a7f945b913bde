"""Through the one pipeline: a false voting-procedure claim is acted on, with the correct fact attached."""

from __future__ import annotations

import pytest

from tests.conftest import ev_content

pytestmark = pytest.mark.django_db


def _verdict(result):
    [outcome] = [o for o in result.outcomes if o.verdict is not None]
    return outcome.verdict


def test_vote_by_text_in_texas_is_flagged_with_the_correct_fact(ingest):
    result = ingest(
        [
            ev_content(
                text="BREAKING: in Texas you can vote by text this year! Text VOTE to 55555",
                region="US-TX",
                views=5000,
            )
        ]
    )
    verdict = _verdict(result)
    signal = verdict.signals["procedural_claim"]
    assert signal.value == "false"
    assert "no state accepts a vote by text message" in signal.evidence["correct_fact"]
    assert signal.evidence["source_url"] == "https://www.usa.gov/how-to-vote"
    assert "elections.false_procedural_claim" in [r.rule_id for r in verdict.enforced]
    assert "restrict_recommendation" in verdict.actions and "election_info_banner" in verdict.labels
    assert verdict.signals["election_relevance"].evidence["election_center"] == "/elections/us/tx/"


def test_a_true_procedural_statement_is_not_flagged(ingest):
    result = ingest(
        [
            ev_content(
                text="Reminder: in Texas the deadline to register to vote is 30 days before Election Day.",
                region="US-TX",
                views=5000,
            )
        ]
    )
    verdict = _verdict(result)
    assert verdict.signals["procedural_claim"].value == "consistent"
    assert "elections.false_procedural_claim" not in [r.rule_id for r in verdict.reasons]
    assert "restrict_recommendation" not in verdict.actions


def test_state_facts_come_from_the_database_with_provenance(db, reference_data):
    from civicshield.elections.facts import voter_facts

    facts = voter_facts()
    assert len([r for r in facts if r.startswith("US-")]) == 51
    texas = facts["US-TX"]["facts"]["online_registration"]
    assert texas["value"] == {"offered": False, "url": None} and texas["last_verified"] == "2024-08-26"
