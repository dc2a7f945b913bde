"""Taking a whole network down: one decision per member, all naming the same network.

Each member gets its own row in the decision log, with its own statement of reasons (what that
account did, when, with which other members), so a member who appeals sees why *they* were
actioned, and the network id ties the rows together for reports. The rows are appended in one
transaction: either the whole network is down or none of it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from civicshield.core.errors import CivicShieldError
from civicshield.decisions.log import DecisionDraft, append
from civicshield.decisions.models import Decision
from civicshield.decisions.outbox import dispatch_after_commit

from .models import NetworkCase

RULE_ID = "influence.network_takedown"
AREA = "covert_influence"
ACTIONS = ("ban_account", "suspend_account")


class TakedownError(CivicShieldError):
    """The network cannot be taken down as asked (already down, unknown action, no reason)."""


def _policy() -> Any:
    from civicshield.intake.context import current

    return current().policy


def statement(case: NetworkCase, account_id: str, traces: dict[str, Any], reason: str) -> str:
    """The member's statement of reasons: the network, this account's own part in it, the analyst's reason."""
    parts = [f"Account {account_id} is one of {case.members.count()} accounts of network {case.network_id}"
             f" that acted together in a coordinated, inauthentic way ({', '.join(case.behaviours)})."]
    keys = traces.get("keys", {})
    labels = {"co_share": "amplified the same objects within seconds of other members",
              "same_url": "posted the same links as other members", "same_hashtags":
              "posted the same hashtag sequences as other members"}
    for layer, text in labels.items():
        if keys.get(layer):
            parts.append(f"It {text} ({', '.join(keys[layer][:5])}).")
    if traces.get("texts"):
        parts.append(f"It posted near-identical text with other members: “{traces['texts'][0][:140]}”.")
    if traces.get("devices") or traces.get("ip24"):
        parts.append("It shares device or network infrastructure with other members.")
    parts.append(f"Analyst's reason: {reason}")
    return " ".join(parts)


def take_down(case: NetworkCase, *, actor: Any, reason: str, action: str = "ban_account") -> list[Decision]:
    """Log `action` for every member of `case` and mark the case taken down."""
    reason = (reason or "").strip()
    if action not in ACTIONS:
        raise TakedownError(f"action must be one of {', '.join(ACTIONS)}")
    if len(reason) < 10:
        raise TakedownError("write the reason for the takedown (at least 10 characters)")
    policy = _policy()
    dsa = policy.areas.get(AREA, {}).get("dsa", {})
    with transaction.atomic():
        case = NetworkCase.objects.select_for_update().get(pk=case.pk)
        if case.status == "taken_down":
            raise TakedownError(f"network {case.network_id} was already taken down")
        members = list(case.members.all())
        regions = case.evidence.get("infrastructure", {}).get("regions", {})
        drafts = [DecisionDraft(
            subject_type="account", subject_id=m.account_id, account_id=m.account_id, action=action,
            rule_id=RULE_ID, policy_version=policy.version, area=AREA,
            explanation=statement(case, m.account_id, m.evidence, reason),
            signals={"influence_network": {"value": case.network_id, "evidence": {
                "network_id": case.network_id, "members": len(members), "score": case.score,
                "behaviours": case.behaviours, "member": m.evidence, "regions": regions}}},
            automated_detection=True, automated_decision="AUTOMATED_DECISION_NOT_AUTOMATED",
            actor_type="user", actor_id=actor.get_username(), dsa_ground=dsa.get("ground", ""),
            dsa_category=dsa.get("category", "")) for m in members]
        rows = append(drafts)
        for member, row in zip(members, rows):
            member.decision_seq = row.seq
            member.save(update_fields=["decision_seq"])
        case.status = "taken_down"
        case.taken_down_at = timezone.now()
        case.taken_down_by = actor.get_username()
        case.save(update_fields=["status", "taken_down_at", "taken_down_by"])
    dispatch_after_commit()
    from civicshield.intake.context import reset

    reset()  # the next assessment sees this network's fingerprint (returning-actor detector)
    return rows
