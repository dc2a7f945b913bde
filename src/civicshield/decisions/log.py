"""Appending to the decision log: the only code that writes `Decision` rows.

Writers are serialised (a PostgreSQL advisory lock, SQLite's write lock) so the chain stays linear
across processes and machines. Each append also refreshes the derived subject state and writes the
outbox messages in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.db import connection, transaction
from django.utils import timezone

from civicshield.observability.metrics import DECISIONS
from civicshield.site.bulk import insert_rows

from .chain import CURRENT_VERSION, GENESIS, row_hash
from .dsa import restriction_for
from .models import Decision, OutboxMessage

_LOCK_ID = 7_245_001
_COLUMNS = tuple(f.attname for f in Decision._meta.concrete_fields)


@dataclass
class DecisionDraft:
    """A decision about to be logged. `supersedes` is the seq of the decision it reverses or replaces."""

    subject_type: str
    subject_id: str
    action: str
    rule_id: str
    policy_version: str
    labels: list[str] = field(default_factory=list)
    effect: str = "apply"
    area: str = ""
    mode: str = "enforce"
    explanation: str = ""
    signals: dict[str, Any] = field(default_factory=dict)
    event_id: str = ""
    account_id: str = ""
    automated_detection: bool = True
    automated_decision: str = "AUTOMATED_DECISION_FULLY"
    actor_type: str = "system"
    actor_id: str = ""
    actor_org: str = ""
    dsa_ground: str = ""
    dsa_category: str = ""
    territorial_scope: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    supersedes: int | None = None


def lock_log() -> None:
    """Serialise writers for the rest of the current transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def append(drafts: Iterable[DecisionDraft], *, now: dt.datetime | None = None) -> list[Decision]:
    """Append decisions in order; returns the stored rows. Must run inside `transaction.atomic`."""
    drafts = list(drafts)
    if not drafts:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("decisions.log.append must run inside transaction.atomic()")
    lock_log()
    now = now or timezone.now()
    last = Decision.objects.order_by("-seq").values("seq", "hash").first()
    seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
    rows = []
    for d in drafts:
        seq += 1
        fields = _fields(d, seq, now)
        digest = row_hash(prev, fields)
        rows.append(Decision(**fields, prev_hash=prev, hash=digest))
        prev = digest
    insert_rows(Decision, _COLUMNS, [tuple(getattr(r, c) for c in _COLUMNS) for r in rows])
    for r in rows:
        r._state.adding = False
        DECISIONS.labels(r.action, r.mode).inc()
    from .state import refresh_state

    refresh_state({(r.subject_type, r.subject_id) for r in rows})
    from .checkpoints import checkpoint_after_commit

    checkpoint_after_commit(rows[-1].seq, rows[-1].hash)
    insert_rows(OutboxMessage, ("created_at", "topic", "decision_id", "payload"),
                [(now, f"decision.{r.mode}", r.seq, decision_payload(r)) for r in rows if r.mode == "enforce"])
    return rows


def record_decision(subject_type: str, subject_id: str, action: str, *, rule_id: str, policy_version: str,
                    actor_type: str = "user", actor_id: str = "", actor_org: str = "",
                    supersedes: Decision | None = None, **extra: Any) -> Decision:
    """Log one decision made by a person or partner (or any caller outside the pipeline)."""
    draft = DecisionDraft(subject_type=subject_type, subject_id=subject_id, action=action, rule_id=rule_id,
                          policy_version=policy_version, actor_type=actor_type, actor_id=actor_id,
                          actor_org=actor_org, supersedes=supersedes.seq if supersedes else None,
                          automated_detection=extra.pop("automated_detection", actor_type == "system"),
                          automated_decision=extra.pop("automated_decision",
                                                       "AUTOMATED_DECISION_FULLY" if actor_type == "system"
                                                       else "AUTOMATED_DECISION_NOT_AUTOMATED"),
                          **extra)
    with transaction.atomic():
        (row,) = append([draft])
    from .outbox import dispatch_after_commit

    dispatch_after_commit()
    return row


def _fields(d: DecisionDraft, seq: int, now: dt.datetime) -> dict[str, Any]:
    return {
        "seq": seq, "created_at": now, "event_id": d.event_id, "subject_type": d.subject_type,
        "subject_id": d.subject_id, "subject_key": f"{d.subject_type}:{d.subject_id}",
        "account_id": d.account_id, "action": d.action, "effect": d.effect, "labels": list(d.labels),
        "rule_id": d.rule_id, "policy_version": d.policy_version, "area": d.area, "mode": d.mode,
        "explanation": d.explanation, "signals": json.loads(json.dumps(d.signals, default=str)),
        "automated_detection": d.automated_detection, "automated_decision": d.automated_decision,
        "actor_type": d.actor_type, "actor_id": d.actor_id, "actor_org": d.actor_org,
        "dsa_ground": d.dsa_ground, "dsa_category": d.dsa_category,
        "restriction_type": restriction_for(d.action), "territorial_scope": list(d.territorial_scope),
        "start": d.start or now, "end": d.end, "supersedes_id": d.supersedes, "hash_version": CURRENT_VERSION,
    }


def decision_payload(d: Decision) -> dict[str, Any]:
    """What webhooks carry: enough for a platform to act without calling back."""
    return {
        "decision_id": d.seq, "created_at": d.created_at.isoformat(), "event_id": d.event_id,
        "subject": {"type": d.subject_type, "id": d.subject_id}, "account_id": d.account_id,
        "action": d.action, "effect": d.effect, "labels": d.labels, "rule_id": d.rule_id,
        "policy_version": d.policy_version, "area": d.area, "explanation": d.explanation,
        "actor": {"type": d.actor_type, "id": d.actor_id, "org": d.actor_org},
        "territorial_scope": d.territorial_scope, "start": d.start.isoformat(),
        "end": d.end.isoformat() if d.end else None, "supersedes": d.supersedes_id, "hash": d.hash,
    }
