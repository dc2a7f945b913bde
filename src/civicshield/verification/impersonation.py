"""Impersonation: accounts whose names look like a verified official's, or that claim an office.

The index holds each official's handle and names in folded form (see `names.py`). A suspect is
checked in three steps, cheapest first: exact skeleton (look-alike letters, accents), exact core
(the same name dressed up as `_official`), then fuzzy similarity (rapidfuzz, OSA distance) against
official names of a near length that share their first or last letters (one typo cannot change
both). Accounts that say they are parody or fan pages are left out; profile text that claims an
office is reported whether or not a name matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from civicshield.core.verdict import Signal

from .names import confusable_table, name_keys
from .officials import RESOURCE_KEY, Official

if TYPE_CHECKING:
    from civicshield.core.assess import Context
    from civicshield.core.events import Payload

FUZZY_CUTOFF = 87.0
MIN_CORE = 5  # shorter names ("bob") match too much to mean anything
BLOCK = 4

_PARODY = re.compile(r"\b(parody|satire|satirical|fan ?(page|account|club|site)?|fans|fanpage|fanclub|"
                     r"unofficial|not (affiliated|the real|associated)|impersonator|tribute)\b", re.I)
_TITLES = (r"senator|sen\.|governor|gov\.|mayor|congress(?:wo)?man|representative|rep\.|minister|"
           r"member of parliament|mp|mep|secretary of state|attorney general|prime minister|president|"
           r"councill?or|commissioner|premier|chancellor")
_OFFICE_CLAIMS = [
    re.compile(rf"^\s*(?:the\s+)?(?:{_TITLES})\s+\w+", re.I),
    re.compile(r"\bofficial\s+(?:account|page|profile|channel)\b", re.I),
    re.compile(rf"\b(?:i am|i'm|serving as|proud(?:ly)? serving as|elected)\s+(?:the |a |your )?"
               rf"(?:[\w.-]+\s+){{0,3}}(?:{_TITLES})\b", re.I),
    re.compile(r"\b(?:office of|official account of|ministry of|department of)\s+(?:the\s+)?\w+", re.I),
]


@dataclass(frozen=True, slots=True)
class Lookalike:
    official: Official
    field: str
    suspect: str
    matched: str
    method: str
    score: float


class LookalikeIndex:
    """Every official's names, folded, for exact and fuzzy look-alike search."""

    def __init__(self, officials: Iterable[Official]) -> None:
        self.skeletons: dict[str, list[tuple[Official, str]]] = {}
        self.cores: dict[str, list[tuple[Official, str]]] = {}
        self._fuzzy_keys: dict[str, list[tuple[Official, str]]] = {}
        self._blocks: dict[tuple[str, int], list[str]] = {}
        self._current: dict[str, Official] = {}
        for o in officials:
            self.add(o)

    def add(self, o: Official) -> None:
        """Index one official; an earlier entry for the same account stops matching."""
        self._current[o.account_id] = o
        for text in {o.handle, o.display_name, o.official_name} - {""}:
            keys = name_keys(text)
            if len(keys.core) < MIN_CORE:
                continue
            self.skeletons.setdefault(keys.skeleton, []).append((o, text))
            self.cores.setdefault(keys.core, []).append((o, text))
            for key in {keys.core, keys.skeleton}:
                if key not in self._fuzzy_keys:
                    self._block(key, prefix=key == keys.core)
                self._fuzzy_keys.setdefault(key, []).append((o, text))

    def remove(self, account_id: str) -> None:
        """Stop matching an official (revoked); its keys stay but are skipped."""
        self._current.pop(account_id, None)

    def __len__(self) -> int:
        return len(self._current)

    def search(self, field: str, text: str, limit: int = 3) -> list[Lookalike]:
        """Officials whose names `text` imitates, best first."""
        keys = name_keys(text)
        if len(keys.core) < MIN_CORE:
            return []
        found: dict[str, Lookalike] = {}
        for official, name in self._live(self.skeletons.get(keys.skeleton, [])):
            found.setdefault(official.account_id, Lookalike(official, field, text, name, _method(text, name), 1.0))
        for official, name in self._live(self.cores.get(keys.core, [])):
            found.setdefault(official.account_id, Lookalike(official, field, text, name, "decorated name", 0.93))
        if len(found) < limit:
            fuzzy = dict(self._fuzzy(keys.skeleton, limit))
            for core, score in self._fuzzy(keys.core, limit):
                fuzzy[core] = max(score, fuzzy.get(core, 0.0))
            for core, score in sorted(fuzzy.items(), key=lambda kv: -kv[1]):
                for official, name in self._live(self._fuzzy_keys[core]):
                    found.setdefault(official.account_id,
                                     Lookalike(official, field, text, name, "similar spelling", round(score / 100, 3)))
        return sorted(found.values(), key=lambda m: (-m.score, m.official.account_id))[:limit]

    def _live(self, entries: list[tuple[Official, str]]) -> list[tuple[Official, str]]:
        return [(o, name) for o, name in entries if self._current.get(o.account_id) is o]

    def _block(self, key: str, prefix: bool) -> None:
        # A skeleton starts with the title ("sen", "gov"), shared by thousands: block it by its end only.
        # Its core (title removed) covers typos near the end.
        self._blocks.setdefault(("$" + key[-BLOCK:], len(key)), []).append(key)
        if prefix:
            self._blocks.setdefault((key[:BLOCK] + "^", len(key)), []).append(key)

    def _fuzzy(self, key: str, limit: int) -> list[tuple[str, float]]:
        # One edit leaves either the first or the last BLOCK letters intact and changes the length by at
        # most one, so only names sharing an end and a near length are compared, not the whole registry.
        c = FUZZY_CUTOFF / 100
        spread = int((1 - c) * len(key) / c)
        candidates: set[str] = set()
        for n in range(len(key) - spread, len(key) + spread + 1):
            candidates.update(self._blocks.get(("$" + key[-BLOCK:], n), ()))
            candidates.update(self._blocks.get((key[:BLOCK] + "^", n), ()))
        candidates.discard(key)
        hits = process.extract(key, list(candidates), scorer=OSA.normalized_similarity, score_cutoff=c,
                               limit=limit)
        return [(choice, score * 100) for choice, score, _ in hits]


def _method(suspect: str, official: str) -> str:
    """How two names with the same skeleton differ, in a verifier's words."""
    if suspect == official:
        return "identical"
    if suspect.lower() == official.lower():
        return "different capitals"
    changed = set(suspect) - set(official)
    if any(c in "Il1|O0" or unicodedata.category(c) == "Lu" and not c.isascii() or c in confusable_table() for c in changed):
        return "look-alike characters"
    return "accents or transliteration"


def declared_parody(account: "Payload") -> str | None:
    """The words by which an account says it is parody or a fan page (platform label or profile text)."""
    extra = account.extra
    flags = [str(x).lower() for x in (extra.get("labels") or []) if isinstance(x, str)]
    if extra.get("parody") is True or {"parody", "fan", "fan_account", "satire"} & set(flags):
        return "platform label"
    for text in (account.display_name, account.bio, " ".join(re.split(r"[_.\-]", account.handle))):
        hit = _PARODY.search(text or "")
        if hit:
            return hit.group(0)
    return None


def office_claim(account: "Payload") -> str | None:
    """The phrase in the display name or bio that claims a public office, if any."""
    for text in (account.display_name, account.bio):
        for pattern in _OFFICE_CLAIMS:
            hit = pattern.search(text or "")
            if hit:
                return hit.group(0).strip()
    return None


class ImpersonationDetector:
    """Signals `impersonation` (a look-alike of a verified official) and `office_claim`."""

    name: ClassVar[str] = "impersonation"
    cost: ClassVar[int] = 10
    applies_to: ClassVar[frozenset[str]] = frozenset({"account"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: "Payload", context: "Context", signals: dict[str, Signal]) -> Iterable[Signal]:
        registry = context.resources.get(RESOURCE_KEY)
        if registry is None or subject.id in registry:
            return []
        parody = declared_parody(subject)
        if parody:
            return [Signal("parody_declared", True, {"marker": parody}, self.name)]
        out: list[Signal] = []
        claim = office_claim(subject)
        if claim:
            out.append(Signal("office_claim", True, {"phrase": claim}, self.name))
        index = registry.lookalike_index()
        matches = [m for field in ("handle", "display_name") if getattr(subject, field)
                   for m in index.search(field, getattr(subject, field))]
        matches = [m for m in matches if (subject.id, m.official.account_id) not in registry.cleared]
        if matches:
            best = max(matches, key=lambda m: m.score)
            score = min(1.0, best.score + (0.05 if claim else 0.0))
            out.append(Signal(self.name, score, {
                "official": best.official.as_dict(), "field": best.field, "suspect": best.suspect,
                "matched": best.matched, "method": best.method, "office_claim": claim,
                "others": sorted({m.official.account_id for m in matches} - {best.official.account_id})},
                self.name))
        return out
