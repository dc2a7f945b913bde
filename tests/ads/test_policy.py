"""The ads policy on assessed ads, without a database: who may advertise what."""

from __future__ import annotations

import pytest

from civicshield.ads.evaluation import DEFAULT_POLICY_DIR
from civicshield.core.assess import Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.events import Account, Ad
from civicshield.core.policy import load_policy
from tests.ads.test_review import BORDERLINE


@pytest.fixture(scope="module")
def context() -> Context:
    return Context(load_policy(DEFAULT_POLICY_DIR), Registry.from_entry_points())


def verdict(context, text, category="regular", verified=False):
    account = Account(id="adv", handle="adv", category=category, verified=verified)
    return assess(Ad(id="ad-1", advertiser_account_id="adv", text=text, regions=["US-CA"]),
                  context.with_account(account))


@pytest.mark.parametrize("category", ["political_party", "politician", "government"])
def test_a_political_advertisers_ad_is_rejected_whatever_it_says(context, category):
    v = verdict(context, "Join us for a community picnic in the park this Saturday!", category)
    assert "reject_ad" in v.actions
    assert any(r.rule_id == "ads.political_advertiser" for r in v.reasons)


def test_a_cause_ad_without_political_content_passes(context):
    v = verdict(context, "Donate to the children's hospital this winter. Every gift helps a family.")
    assert v.actions == ("allow",)


def test_a_political_ad_from_anyone_is_rejected_with_a_reason(context):
    v = verdict(context, "Vote NO on Proposition 50 — it raises your taxes.")
    assert "reject_ad" in v.actions
    assert v.signals["political_ad"].evidence["reason_code"] in ("call_to_vote", "election_or_ballot_measure")


def test_verified_government_public_service_ads_are_exempt(context):
    health = verdict(context, "Get your flu shot: free at every public health clinic.", "government", True)
    assert "approve_ad" in health.actions and "reject_ad" not in health.actions
    how_to = verdict(context, "How to vote by mail: official election information.", "government", True)
    assert "reject_ad" not in how_to.actions


def test_the_exemption_needs_verification_and_no_partisan_content(context):
    unverified = verdict(context, "Get your flu shot: free at every public health clinic.", "government")
    assert "reject_ad" in unverified.actions
    partisan = verdict(context, "Get your flu shot, and re-elect Governor Smith!", "government", True)
    assert "reject_ad" in partisan.actions


def test_a_borderline_ad_goes_to_the_ads_queue(context):
    v = verdict(context, BORDERLINE)
    assert "hold_for_review" in v.actions and "reject_ad" not in v.actions
    assert v.queue == "ads"


class _Scored:
    """The political-ad signal at a given value, so the shipped rules' lines can be checked exactly."""

    name = "political_ad"
    cost = 1
    applies_to = frozenset({"ad"})
    gate = None

    def __init__(self, value: float) -> None:
        self.value = value

    def detect(self, subject, context, signals):
        from civicshield.core.verdict import Signal

        yield Signal(self.name, self.value, {"advertiser_official": False, "reason_code": "", "categories": {},
                                             "exemption": "", "explanation": "test"}, self.name)


@pytest.mark.parametrize("value, outcome", [(0.7, "reject_ad"), (0.6999, "hold_for_review"),
                                            (0.35, "hold_for_review"), (0.3499, "allow")])
def test_the_shipped_rules_reject_from_0_7_and_hold_from_0_35(value, outcome):
    registry = Registry()
    registry.register(_Scored(value))
    context = Context(load_policy(DEFAULT_POLICY_DIR), registry)
    v = verdict(context, "any text: the value above decides")
    assert outcome in v.actions
    assert ("reject_ad" in v.actions) == (outcome == "reject_ad")


@pytest.mark.parametrize("text", [
    BORDERLINE,
    "Vote Maria Okafor for State Senate on November 5. Paid for by Okafor for Senate.",
    "Fresh sourdough every morning at Rosa's Bakery, open 7 days a week.",
])
def test_the_detector_puts_the_heads_operating_points_on_the_rules_lines(text):
    """Whatever a text scores, the detector's value crosses 0.7 exactly when the head's probability
    reaches its precision point, and 0.35 exactly when it reaches its recall point."""
    from civicshield.ads.detector import PoliticalAdDetector

    signal = PoliticalAdDetector().assess_text(text, None, "en")
    head_probability = signal.evidence["classifier"]["probability"]
    from civicshield.ads.head import political_ad_head

    head = political_ad_head("use")
    assert (signal.value >= 0.7) == (head_probability >= head.thresholds["high"])
    assert (signal.value >= 0.35) == (head_probability >= head.thresholds["low"])
