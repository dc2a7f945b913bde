"""An ads reviewer's decision on a held ad: approve it, or reject it with a reason code.

The case is claimed and leased through the review app (`civicshield.review.leases`), the decision
supersedes the automated hold in the decision log, a rejection may strike the advertiser through the
review app's strike ladder (`civicshield.review.strikes`), and advertisers appeal through
`appeal.filed` like any other decision (review's appeals queue; a reversed rejection leaves the
public ad library).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import active_decisions
from civicshield.review.cases import current_policy
from civicshield.review.leases import CaseError, held_by, log, may_work
from civicshield.review.models import Case
from civicshield.review.strikes import add_strike

from .reasons import REASON_CODES, REVIEW_RULE_PREFIX

Choice = Literal["approve", "reject"]
AREA = "political_ads"
_HOLDS = {"hold_for_review", "restrict_recommendation", "restrict_monetization"}


def decide_ad(case_id: int, user: Any, choice: Choice, reason: str = "", rationale: str = "", *,
              strike: bool = False, now: dt.datetime | None = None) -> list[Decision]:
    """Decide a claimed ads case; returns the decision rows written."""
    now = now or timezone.now()
    policy = current_policy()
    if choice not in ("approve", "reject"):
        raise CaseError("choose approve or reject")
    if choice == "reject" and reason not in REASON_CODES:
        raise CaseError("a rejection needs a reason code")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.kind == "appeal":
            raise CaseError("appeals are decided in the review console (uphold or reverse)")
        why = may_work(user, case, policy)
        if why or not held_by(case, user, now):
            raise CaseError(why or "claim the case (or renew your claim) before deciding it")
        rows = _record(case, choice, reason, rationale.strip(), user.get_username(), policy, now, strike)
        updated = Case.objects.filter(pk=case.pk, status="claimed", claimed_by=user).update(
            status="decided", closed_at=now, decided_by=user.get_username(), decision_seqs=[r.seq for r in rows],
            lease_expires_at=None)
        if not updated:
            raise CaseError("the case changed hands while you were deciding; reload it")
        log(case, user, "decided", f"{choice} {reason}: {rationale}".strip(": "), now=now)
    return rows


def _record(case: Case, choice: Choice, reason: str, rationale: str, actor: str, policy: Any,
            now: dt.datetime, strike: bool) -> list[Decision]:
    key = case.subject_key
    pending = [d for d in active_decisions([key])[key] if d.actor_type == "system" and d.action in _HOLDS]
    account_id = pending[0].account_id if pending else _advertiser(case)
    dsa = policy.areas.get(AREA, {}).get("dsa", {})
    rule_id = REVIEW_RULE_PREFIX + (reason if choice == "reject" else "approved")
    action = ("reject_ad" if case.subject_type == "ad" else "restrict_monetization") if choice == "reject" \
        else ("approve_ad" if case.subject_type == "ad" else "allow")
    explanation = rationale or (REASON_CODES[reason] if choice == "reject" else "Reviewed: no political content.")
    common = dict(rule_id=rule_id, policy_version=policy.version, actor_id=actor, area=AREA, account_id=account_id,
                  event_id=case.event_id, start=now, dsa_ground=dsa.get("ground", ""),
                  dsa_category=dsa.get("category", ""))
    rows = [record_decision(case.subject_type, case.subject_id, action, explanation=explanation,
                            supersedes=pending[0] if pending else None, **common)]
    for extra in pending[1:]:
        rows.append(record_decision(case.subject_type, case.subject_id, extra.action, effect="lift",
                                    explanation=f"Replaced by a reviewer's decision: {explanation}",
                                    supersedes=extra, **common))
    if choice == "reject" and strike and account_id:
        rows += add_strike(account_id, rule_id=rule_id, area=AREA, policy=policy, actor=actor,
                           reason=explanation, event_id=case.event_id, now=now,
                           dsa_ground=common["dsa_ground"], dsa_category=common["dsa_category"])
    return rows


def _advertiser(case: Case) -> str:
    from civicshield.intake.models import Ad, Content

    if case.subject_type == "ad":
        return Ad.objects.filter(id=case.subject_id).values_list("advertiser_account_id", flat=True).first() or ""
    return Content.objects.filter(id=case.subject_id).values_list("account_id", flat=True).first() or ""
