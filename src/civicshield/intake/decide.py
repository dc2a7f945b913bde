"""From verdicts to decision-log drafts and review cases.

One decision row per (rule, action) that fired in enforce or shadow mode. A row that would repeat an
active decision (same subject, rule, action and mode) is skipped, so an edited post that still breaks
the same rule is not logged twice; a rule that stops firing on an edit is lifted by a new row.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from civicshield.core.policy import Policy
from civicshield.decisions.dsa import territorial_scope
from civicshield.decisions.log import DecisionDraft
from civicshield.decisions.models import Decision
from civicshield.review.cases import CaseDraft, open_cases

if TYPE_CHECKING:
    from .pipeline import Outcome

LABEL_ACTIONS = {"label", "add_banner"}


def _scope(outcome: "Outcome") -> list[str]:
    p = outcome.event.payload
    return territorial_scope([getattr(p, "region", None), *getattr(p, "regions", [])])


def _account_of(outcome: "Outcome") -> str:
    p = outcome.event.payload
    if p.subject_type == "account":
        return p.id
    return getattr(p, "account_id", None) or getattr(p, "advertiser_account_id", None) or ""


def decisions_for(outcomes: list["Outcome"], policy: Policy) -> list[DecisionDraft]:
    drafts: list[DecisionDraft] = []
    for o in outcomes:
        v = o.verdict
        if v is None or not v.reasons:
            continue
        category = _category(o)
        signals = {n: s.as_dict() for n, s in v.signals.items()}
        for r in v.reasons:
            if r.rule_id.startswith("matrix."):
                continue
            rule = policy.rule(r.rule_id)
            matrix = policy.matrix_for(category, r.area)
            actions: list[str] = []
            for a in r.actions or (("label",) if r.labels else ()):
                actions.extend(matrix.get(a, (a,)) if r.mode == "enforce" else (a,))
            expiry = policy.settings.get("strike_expiry_days", 90)
            for action in dict.fromkeys(actions):
                subject_type, subject_id = v.subject_type, v.subject_id
                end = None
                if action == "strike":
                    subject_type, subject_id = "account", _account_of(o)
                    end = o.event.occurred_at + dt.timedelta(days=expiry)
                drafts.append(DecisionDraft(
                    subject_type=subject_type, subject_id=subject_id, action=action, rule_id=r.rule_id,
                    policy_version=r.policy_version, labels=list(r.labels) if action in LABEL_ACTIONS else [],
                    area=r.area, mode=r.mode, explanation=r.explanation, signals=signals, event_id=o.event.id,
                    account_id=_account_of(o), dsa_ground=(rule.dsa.get("ground", "") if rule else ""),
                    dsa_category=(rule.dsa.get("category", "") if rule else ""),
                    territorial_scope=_scope(o), start=o.event.occurred_at, end=end))
    return _drop_repeats(drafts)


def _category(o: "Outcome") -> str:
    p = o.event.payload
    return p.category if p.subject_type == "account" else o.account_category


def _active_keys(subject_keys: set[str]) -> dict[tuple[str, str, str, str], Decision]:
    rows = list(Decision.objects.filter(subject_key__in=subject_keys, actor_type="system")
                .only("seq", "subject_key", "rule_id", "action", "mode", "effect", "supersedes_id"))
    superseded = {r.supersedes_id for r in rows if r.supersedes_id}
    return {(r.subject_key, r.rule_id, r.action, r.mode): r for r in rows
            if r.effect == "apply" and r.seq not in superseded}


def _drop_repeats(drafts: list[DecisionDraft]) -> list[DecisionDraft]:
    if not drafts:
        return drafts
    active = _active_keys({f"{d.subject_type}:{d.subject_id}" for d in drafts})
    out, seen = [], set(active)
    for d in drafts:
        key = (f"{d.subject_type}:{d.subject_id}", d.rule_id, d.action, d.mode)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def lifts_for(outcomes: list["Outcome"], new: list[DecisionDraft]) -> list[DecisionDraft]:
    """On `content.updated`, lift automated decisions whose rule no longer fires on the new text."""
    updated = {f"content:{o.event.payload.id}": o for o in outcomes if o.event.type == "content.updated" and o.verdict}
    if not updated:
        return []
    lifts = []
    for (key, rule_id, action, mode), row in _active_keys(set(updated)).items():
        o = updated[key]
        if any(r.rule_id == rule_id for r in o.verdict.reasons):
            continue
        lifts.append(DecisionDraft(
            subject_type="content",
            subject_id=key.split(":", 1)[1], action=action, effect="lift", rule_id=rule_id,
            policy_version=o.verdict.policy_version, mode=mode, event_id=o.event.id,
            explanation=f"Lifted: rule {rule_id} no longer applies after the content was edited.",
            account_id=_account_of(o), territorial_scope=_scope(o), start=o.event.occurred_at,
            supersedes=row.seq))
    return lifts


def cases_for(outcomes: list["Outcome"], policy: Policy) -> list[Any]:
    drafts = []
    for o in outcomes:
        p = o.event.payload
        if o.verdict and o.verdict.queue and o.verdict.mode == "enforce":
            queue = policy.queues.get(o.verdict.queue)
            fired = [r for r in o.verdict.enforced if r.queue or "hold_for_review" in r.actions]
            severity = max((r.severity for r in fired), default=1)
            views = getattr(p, "views", 0) or 0
            drafts.append(CaseDraft(
                queue=o.verdict.queue, subject_type=o.verdict.subject_type, subject_id=o.verdict.subject_id,
                rule_ids=[r.rule_id for r in fired], reason="; ".join(r.explanation for r in fired),
                event_id=o.event.id, severity=severity, priority=float(severity) * (1.0 + views) ** 0.5,
                language=str(o.verdict.signals["language"].value) if "language" in o.verdict.signals else "",
                region=getattr(p, "region", None) or "", sla_hours=queue.sla_hours if queue else None,
                details={"signals": {n: sig.as_dict() for n, sig in o.verdict.signals.items()}}))
        elif o.event.type in ("report.filed", "appeal.filed"):
            kind = "report" if o.event.type == "report.filed" else "appeal"
            routes = policy.settings.get("report_queues", {})
            queue = "appeals" if kind == "appeal" else routes.get(p.reason, policy.settings.get(
                "default_review_queue", "misinformation"))
            q = policy.queues.get(queue)
            drafts.append(CaseDraft(queue=queue, kind=kind, subject_type=p.subject.type, subject_id=p.subject.id,
                                    reason=f"{kind}: {p.reason}", event_id=o.event.id,
                                    details={"reason_code": p.reason, "text": p.text},
                                    sla_hours=q.sla_hours if q else None))
    return open_cases(drafts)
