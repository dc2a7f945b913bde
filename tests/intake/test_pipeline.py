"""The one pipeline, against the real database: idempotency, partial failure, context, reversals."""

from __future__ import annotations

import pytest

from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from civicshield.intake.models import Content, Event, Interaction
from civicshield.review.models import Case
from tests.conftest import ev_account, ev_ad, ev_content, ev_interaction, ev_search

pytestmark = pytest.mark.django_db

ELECTION_TEXT = "Find your polling place before election day"


def season_batch() -> list[dict]:
    return [
        ev_account("a1", category="regular"),
        ev_account("gov", category="government", verified=False),
        ev_content("p1", account_id="a1", text=ELECTION_TEXT),
        ev_content("p2", account_id="a1", text="Best tacos in town"),
        ev_ad(advertiser="gov", text="Renew your passport online"),
        ev_search("where do I vote"),
        ev_interaction("a1", "p1"),
    ]


def test_replaying_a_batch_three_times_changes_nothing(ingest):
    batch = season_batch()
    first = ingest(batch)
    assert first.accepted == len(batch) and first.decisions > 0
    counts = (Decision.objects.count(), Event.objects.count(), Case.objects.count(), Interaction.objects.count())
    for _ in range(3):
        again = ingest(batch)
        assert again.accepted == 0 and again.duplicates == len(batch) and again.decisions == 0
    assert (Decision.objects.count(), Event.objects.count(), Case.objects.count(),
            Interaction.objects.count()) == counts


def test_a_bad_event_is_reported_by_index_and_the_good_ones_are_kept(ingest):
    batch = season_batch()
    batch.insert(3, {"id": "broken", "type": "content.created", "occurred_at": "2026-10-20T10:00:00Z",
                     "content": {"id": "p9", "account_id": "a1", "views": -1}})
    batch.insert(5, "not an object")
    result = ingest(batch)
    assert [(e["index"], e["field"]) for e in result.errors] == [(3, "content.views"), (5, None)]
    assert result.accepted == len(batch) - 2
    assert Content.objects.filter(id__in=["p1", "p2"]).count() == 2
    assert not Content.objects.filter(id="p9").exists()


def test_accounts_earlier_in_a_batch_are_the_context_of_later_events(ingest):
    result = ingest([ev_account("pol", category="politician", verified=True),
                     ev_ad(advertiser="pol", text="Buy local honey")])
    ad_verdict = result.outcomes[1].verdict
    assert ad_verdict.actions == ("reject_ad",)
    assert [r.rule_id for r in ad_verdict.reasons] == ["ads.political_advertiser"]


def test_decisions_drive_subject_state_with_reasons(ingest):
    ingest(season_batch())
    state = subject_state("content", "p1")
    assert state.labels == ["election_info_banner"] and state.visibility == "visible"
    row = Decision.objects.get(subject_key="content:p1")
    assert row.rule_id == "civic.election_banner" and row.policy_version.startswith("2026.11.0+")
    assert row.signals["election_relevance"]["value"] > 0.6
    assert row.territorial_scope == ["US"] and row.automated_detection
    assert "require_verification" in subject_state("account", "gov").restrictions


def test_an_edit_that_removes_the_election_topic_lifts_the_banner(ingest):
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", text=ELECTION_TEXT)])
    ingest([ev_content("p1", account_id="a1", text="Actually, tacos.", type="content.updated",
                       at="2026-10-20T12:00:00Z")])
    lift = Decision.objects.filter(subject_key="content:p1").order_by("-seq").first()
    assert lift.effect == "lift" and lift.supersedes_id is not None
    assert subject_state("content", "p1").labels == []


def test_an_edit_that_keeps_the_topic_does_not_log_twice(ingest):
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", text=ELECTION_TEXT)])
    before = Decision.objects.count()
    ingest([ev_content("p1", account_id="a1", text=ELECTION_TEXT + "!", type="content.updated")])
    assert Decision.objects.count() == before


def test_procedural_claims_with_reach_open_a_review_case(ingest):
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", views=20_000,
                                         text="Polling places closed: election day voting is now by text message")])
    case = Case.objects.get(subject_key="content:p1")
    assert case.queue == "misinformation" and case.due_at is not None
    assert "civic.procedural_claim_triage" in case.rule_ids


def test_reports_open_one_case_per_subject(ingest):
    ingest([ev_account("a1"), ev_content("p1", account_id="a1")])
    report = {"type": "report.filed", "occurred_at": "2026-10-20T13:00:00Z",
              "report": {"subject": {"type": "content", "id": "p1"}, "reason": "election_misinformation"}}
    ingest([{**report, "id": "r1"}, {**report, "id": "r2"}])
    assert Case.objects.filter(subject_key="content:p1", kind="report").count() == 1


def test_dry_run_stores_nothing(ingest):
    result = ingest(season_batch(), dry_run=True)
    assert result.accepted == len(season_batch())
    assert Event.objects.count() == 0 and Decision.objects.count() == 0
    assert result.outcomes[2].verdict.labels == ("election_info_banner",)


def test_a_batch_that_repeats_an_event_id_stores_it_once_and_keeps_the_rest(ingest):
    post = ev_content("rep-1", text="Vote on election day at your polling place")
    result = ingest([ev_account("a-rep"), post, dict(post), ev_content("rep-2")])
    assert not result.errors
    assert (result.accepted, result.duplicates) == (3, 1)
    assert Event.objects.filter(event_id=post["id"]).count() == 1
    assert set(Content.objects.values_list("id", flat=True)) == {"rep-1", "rep-2"}


def test_a_writer_that_stored_the_same_events_first_is_seen_under_the_lock(ingest, monkeypatch):
    """Two writers read "not stored yet" before either takes the log lock: the second must find the
    first's events under the lock and log nothing twice (here the first writer has already committed)."""
    from civicshield.intake import pipeline

    batch = [ev_account("a-race"), ev_content("race-1", account_id="a-race", text="Polls open at 7am, vote!")]
    first = ingest(batch)
    logged = Decision.objects.count()
    real = pipeline.existing_event_ids
    calls = []

    def blind_first_check(ids):  # the second writer's first look happened before the first one committed
        calls.append(list(ids))
        return set() if len(calls) == 1 else real(ids)

    monkeypatch.setattr(pipeline, "existing_event_ids", blind_first_check)
    second = ingest(batch)
    assert len(calls) == 2  # the check before assessing, and the one under the lock
    assert not second.errors and (second.accepted, second.duplicates) == (0, 2)
    assert first.accepted == 2 and Decision.objects.count() == logged
    assert Event.objects.filter(event_id__in=[e["id"] for e in batch]).count() == 2
