"""Which queue a case goes to, and how urgent it is.

Queues are declared in the policy set. A case starts from the queue its rule names (or, for a user
report, the queue that covers the report's policy area) and moves to the most specific queue of the
same capability whose language, region and area filters all match. Priority is the policy area's
severity times the expected reach of the subject (views now plus views expected over the reach
horizon at the current velocity), raised by the number of distinct reporters; every factor is kept
so the case page can explain the order. Pure functions: no database.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from civicshield.core.policy import Policy, Queue


@dataclass(frozen=True)
class Priority:
    severity: int
    views: int
    velocity_per_hour: float
    horizon_hours: float
    expected_reach: float
    reach_factor: float
    reporters: int
    reporter_factor: float
    score: float

    def explain(self) -> dict[str, Any]:
        return {**asdict(self), "formula": "severity × log10(10 + expected reach) × (1 + log2(distinct reporters))"}


def review_settings(policy: Policy) -> dict[str, Any]:
    return dict(policy.settings.get("review") or {})


def senior_queues(policy: Policy) -> set[str]:
    return {q.senior_queue for q in policy.queues.values() if q.senior_queue}


def area_for_report(policy: Policy, reason_code: str) -> str:
    return str(review_settings(policy).get("report_reasons", {}).get(reason_code, ""))


def queue_for_area(policy: Policy, area: str, default: str) -> str:
    seniors = senior_queues(policy)
    for q in policy.queues.values():
        if area and area in q.areas and q.name not in seniors and not q.languages and not q.regions:
            return q.name
    return default


def _matches(q: Queue, language: str, region: str, area: str) -> int | None:
    """How many of the queue's filters the case meets; None when one of them excludes it."""
    score = 0
    for wanted, have in ((q.languages, language), (q.areas, area)):
        if wanted:
            if have not in wanted:
                return None
            score += 1
    if q.regions:
        if not any(region == r or region.startswith(r + "-") for r in q.regions):
            return None
        score += 1
    return score


def route(policy: Policy, base: str, *, language: str = "", region: str = "", area: str = "") -> str:
    """The most specific queue of `base`'s capability that accepts the case (ties keep `base`)."""
    start = policy.queues.get(base)
    if start is None:
        return base
    seniors = senior_queues(policy)
    best, best_score = base, _matches(start, language, region, area) or 0
    for q in policy.queues.values():
        if q.capability != start.capability or q.name in seniors or q.name == base:
            continue
        score = _matches(q, language, region, area)
        if score is not None and score > best_score:
            best, best_score = q.name, score
    return best


def priority(severity: int, *, views: int = 0, age_hours: float = 1.0, horizon_hours: float = 24.0,
             reporters: int = 0) -> Priority:
    velocity = views / max(age_hours, 1.0)
    expected = views + velocity * horizon_hours
    reach_factor = math.log10(10 + expected)
    reporter_factor = 1 + math.log2(reporters) if reporters > 0 else 1.0
    score = max(severity, 1) * reach_factor * reporter_factor
    return Priority(severity=max(severity, 1), views=views, velocity_per_hour=round(velocity, 2),
                    horizon_hours=horizon_hours, expected_reach=round(expected, 1),
                    reach_factor=round(reach_factor, 3), reporters=reporters,
                    reporter_factor=round(reporter_factor, 3), score=round(score, 4))
