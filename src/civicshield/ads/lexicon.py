"""The political-ad lexicon: which words make an ad political, and why.

The lexicon (`data/lexicon.yaml`) is the explainable half of the political-ad detector: every hit
names its category (party, office, election, call to vote, issue advocacy) and the matched term, so a
reviewer and an advertiser can see what triggered a rejection. Names that are only known at run time
(candidates and officials from the registry, politician and party accounts, the election in view)
are matched as extra `office` / `party` terms. Pure: no Django, no I/O beyond reading the shipped file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from civicshield.elections.relevance import fold

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
CATEGORIES: tuple[str, ...] = ("party", "office", "election", "call_to_vote", "issue_advocacy")
STEM_MIN = 7
PARTISAN = ("party", "office", "call_to_vote", "issue_advocacy")


@dataclass(frozen=True)
class Hits:
    """What the lexicon found in one text."""

    terms: dict[str, dict[str, float]] = field(default_factory=dict)  # category -> term -> weight
    exemption_topics: tuple[str, ...] = ()

    def strength(self, category: str) -> float:
        """Noisy-OR of the category's term weights: more independent evidence, higher strength."""
        miss = 1.0
        for weight in self.terms.get(category, {}).values():
            miss *= 1.0 - weight
        return 1.0 - miss

    @property
    def partisan(self) -> bool:
        return any(self.strength(c) >= 0.6 for c in PARTISAN)

    def as_evidence(self) -> dict[str, list[str]]:
        return {c: sorted(t) for c, t in self.terms.items() if t}


class Lexicon:
    """Compiled matchers for the categories, the exemption topics and the everyday spans."""

    def __init__(self, path: Path = LEXICON_FILE) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.explanations = {c: data["categories"][c]["explanation"] for c in CATEGORIES}
        self._index: dict[str, dict[str, float]] = {}
        for category in CATEGORIES:
            for terms in data["categories"][category]["terms"].values():
                for term, weight in terms.items():
                    entry = self._index.setdefault(fold(str(term)), {})
                    entry[category] = max(float(weight), entry.get(category, 0.0))
        self._pattern = _alternation(self._index)
        self._topics = {topic: _alternation({fold(t): 1 for terms in langs.values() for t in terms})
                        for topic, langs in data["exemptions"].items()}
        self._everyday = re.compile("|".join(f"(?:{p})" for p in data["everyday"]))
        self.as_of = str(data.get("as_of", ""))

    def match(self, text: str, names: Iterable[tuple[str, str]] = ()) -> Hits:
        """Hits in `text`; `names` adds (name, category) pairs known at run time."""
        folded = fold(text)
        everyday = [m.span() for m in self._everyday.finditer(folded)]
        found: dict[str, dict[str, float]] = {}
        # "So wählen Sie per Briefwahl" explains how to vote: inside a how-to-vote phrase, "wählen Sie"
        # is not a call to vote for anyone.
        how_to_vote = [m.span() for m in self._topics["voting_information"].finditer(folded)]
        for m in self._pattern.finditer(folded):
            if any(start <= m.start() < end for start, end in everyday):
                continue
            term = self._term(m.group(1))
            inside_how_to = any(start <= m.start() < end for start, end in how_to_vote)
            for category, weight in self._index[term].items():
                if not (inside_how_to and category == "call_to_vote"):
                    found.setdefault(category, {})[term] = weight
        for name, category in names:
            key = fold(name).strip()
            if len(key) >= 4 and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
                found.setdefault(category, {})[key] = 0.9
        topics = tuple(t for t, pattern in self._topics.items() if pattern.search(folded))
        return Hits(found, topics)

    def _term(self, matched: str) -> str:
        if matched in self._index:
            return matched
        return max((t for t in self._index if len(t) >= STEM_MIN and matched.startswith(t)), key=len)


def _alternation(terms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) + (r"\w*" if len(t) >= STEM_MIN else "")
                                            for t in ordered) + r")(?!\w)")


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon()
