"""Measuring election relevance and the procedural-claim check on labelled events, as intake decides them.

Each line is an event (`content.created`, `search.performed` or `ad.submitted`) with a top-level
`expected` and, optionally, `language` and `category`. The line is assessed exactly as intake would
(same detectors, the shipped policy, the shipped voter facts), without a database. Bad lines are
reported by index; the good ones are kept.

Relevance: a line counts as predicted election-related when the verdict shows the Election Center
banner for election relevance (`civic.election_banner` / `civic.search_intervention`); the lines in the
uncertain band (relevance 0.3-0.6, where the claim matcher and the procedural check still run) are
counted apart. Procedural: `expected` is `false` (a false claim about how, when, where or who can
vote), `unverified` (a procedural claim the facts cannot settle), `true` (a correct one) or `none`
(no procedural claim). The headline figures are for the decision that enforces: predicted "false".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from civicshield.core.assess import Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.errors import InvalidEvent
from civicshield.core.events import parse_event
from civicshield.core.measure import Tally
from civicshield.core.policy import Policy, load_policy

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent.parent / "policies" / "default"
RELEVANCE_EXPECTED = {"election_related": True, "not_election_related": False, True: True, False: False}
PROCEDURAL_EXPECTED = ("false", "unverified", "true", "none")
BANNER_RULES = frozenset({"civic.election_banner", "civic.search_intervention"})


@dataclass
class Evaluation:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)
    uncertain: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    detection: Tally = field(default_factory=Tally)
    errors: list[dict[str, Any]] = field(default_factory=list)
    mistakes: list[dict[str, Any]] = field(default_factory=list)
    encoder_calls: int = 0

    def add(self, language: str, category: str, expected: bool, predicted: bool) -> None:
        self.overall.add(expected, predicted)
        self.by_language.setdefault(language, Tally()).add(expected, predicted)
        if category:
            self.by_category.setdefault(category, Tally()).add(expected, predicted)

    def as_dict(self) -> dict[str, Any]:
        out = self.overall.figures()
        out["by_language"] = {k: t.figures() for k, t in sorted(self.by_language.items())}
        out["by_category"] = {k: t.figures() for k, t in sorted(self.by_category.items())}
        out["uncertain_band"] = self.uncertain
        if self.confusion:
            out["confusion"] = self.confusion
            out["detection"] = self.detection.figures()
        out["errors"] = self.errors
        return out


def _context(policy: Policy, registry: Registry, resources: dict[str, Any], event: Any) -> Context:
    return Context(policy, registry, None, now=event.occurred_at, resources=resources)


def _default_resources() -> dict[str, Any]:
    """The shipped US voter facts (the same records `setup` loads into the database)."""
    from .votegov import shipped_voter_facts

    return {"voter_facts": shipped_voter_facts()}


def _event(raw: Any, index: int, allowed: Iterable[Any], message: str) -> Any:
    if isinstance(raw, str):
        raise InvalidEvent(raw, index=index)
    if not isinstance(raw, dict):
        raise InvalidEvent("each line must be a JSON object", index=index)
    if raw.get("expected") not in allowed:
        raise InvalidEvent(message, index=index, field="expected", event_id=raw.get("id"))
    event = parse_event(raw, index)
    if not hasattr(event.payload, "analysed_text"):
        raise InvalidEvent("each line must be a content, search or ad event", index=index, field="type",
                           event_id=event.id)
    return event


def _assessed(lines: Iterable[Any], allowed: Iterable[Any], message: str, result: Evaluation,
              policy: Policy | None, registry: Registry | None,
              resources: dict[str, Any] | None) -> Iterator[tuple[int, dict[str, Any], Any, Any]]:
    """(index, line, event, verdict) for every good line; bad ones go to `result.errors` by index."""
    policy = policy or load_policy(DEFAULT_POLICY_DIR)
    registry = registry or Registry.from_entry_points()
    resources = _default_resources() if resources is None else resources
    for index, raw in enumerate(lines):
        try:
            event = _event(raw, index, allowed, message)
        except InvalidEvent as exc:
            result.errors.append(exc.as_dict())
            continue
        yield index, raw, event, assess(event.payload, _context(policy, registry, resources, event))


def evaluate_relevance(lines: Iterable[Any], *, policy: Policy | None = None, registry: Registry | None = None,
                       resources: dict[str, Any] | None = None) -> Evaluation:
    result = Evaluation()
    message = "`expected` must be \"election_related\" or \"not_election_related\""
    for index, raw, event, verdict in _assessed(lines, RELEVANCE_EXPECTED, message, result, policy, registry,
                                                resources):
        expected = RELEVANCE_EXPECTED[raw["expected"]]
        predicted = any(r.rule_id in BANNER_RULES and r.mode == "enforce" for r in verdict.reasons)
        signal = verdict.signals.get("election_relevance")
        value = float(signal.value) if signal else 0.0
        result.uncertain += 0.3 <= value < 0.6
        result.add(_language(raw, verdict), str(raw.get("category") or ""), expected, predicted)
        if expected != predicted:
            result.mistakes.append({"index": index, "id": event.id, "expected": raw["expected"],
                                    "value": value, "text": event.payload.analysed_text[:300]})
    return result


def evaluate_procedural(lines: Iterable[Any], *, policy: Policy | None = None, registry: Registry | None = None,
                        resources: dict[str, Any] | None = None) -> Evaluation:
    result = Evaluation()
    message = "`expected` must be one of " + ", ".join(PROCEDURAL_EXPECTED)
    for index, raw, event, verdict in _assessed(lines, PROCEDURAL_EXPECTED, message, result, policy, registry,
                                                resources):
        signal = verdict.signals.get("procedural_claim")
        predicted = str(signal.value) if signal else "none"
        predicted = "true" if predicted == "consistent" else predicted
        expected = raw["expected"]
        row = result.confusion.setdefault(expected, {})
        row[predicted] = row.get(predicted, 0) + 1
        result.detection.add(expected != "none", predicted != "none")
        result.add(_language(raw, verdict), str(raw.get("category") or ""), expected == "false", predicted == "false")
        if (expected == "false") != (predicted == "false"):
            narrative = (signal.evidence.get("narrative") or {}).get("id") if signal else None
            result.mistakes.append({"index": index, "id": event.id, "expected": expected, "predicted": predicted,
                                    "narrative": narrative, "text": event.payload.analysed_text[:300]})
    return result


def _language(raw: dict[str, Any], verdict: Any) -> str:
    signal = verdict.signals.get("language")
    return str(raw.get("language") or (signal.value if signal else None) or "und")
