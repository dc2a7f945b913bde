"""Items like this one that people have already decided, so similar cases get similar outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .models import Case

POOL = 100


@dataclass(frozen=True)
class Similar:
    case: Case
    text: str
    score: float


def _texts(cases: list[Case]) -> dict[str, str]:
    from civicshield.intake.models import Content

    ids = [c.subject_id for c in cases if c.subject_type == "content"]
    return dict(Content.objects.filter(id__in=ids).values_list("id", "text"))


def similar_decided(case: Case, text: str, limit: int = 5) -> list[Similar]:
    """Decided cases from the same area or rules, ranked by how close their text is to `text`."""
    pool = (Case.objects.filter(status="decided").exclude(subject_key=case.subject_key)
            .filter(area=case.area) if case.area else Case.objects.filter(status="decided")
            .exclude(subject_key=case.subject_key))
    cases = list(pool.order_by("-closed_at").only("id", "subject_type", "subject_id", "rule_ids", "decided_by",
                                                  "decision_seqs", "closed_at")[:POOL])
    texts = _texts(cases)
    scored = []
    for c in cases:
        other = texts.get(c.subject_id, "")
        score = fuzz.token_set_ratio(text, other) if text and other else 0.0
        shared_rules = bool(set(c.rule_ids) & set(case.rule_ids))
        if score >= 40 or shared_rules:
            scored.append(Similar(c, other, score + (10 if shared_rules else 0)))
    return sorted(scored, key=lambda s: -s.score)[:limit]
