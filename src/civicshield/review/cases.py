"""Opening review cases. One open case per subject and queue: repeats add to it instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.utils import timezone

from .models import Case


@dataclass
class CaseDraft:
    queue: str
    subject_type: str
    subject_id: str
    kind: str = "verdict"
    rule_ids: list[str] = field(default_factory=list)
    reason: str = ""
    event_id: str = ""
    severity: int = 1
    priority: float = 0.0
    language: str = ""
    region: str = ""
    partner_org: str = ""
    sla_hours: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


def open_cases(drafts: Iterable[CaseDraft], *, now: dt.datetime | None = None) -> list[Case]:
    """Open cases in bulk, skipping subjects that already have an open case in the same queue."""
    now = now or timezone.now()
    drafts = list(drafts)
    if not drafts:
        return []
    keys = {(d.queue, f"{d.subject_type}:{d.subject_id}") for d in drafts}
    existing = set(Case.objects.filter(subject_key__in={k for _, k in keys}, status__in=("open", "claimed"))
                   .values_list("queue", "subject_key"))
    new, seen = [], set(existing)
    for d in drafts:
        key = (d.queue, f"{d.subject_type}:{d.subject_id}")
        if key in seen:
            continue
        seen.add(key)
        new.append(Case(queue=d.queue, kind=d.kind, subject_type=d.subject_type, subject_id=d.subject_id,
                        subject_key=key[1], rule_ids=d.rule_ids, reason=d.reason, event_id=d.event_id,
                        severity=d.severity, priority=d.priority, language=d.language, region=d.region,
                        partner_org=d.partner_org, opened_at=now, details=d.details,
                        due_at=now + dt.timedelta(hours=d.sla_hours) if d.sla_hours else None))
    return Case.objects.bulk_create(new, batch_size=500)


def open_case(queue: str, subject_type: str, subject_id: str, **kwargs: Any) -> Case | None:
    """Open one case; returns None when an open case for the subject already exists in the queue."""
    created = open_cases([CaseDraft(queue, subject_type, subject_id, **kwargs)])
    return created[0] if created else None
