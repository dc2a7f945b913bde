"""Appeals: a second person looks again, and the answer supersedes the contested decision.

Reversing lifts each contested decision (the content is restored) and the strike that came with
it; upholding re-records it with the
appeal's rationale. Either way the new rows point back with `supersedes` and go out as webhooks
through the outbox. The person who took the contested decision cannot decide its appeal. Counts of
appeals and restorations are here for transparency reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from civicshield.core.policy import Policy
from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision

from .cases import current_policy
from .leases import CaseError, held_by, may_work
from .models import Case
from .outcomes import checked_rationale, close_case
from .strikes import live_strikes

Outcome = Literal["uphold", "reverse"]


def contested(case: Case) -> list[Decision]:
    """The contested decisions that are still in force (not already superseded)."""
    seqs = case.details.get("contested", [])
    rows = list(Decision.objects.filter(seq__in=seqs).order_by("seq"))
    replaced = set(Decision.objects.filter(supersedes_id__in=seqs).values_list("supersedes_id", flat=True))
    return [r for r in rows if r.seq not in replaced]


def _strikes_from(d: Decision) -> list[Decision]:
    """Live strikes given together with a contested decision (same account, rule and event)."""
    if not d.account_id or d.action == "strike":
        return []
    return [s for s in live_strikes(d.account_id) if s.rule_id == d.rule_id and s.event_id == d.event_id]


def decide_appeal(case_id: int, user: Any, outcome: Outcome, rationale: str, *, now: dt.datetime | None = None,
                  policy: Policy | None = None) -> list[Decision]:
    now = now or timezone.now()
    policy = policy or current_policy()
    rationale = checked_rationale(rationale)
    if outcome not in ("uphold", "reverse"):
        raise CaseError("an appeal is either upheld or reversed")
    if len(rationale) < 10:
        raise CaseError("an appeal decision needs a written rationale (at least 10 characters)")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.kind != "appeal":
            raise CaseError(f"case {case_id} is not an appeal")
        reason = may_work(user, case, policy)
        if reason or not held_by(case, user, now):
            raise CaseError(reason or "claim the appeal before deciding it")
        actor = user.get_username()
        rows = []
        for d in contested(case):
            common = dict(rule_id=d.rule_id, policy_version=policy.version, actor_id=actor, area=d.area,
                          account_id=d.account_id, event_id=case.event_id, supersedes=d, start=now,
                          dsa_ground=d.dsa_ground, dsa_category=d.dsa_category)
            if outcome == "reverse":
                rows.append(record_decision(d.subject_type, d.subject_id, d.action, effect="lift",
                                            explanation=f"Appeal granted: {rationale}", **common))
                for strike in _strikes_from(d):
                    rows.append(record_decision("account", strike.subject_id, "strike", effect="lift",
                                                explanation=f"Appeal granted: {rationale}",
                                                **{**common, "supersedes": strike, "area": strike.area}))
            else:
                rows.append(record_decision(d.subject_type, d.subject_id, d.action, labels=list(d.labels),
                                            end=d.end, explanation=f"Appeal rejected: {rationale}", **common))
        if not rows:
            rows.append(record_decision(case.subject_type, case.subject_id, "allow", rule_id="review.appeal",
                                        policy_version=policy.version, actor_id=actor, area=case.area,
                                        event_id=case.event_id, start=now,
                                        explanation=f"Appeal closed; no decision was in force: {rationale}"))
        Case.objects.filter(pk=case.pk).update(details={**case.details, "outcome": outcome})
        close_case(case, user, rows, f"{outcome}: {rationale}", now)
    return rows


def appeal_counts(since: dt.datetime | None = None, until: dt.datetime | None = None) -> dict[str, int]:
    """Appeals filed, decided, granted (content restored) and rejected, for transparency reports."""
    qs = Case.objects.filter(kind="appeal")
    if since:
        qs = qs.filter(opened_at__gte=since)
    if until:
        qs = qs.filter(opened_at__lt=until)
    agg = qs.aggregate(filed=Count("id"), decided=Count("id", filter=Q(status="decided")),
                       granted=Count("id", filter=Q(details__outcome="reverse")),
                       rejected=Count("id", filter=Q(details__outcome="uphold")))
    restored = (Decision.objects.filter(effect="lift", actor_type="user", explanation__startswith="Appeal granted")
                .exclude(action="strike"))
    if since:
        restored = restored.filter(created_at__gte=since)
    if until:
        restored = restored.filter(created_at__lt=until)
    return {**agg, "restorations": restored.values("subject_key").distinct().count()}
