"""The hash chain over the decision log: each row's hash covers its fields and the previous hash.

Changing any field of any row, removing a row or reordering rows breaks the chain at that row, which
`civicshield audit verify` reports by sequence number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "created_at", "event_id", "subject_type", "subject_id", "account_id", "action", "effect", "labels",
    "rule_id", "policy_version", "area", "mode", "explanation", "signals", "automated_detection",
    "automated_decision", "actor_type", "actor_id", "actor_org", "dsa_ground", "dsa_category",
    "restriction_type", "territorial_scope", "start", "end", "supersedes_id",
)


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps({k: _value(fields.get(k)) for k in HASHED_FIELDS}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


def verify_rows(rows: Iterable[dict[str, Any]]) -> tuple[int, list[ChainBreak]]:
    """Check rows given in `seq` order. Returns how many were checked and every break found."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    breaks: list[ChainBreak] = []
    for row in rows:
        checked += 1
        if row["seq"] != expected_seq:
            breaks.append(ChainBreak(row["seq"], f"rows {expected_seq}–{row['seq'] - 1} are missing"))
        if row["prev_hash"] != prev:
            breaks.append(ChainBreak(row["seq"], "prev_hash does not match the previous row's hash"))
        if row_hash(row["prev_hash"], row) != row["hash"]:
            breaks.append(ChainBreak(row["seq"], "row content does not match its hash (altered)"))
        prev = row["hash"]
        expected_seq = row["seq"] + 1
    return checked, breaks
