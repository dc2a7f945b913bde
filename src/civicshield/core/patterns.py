"""Named text patterns declared in the policy set, matched once per subject.

Policy managers add a pattern to the YAML (`patterns: {voter_intimidation: "..."}`) and test it in a
rule as `"voter_intimidation" in signals.text_patterns.value`. The expressions are compiled when the
policy loads, which keeps regular expressions out of per-rule CEL evaluation.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from .verdict import Signal


class TextPatternDetector:
    name: ClassVar[str] = "text_patterns"
    cost: ClassVar[int] = 4
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "search", "account"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        patterns = context.policy.patterns
        if not patterns:
            return
        text = getattr(subject, "analysed_text", None)
        if text is None:
            text = f"{getattr(subject, 'display_name', '')}\n{getattr(subject, 'bio', '')}"
        matched = {}
        for name, pattern in patterns.items():
            found = pattern.search(text)
            if found:
                matched[name] = found.group(0)[:200]
        yield Signal(self.name, sorted(matched), {"matches": matched}, self.name)
