"""The hash chain over the decision log: each row's hash covers its fields and the previous hash.

Changing any field of any row, removing a row or reordering rows breaks the chain at that row, which
`civicshield audit verify` reports by sequence number. The chain alone cannot tell a log cut short at
its end, or one recomputed from an edited row onwards, from an honest one: signed checkpoints of the
head (`checkpoints.py`) anchor it.

Hash versions: a row records the recipe its hash was made with, and is verified with that recipe, so
history is never re-hashed. Version 1 left out `subject_key` (which state rebuilds read); version 2
covers it and the version itself. A log may move from version 1 to 2, never back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64
HASHED_FIELDS_V1 = (
    "seq", "created_at", "event_id", "subject_type", "subject_id", "account_id", "action", "effect", "labels",
    "rule_id", "policy_version", "area", "mode", "explanation", "signals", "automated_detection",
    "automated_decision", "actor_type", "actor_id", "actor_org", "dsa_ground", "dsa_category",
    "restriction_type", "territorial_scope", "start", "end", "supersedes_id",
)
RECIPES: dict[int, tuple[str, ...]] = {1: HASHED_FIELDS_V1, 2: (*HASHED_FIELDS_V1, "subject_key", "hash_version")}
CURRENT_VERSION = 2
# Every field a verifier must read: the union of all recipes.
HASHED_FIELDS = RECIPES[CURRENT_VERSION]


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The hash of a row under the recipe its `hash_version` names (1 when absent)."""
    recipe = RECIPES[fields.get("hash_version") or 1]
    body = json.dumps({k: _value(fields.get(k)) for k in recipe}, sort_keys=True, separators=(",", ":"),
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
    newest_version = 1
    breaks: list[ChainBreak] = []
    for row in rows:
        checked += 1
        seq, version = row["seq"], row.get("hash_version") or 1
        if seq != expected_seq:
            breaks.append(ChainBreak(seq, f"rows {expected_seq}–{seq - 1} are missing"))
        if row["prev_hash"] != prev:
            breaks.append(ChainBreak(seq, "prev_hash does not match the previous row's hash"))
        if version not in RECIPES:
            breaks.append(ChainBreak(seq, f"unknown hash version {version}"))
        elif version < newest_version:
            breaks.append(ChainBreak(seq, f"hash version {version} after version {newest_version}: a row was "
                                          "moved to an older recipe that covers fewer fields"))
        elif row_hash(row["prev_hash"], row) != row["hash"]:
            breaks.append(ChainBreak(seq, "row content does not match its hash (altered)"))
        if "subject_key" in row and row["subject_key"] != f"{row['subject_type']}:{row['subject_id']}":
            breaks.append(ChainBreak(seq, "subject_key does not name the row's subject (altered)"))
        newest_version = max(newest_version, version if version in RECIPES else newest_version)
        prev = row["hash"]
        expected_seq = seq + 1
    return checked, breaks
