"""The verification workflow: request → verifier queue → decision with rationale → badge → revocation.

Each step is a row in the decision log (`record_decision`), so a platform learns of it by webhook and
an auditor can replay it: a request holds the request subject for review; approval lifts that hold,
lifts `require_verification` from the account and labels it; rejection lifts the hold with the reason;
revocation lifts the label and, for categories that must be verified, restricts the account again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from civicshield.core.errors import CivicShieldError
from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import active_decisions
from civicshield.review.cases import open_case
from civicshield.review.models import Case

from .evidence import CheckedDocument, store_documents
from .models import VerificationRequest, VerifiedAccount
from .officials import CATEGORY_LABELS, MANDATORY_CATEGORIES, VERIFIABLE_CATEGORIES
from .resources import registry_changed

QUEUE = "verification"
MIN_RATIONALE = 10


class WorkflowError(CivicShieldError):
    """A workflow step is not allowed in the current state (e.g. deciding a decided request)."""


def current_policy() -> Any:
    from civicshield.intake.context import current

    return current().policy


def workflow_settings() -> dict[str, Any]:
    """The `workflow:` section of the policy set's verification.yaml."""
    path = Path(current_policy().source) / "verification.yaml"
    if not path.is_file():
        return {}
    return (yaml.safe_load(path.read_text("utf-8")) or {}).get("workflow") or {}


def log_decision(subject_type: str, subject_id: str, action: str, rule_id: str, area: str, explanation: str,
         actor: Any = None, via: str = "", **extra: Any) -> Decision:
    policy = current_policy()
    dsa = policy.areas.get(area, {}).get("dsa", {})
    actor_type = "user" if actor is not None else "system"
    return record_decision(subject_type, subject_id, action, rule_id=rule_id, policy_version=policy.version,
                           actor_type=actor_type, actor_id=actor.get_username() if actor is not None else via,
                           area=area, explanation=explanation, dsa_ground=dsa.get("ground", ""),
                           dsa_category=dsa.get("category", ""), **extra)


def active_of(subject_type: str, subject_id: str, action: str) -> list[Decision]:
    key = f"{subject_type}:{subject_id}"
    return [d for d in active_decisions([key])[key] if d.action == action]


def require_rationale(text: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_RATIONALE:
        raise WorkflowError(f"write a rationale of at least {MIN_RATIONALE} characters; it is shown to the "
                            "applicant and kept in the decision log")
    return text


def submit_request(*, account_id: str, category: str, official_name: str, documents: list[CheckedDocument],
                   office: str = "", region: str = "", website: str = "", registry_reference: str = "",
                   applicant_note: str = "", submitted_via: str = "") -> VerificationRequest:
    """Store a request with its (already checked) documents, log it and queue it for a verifier."""
    if not documents:
        raise WorkflowError("a verification request needs at least one evidence document")
    if not (website or registry_reference):
        raise WorkflowError("give the official website or an official registry reference")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise WorkflowError(f"the official website must be an http(s) address, not {website[:80]!r}") from None
    if category not in VERIFIABLE_CATEGORIES:
        raise WorkflowError(f"category must be one of {', '.join(VERIFIABLE_CATEGORIES)}")
    with transaction.atomic():
        pending = VerificationRequest.objects.filter(account_id=account_id, status="pending").first()
        if pending is not None:
            raise WorkflowError(f"request {pending.pk} for account {account_id} is still pending; "
                                "add to it or wait for its decision")
        req = VerificationRequest.objects.create(
            account_id=account_id, category=category, official_name=official_name, office=office,
            region=region, website=website, registry_reference=registry_reference,
            applicant_note=applicant_note, submitted_at=timezone.now(), submitted_via=submitted_via)
        docs = store_documents(req, documents)
        log_decision("verification", str(req.pk), "hold_for_review", "verification.request", "official_accounts",
             f"Verification requested for account {account_id} as {category} ({official_name}); "
             f"{len(docs)} evidence document(s).", via=submitted_via, account_id=account_id,
             signals={"evidence": [{"name": d.original_name, "sha256": d.sha256, "size": d.size} for d in docs],
                      "website": website, "registry_reference": registry_reference})
        open_case(QUEUE, "verification", str(req.pk), kind="verification", severity=3,
                  reason=f"Verification request: {official_name} ({category})", region=region,
                  details={"request_id": req.pk, "account_id": account_id})
    return req


def close_cases(subject_type: str, subject_id: str) -> None:
    Case.objects.filter(subject_key=f"{subject_type}:{subject_id}", queue=QUEUE,
                        status__in=("open", "claimed")).update(status="decided", closed_at=timezone.now())


def _pending(request_id: int) -> VerificationRequest:
    req = VerificationRequest.objects.select_for_update().get(pk=request_id)
    if req.status != "pending":
        raise WorkflowError(f"request {req.pk} was already {req.status}")
    return req


def approve(request_id: int, verifier: Any, rationale: str) -> VerifiedAccount:
    """Approve: registry entry, badge label on the account, `require_verification` lifted."""
    from civicshield.intake.models import Account

    rationale = require_rationale(rationale)
    with transaction.atomic():
        req = _pending(request_id)
        if VerifiedAccount.objects.filter(account_id=req.account_id, revoked_at__isnull=True).exists():
            raise WorkflowError(f"account {req.account_id} is already verified; revoke that entry first")
        for hold in active_of("verification", str(req.pk), "hold_for_review"):
            log_decision("verification", str(req.pk), "hold_for_review", "verification.approved", "official_accounts",
                 f"Approved: {rationale}", verifier, effect="lift", supersedes=hold, account_id=req.account_id)
        for restriction in active_of("account", req.account_id, "require_verification"):
            log_decision("account", req.account_id, "require_verification", "verification.approved", "official_accounts",
                 f"Verified as {req.category}: {rationale}", verifier, effect="lift", supersedes=restriction,
                 account_id=req.account_id)
        label = CATEGORY_LABELS.get(req.category)
        badge = log_decision("account", req.account_id, "label" if label else "allow", "verification.badge",
                     "official_accounts", f"Verified {req.category}: {req.official_name}. {rationale}", verifier,
                     labels=[label] if label else [], account_id=req.account_id,
                     signals={"verification_request": req.pk})
        account = Account.objects.filter(id=req.account_id).first()
        entry = VerifiedAccount.objects.create(
            account_id=req.account_id, handle=account.handle if account else req.account_id,
            display_name=account.display_name if account else req.official_name, category=req.category,
            official_name=req.official_name, office=req.office, region=req.region, website=req.website,
            request=req, verified_at=timezone.now(), badge_decision_seq=badge.seq)
        req.status, req.decided_at, req.decided_by = "approved", timezone.now(), verifier
        req.rationale, req.decision_seq = rationale, badge.seq
        req.save()
        close_cases("verification", str(req.pk))
    registry_changed()
    return entry


def reject(request_id: int, verifier: Any, rationale: str) -> VerificationRequest:
    rationale = require_rationale(rationale)
    with transaction.atomic():
        req = _pending(request_id)
        row = None
        for hold in active_of("verification", str(req.pk), "hold_for_review"):
            row = log_decision("verification", str(req.pk), "hold_for_review", "verification.rejected",
                       "official_accounts", f"Rejected: {rationale}", verifier, effect="lift", supersedes=hold,
                       account_id=req.account_id)
        req.status, req.decided_at, req.decided_by = "rejected", timezone.now(), verifier
        req.rationale, req.decision_seq = rationale, row.seq if row else None
        req.save()
        close_cases("verification", str(req.pk))
    return req


def revoke(entry_id: int, verifier: Any, reason: str) -> VerifiedAccount:
    """Take a badge away: the label is lifted and mandatory categories are restricted again."""
    reason = require_rationale(reason)
    with transaction.atomic():
        entry = VerifiedAccount.objects.select_for_update().get(pk=entry_id)
        if entry.revoked_at is not None:
            raise WorkflowError("this registry entry was already revoked")
        label = CATEGORY_LABELS.get(entry.category)
        for badge in active_of("account", entry.account_id, "label"):
            if label in badge.labels or badge.seq == entry.badge_decision_seq:
                log_decision("account", entry.account_id, "label", "verification.revoked", "official_accounts",
                     f"Verification revoked: {reason}", verifier, effect="lift", supersedes=badge,
                     account_id=entry.account_id)
        for badge in active_of("account", entry.account_id, "allow"):
            if badge.seq == entry.badge_decision_seq:
                log_decision("account", entry.account_id, "allow", "verification.revoked", "official_accounts",
                     f"Verification revoked: {reason}", verifier, effect="lift", supersedes=badge,
                     account_id=entry.account_id)
        if entry.category in MANDATORY_CATEGORIES:
            log_decision("account", entry.account_id, "require_verification", "verification.revoked", "official_accounts",
                 f"Verification revoked: {reason}. The account must be verified again.", verifier,
                 account_id=entry.account_id)
        entry.revoked_at, entry.revoke_reason = timezone.now(), reason
        entry.save()
    registry_changed()
    return entry
