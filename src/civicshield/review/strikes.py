"""Strikes per policy area, with expiry, and the graduated enforcement they lead to.

A strike is a decision-log row (`action="strike"` on the account) whose `end` is its expiry, so the
log alone says how many strikes are live. Each account category has a ladder in the policy set
(`settings.strike_thresholds`): reaching a rung applies its actions (feature restrictions, then
suspension, then a ban) once, as decisions of their own that cite the strike count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from civicshield.core.policy import Policy
from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import active_decisions


@dataclass(frozen=True)
class Rung:
    strikes: int
    actions: tuple[str, ...]


def ladder(policy: Policy, category: str) -> list[Rung]:
    table = policy.settings.get("strike_thresholds") or {}
    steps = table.get(category) or table.get("default") or []
    return sorted((Rung(int(s["strikes"]), tuple(s.get("actions") or ())) for s in steps), key=lambda r: r.strikes)


def expiry(policy: Policy) -> dt.timedelta:
    return dt.timedelta(days=float(policy.settings.get("strike_expiry_days", 90)))


def live_strikes(account_id: str, *, area: str | None = None, now: dt.datetime | None = None) -> list[Decision]:
    now = now or timezone.now()
    key = f"account:{account_id}"
    rows = [d for d in active_decisions([key])[key] if d.action == "strike" and (d.end is None or d.end > now)]
    return [d for d in rows if area is None or d.area == area]


def strike_history(account_id: str) -> list[Decision]:
    """Every strike ever given, newest first (expired and lifted ones included)."""
    return list(Decision.objects.filter(subject_key=f"account:{account_id}", action="strike").order_by("-seq"))


def add_strike(account_id: str, *, rule_id: str, area: str, policy: Policy, actor: str, reason: str,
               event_id: str = "", now: dt.datetime | None = None, **dsa: Any) -> list[Decision]:
    """Record a strike and whatever the account's ladder now requires; returns the new rows."""
    now = now or timezone.now()
    rows = [record_decision("account", account_id, "strike", rule_id=rule_id, policy_version=policy.version,
                            actor_id=actor, area=area, account_id=account_id, explanation=reason,
                            event_id=event_id, start=now, end=now + expiry(policy), **dsa)]
    return rows + enforce_ladder(account_id, area, policy=policy, actor=actor, now=now)


def enforce_ladder(account_id: str, area: str, *, policy: Policy, actor: str,
                   now: dt.datetime | None = None) -> list[Decision]:
    from civicshield.intake.models import Account

    now = now or timezone.now()
    category = Account.objects.filter(id=account_id).values_list("category", flat=True).first() or "regular"
    count = len(live_strikes(account_id, area=area, now=now))
    key = f"account:{account_id}"
    active = {d.action for d in active_decisions([key])[key]}
    rows = []
    for rung in ladder(policy, category):
        if count < rung.strikes:
            break
        for action in rung.actions:
            if action in active:
                continue
            active.add(action)
            rows.append(record_decision(
                "account", account_id, action, rule_id=f"strikes.{area}", policy_version=policy.version,
                actor_id=actor, area=area, account_id=account_id, start=now,
                explanation=f"{count} live strikes in {area} reach the {rung.strikes}-strike threshold "
                            f"for {category} accounts"))
    return rows
