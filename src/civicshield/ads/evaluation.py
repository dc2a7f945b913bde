"""Measuring the political-ad decision on labelled ads: precision, recall and F1, per language too.

Each labelled line is an `ad.submitted` event plus a top-level `expected` (`political` or
`not_political`) and, optionally, the `advertiser` account. The line is assessed exactly as intake
would (same detectors, same policy), without a database: the decision counted as "political" is a
verdict that rejects the ad. Ads held for review are reported separately, since a person decides them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from civicshield.core.assess import Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.errors import InvalidEvent
from civicshield.core.events import Account, parse_event
from civicshield.core.measure import Tally
from civicshield.core.policy import Policy, load_policy

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent.parent / "policies" / "default"
EXPECTED = ("political", "not_political")


@dataclass
class Evaluation:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=dict)
    held_for_review: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = self.overall.figures()
        out["held_for_review"] = self.held_for_review
        out["by_language"] = {lang: t.figures() for lang, t in sorted(self.by_language.items())}
        out["errors"] = self.errors
        return out


def evaluate(lines: Iterable[Any], *, policy: Policy | None = None, registry: Registry | None = None,
             resources: dict[str, Any] | None = None) -> Evaluation:
    """Assess every labelled line; bad lines are reported by index and skipped."""
    policy = policy or load_policy(DEFAULT_POLICY_DIR)
    registry = registry or Registry.from_entry_points()
    result = Evaluation()
    for index, raw in enumerate(lines):
        try:
            expected, event, account = _parse(raw, index)
        except InvalidEvent as exc:
            result.errors.append(exc.as_dict())
            continue
        verdict = assess(event.payload, Context(policy, registry, account, now=event.occurred_at,
                                                resources=resources or {}))
        predicted = "reject_ad" in verdict.actions
        result.held_for_review += "hold_for_review" in verdict.actions and not predicted
        language = str(raw.get("language") or verdict.signals.get("language", _NONE).value or "und")
        result.overall.add(expected, predicted)
        result.by_language.setdefault(language, Tally()).add(expected, predicted)
        if expected != predicted:
            signal = verdict.signals.get("political_ad")
            result.mistakes.append({"index": index, "id": event.id, "expected": raw["expected"],
                                    "actions": list(verdict.actions), "text": event.payload.text,
                                    "score": signal.value if signal else None})
    return result


class _None:
    value = None


_NONE = _None()


def _parse(raw: Any, index: int) -> tuple[bool, Any, Account | None]:
    if isinstance(raw, str):
        raise InvalidEvent(raw, index=index)
    if not isinstance(raw, dict):
        raise InvalidEvent("each line must be a JSON object", index=index)
    if raw.get("expected") not in EXPECTED:
        raise InvalidEvent("`expected` must be \"political\" or \"not_political\"", index=index,
                           field="expected", event_id=raw.get("id"))
    event = parse_event(raw, index)
    if event.type != "ad.submitted":
        raise InvalidEvent("each line must be an ad.submitted event", index=index, field="type",
                           event_id=event.id)
    account = None
    advertiser = raw.get("advertiser")
    if advertiser is not None:
        if not isinstance(advertiser, dict):
            raise InvalidEvent("`advertiser` must be an account object", index=index, field="advertiser",
                               event_id=event.id)
        try:
            account = Account.model_validate({"handle": event.payload.advertiser_account_id, **advertiser,
                                              "id": event.payload.advertiser_account_id})
        except ValueError as exc:
            raise InvalidEvent(f"`advertiser` is not a valid account: {exc}".splitlines()[0], index=index,
                               field="advertiser", event_id=event.id) from None
    return raw["expected"] == "political", event, account
