"""Cases land in the right queue with an explainable priority, and reports collapse into one case."""

from __future__ import annotations

import pytest

from civicshield.review.routing import priority, route
from tests.conftest import ev_account


def test_priority_rises_with_severity_reach_and_reporters():
    low = priority(1, views=100, age_hours=10)
    assert priority(5, views=100, age_hours=10).score > low.score
    assert priority(1, views=100_000, age_hours=10).score > low.score
    assert priority(1, views=100, age_hours=1).score > low.score  # same views, faster
    assert priority(1, views=100, age_hours=10, reporters=3).score > low.score
    assert "severity" in low.explain()["formula"]


def test_routing_picks_the_language_queue(review_policy):
    assert route(review_policy, "misinformation", language="es", area="election_misinformation") == "misinformation_es"
    assert route(review_policy, "misinformation", language="fr", area="election_misinformation") == "misinformation"
    # senior queues are reached by escalation only
    assert route(review_policy, "misinformation", language="en") == "misinformation"


def test_held_post_opens_a_case_with_sla_and_explanation(held_post):
    case = held_post("p-1", views=5000)
    assert case.queue == "misinformation" and case.status == "open"
    assert case.area == "election_misinformation" and case.due_at is not None
    explained = case.details["priority"]
    assert explained["severity"] == 5 and explained["views"] == 5000
    assert case.priority == pytest.approx(explained["score"])


def test_spanish_post_goes_to_the_spanish_queue(held_post):
    case = held_post("p-es", language="es", text="polls close at noon, dicen")
    assert case.queue == "misinformation_es"


def test_reports_collapse_and_priority_rises_with_distinct_reporters(ingest, review_policy):
    from civicshield.review.models import Case

    def report(event_id, reporter):
        return {"id": event_id, "type": "report.filed", "occurred_at": "2026-10-20T12:00:00Z",
                "report": {"subject": {"type": "content", "id": "rep-1"}, "reason": "ai_generated",
                           "reporter_account_id": reporter, "text": "looks generated"}}

    ingest([ev_account("acct-rep")])
    ingest([report("r1", "u1")])
    case = Case.objects.get(subject_key="content:rep-1")
    assert case.queue == "ai_generated" and case.kind == "report"
    first = case.priority
    ingest([report("r2", "u1"), report("r3", "u2"), report("r4", "u3")])
    case.refresh_from_db()
    assert Case.objects.filter(subject_key="content:rep-1").count() == 1
    assert sorted(case.reporters) == ["u1", "u2", "u3"]
    assert case.priority > first
    assert case.details["priority"]["reporters"] == 3
