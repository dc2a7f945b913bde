"""Prometheus metrics: what the pipeline does (events, decisions, assess latency), how the web answers
(request latency by route), and the backlog people and platforms wait on (queue depths, outbox).

Counters and histograms live in each process; under gunicorn set PROMETHEUS_MULTIPROC_DIR so the
scrape aggregates every worker. Backlog gauges are read from the database at scrape time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from typing import Any, Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

EVENTS = Counter("civicshield_events_total", "Events received by the pipeline", ["type", "outcome"])
DECISIONS = Counter("civicshield_decisions_total", "Decisions appended to the log", ["action", "mode"])
ASSESS_SECONDS = Histogram("civicshield_assess_seconds", "Time to assess one subject",
                           buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
BATCH_SECONDS = Histogram("civicshield_batch_seconds", "Time to process one intake batch",
                          buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
DEAD_LETTERS = Counter("civicshield_broker_dead_letters_total",
                       "Broker messages parked on the dead-letter subject instead of stored", ["reason"])
REQUEST_SECONDS = Histogram("civicshield_http_request_seconds", "Web request latency",
                            ["method", "route", "status"],
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0))


class BacklogCollector:
    """Queue depths and delivery backlog, read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count

        from civicshield.decisions.models import Decision, OutboxMessage, WebhookDelivery
        from civicshield.intake.models import DeadLetter
        from civicshield.review.models import Case

        depth = GaugeMetricFamily("civicshield_review_queue_depth", "Open review cases", labels=["queue", "status"])
        for row in Case.objects.filter(status__in=("open", "claimed")).values("queue", "status").annotate(n=Count("id")):
            depth.add_metric([row["queue"], row["status"]], row["n"])
        yield depth
        yield GaugeMetricFamily("civicshield_outbox_pending", "Decisions not yet fanned out to webhooks",
                                value=OutboxMessage.objects.filter(dispatched_at__isnull=True).count())
        yield GaugeMetricFamily("civicshield_webhook_deliveries_pending", "Webhook deliveries awaiting a retry",
                                value=WebhookDelivery.objects.filter(status="pending").count())
        parked = GaugeMetricFamily("civicshield_broker_dead_letters",
                                   "Broker messages parked on the dead-letter subject, by every consumer since setup",
                                   labels=["reason"])
        counts = dict(DeadLetter.objects.values_list("kind").annotate(n=Count("id")))
        for kind in (DeadLetter.INVALID, DeadLetter.UNPROCESSABLE):
            parked.add_metric([kind], counts.get(kind, 0))
        yield parked
        last = Decision.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        yield GaugeMetricFamily("civicshield_decision_log_length", "Rows in the decision log", value=last)


def render() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        for collector in list(REGISTRY._collector_to_names):  # the process's own metrics
            registry.register(collector)
    registry.register(BacklogCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def metrics_view(request: Any) -> Any:
    """`/metrics`: `Authorization: Bearer $CIVICSHIELD_METRICS_TOKEN`, or a staff session; nobody else.

    Where the caller connects from proves nothing (behind a local proxy everyone is on loopback).
    The token is compared as SHA-256 digests in constant time, so neither its length nor a prefix leaks.
    """
    from django.http import HttpResponse, HttpResponseForbidden

    from civicshield.site.roles import user_has_role

    token = os.environ.get("CIVICSHIELD_METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    by_token = bool(token) and hmac.compare_digest(hashlib.sha256(token.encode()).digest(),
                                                   hashlib.sha256(offered.encode()).digest())
    by_staff = getattr(request.user, "is_staff", False) or user_has_role(request.user, "admin")
    if not (by_token or by_staff):
        return HttpResponseForbidden("metrics need Authorization: Bearer <CIVICSHIELD_METRICS_TOKEN> or a staff login")
    body, content_type = render()
    return HttpResponse(body, content_type=content_type)


class RequestTimingMiddleware:
    """Request latency per route template (never per raw path, which would explode cardinality)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        REQUEST_SECONDS.labels(request.method, route, str(response.status_code)).observe(time.perf_counter() - started)
        return response
