"""The HTTP API as a platform uses it: keys, batches, idempotency, partial failure, schemas."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from civicshield.decisions.models import Decision
from civicshield.intake.models import ApiKey
from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db


def batch() -> list[dict]:
    return [ev_account("a1"), ev_content("p1", account_id="a1", text="Find your polling place on election day")]


def test_events_need_a_valid_key(api_client):
    assert api_client.post("/api/v1/events", {"events": batch()}, key=None).status_code == 401
    assert api_client.post("/api/v1/events", {"events": batch()}, key="cs_nope_nope").status_code == 401
    ApiKey.objects.update(revoked_at=timezone.now())
    assert api_client.post("/api/v1/events", {"events": batch()}).status_code == 401


def test_keys_are_stored_only_as_digests(api_client):
    row = ApiKey.objects.get()
    assert api_client.key not in (row.digest, row.prefix) and len(row.digest) == 64


def test_a_batch_is_idempotent(api_client):
    events = batch()
    first = api_client.post("/api/v1/events", {"events": events}).json()
    assert first["accepted"] == 2 and first["decisions"] == 1
    for _ in range(3):
        again = api_client.post("/api/v1/events", {"events": events}).json()
        assert again["accepted"] == 0 and again["duplicates"] == 2
    assert Decision.objects.count() == 1


def test_partial_failure_is_207_with_index_and_reason(api_client):
    events = batch() + [{"id": "x", "type": "content.created", "occurred_at": "2026-10-20T10:00:00Z"}]
    response = api_client.post("/api/v1/events", {"events": events})
    assert response.status_code == 207
    body = response.json()
    assert body["accepted"] == 2 and body["rejected"] == 1
    assert body["errors"] == [{"index": 2, "id": "x", "field": "content",
                               "reason": "a content.created event needs an object named 'content'"}]


def test_batches_are_limited_to_a_thousand_events(api_client):
    response = api_client.post("/api/v1/events", {"events": [ev_account() for _ in range(1001)]})
    assert response.status_code == 422 and "1000" in json.dumps(response.json())
    assert api_client.post("/api/v1/events", {"events": []}).status_code == 422
    assert api_client.post("/api/v1/events", {"nothing": 1}).status_code == 422


def test_assess_returns_verdicts_in_order_and_can_dry_run(api_client):
    events = [ev_account("pol", category="politician", verified=True),
              ev_content("p1", account_id="pol", text="Vote on election day, find your polling place")]
    body = api_client.post("/api/v1/assess?store=false", {"events": events}).json()
    assert [v["subject"] for v in body["verdicts"]] == [{"type": "account", "id": "pol"},
                                                         {"type": "content", "id": "p1"}]
    assert body["verdicts"][0]["labels"] == ["politician"]
    assert body["verdicts"][1]["signals"]["language"]["value"] == "en"
    assert {"rule_id", "policy_version", "explanation"} <= set(body["verdicts"][1]["reasons"][0])
    assert Decision.objects.count() == 0


def test_schemas_and_openapi_are_published(client):
    schemas = client.get("/api/v1/schemas/events").json()
    assert "content.created" in schemas
    openapi = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/events" in openapi["paths"] and "/api/v1/assess" in openapi["paths"]
