"""Poison input: values that look valid but no database can store are refused alone, with a reason.

Each poison event travels in a batch with good events; the good ones must be stored and the poison one
reported with its index, field and reason, by the API, `civicshield ingest` and the pipeline alike,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from civicshield.intake.models import Content, Event
from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db

CLI = str(Path(sys.executable).with_name("civicshield"))


def poison() -> list[tuple[str, dict, str]]:
    """(what, event, the field the error must name)."""
    edge_early = ev_content(at="0001-01-01T00:00:00+05:00")
    edge_late = ev_content(at="9999-12-31T23:30:00-05:00")
    old_account = ev_account(created_at="0001-01-01T01:00:00+03:00")
    nan = {**ev_content(), "score": float("nan")}
    infinite = ev_content(views=float("inf"))
    return [
        ("views beyond bigint", ev_content(views=10**30), "content.views"),
        ("followers beyond bigint", ev_account(followers=2**63), "account.followers"),
        ("date before the calendar after its offset", edge_early, "occurred_at"),
        ("date after the calendar after its offset", edge_late, "occurred_at"),
        ("account created before the calendar", old_account, "account.created_at"),
        ("NaN in an unknown field", nan, "score"),
        ("infinite views", infinite, "content.views"),
        ("lone surrogate in an id", ev_content("post-\ud800"), "content.id"),
        ("lone surrogate in an event id", ev_content(event_id="ev-\udfff"), "id"),
        ("language longer than its column", ev_content(language="x" * 40), "content.language"),
        ("display name longer than its column", ev_account(display_name="n" * 400), "account.display_name"),
        ("appeal of a decision beyond bigint",
         {"id": "ev-appeal-big", "type": "appeal.filed", "occurred_at": "2026-10-20T10:00:00Z",
          "appeal": {"subject": {"type": "content", "id": "p1"}, "reason": "mistake", "decision_id": 10**30}},
         "appeal.decision_id"),
    ]


@pytest.mark.parametrize("what,bad,field", poison(), ids=[p[0] for p in poison()])
def test_the_api_rejects_a_poison_event_alone(api_client, what, bad, field):
    good = [ev_account("a-good"), ev_content("p-good", account_id="a-good")]
    response = api_client.post("/api/v1/events", json.dumps({"events": [good[0], bad, good[1]]}))
    assert response.status_code == 207, response.content[:300]
    body = response.json()
    assert body["accepted"] == 2 and body["rejected"] == 1
    (error,) = body["errors"]
    assert error["index"] == 1 and error["field"] == field and error["reason"]
    assert Content.objects.filter(id="p-good").exists()
    assert Event.objects.count() == 2


def test_the_pipeline_refuses_a_deeply_nested_unknown_field(ingest):
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    result = ingest([ev_content(), {**ev_content(), "meta": deep}])
    assert result.accepted == 1 and result.errors[0]["index"] == 1 and "nested" in result.errors[0]["reason"]


def test_ingest_stores_the_good_events_of_a_poisoned_file(tmp_path, reference_data, transactional_db):
    from tests.intake.test_consumer import database_url

    lines = [json.dumps(ev_content(f"p-file-{i}")) for i in range(5)]
    lines.insert(2, json.dumps(ev_content(views=10**30)))
    lines.insert(4, json.dumps({**ev_content(), "weight": float("nan")}))  # NaN, as Python writes it
    lines.insert(5, json.dumps(ev_content(at="9999-12-31T23:59:59-01:00")))
    path = tmp_path / "poison.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import os

    run = subprocess.run([CLI, "ingest", str(path), "--json"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "DATABASE_URL": database_url()})
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.returncode == 1
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["accepted"] == 5 and summary["rejected"] == 3
    assert [e["index"] for e in summary["errors"]] == [2, 4, 5]
    assert Content.objects.filter(id__startswith="p-file-").count() == 5


class CrashesOnBoom:
    """A third-party detector with a bug: it fails on one input."""

    name = "crashes_on_boom"
    cost = 1
    applies_to = frozenset({"content"})
    gate = None

    def detect(self, subject, context, signals):
        if "boom" in subject.analysed_text:
            raise KeyError("boom")
        return []


def test_a_detector_failing_on_one_event_costs_only_that_event(ingest):
    from civicshield.intake import context

    context.current().registry.register(CrashesOnBoom())
    result = ingest([ev_content("p-ok-1"), ev_content("p-boom", text="boom"), ev_content("p-ok-2")])
    assert result.accepted == 2 and len(result.errors) == 1
    (error,) = result.errors
    assert error["index"] == 1 and "could not be assessed" in error["reason"] and "KeyError" in error["reason"]
    assert set(Content.objects.values_list("id", flat=True)) == {"p-ok-1", "p-ok-2"}


def test_a_long_text_is_analysed_up_to_a_bounded_prefix_and_the_verdict_says_so(api_client):
    from civicshield.core.events import ANALYSED_CHARS

    long_post = ev_content("p-long", text="Find your polling place on election day. " * 2_000)
    body = api_client.post("/api/v1/assess?store=false", {"events": [long_post, ev_content("p-short")]}).json()
    long_verdict, short_verdict = body["verdicts"]
    note = long_verdict["signals"]["text_truncated"]
    assert note["value"] is True and note["evidence"]["fields"] == {"text": len(long_post["content"]["text"])}
    assert note["evidence"]["analysed_chars"] == ANALYSED_CHARS
    assert "text_truncated" not in short_verdict["signals"]


def test_one_request_cannot_ask_for_unbounded_analysis(api_client):
    from civicshield.intake.api import MAX_ANALYSED_CHARS_PER_REQUEST

    texts = [ev_content(text="x" * 95_000) for _ in range(200)]
    for path in ("/api/v1/assess?store=false", "/api/v1/events"):
        response = api_client.post(path, {"events": texts})
        assert response.status_code == 413
        assert f"{MAX_ANALYSED_CHARS_PER_REQUEST:,}" in response.json()["detail"]
    assert Event.objects.count() == 0


def test_one_key_cannot_ask_for_unbounded_analysis_per_minute(api_client, settings):
    from civicshield.intake.auth import create_api_key

    settings.CIVICSHIELD = {**settings.CIVICSHIELD, "API_TEXT_RATE": 25_000}
    batch = {"events": [ev_content(text="polling place " * 700) for _ in range(2)]}  # 19,600 characters
    assert api_client.post("/api/v1/assess?store=false", batch).status_code == 200
    refused = api_client.post("/api/v1/assess?store=false", batch)
    assert refused.status_code == 429
    assert "25,000 per minute" in refused.json()["detail"] and "retry in" in refused.json()["detail"]
    # The budget is the key's own: another platform's key is served.
    other = api_client.post("/api/v1/assess?store=false", batch, key=create_api_key("other-platform"))
    assert other.status_code == 200
