"""Human decisions, the public-interest exception, strikes with graduated enforcement, appeals, bulk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from civicshield.decisions.models import Decision, OutboxMessage
from civicshield.decisions.state import subject_state
from civicshield.review import appeals, leases, outcomes, strikes
from civicshield.review.leases import CaseError
from civicshield.review.models import Case


def _decide(case, user, key, rationale=""):
    leases.claim(case.pk, user)
    return outcomes.decide(case.pk, user, key, rationale)


def test_buttons_map_to_the_rule(held_post):
    keys = [o.key for o in outcomes.options(held_post("d-0"))]
    assert keys == ["allow", "label:review.polls_close_noon", "remove:review.polls_close_noon", "public_interest"]


def test_removal_supersedes_the_hold_and_strikes_the_account(held_post, make_user):
    case = held_post("d-1", account="acct-d1")
    hold = Decision.objects.get(subject_key="content:d-1", action="hold_for_review")
    alice = make_user(None, "reviewer")
    rows = _decide(case, alice, "remove:review.polls_close_noon", "False closing time")
    removal = rows[0]
    assert removal.action == "remove" and removal.supersedes_id == hold.seq
    assert removal.actor_type == "user" and removal.actor_id == alice.username
    assert subject_state("content", "d-1").visibility == "removed"
    assert [s.area for s in strikes.live_strikes("acct-d1")] == ["election_misinformation"]
    assert OutboxMessage.objects.filter(decision=removal).exists()  # the platform hears about it
    case.refresh_from_db()
    assert case.status == "decided" and removal.seq in case.decision_seqs


def test_public_interest_exception_needs_a_rationale_and_labels(held_post, make_user):
    case = held_post("d-2")
    alice = make_user(None, "reviewer")
    leases.claim(case.pk, alice)
    with pytest.raises(CaseError, match="rationale"):
        outcomes.decide(case.pk, alice, "public_interest", "")
    (row,) = outcomes.decide(case.pk, alice, "public_interest", "Quoted by a newspaper to debunk it")
    assert row.labels == ["public_interest_exception"] and row.explanation.startswith("Quoted")
    state = subject_state("content", "d-2")
    assert state.visibility == "visible" and "public_interest_exception" in state.labels


def test_deciding_needs_a_live_claim(held_post, make_user):
    case = held_post("d-3")
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    with pytest.raises(CaseError, match="claim"):
        outcomes.decide(case.pk, alice, "allow")
    leases.claim(case.pk, alice, now=timezone.now() - dt.timedelta(hours=1))  # lease long expired
    with pytest.raises(CaseError, match="claim"):
        outcomes.decide(case.pk, alice, "allow")
    leases.claim(case.pk, bob)
    outcomes.decide(case.pk, bob, "allow")
    assert subject_state("content", "d-3").visibility == "visible"


def test_strikes_lead_to_restrictions_then_suspension_by_category(held_post, make_user):
    reviewer = make_user(None, "reviewer")
    for i in range(3):
        _decide(held_post(f"s-{i}", account="acct-s"), reviewer, "remove:review.polls_close_noon", "again")
    restrictions = subject_state("account", "acct-s").restrictions
    assert {"restrict_recommendation", "restrict_monetization", "suspend_account"} <= set(restrictions)
    for i in range(3):
        _decide(held_post(f"sp-{i}", account="acct-pol", category="politician"), reviewer,
                "remove:review.polls_close_noon", "again")
    politician = set(subject_state("account", "acct-pol").restrictions)
    assert "restrict_monetization" in politician  # the politician ladder is slower: no suspension at 3
    assert not politician & {"restrict_recommendation", "suspend_account"}


def test_strikes_expire(held_post, make_user):
    _decide(held_post("e-1", account="acct-e"), make_user(None, "reviewer"), "remove:review.polls_close_noon", "x")
    later = timezone.now() + dt.timedelta(days=91)
    assert len(strikes.live_strikes("acct-e")) == 1 and strikes.live_strikes("acct-e", now=later) == []


def test_appeal_needs_another_reviewer_and_restores(held_post, make_user, ingest):
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    rows = _decide(held_post("a-1", account="acct-a"), alice, "remove:review.polls_close_noon", "False time")
    ingest([{"id": "appeal-1", "type": "appeal.filed", "occurred_at": "2026-10-21T10:00:00Z",
             "appeal": {"subject": {"type": "content", "id": "a-1"}, "reason": "not_false", "decision_id": rows[0].seq,
                        "appellant_account_id": "acct-a", "text": "The county did change the hours"}}])
    appeal = Case.objects.get(kind="appeal", subject_key="content:a-1")
    assert appeal.queue == "appeals" and appeal.original_actor == alice.username
    with pytest.raises(CaseError, match="different reviewer"):
        leases.claim(appeal.pk, alice)
    leases.claim(appeal.pk, bob)
    lift, strike_lift = appeals.decide_appeal(appeal.pk, bob, "reverse", "County notice confirms noon closing")
    assert strike_lift.action == "strike" and strike_lift.effect == "lift"
    assert strikes.live_strikes("acct-a") == []
    assert lift.effect == "lift" and lift.supersedes_id == rows[0].seq and lift.actor_id == bob.username
    assert subject_state("content", "a-1").visibility == "visible"
    assert OutboxMessage.objects.filter(decision=lift).exists()
    assert appeals.appeal_counts() == {"filed": 1, "decided": 1, "granted": 1, "rejected": 0, "restorations": 1}


def test_rejected_appeal_keeps_the_decision(held_post, make_user, ingest):
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    rows = _decide(held_post("a-2"), alice, "remove:review.polls_close_noon", "False time")
    ingest([{"id": "appeal-2", "type": "appeal.filed", "occurred_at": "2026-10-21T10:00:00Z",
             "appeal": {"subject": {"type": "content", "id": "a-2"}, "reason": "disagree"}}])
    appeal = Case.objects.get(kind="appeal", subject_key="content:a-2")
    leases.claim(appeal.pk, bob)
    # Every decision in force on the post is contested and kept (the election banner as well).
    kept_rows = appeals.decide_appeal(appeal.pk, bob, "uphold", "The official schedule says 8pm")
    (kept,) = [r for r in kept_rows if r.action == "remove"]
    assert kept.effect == "apply" and kept.supersedes_id == rows[0].seq
    assert all(r.effect == "apply" and r.explanation.startswith("Appeal rejected") for r in kept_rows)
    assert subject_state("content", "a-2").visibility == "removed"


def test_bulk_decision_with_one_rationale_reports_each_failure(held_post, make_user):
    cases = [held_post(f"b-{i}") for i in range(3)]
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    leases.claim(cases[2].pk, bob)
    result = outcomes.bulk_decide([c.pk for c in cases] + [999_999], alice, "allow", "Satire account, obvious joke")
    assert result.done == [cases[0].pk, cases[1].pk]
    assert [pk for pk, _ in result.failed] == [cases[2].pk, 999_999]
    assert "claimed by" in result.failed[0][1]
    rows = Decision.objects.filter(actor_id=alice.username, action="allow")
    assert {r.explanation for r in rows} == {"Satire account, obvious joke"} and rows.count() == 2
