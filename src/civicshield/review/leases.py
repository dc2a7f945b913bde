"""Who works a case: exclusive claims under an expiring lease, release, reassignment, escalation.

A claim is one conditional UPDATE (`... WHERE id = ? AND (status = 'open' OR lease expired OR held by
me)`), so on SQLite and PostgreSQL alike exactly one of two simultaneous claims changes the row; the
other sees zero rows updated and is told who holds the case. A lease that is not renewed expires and
the case is free again without anyone having to release it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from civicshield.core.errors import CivicShieldError
from civicshield.core.policy import Policy
from civicshield.site.roles import user_has_role

from .cases import LIVE, current_policy
from .models import Case, CaseEntry
from .routing import review_settings

LEASE_MINUTES = 15


class CaseError(CivicShieldError):
    """A case action that cannot happen (claimed by someone else, wrong role, missing rationale)."""


def lease_length(policy: Policy | None = None) -> dt.timedelta:
    policy = policy or current_policy()
    return dt.timedelta(minutes=float(review_settings(policy).get("lease_minutes", LEASE_MINUTES)))


def workable_queues(user: Any, policy: Policy | None = None) -> list[str]:
    """The queues whose roles the user holds (admins: every queue)."""
    policy = policy or current_policy()
    return [q.name for q in policy.queues.values() if user_has_role(user, *q.roles)]


def visible_cases(user: Any, policy: Policy | None = None) -> QuerySet[Case]:
    """Cases the user may see: the queues their roles work. Cases routed to a partner organisation are
    worked in that organisation's portal, so only admins see them here, and a partner organisation's
    member sees nothing here unless they also hold a platform role: partners see only their own work."""
    from civicshield.factchecks.models import PartnerOrganisation
    from civicshield.intake.visibility import sees_every_subject

    qs = Case.objects.filter(queue__in=workable_queues(user, policy))
    if user_has_role(user, "admin"):
        return qs
    if not sees_every_subject(user) and PartnerOrganisation.of_user(user).exists():
        return qs.none()
    return qs.filter(partner_org="")


def claimable(now: dt.datetime) -> Q:
    return Q(status="open") | Q(status="claimed", lease_expires_at__lt=now)


def may_work(user: Any, case: Case, policy: Policy | None = None) -> str | None:
    """Why the user may not work this case, or None."""
    if case.queue not in workable_queues(user, policy):
        return f"your role does not work the {case.queue} queue"
    if case.kind == "appeal" and case.original_actor and case.original_actor == user.get_username():
        return "you took the decision under appeal; a different reviewer must decide the appeal"
    return None


def log(case: Case, actor: Any, what: str, note: str = "", now: dt.datetime | None = None) -> None:
    name = actor.get_username() if hasattr(actor, "get_username") else str(actor or "")
    CaseEntry.objects.create(case=case, at=now or timezone.now(), actor=name, what=what, note=note)


def claim(case_id: int, user: Any, *, now: dt.datetime | None = None, policy: Policy | None = None) -> Case:
    """Claim (or renew the lease on) a case; raises `CaseError` if someone else holds it."""
    now = now or timezone.now()
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise CaseError(f"case {case_id} does not exist")
    reason = may_work(user, case, policy)
    if reason:
        raise CaseError(reason)
    updated = Case.objects.filter(Q(pk=case_id) & (claimable(now) | Q(status="claimed", claimed_by=user))).update(
        status="claimed", claimed_by=user, lease_expires_at=now + lease_length(policy))
    case.refresh_from_db()
    if not updated:
        if case.status == "claimed":
            holder = case.claimed_by.get_username() if case.claimed_by else "someone"
            raise CaseError(f"case {case_id} is claimed by {holder} until {case.lease_expires_at:%H:%M} UTC")
        raise CaseError(f"case {case_id} is {case.status}")
    log(case, user, "claimed", now=now)
    return case


def next_case(user: Any, queue: str | None = None, *, now: dt.datetime | None = None,
              policy: Policy | None = None) -> Case | None:
    """Claim the most urgent claimable case in the user's queues (or one queue); None when none is left.

    Open cases and lapsed claims are read separately so each read walks the (status, priority) index
    in order instead of sorting every open case."""
    now = now or timezone.now()
    qs = visible_cases(user, policy)
    if queue:
        qs = qs.filter(queue=queue)
    order = ("-priority", "due_at", "id")
    tried: set[int] = set()
    for _ in range(5):
        fresh = qs.filter(status="open").exclude(pk__in=tried).order_by(*order).values_list("pk", "priority")[:5]
        lapsed = (qs.filter(status="claimed", lease_expires_at__lt=now).exclude(pk__in=tried).order_by(*order)
                  .values_list("pk", "priority")[:5])
        candidates = sorted([*fresh, *lapsed], key=lambda c: -c[1])
        if not candidates:
            return None
        for pk, _priority in candidates:
            tried.add(pk)
            try:
                return claim(pk, user, now=now, policy=policy)
            except CaseError:
                continue
    return None


def held_by(case: Case, user: Any, now: dt.datetime) -> bool:
    return case.status == "claimed" and case.claimed_by_id == user.pk and (
        case.lease_expires_at is not None and case.lease_expires_at >= now)


def release(case_id: int, user: Any, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    q = Q(pk=case_id, status="claimed")
    if not user_has_role(user, "policy_manager"):
        q &= Q(claimed_by=user)
    if not Case.objects.filter(q).update(status="open", claimed_by=None, lease_expires_at=None):
        raise CaseError(f"case {case_id} is not claimed by you")
    log(Case.objects.get(pk=case_id), user, "released", now=now)


def reassign(case_id: int, user: Any, to_user: Any, *, now: dt.datetime | None = None,
             policy: Policy | None = None) -> Case:
    """Hand a case to another reviewer who works its queue (the holder or a policy manager may)."""
    now = now or timezone.now()
    case = Case.objects.get(pk=case_id)
    reason = may_work(to_user, case, policy)
    if reason:
        raise CaseError(f"{to_user.get_username()} cannot take it: {reason}")
    q = Q(pk=case_id, status__in=LIVE)
    if not user_has_role(user, "policy_manager"):
        q &= Q(claimed_by=user, status="claimed")
    if not Case.objects.filter(q).update(status="claimed", claimed_by=to_user,
                                         lease_expires_at=now + lease_length(policy)):
        raise CaseError(f"case {case_id} is not yours to reassign")
    case.refresh_from_db()
    log(case, user, "reassigned", f"to {to_user.get_username()}", now=now)
    return case


def escalate(case_id: int, user: Any, note: str, *, now: dt.datetime | None = None,
             policy: Policy | None = None) -> Case:
    """Move a claimed case to its queue's senior queue, unclaimed, with the reviewer's note."""
    now = now or timezone.now()
    policy = policy or current_policy()
    if not note.strip():
        raise CaseError("say why the case needs a senior reviewer")
    with transaction.atomic():
        case = Case.objects.get(pk=case_id)
        queue = policy.queues.get(case.queue)
        if queue is None or not queue.senior_queue:
            raise CaseError(f"the {case.queue} queue has no senior queue")
        if not held_by(case, user, now):
            raise CaseError("claim the case before escalating it")
        senior = policy.queues[queue.senior_queue]
        updated = Case.objects.filter(pk=case_id, status="claimed", claimed_by=user).update(
            queue=senior.name, status="open", claimed_by=None, lease_expires_at=None,
            due_at=now + dt.timedelta(hours=senior.sla_hours),
            details={**case.details, "escalated_from": case.queue, "escalation_note": note.strip()})
        if not updated:
            raise CaseError("the case changed hands; reload it")
        case.refresh_from_db()
        log(case, user, "escalated", f"{queue.name} → {senior.name}: {note.strip()}", now=now)
    return case
