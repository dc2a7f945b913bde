"""The enforcement matrix as people read it: policy area × account category → what actually happens.

The policy set states rules per area and, per account category (with per-area exceptions), how
automated actions are replaced (a politician's post is held for a person instead of removed). This
module composes them into one table, so a reviewer or policy manager sees every election rule's
outcome for every kind of account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civicshield.core.events import ACCOUNT_CATEGORIES
from civicshield.core.policy import Policy


@dataclass(frozen=True)
class MatrixRow:
    area: str
    rule_id: str
    explanation: str
    mode: str
    actions: tuple[str, ...]
    cells: dict[str, tuple[str, ...]] = field(default_factory=dict)
    changed: frozenset[str] = frozenset()


def outcome(policy: Policy, category: str, actions: tuple[str, ...], area: str = "") -> tuple[str, ...]:
    """The actions that reach an account of `category` when a rule in `area` asks for `actions`."""
    mapping = policy.matrix_for(category, area)
    out: list[str] = []
    for a in actions:
        for b in mapping.get(a, (a,)):
            if b not in out:
                out.append(b)
    return tuple(out)


def enforcement_table(policy: Policy, subject_types: tuple[str, ...] = ("content", "account", "ad")) -> dict[str, Any]:
    """Rows per rule (grouped by area, most severe area first) with one cell per account category."""
    rows = []
    order = sorted(policy.areas, key=lambda a: (-int(policy.areas[a].get("severity", 1)), a))
    for area in order:
        for rule in policy.rules:
            if rule.area != area or not rule.actions or not rule.applies_to & set(subject_types):
                continue
            cells = {c: outcome(policy, c, rule.actions, area) for c in ACCOUNT_CATEGORIES}
            rows.append(MatrixRow(area, rule.id, rule.explanation, rule.mode, rule.actions, cells,
                                  frozenset(c for c, v in cells.items() if v != rule.actions)))
    replacements = [(c, "all areas", a, r) for c, m in sorted(policy.enforcement_matrix.items())
                    for a, r in sorted(m.items())]
    replacements += [(c, area, a, r) for c, by_area in sorted(policy.area_matrix.items())
                     for area, m in sorted(by_area.items()) for a, r in sorted(m.items())]
    return {"categories": ACCOUNT_CATEGORIES, "rows": rows, "replacements": replacements,
            "version": policy.version}
