"""Operators scrape /metrics: pipeline counters, latency histograms and backlog gauges."""

import pytest

from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db


def test_metrics_report_events_decisions_latency_and_queue_depth(client, ingest, monkeypatch):
    monkeypatch.setenv("CIVICSHIELD_METRICS_TOKEN", "s3cret-token")
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", views=20_000,
                                         text="Polling places closed: election day voting is now by text message")])
    client.get("/")
    body = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).content.decode()
    assert 'civicshield_events_total{outcome="accepted",type="content.created"}' in body
    assert 'civicshield_decisions_total{action="add_banner",mode="enforce"}' in body
    assert "civicshield_assess_seconds_bucket" in body
    assert 'civicshield_http_request_seconds_count{method="GET",route="",status="200"}' in body
    assert 'civicshield_review_queue_depth{queue="misinformation",status="open"}' in body or \
        "civicshield_review_queue_depth{" in body
    assert "civicshield_decision_log_length" in body


def test_metrics_are_not_public(client, monkeypatch, make_user):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    # Loopback proves nothing: behind a local proxy every visitor arrives from 127.0.0.1.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    monkeypatch.setenv("CIVICSHIELD_METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-toke"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-token-and-more"}).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                      headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_a_reviewer_cannot_read_metrics_but_staff_can(client, make_user):
    client.force_login(make_user("rev", "reviewer"))
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    client.force_login(make_user("ops", is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_structured_logs_are_json(capsys):
    import json
    import logging
    import logging.config

    from civicshield.observability.logs import logging_config

    logging.config.dictConfig(logging_config("INFO", json_logs=True))
    try:
        logging.getLogger("civicshield.test").warning("batch stored", extra={"accepted": 3})
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["message"] == "batch stored" and record["accepted"] == 3 and record["level"] == "WARNING"
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)
