"""Background work of fact-checks: the retroactive sweep after a verdict is stored."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task


@task()
def sweep_fact_checks(fact_check_ids: list[int], content_ids: list[str] | None = None) -> dict[str, int]:
    from .sweep import sweep

    return sweep(fact_check_ids, also=content_ids or ()).summary()


def schedule_sweep(fact_check_ids: list[int]) -> None:
    """Sweep once the verdicts are committed (inline in embedded mode, on a worker otherwise)."""
    ids = sorted(set(fact_check_ids))
    if ids:
        transaction.on_commit(lambda: sweep_fact_checks.enqueue(ids))
