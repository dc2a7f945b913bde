"""Signed webhook deliveries: HMAC-SHA256 over `<timestamp>.<body>`, retried with backoff.

Header: `X-CivicShield-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes the digest
with its shared secret, compares in constant time and rejects timestamps older than five minutes
(`verify_signature` below is the reference recipe, documented in docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, WebhookDelivery, WebhookEndpoint

MAX_ATTEMPTS = 8
SIGNATURE_HEADER = "X-CivicShield-Signature"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = 300,
                     now: float | None = None) -> bool:
    """Receiver side: True if `header` is a valid, fresh signature of `body`."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def fan_out() -> int:
    """Turn undispatched outbox messages into one pending delivery per matching endpoint."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    created = 0
    with transaction.atomic():
        messages = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                        .filter(dispatched_at__isnull=True).order_by("id")[:5000])
        now = timezone.now()
        deliveries = [WebhookDelivery(endpoint=e, message=m, next_attempt_at=now)
                      for m in messages for e in endpoints if not e.topics or m.topic in e.topics]
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        OutboxMessage.objects.filter(id__in=[m.id for m in messages]).update(dispatched_at=now)
        created = len(deliveries)
    return created


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Attempt every due delivery once; failures are rescheduled with exponential backoff."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    due = list(WebhookDelivery.objects.select_related("endpoint", "message")
               .filter(status="pending", next_attempt_at__lte=timezone.now()).order_by("next_attempt_at")[:limit])
    for delivery in due:
        counts[_attempt(delivery)] += 1
    return counts


def _attempt(delivery: WebhookDelivery) -> str:
    body = json.dumps({"id": delivery.message_id, "topic": delivery.message.topic,
                       "data": delivery.message.payload}, separators=(",", ":")).encode()
    request = urllib.request.Request(delivery.endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "CivicShield-Webhooks/1",
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, body), "X-CivicShield-Delivery": str(delivery.pk)})
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=settings.CIVICSHIELD["WEBHOOK_TIMEOUT_SECONDS"]) as resp:
            delivery.last_status_code = resp.status
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", timezone.now(), ""
        outcome = "delivered"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        delivery.last_status_code = getattr(exc, "code", None)
        delivery.last_error = str(exc)[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, outcome = "failed", "failed"
        else:
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=min(3600, 2 ** delivery.attempts * 5))
            outcome = "retry"
    delivery.save()
    return outcome
