"""An official account's life: restricted until verified, labelled after, and held to its restrictions."""

from __future__ import annotations

import pytest

from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from civicshield.review.models import Case
from tests.conftest import ev_account, ev_ad, ev_content

from .factories import verify

pytestmark = pytest.mark.django_db


def gift(account_id: str, kind: str = "gift", event_id: str = "m-1") -> dict:
    return {"id": event_id, "type": "monetization.requested", "occurred_at": "2026-10-21T10:00:00Z",
            "monetization": {"id": f"req-{event_id}", "account_id": account_id, "kind": kind, "amount": 5,
                             "currency": "USD"}}


def test_an_unverified_politician_is_restricted_until_verified_then_labelled(ingest, make_user):
    ingest([ev_account("sen", handle="SenMariaAlvarez", display_name="Sen. María Alvarez", category="politician")])
    assert "require_verification" in subject_state("account", "sen").restrictions
    assert "politician" not in subject_state("account", "sen").labels

    verify("sen", make_user("vera", "verifier"))
    state = subject_state("account", "sen")
    assert "require_verification" not in state.restrictions
    assert state.labels == ["politician"]

    # The platform still says verified=false; the registry is what counts from now on.
    result = ingest([ev_account("sen", handle="SenMariaAlvarez", category="politician", at="2026-10-22T10:00:00Z")])
    verdict = result.outcomes[0].verdict
    assert "require_verification" not in verdict.actions and "politician" in verdict.labels
    assert "require_verification" not in subject_state("account", "sen").restrictions


def test_a_politicians_ad_is_rejected_with_a_reason(ingest):
    result = ingest([ev_account("sen", category="politician"), ev_ad("ad-1", advertiser="sen", text="Meet me at the fair")])
    verdict = result.outcomes[1].verdict
    assert verdict.actions == ("reject_ad",)
    assert "cannot run ads" in verdict.reasons[0].explanation
    assert subject_state("ad", "ad-1").visibility == "removed"


def test_a_verified_official_declared_as_regular_still_cannot_advertise(ingest, make_user):
    ingest([ev_account("gov1", category="regular", handle="CityOfSpringfield")])
    verify("gov1", make_user("vera", "verifier"), category="government", official_name="City of Springfield")
    result = ingest([ev_ad("ad-2", advertiser="gov1", text="Road works this week")])
    verdict = result.outcomes[0].verdict
    assert verdict.actions == ("reject_ad",)
    assert "cannot run ads" in verdict.reasons[0].explanation


def test_a_politicians_gift_request_is_refused(ingest):
    result = ingest([ev_account("sen", category="politician"), gift("sen")])
    assert result.errors == []
    verdict = result.outcomes[1].verdict
    assert verdict.actions == ("restrict_monetization",)
    assert subject_state("monetization", "req-m-1").restrictions == ["restrict_monetization"]
    assert "Gifts, tips" in verdict.reasons[0].explanation


def test_a_creator_may_ask_for_tips(ingest):
    result = ingest([ev_account("c1", category="creator"), gift("c1", kind="tip")])
    assert result.outcomes[1].verdict.actions == ("allow",)


def test_a_bad_monetization_request_is_reported_by_index_and_the_rest_kept(ingest):
    bad = gift("sen", event_id="m-2")
    bad["monetization"]["kind"] = "bitcoin"
    result = ingest([ev_account("sen", category="politician"), bad, gift("sen", event_id="m-3")])
    assert [(e["index"], e["field"]) for e in result.errors] == [(1, "monetization.kind")]
    assert result.accepted == 2


def test_campaign_fundraising_by_a_politician_is_held_and_demoted(ingest):
    result = ingest([ev_account("sen", category="politician"),
                     ev_content("p1", account_id="sen", text="Chip in $5 before tonight's deadline!",
                                urls=["https://secure.actblue.com/donate/alvarez"]),
                     ev_content("p2", account_id="sen", text="Thanks to everyone who came to the town hall.")])
    held = result.outcomes[1].verdict
    assert {"restrict_recommendation", "hold_for_review"} <= set(held.actions)
    assert held.signals["campaign_fundraising"].evidence["links"] == ["https://secure.actblue.com/donate/alvarez"]
    assert result.outcomes[2].verdict.actions == ("allow",)
    assert Case.objects.filter(queue="verification", subject_key="content:p1").exists()


def test_fundraising_by_a_regular_account_is_not_an_official_restriction(ingest):
    result = ingest([ev_account("fan", category="regular"),
                     ev_content("p3", account_id="fan", text="Donate to the campaign today!")])
    assert result.outcomes[1].verdict.actions == ("allow",)


def test_state_media_is_labelled(ingest):
    ingest([ev_account("sm", category="state_media")])
    assert subject_state("account", "sm").labels == ["state_affiliated_media"]


def test_every_decision_about_the_verification_is_in_the_log(ingest, make_user):
    ingest([ev_account("sen", category="politician")])
    entry = verify("sen", make_user("vera", "verifier"))
    rows = list(Decision.objects.filter(subject_key__in=["account:sen", f"verification:{entry.request_id}"])
                .order_by("seq").values_list("rule_id", "effect", "action", "actor_type"))
    assert rows[-4:] == [("verification.request", "apply", "hold_for_review", "system"),
                         ("verification.approved", "lift", "hold_for_review", "user"),
                         ("verification.approved", "lift", "require_verification", "user"),
                         ("verification.badge", "apply", "label", "user")]


def test_the_synthetic_stream_carries_refusable_monetization_and_fundraising(ingest):
    from civicshield.intake.simulate import Simulation

    events = list(Simulation(seed=3, days=1, accounts_n=120, posts_per_day=50).events())
    result = ingest(events)
    assert result.errors == []
    refused = Decision.objects.filter(rule_id="verification.official_monetization_request").count()
    asks = Decision.objects.filter(rule_id="verification.campaign_fundraising").count()
    assert refused >= 1 and asks >= 1
