"""Deciding look-alike cases: the suspect and the official side by side, then confirm or clear.

The comparison is recomputed when a verifier opens the case (the registry may have changed since the
case opened). Confirming applies the action the policy names for impersonation; clearing records the
pair as reviewed so the same two accounts do not come back to the queue.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicshield.core.events import Account as AccountPayload
from civicshield.review.models import Case

from .impersonation import declared_parody, office_claim
from .officials import Official
from .resources import CLEARED_RULE, live_officials, registry_changed
from .workflow import QUEUE, WorkflowError, close_cases, log_decision, require_rationale, workflow_settings


@dataclass(frozen=True)
class CharDiff:
    suspect: str
    official: str
    kind: str  # same | changed | added | removed

    @property
    def codepoints(self) -> str:
        return " ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in self.suspect + self.official
                        if self.kind != "same")


@dataclass(frozen=True)
class Pair:
    suspect: AccountPayload
    official: Official
    field: str
    suspect_name: str
    official_name: str
    method: str
    score: float
    diff: list[CharDiff]
    office_claim: str | None
    parody: str | None


def char_diff(suspect: str, official: str) -> list[CharDiff]:
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, suspect, official, autojunk=False).get_opcodes():
        kind = {"equal": "same", "replace": "changed", "insert": "removed", "delete": "added"}[op]
        out.append(CharDiff(suspect[a1:a2], official[b1:b2], kind))
    return out


def lookalike_pair(case: Case) -> Pair | None:
    """The best look-alike pair for an impersonation case, or None when nothing matches any more."""
    from civicshield.intake.models import Account

    row = Account.objects.filter(id=case.subject_id).first()
    if row is None:
        return None
    suspect = AccountPayload.model_validate(row.payload)
    index = live_officials().lookalike_index()
    matches = [m for field in ("handle", "display_name") if getattr(suspect, field)
               for m in index.search(field, getattr(suspect, field))]
    if not matches:
        return None
    best = max(matches, key=lambda m: m.score)
    return Pair(suspect, best.official, best.field, best.suspect, best.matched, best.method, best.score,
                char_diff(best.suspect, best.matched), office_claim(suspect), declared_parody(suspect))


def _lookalike_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id, queue=QUEUE, subject_type="account")
    if case.status not in ("open", "claimed"):
        raise WorkflowError(f"case {case.pk} is already {case.status}")
    return case


def confirm_impersonation(case_id: int, verifier: Any, rationale: str, official_id: str) -> list[Any]:
    rationale = require_rationale(rationale)
    actions = workflow_settings().get("impersonation_confirmed") or ["suspend_account"]
    with transaction.atomic():
        case = _lookalike_case(case_id)
        rows = [log_decision("account", case.subject_id, action, "verification.impersonation_confirmed", "impersonation",
                     f"Impersonates verified account {official_id}: {rationale}", verifier,
                     account_id=case.subject_id, signals={"official_account_id": official_id})
                for action in actions]
        close_cases("account", case.subject_id)
    return rows


def clear_lookalike(case_id: int, verifier: Any, rationale: str, official_id: str) -> Any:
    rationale = require_rationale(rationale)
    with transaction.atomic():
        case = _lookalike_case(case_id)
        row = log_decision("account", case.subject_id, "allow", CLEARED_RULE, "impersonation",
                   f"Not impersonating {official_id}: {rationale}", verifier, account_id=case.subject_id,
                   signals={"official_account_id": official_id})
        Case.objects.filter(pk=case.pk).update(status="decided", closed_at=timezone.now())
    registry_changed()
    return row
