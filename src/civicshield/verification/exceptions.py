"""The public-interest exception: newsworthy content from civic speakers stays up, demoted and labelled.

When a post by a government, politician, party or news organisation breaks an election rule, the
enforcement matrix holds it for a person instead of removing it. That person may keep it up under the
exception, where the policy allows it for the account's category and the rule's area, only with a
written rationale. The hold or removal is lifted and `restrict_recommendation` plus the
`public_interest_exception` label are applied, each as a decision-log row naming the reviewer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from civicshield.review.models import Case

from .workflow import WorkflowError, active_of, log_decision, workflow_settings

LIFTABLE = ("remove", "hold_for_review", "share_warning")
RULE = "verification.public_interest_exception"


def exception_settings() -> dict[str, Any]:
    return workflow_settings().get("public_interest_exception") or {}


def eligible(content_id: str) -> tuple[Any, Any, list[Any], str | None]:
    """The content, its account, the decisions the exception would lift, and why it cannot (or None)."""
    from civicshield.intake.models import Account, Content

    content = Content.objects.filter(id=content_id).first()
    if content is None:
        raise Http404("no such content")
    account = Account.objects.filter(id=content.account_id).first()
    rules = exception_settings()
    liftable = [d for a in LIFTABLE for d in active_of("content", content_id, a)
                if d.area in rules.get("areas", [])]
    category = account.category if account else "unknown"
    if category not in rules.get("categories", []):
        return content, account, liftable, f"the policy does not allow the exception for {category} accounts"
    if not liftable:
        return content, account, liftable, "no active removal or hold in an area where the exception applies"
    return content, account, liftable, None


def grant_exception(content_id: str, reviewer: Any, rationale: str) -> list[Any]:
    rules = exception_settings()
    rationale = (rationale or "").strip()
    minimum = int(rules.get("min_rationale", 20))
    if len(rationale) < minimum:
        raise WorkflowError(f"the public-interest exception needs a rationale of at least {minimum} characters")
    with transaction.atomic():
        content, account, liftable, refusal = eligible(content_id)
        if refusal:
            raise WorkflowError(refusal)
        rows = [log_decision("content", content_id, d.action, RULE, d.area, f"Public-interest exception: {rationale}",
                     reviewer, effect="lift", supersedes=d, account_id=content.account_id) for d in liftable]
        area = liftable[0].area
        for action in rules.get("actions", ["restrict_recommendation"]):
            rows.append(log_decision("content", content_id, action, RULE, area, f"Public-interest exception: {rationale}",
                             reviewer, account_id=content.account_id))
        rows.append(log_decision("content", content_id, "label", RULE, area, f"Public-interest exception: {rationale}",
                         reviewer, labels=list(rules.get("labels", ["public_interest_exception"])),
                         account_id=content.account_id))
        Case.objects.filter(subject_key=f"content:{content_id}", status__in=("open", "claimed")).update(
            status="decided", closed_at=timezone.now())
    return rows
