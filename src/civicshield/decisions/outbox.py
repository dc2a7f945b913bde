"""Kick the webhook task after a transaction that wrote decisions commits."""

from __future__ import annotations

from django.db import transaction

from .models import WebhookEndpoint


def dispatch_after_commit() -> None:
    if not WebhookEndpoint.objects.filter(active=True).exists():
        return  # messages wait in the outbox until an endpoint exists

    def _enqueue() -> None:
        from .tasks import dispatch_webhooks

        dispatch_webhooks.enqueue()

    transaction.on_commit(_enqueue)
