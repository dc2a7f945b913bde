"""`assess`: the one function that turns a subject and its context into a verdict.

The sync API, intake, workers, backtests and batch jobs all call it. It is pure: everything it needs
arrives in `Context` (the policy, the detectors, the account, the election calendar, and read-only
resources such as a claim index), so the same inputs and policy version always give the same verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

import cel

from .detectors import Registry
from .events import Account, Payload
from .policy import Policy, Rule
from .verdict import ACTIONS, Reason, Signal, Verdict

_ACTION_ORDER = {a: i for i, a in enumerate(ACTIONS)}
NO_ELECTION: dict[str, Any] = {"upcoming": False, "days_to_election": 9999, "name": "", "country": "",
                               "date": "", "date_status": "", "in_election_period": False}


@dataclass(frozen=True)
class Context:
    """Everything `assess` may read besides the subject."""

    policy: Policy
    registry: Registry
    account: Account | None = None
    election: Mapping[str, Any] = field(default_factory=lambda: dict(NO_ELECTION))
    now: dt.datetime | None = None
    resources: Mapping[str, Any] = field(default_factory=dict)

    def with_account(self, account: Account | None, election: Mapping[str, Any] | None = None) -> "Context":
        return Context(self.policy, self.registry, account, election if election is not None else self.election,
                       self.now, self.resources)


def assess(subject: Payload, context: Context) -> Verdict:
    """Run the detector cascade, evaluate the policy, apply the enforcement matrix."""
    signals = context.registry.run(subject, context)
    activation = _activation(subject, context, signals)
    policy = context.policy
    reasons: list[Reason] = []
    for rule in policy.rules_for(subject.subject_type):
        if _fires(rule, activation):
            mode = "shadow" if policy.mode == "shadow" else rule.mode
            reasons.append(Reason(rule.id, policy.version, rule.explanation, mode, rule.area, rule.actions,
                                  rule.labels, rule.queue, rule.severity))
    return _compose(subject, context, signals, reasons)


def _fires(rule: Rule, activation: cel.Context) -> bool:
    try:
        return rule.program.execute(activation) is True
    except (KeyError, TypeError, RuntimeError, ValueError):
        # A condition that cannot be evaluated on this subject (missing field, wrong type) does
        # not fire; `civicshield policy check` and backtests surface such rules to their authors.
        return False


def _activation(subject: Payload, context: Context, signals: dict[str, Signal]) -> cel.Context:
    """Convert the subject's world into CEL values once; every rule then evaluates against it.

    Only the evidence fields some rule reads (`signals.<name>.evidence.<field>`) are carried over:
    converting a detector's full evidence (term lists, explanations) for every rule was most of the
    cost of a verdict.
    """
    account = context.account
    activation = cel.Context()
    activation.update({
        "subject_type": subject.subject_type,
        "subject": subject.model_dump(mode="json"),
        "account": account.model_dump(mode="json") if account else {"category": "unknown", "verified": False,
                                                                   "followers": 0, "id": "", "handle": ""},
        "signals": signal_view(signals, context.policy.evidence_fields),
        "election": dict(context.election),
    })
    return activation


def signal_view(signals: dict[str, Signal], evidence_fields: Mapping[str, frozenset[str]]) -> dict[str, Any]:
    """Signals as CEL sees them: the value, and the evidence fields that expressions read."""
    view = {}
    for name, s in signals.items():
        wanted = evidence_fields.get(name, ())
        view[name] = {"value": s.value, "evidence": {k: s.evidence[k] for k in wanted if k in s.evidence}}
    return view


def _compose(subject: Payload, context: Context, signals: dict[str, Signal],
             reasons: list[Reason]) -> Verdict:
    policy = context.policy
    enforced = [r for r in reasons if r.mode == "enforce"]
    actions: set[str] = set()
    labels: list[str] = []
    category = context.account.category if context.account else None
    replaced: list[tuple[str, tuple[str, ...]]] = []
    for r in enforced:
        mapping = policy.matrix_for(category, r.area)
        actions.update(_apply_matrix(set(r.actions), mapping, replaced))
        labels.extend(lab for lab in r.labels if lab not in labels)
    replaced = sorted(set(replaced), key=lambda ab: (_ACTION_ORDER[ab[0]], ab[1]))
    if replaced:
        reasons.append(Reason(f"matrix.{category}", policy.version,
                              "Enforcement matrix for " + str(category) + " accounts: "
                              + "; ".join(f"{a} → {', '.join(b) or 'no action'}" for a, b in replaced),
                              "enforce", "enforcement_matrix"))
    if labels and not actions & {"label", "add_banner"}:
        actions.add("label")
    actions.discard("allow")
    ordered = tuple(sorted(actions, key=_ACTION_ORDER.__getitem__)) or ("allow",)
    queued = sorted((r for r in enforced if r.queue), key=lambda r: (-r.severity, r.rule_id))
    queue = queued[0].queue if queued else None
    if queue is None and "hold_for_review" in actions:
        queue = policy.settings.get("default_review_queue")
    return Verdict(subject.subject_type, _subject_id(subject), ordered, tuple(labels), queue, signals,
                   tuple(reasons), "shadow" if policy.mode == "shadow" else "enforce", policy.version)


def _apply_matrix(actions: set[str], mapping: dict[str, tuple[str, ...]],
                  replaced: list[tuple[str, tuple[str, ...]]]) -> set[str]:
    """One rule's actions after the matrix; each replacement made is appended to `replaced`."""
    for action in sorted(actions & set(mapping), key=_ACTION_ORDER.__getitem__):
        actions.discard(action)
        actions.update(mapping[action])
        replaced.append((action, mapping[action]))
    return actions


def _subject_id(subject: Payload) -> str:
    sid = getattr(subject, "id", None)
    if sid:
        return str(sid)
    return f"{getattr(subject, 'account_id', '')}:{getattr(subject, 'action', '')}:{getattr(subject, 'object_id', '')}"
