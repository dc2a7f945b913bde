"""The claim-match detector: does this post, ad or search repeat a fact-checked claim?

It reads the claim index from `context.resources["factchecks.index"]` and yields nothing without
one. BM25 runs on every text; the embedding (milliseconds, the costly step) runs only on text that
can matter: enough words, and either election-related, not in English (where BM25 over an
English-heavy store is blind), or already a lexical near-miss. A confident lexical match is acted
on without embedding at all. Policy reads `signals.claim_match.evidence.decision`
(`confirm` / `suggest` / `none`) and `.rating`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from civicshield.core.verdict import Signal

RESOURCE = "factchecks.index"
MIN_WORDS = 4
RELEVANCE_GATE = 0.3
CANDIDATES = 3


def should_embed(text: str, signals: dict[str, Signal], lexical_best: float, lexical_suggest: float) -> bool:
    """The embedding gate: only text that can matter pays for an embedding."""
    if len(text.split()) < MIN_WORDS:
        return False
    relevance = signals.get("election_relevance")
    language = signals.get("language")
    return bool(
        (relevance is not None and float(relevance.value or 0) >= RELEVANCE_GATE)
        or (language is not None and language.value not in ("en", "und", None))
        or lexical_best >= lexical_suggest / 2)


class ClaimMatchDetector:
    name: ClassVar[str] = "claim_match"
    cost: ClassVar[int] = 50
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "search"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        index = (getattr(context, "resources", None) or {}).get(RESOURCE)
        text = getattr(subject, "analysed_text", "") or ""
        if index is None or not len(index) or not text.strip():
            return
        matches = index.search(text, top=CANDIDATES, method="lexical")
        decision = index.decide(matches, embedded=False)
        embedded = False
        if decision != "confirm":
            best = matches[0].score if matches else 0.0
            if should_embed(text, signals, best, index.thresholds(embedded=False).suggest):
                matches = index.search(text, top=CANDIDATES, method="hybrid")
                decision = index.decide(matches, embedded=True)
                embedded = True
        top = matches[0] if matches and decision != "none" else None
        yield Signal(self.name, round(matches[0].score, 4) if matches else 0.0, {
            "decision": decision,
            "embedded": embedded,
            "rating": top.claim.rating if top else "",
            "fact_check_id": top.claim.id if top else "",
            "candidates": [m.as_dict() for m in matches] if decision != "none" else [],
        }, self.name)
