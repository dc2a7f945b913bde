"""What detectors say (`Signal`) and what the policy decides (`Verdict`): plain, serialisable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["enforce", "shadow"]

# The stable vocabulary. Later capabilities add names; nobody renames one.
ACTIONS: tuple[str, ...] = (
    "allow", "label", "add_banner", "restrict_recommendation", "share_warning", "remove",
    "hold_for_review", "route_to_fact_check", "reject_ad", "approve_ad", "require_verification",
    "restrict_monetization", "strike", "suspend_account", "ban_account",
)
LABELS: tuple[str, ...] = (
    "election_info_banner", "ai_generated", "ai_generated_self_disclosed", "unverified_content",
    "fact_checked_false", "government_official", "politician", "political_party",
    "state_affiliated_media", "public_interest_exception",
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One detector's finding: a value (score, label, language…) and the evidence behind it."""

    name: str
    value: Any
    evidence: dict[str, Any] = field(default_factory=dict)
    detector: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an action was taken: the rule that fired, in which policy version, in which mode."""

    rule_id: str
    policy_version: str
    explanation: str
    mode: Mode = "enforce"
    area: str = ""
    actions: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    queue: str | None = None
    severity: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "policy_version": self.policy_version,
                "explanation": self.explanation, "mode": self.mode, "area": self.area,
                "actions": list(self.actions), "labels": list(self.labels), "queue": self.queue}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of `assess` for one subject. Same inputs + same policy version ⇒ same verdict."""

    subject_type: str
    subject_id: str
    actions: tuple[str, ...]
    labels: tuple[str, ...]
    queue: str | None
    signals: dict[str, Signal]
    reasons: tuple[Reason, ...]
    mode: Mode
    policy_version: str

    @property
    def enforced(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.mode == "enforce")

    @property
    def is_allow(self) -> bool:
        return self.actions == ("allow",) and not self.labels

    def as_dict(self, event_id: str | None = None) -> dict[str, Any]:
        return {
            "event_id": event_id,
            "subject": {"type": self.subject_type, "id": self.subject_id},
            "actions": list(self.actions),
            "labels": list(self.labels),
            "queue": self.queue,
            "signals": {name: s.as_dict() for name, s in sorted(self.signals.items())},
            "reasons": [r.as_dict() for r in self.reasons],
            "mode": self.mode,
            "policy_version": self.policy_version,
        }
