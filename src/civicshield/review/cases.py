"""Opening review cases. One open case per subject and queue: repeats add to it instead.

Every case is routed (`routing.route`) and prioritised when it opens. User reports about a subject
that already has an open case in the same queue collapse into that case: the reporter is added and
the priority recomputed, so a post many different people report rises up the queue. Appeal cases
remember which decisions they contest and who took them (that person may not decide the appeal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.utils import timezone

from civicshield.core.policy import Policy

from .models import Case, CaseEntry
from .routing import area_for_report, priority, queue_for_area, review_settings, route

LIVE = ("open", "claimed")


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
    area: str = ""


def current_policy() -> Policy:
    from civicshield.intake.context import current

    return current().policy


def _event_payloads(event_ids: set[str]) -> dict[str, dict[str, Any]]:
    from civicshield.intake.models import Event

    out = {}
    for row in Event.objects.filter(event_id__in=event_ids).values("event_id", "payload"):
        raw = row["payload"] or {}
        out[row["event_id"]] = raw.get("report") or raw.get("appeal") or raw
    return out


def reach(subject_keys: set[str]) -> dict[str, tuple[int, float]]:
    """Views (followers for accounts) and the hours over which they accrued, per subject key."""
    from civicshield.intake.models import Account, Content

    out: dict[str, tuple[int, float]] = {}
    ids = {t: [k.split(":", 1)[1] for k in subject_keys if k.startswith(t + ":")] for t in ("content", "account")}
    for row in Content.objects.filter(id__in=ids["content"]).values("id", "views", "first_seen", "last_event_at"):
        hours = (row["last_event_at"] - row["first_seen"]).total_seconds() / 3600
        out[f"content:{row['id']}"] = (row["views"], hours)
    for row in Account.objects.filter(id__in=ids["account"]).values("id", "followers"):
        out[f"account:{row['id']}"] = (row["followers"], 24 * 365)
    return out


def reprioritise(case: Case, policy: Policy, views_hours: tuple[int, float] | None = None) -> None:
    views, hours = views_hours or (case.details.get("priority", {}).get("views", 0), 1.0)
    identified = {r for r in case.reporters if not r.startswith("anonymous:")}
    reporters = len(identified) + (1 if len(identified) < len(case.reporters) else 0)
    p = priority(case.severity, views=views, age_hours=hours, reporters=reporters,
                 horizon_hours=float(review_settings(policy).get("reach_horizon_hours", 24)))
    case.priority = p.score
    case.details = {**case.details, "priority": {**p.explain(), "area": case.area}}


def _prepare(d: CaseDraft, policy: Policy, payloads: dict[str, dict[str, Any]]) -> None:
    """Fill in area, queue, severity and appeal details from the policy and the stored event."""
    payload = payloads.get(d.event_id, {})
    if d.kind == "report":
        d.area = d.area or area_for_report(policy, d.details.get("reason_code", ""))
        d.queue = queue_for_area(policy, d.area, d.queue)
        reporter = payload.get("reporter_account_id")
        d.details["reporters"] = [reporter or f"anonymous:{d.event_id}"]
    elif d.kind == "appeal":
        _prepare_appeal(d, policy, payload)
    else:
        areas = [r.area for rid in d.rule_ids if (r := policy.rule(rid))]
        d.area = d.area or (areas[0] if areas else "")
    if d.area in policy.areas and d.kind != "verdict":
        d.severity = max(d.severity, int(policy.areas[d.area].get("severity", 1)))
    d.queue = route(policy, d.queue, language=d.language, region=d.region, area=d.area)
    q = policy.queues.get(d.queue)
    d.sla_hours = q.sla_hours if q else d.sla_hours


def _prepare_appeal(d: CaseDraft, policy: Policy, payload: dict[str, Any]) -> None:
    from civicshield.decisions.models import Decision
    from civicshield.decisions.state import active_decisions

    wanted = payload.get("decision_id")
    key = f"{d.subject_type}:{d.subject_id}"
    if wanted:
        contested = list(Decision.objects.filter(seq=wanted, subject_key=key))
    else:
        contested = active_decisions([key])[key]
    d.details["contested"] = [c.seq for c in contested]
    d.details["appellant"] = payload.get("appellant_account_id") or ""
    people = [c.actor_id for c in contested if c.actor_type in ("user", "partner") and c.actor_id]
    d.details["original_actor"] = people[-1] if people else ""
    d.area = next((c.area for c in contested if c.area), "")
    d.severity = int(review_settings(policy).get("appeal_severity", 3))


def open_cases(drafts: Iterable[CaseDraft], *, now: dt.datetime | None = None,
               policy: Policy | None = None) -> list[Case]:
    """Open cases in bulk. Repeats for a subject already open in the queue are skipped; reports on
    such a subject collapse into its case. Returns the newly opened cases."""
    now = now or timezone.now()
    drafts = list(drafts)
    if not drafts:
        return []
    policy = policy or current_policy()
    payloads = _event_payloads({d.event_id for d in drafts if d.kind in ("report", "appeal") and d.event_id})
    for d in drafts:
        _prepare(d, policy, payloads)
    keys = {f"{d.subject_type}:{d.subject_id}" for d in drafts}
    views = reach(keys)
    live = {(c.queue, c.subject_key): c for c in Case.objects.filter(subject_key__in=keys, status__in=LIVE)
            .exclude(kind="appeal")}
    new: list[Case] = []
    touched: dict[int, Case] = {}
    for d in drafts:
        key = (d.queue, f"{d.subject_type}:{d.subject_id}")
        existing = live.get(key) if d.kind != "appeal" else None
        if existing is not None:
            if d.kind == "report":
                _add_reporters(existing, d.details.get("reporters", []), policy, views.get(key[1]))
                if existing.pk:
                    touched[existing.pk] = existing
            continue
        case = _case(d, key[1], now)
        reprioritise(case, policy, views.get(key[1]))
        new.append(case)
        if d.kind != "appeal":
            live[key] = case
    for case in touched.values():
        Case.objects.filter(pk=case.pk).update(reporters=case.reporters, priority=case.priority, details=case.details)
    created = Case.objects.bulk_create(new, batch_size=500)
    if created and created[0].pk:
        CaseEntry.objects.bulk_create([CaseEntry(case=c, at=now, what="opened", note=c.reason) for c in created],
                                      batch_size=500)
    return created


def _add_reporters(case: Case, reporters: list[str], policy: Policy, views_hours: tuple[int, float] | None) -> None:
    merged = list(dict.fromkeys([*case.reporters, *reporters]))
    if merged != case.reporters:
        case.reporters = merged
        reprioritise(case, policy, views_hours)


def _case(d: CaseDraft, subject_key: str, now: dt.datetime) -> Case:
    details = {k: v for k, v in d.details.items() if k != "reporters"}
    return Case(queue=d.queue, kind=d.kind, subject_type=d.subject_type, subject_id=d.subject_id,
                subject_key=subject_key, rule_ids=d.rule_ids, reason=d.reason, event_id=d.event_id,
                severity=d.severity, language=d.language, region=d.region, area=d.area,
                partner_org=d.partner_org, opened_at=now, details=details,
                reporters=d.details.get("reporters", []),
                original_actor=d.details.get("original_actor", ""),
                due_at=now + dt.timedelta(hours=d.sla_hours) if d.sla_hours else None)


def open_case(queue: str, subject_type: str, subject_id: str, **kwargs: Any) -> Case | None:
    """Open one case; returns None when an open case for the subject already exists in the queue."""
    created = open_cases([CaseDraft(queue, subject_type, subject_id, **kwargs)])
    return created[0] if created else None
