"""Backtests: replay stored subjects through two policy versions and count what would change.

Both sides run with the same detectors and reference data, so the difference is the policy alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from civicshield.core.assess import assess
from civicshield.core.events import Account, Ad, Content, Payload, Search, subject_region
from civicshield.core.policy import Policy

EXAMPLES_PER_RULE = 5


@dataclass
class Backtest:
    baseline_version: str
    candidate_version: str
    subjects: int = 0
    changed: int = 0
    rules: dict[str, Counter] = field(default_factory=dict)
    actions: dict[str, Counter] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"baseline_version": self.baseline_version, "candidate_version": self.candidate_version,
                "subjects": self.subjects, "changed": self.changed,
                "rules": {k: dict(v) for k, v in sorted(self.rules.items())},
                "actions": {k: dict(v) for k, v in sorted(self.actions.items())},
                "examples": self.examples}


def stored_subjects(since: dt.datetime | None) -> Iterator[tuple[Payload, Account | None]]:
    from civicshield.intake import models

    accounts: dict[str, Account] = {}
    for kind, model, payload_model in (("account", models.Account, Account), ("content", models.Content, Content),
                                       ("ad", models.Ad, Ad), ("search", models.Search, Search)):
        rows = model.objects.order_by("id")
        if since:
            rows = rows.filter(last_event_at__gte=since)
        for row in rows.iterator(chunk_size=2000):
            subject = payload_model.model_validate(row.payload)
            account_id = {"account": getattr(subject, "id", None), "content": getattr(subject, "account_id", None),
                          "ad": getattr(subject, "advertiser_account_id", None),
                          "search": getattr(subject, "account_id", None)}[kind]
            yield subject, _account(account_id, accounts)


def _account(account_id: str | None, cache: dict[str, Account]) -> Account | None:
    if not account_id:
        return None
    if account_id not in cache:
        from civicshield.intake.models import Account as AccountRow

        row = AccountRow.objects.filter(id=account_id).values("payload").first()
        cache[account_id] = Account.model_validate(row["payload"]) if row else None  # type: ignore[assignment]
    return cache[account_id]


def run_backtest(baseline: Any, candidate_policy: Policy, since: dt.datetime | None = None) -> Backtest:
    """`baseline` is an intake `Assessor`; the candidate shares its detectors and resources."""
    candidate = baseline.with_policy(candidate_policy)
    report = Backtest(baseline.policy.version, candidate_policy.version)
    for subject, account in stored_subjects(since):
        region = subject_region(subject)
        when = dt.datetime.now(dt.timezone.utc)
        a = assess(subject, baseline.context(account, region, when))
        b = assess(subject, candidate.context(account, region, when))
        report.subjects += 1
        fired_a = {r.rule_id: r for r in a.reasons}
        fired_b = {r.rule_id: r for r in b.reasons}
        for rule_id in fired_a.keys() | fired_b.keys():
            c = report.rules.setdefault(rule_id, Counter())
            c["baseline"] += rule_id in fired_a
            c["candidate"] += rule_id in fired_b
            if (rule_id in fired_a) != (rule_id in fired_b):
                c["added" if rule_id in fired_b else "removed"] += 1
                examples = report.examples.setdefault(rule_id, [])
                if len(examples) < EXAMPLES_PER_RULE:
                    examples.append({"subject": {"type": a.subject_type, "id": a.subject_id},
                                     "text": getattr(subject, "analysed_text", "")[:200],
                                     "baseline_actions": list(a.actions), "candidate_actions": list(b.actions)})
        for action in set(a.actions) | set(b.actions):
            c = report.actions.setdefault(action, Counter())
            c["baseline"] += action in a.actions
            c["candidate"] += action in b.actions
        if (a.actions, a.labels, a.queue) != (b.actions, b.labels, b.queue):
            report.changed += 1
    return report
