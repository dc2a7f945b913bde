"""Subject state derived from the decision log: labels, visibility, restrictions.

A decision is active while it is enforced, applies (not a lift), has not been superseded by a later
row, and has not reached its end. `SubjectState` caches the result per subject and can always be
rebuilt from the log (`civicshield audit rebuild-state`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple

from django.db.models import Q
from django.utils import timezone

from civicshield.site.bulk import insert_rows

from .models import Decision, SubjectState

VISIBILITY_ORDER = ("removed", "held", "reduced", "visible")
_VISIBILITY = {"remove": "removed", "reject_ad": "removed", "ban_account": "removed", "suspend_account": "held",
               "hold_for_review": "held", "restrict_recommendation": "reduced"}
_STATE_FIELDS = ("subject_key", "subject_type", "subject_id", "labels", "visibility", "restrictions", "last_seq",
                 "updated_at")
_RESTRICTIONS = {"share_warning", "restrict_monetization", "require_verification", "restrict_recommendation",
                 "suspend_account", "ban_account", "reject_ad"}


@dataclass(frozen=True)
class State:
    labels: list[str]
    visibility: str
    restrictions: list[str]
    active: list[Decision]


def active_decisions(keys: Iterable[str]) -> dict[str, list[Decision]]:
    keys = list(keys)
    return _keep_active(list(Decision.objects.filter(subject_key__in=keys, mode="enforce").order_by("seq")), keys)


def _keep_active(rows: list[Any], keys: list[str]) -> dict[str, list[Any]]:
    """Rows (in seq order) still in force: applied, not superseded by a later row, not yet ended."""
    now = timezone.now()
    superseded = {r.supersedes_id for r in rows if r.supersedes_id}
    out: dict[str, list[Any]] = {k: [] for k in keys}
    for r in rows:
        if r.effect == "apply" and r.seq not in superseded and (r.end is None or r.end > now):
            out[r.subject_key].append(r)
    return out


def derive(active: list[Any]) -> State:
    """State from the active rows (decisions, or any rows with `labels`, `action` and `seq`)."""
    labels: list[str] = []
    restrictions: list[str] = []
    visibility = "visible"
    for d in active:
        labels.extend(lab for lab in d.labels if lab not in labels)
        if d.action in _RESTRICTIONS and d.action not in restrictions:
            restrictions.append(d.action)
        v = _VISIBILITY.get(d.action, "visible")
        if VISIBILITY_ORDER.index(v) < VISIBILITY_ORDER.index(visibility):
            visibility = v
    return State(labels, visibility, restrictions, active)


def subject_state(subject_type: str, subject_id: str) -> State:
    key = f"{subject_type}:{subject_id}"
    return derive(active_decisions([key])[key])


def refresh_state(subjects: set[tuple[str, str]]) -> None:
    keys = {f"{t}:{i}": (t, i) for t, i in subjects}
    ordered = list(keys)
    for chunk_start in range(0, len(ordered), 500):
        chunk = ordered[chunk_start:chunk_start + 500]
        active = _active_rows(chunk)
        now = timezone.now()
        rows = []
        for key in chunk:
            state = derive(active[key])
            t, i = keys[key]
            rows.append((key, t, i, state.labels, state.visibility, state.restrictions,
                         max((d.seq for d in state.active), default=0), now))
        insert_rows(SubjectState, _STATE_FIELDS, rows, upsert_on=["subject_key"])


def rebuild_all() -> int:
    """Recompute every subject's state from the log; returns the number of subjects."""
    pairs = set(Decision.objects.values_list("subject_type", "subject_id").distinct())
    SubjectState.objects.filter(~Q(subject_key__in=[f"{t}:{i}" for t, i in pairs])).delete()
    refresh_state(pairs)
    return len(pairs)


class _Row(NamedTuple):
    """The columns of a decision that subject state depends on (no model instance needed)."""

    seq: int
    subject_key: str
    action: str
    effect: str
    labels: list[str]
    end: Any
    supersedes_id: int | None


def _active_rows(keys: list[str]) -> dict[str, list[_Row]]:
    rows = Decision.objects.filter(subject_key__in=keys, mode="enforce").order_by("seq").values_list(*_Row._fields)
    return _keep_active([_Row(*r) for r in rows], keys)
