"""Procedural claims are compared with the official voter facts for the region they are about."""

from __future__ import annotations

import pytest

from civicshield.elections.procedural import ProceduralClaimDetector, check_claims, find_claims
from civicshield.elections.votegov import load_us_dataset


@pytest.fixture(scope="module")
def facts():
    data = load_us_dataset()
    out = {j["region"]: j for j in data["jurisdictions"]}
    out["US"] = data["national"]
    return out


def test_vote_by_text_in_texas_is_false_and_carries_the_correct_fact(facts):
    result = check_claims("In Texas you can vote by text! Just text VOTE to 55555.", facts)
    assert result["value"] == "false"
    ev = result["evidence"]
    assert ev["jurisdiction"] == "US-TX"
    assert "no state accepts a vote by text message" in ev["correct_fact"]
    assert ev["source_url"] == "https://www.usa.gov/how-to-vote"
    assert ev["last_verified"]


def test_true_claims_are_not_flagged(facts):
    assert (
        check_claims("In Texas the deadline to register to vote is 30 days before Election Day.", facts)[
            "value"
        ]
        == "consistent"
    )
    assert check_claims("Californians can register on Election Day.", facts)["value"] == "consistent"
    assert (
        check_claims("You cannot vote by text message in Texas, vote in person or by mail.", facts)["value"]
        == "consistent"
    )


def test_state_specific_facts_decide(facts):
    online = check_claims("Register to vote online in Texas in two minutes!", facts)
    assert online["value"] == "false"
    assert online["evidence"]["correct_fact"] == "Texas does not offer online voter registration."
    sdr = check_claims("Texas has same-day registration, so just show up on Election Day.", facts)
    assert sdr["value"] == "false" and "vote.gov/register/texas" in sdr["evidence"]["source_url"]
    wrong_deadline = check_claims("The registration deadline in Texas is 10 days before the election.", facts)
    assert wrong_deadline["value"] == "false"
    assert "30 days before Election Day" in wrong_deadline["evidence"]["correct_fact"]


def test_region_falls_back_to_the_subject_region(facts):
    assert check_claims("You can register to vote online here.", facts, "US-TX")["value"] == "false"
    assert check_claims("You can register to vote online here.", facts, "US-CA")["value"] == "consistent"


def test_split_day_and_spanish_claims(facts):
    assert check_claims("Democrats vote on Wednesday this year!", facts, "US-GA")["value"] == "false"
    assert check_claims("En Texas puedes votar por mensaje de texto.", facts)["value"] == "false"


def test_hard_negatives_and_unknown_facts(facts):
    assert check_claims("Vote for your favourite pizza by text!", facts) is None
    assert check_claims("Lovely weather in Texas today.", facts) is None
    hours = check_claims("Polls close at 7 pm in Kansas", facts)
    assert hours["value"] == "unverified" and "correct_fact" not in hours["evidence"]


def test_claims_are_found_in_order():
    kinds = [c.kind for c in find_claims("Democrats vote on Wednesday. You can also vote by phone.")]
    assert kinds == ["split_election_day", "remote_voting"]


def test_without_facts_a_claim_is_never_false_unless_a_known_narrative(facts):
    from types import SimpleNamespace

    subject = SimpleNamespace(analysed_text="In Texas the registration deadline is 30 days before the election",
                              region=None)
    without = list(ProceduralClaimDetector().detect(subject, SimpleNamespace(resources={}, account=None), {}))
    assert all(s.value == "unverified" for s in without)
    subject = SimpleNamespace(analysed_text="In Texas you can vote by text", region=None)
    [signal] = ProceduralClaimDetector().detect(
        subject, SimpleNamespace(resources={"voter_facts": facts}, account=None), {}
    )
    assert signal.name == "procedural_claim" and signal.value == "false"
