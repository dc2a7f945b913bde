"""Scoring detected networks against planted ones: precision, recall and F1 per tactic, by account.

Each detected network is attributed to the planted network it overlaps most (or to none: a false
alarm on organic accounts). For a tactic, true positives are detected members that really belong to
a planted network of that tactic; false positives are the other members of networks attributed to it
(false alarms count against every tactic's overall figure); false negatives are planted members that
no attributed network contains.
"""

from __future__ import annotations

from typing import Any


def evaluate(networks: list[dict[str, Any]], truth: dict[str, Any]) -> dict[str, Any]:
    planted = truth["networks"]
    owner = {m: name for name, spec in planted.items() for m in spec["members"]}
    tactic_of = {name: spec["tactic"] for name, spec in planted.items()}
    found: dict[str, set[str]] = {t: set() for t in set(tactic_of.values())}
    claimed: dict[str, set[str]] = {t: set() for t in found}
    false_alarms: set[str] = set()
    for network in networks:
        members = set(network["members"])
        overlap: dict[str, int] = {}
        for m in members:
            if m in owner:
                overlap[owner[m]] = overlap.get(owner[m], 0) + 1
        if not overlap:
            false_alarms |= members
            continue
        best = min(overlap, key=lambda name: (-overlap[name], name))
        tactic = tactic_of[best]
        claimed[tactic] |= members
        found[tactic] |= {m for m in members if m in owner and tactic_of[owner[m]] == tactic}
    per_tactic = {}
    for tactic in sorted(found):
        truth_members = {m for m, name in owner.items() if tactic_of[name] == tactic}
        per_tactic[tactic] = _prf(len(found[tactic]), len(claimed[tactic]), len(truth_members))
    all_found = set().union(*found.values()) if found else set()
    all_claimed = set().union(*claimed.values(), false_alarms) if claimed else false_alarms
    overall = _prf(len(all_found), len(all_claimed), len(owner))
    return {"per_tactic": per_tactic, "overall": overall, "false_alarm_accounts": len(false_alarms),
            "networks_detected": len(networks), "networks_planted": len(planted)}


def _prf(true_positive: int, predicted: int, actual: int) -> dict[str, float]:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
