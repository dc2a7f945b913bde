"""Deciding a case: the buttons a reviewer sees, and what pressing one writes to the decision log.

The buttons come from the policy rules behind the case (each rule action, plus its labels), and two
that are always there: "no violation" and the public-interest exception, which keeps violating content
up, requires a written rationale and applies the `public_interest_exception` label. A human decision
supersedes the automated hold that put the subject in front of a person. Actions listed in the
policy's `settings.review.strike_on` (default: remove) also strike the account (see `strikes.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicshield.core.policy import Policy, Rule
from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import active_decisions

from .cases import current_policy
from .leases import CaseError, claim, held_by, log, may_work
from .models import Case
from .routing import review_settings
from .strikes import add_strike

KEEP_UP = "allow"
PUBLIC_INTEREST = "public_interest"
_HOLDS = {"hold_for_review", "remove", "restrict_recommendation", "share_warning"}
_NOT_BUTTONS = {"hold_for_review", "route_to_fact_check", "strike"}


@dataclass(frozen=True)
class Option:
    key: str
    title: str
    action: str
    rule_id: str
    area: str = ""
    labels: tuple[str, ...] = ()
    strike: bool = False
    needs_rationale: bool = False
    shortcut: str = ""
    dsa: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def case_rules(case: Case, policy: Policy) -> list[Rule]:
    rules = [r for rid in case.rule_ids if (r := policy.rule(rid))]
    if not rules and case.area:
        rules = [r for r in policy.rules if r.area == case.area and case.subject_type in r.applies_to]
    return rules


def options(case: Case, policy: Policy | None = None) -> list[Option]:
    """Decision buttons for a case, in shortcut order (1, 2, 3 …)."""
    policy = policy or current_policy()
    area = case.area or next((r.area for r in case_rules(case, policy)), "")
    striking = set(review_settings(policy).get("strike_on", ("remove",)))
    out = [Option(KEEP_UP, "No violation — keep up", KEEP_UP, f"review.{area or 'manual'}", area)]
    for rule in case_rules(case, policy):
        dsa = {"dsa_ground": rule.dsa.get("ground", ""), "dsa_category": rule.dsa.get("category", "")}
        for action in rule.actions:
            if action in _NOT_BUTTONS:
                continue
            labels = rule.labels if action in ("label", "add_banner") else ()
            out.append(Option(f"{action}:{rule.id}", f"{action.replace('_', ' ').capitalize()} ({rule.id})",
                              action, rule.id, rule.area, labels, action in striking, dsa=dsa))
        if rule.labels and "label" not in rule.actions:
            out.append(Option(f"label:{rule.id}", f"Label {', '.join(rule.labels)} ({rule.id})", "label",
                              rule.id, rule.area, rule.labels, dsa=dsa))
        if "remove" not in rule.actions and case.subject_type == "content":
            out.append(Option(f"remove:{rule.id}", f"Remove ({rule.id})", "remove", rule.id, rule.area,
                              (), "remove" in striking, dsa=dsa))
    out.append(Option(PUBLIC_INTEREST, "Public-interest exception — keep up with label", "label",
                      f"review.{area or 'manual'}", area, ("public_interest_exception",), needs_rationale=True))
    unique = list({o.key: o for o in out}.values())
    return [Option(**{**o.__dict__, "shortcut": str(i + 1) if i < 9 else ""}) for i, o in enumerate(unique)]


MAX_RATIONALE_CHARS = 5_000


def checked_rationale(rationale: str) -> str:
    """A reviewer's rationale, stripped; it is copied into the decision log and statements of reasons."""
    rationale = rationale.strip()
    if len(rationale) > MAX_RATIONALE_CHARS:
        raise CaseError(f"the rationale holds {len(rationale):,} characters; the limit is {MAX_RATIONALE_CHARS:,}")
    return rationale


def decide(case_id: int, user: Any, option_key: str, rationale: str = "", *, now: dt.datetime | None = None,
           policy: Policy | None = None) -> list[Decision]:
    """Decide a claimed case: closes it and writes the outcome to the decision log."""
    now = now or timezone.now()
    policy = policy or current_policy()
    rationale = checked_rationale(rationale)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.kind == "appeal":
            raise CaseError("appeal cases are decided with uphold or reverse")
        option = next((o for o in options(case, policy) if o.key == option_key), None)
        if option is None:
            raise CaseError(f"{option_key!r} is not a decision for this case")
        if option.needs_rationale and len(rationale) < 10:
            raise CaseError("the public-interest exception needs a written rationale (at least 10 characters)")
        reason = may_work(user, case, policy)
        if reason or not held_by(case, user, now):
            raise CaseError(reason or "claim the case (or renew your claim) before deciding it")
        rows = _record(case, option, user.get_username(), rationale, policy, now)
        close_case(case, user, rows, f"{option.key}: {rationale}".strip(": "), now)
    return rows


def close_case(case: Case, user: Any, rows: list[Decision], note: str, now: dt.datetime) -> None:
    updated = Case.objects.filter(pk=case.pk, status="claimed", claimed_by=user).update(
        status="decided", closed_at=now, decided_by=user.get_username(), decision_seqs=[r.seq for r in rows],
        lease_expires_at=None)
    if not updated:
        raise CaseError("the case changed hands while you were deciding; reload it")
    log(case, user, "decided", note, now=now)


def _record(case: Case, option: Option, actor: str, rationale: str, policy: Policy,
            now: dt.datetime) -> list[Decision]:
    key = case.subject_key
    pending = [d for d in active_decisions([key])[key] if d.actor_type == "system" and d.action in _HOLDS]
    account_id = _account_of(case)
    common = dict(rule_id=option.rule_id, policy_version=policy.version, actor_id=actor, area=option.area,
                  account_id=account_id, event_id=case.event_id, start=now, **option.dsa)
    explanation = rationale or next((r.explanation for r in case_rules(case, policy) if r.id == option.rule_id),
                                    "Reviewed by a person.")
    first = pending[0] if pending else None
    rows = [record_decision(case.subject_type, case.subject_id, option.action, labels=list(option.labels),
                            explanation=explanation, supersedes=first, **common)]
    for extra in pending[1:]:
        if option.action != extra.action:
            rows.append(record_decision(case.subject_type, case.subject_id, extra.action, effect="lift",
                                        explanation=f"Replaced by a reviewer's decision: {explanation}",
                                        supersedes=extra, **{**common, "rule_id": extra.rule_id}))
    if option.strike and account_id:
        rows += add_strike(account_id, rule_id=option.rule_id, area=option.area, policy=policy, actor=actor,
                           reason=explanation, event_id=case.event_id, now=now, **option.dsa)
    return rows


def _account_of(case: Case) -> str:
    from civicshield.intake.models import Ad, Content

    if case.subject_type == "account":
        return case.subject_id
    if case.subject_type == "content":
        return Content.objects.filter(id=case.subject_id).values_list("account_id", flat=True).first() or ""
    if case.subject_type == "ad":
        return Ad.objects.filter(id=case.subject_id).values_list("advertiser_account_id", flat=True).first() or ""
    return ""


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def bulk_decide(case_ids: list[int], user: Any, choice: str, rationale: str, *,
                policy: Policy | None = None) -> BulkResult:
    """Apply one decision (by action, e.g. `allow`, `label`, `remove`, `public_interest`) with one
    rationale to many cases; cases that cannot take it are reported with the reason, the rest done."""
    policy = policy or current_policy()
    result = BulkResult()
    if len(rationale.strip()) < 10:
        raise CaseError("bulk decisions need one written rationale (at least 10 characters)")
    for case_id in case_ids:
        try:
            case = claim(case_id, user, policy=policy)
            option = next((o for o in options(case, policy) if o.key == choice or o.key.split(":")[0] == choice), None)
            if option is None:
                _release_quietly(case_id, user)
                raise CaseError(f"{choice!r} is not a decision for this case")
            decide(case_id, user, option.key, rationale, policy=policy)
            result.done.append(case_id)
        except (CaseError, Case.DoesNotExist) as exc:
            result.failed.append((case_id, str(exc)))
    return result


def _release_quietly(case_id: int, user: Any) -> None:
    Case.objects.filter(pk=case_id, status="claimed", claimed_by=user).update(
        status="open", claimed_by=None, lease_expires_at=None)
