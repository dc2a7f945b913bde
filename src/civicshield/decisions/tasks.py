"""Background work of the decision log: webhook fan-out and delivery."""

from __future__ import annotations

from django_tasks import task

from . import webhooks


@task()
def dispatch_webhooks() -> dict[str, int]:
    created = webhooks.fan_out()
    counts = webhooks.deliver_due()
    return {"queued": created, **counts}
