"""Known false voting narratives, recognised by meaning in any covered language.

The same voting hoax ("vote by text", "your party votes on Wednesday", "they erase pencil marks")
returns every election, reworded and translated. `data/voting_narratives.yaml` lists each narrative
with the fact-check or official page that debunks it, the correct fact, the narrative stated in several
languages (`claims`) and correct statements on the same topic (`corrections`). A post matches a
narrative when its embedding is close to one of the narrative's claims and closer to the claims than to
the corrections (so "you cannot vote by text" is not "you can vote by text"). The similarity floor is
set from data: a percentile of the similarity between the catalogue and real election claims that are
not voting hoaxes (`civicshield elections train`), never tuned on an evaluation set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import yaml

from civicshield.core.errors import CivicShieldError
from civicshield.core.textrep import TextEncoder, shared_encoder

from .relevance import fold

DATA = Path(__file__).resolve().parent / "data"
CATALOGUE = DATA / "voting_narratives.yaml"
CALIBRATION = DATA / "voting_narratives.calibration.json"


@dataclass(frozen=True)
class Narrative:
    id: str
    kind: str
    summary: str
    correct: str
    source: Mapping[str, str]
    cues: tuple[str, ...] = ()

    def as_evidence(self) -> dict[str, Any]:
        return {"id": self.id, "summary": self.summary, "correct_fact": self.correct,
                "source": dict(self.source)}


@lru_cache(maxsize=4096)
def _spaced(text: str) -> bool:
    """Whether a cue (or a character) is matched at a word start: words of scripts written without
    spaces (Chinese, Japanese, Thai…) start anywhere, and so do cues that begin with a sign."""
    first = text[:1]
    if not first.isalnum():
        return False
    return not unicodedata.name(first, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI", "KHMER", "LAO",
                                                      "MYANMAR"))


class CueFinder:
    """Every narrative's first cue in a folded text, in one pass for all cues of all narratives.

    Cues are looked up from each place a word starts (and from every character of a script written
    without spaces, and every sign that is not a letter), extending one character at a time while the
    text so far is the start of some cue. A cue of a spaced script counts only at a word start."""

    def __init__(self, narratives: list["Narrative"]) -> None:
        self.count = len(narratives)
        self._index: dict[str, list[tuple[int, bool]]] = {}
        for i, narrative in enumerate(narratives):
            for cue in narrative.cues:
                self._index.setdefault(cue, []).append((i, _spaced(cue)))
        self._prefixes = {cue[:k] for cue in self._index for k in range(1, len(cue) + 1)}

    def find(self, folded: str) -> list[str | None]:
        found: list[str | None] = [None] * self.count
        previous_is_word = False
        for p, char in enumerate(folded):
            at_word_start = not previous_is_word
            previous_is_word = char.isalnum() or char == "_"
            if not at_word_start and previous_is_word and _spaced(char):
                continue  # inside a word of a spaced script: no cue starts here
            end = p + 1
            while end <= len(folded) and folded[p:end] in self._prefixes:
                for i, spaced in self._index.get(folded[p:end], ()):
                    if found[i] is None and (at_word_start or not spaced):
                        found[i] = folded[p:end].strip()
                end += 1
        return found


@dataclass(frozen=True)
class NarrativeMatch:
    narrative: Narrative
    similarity: float
    margin: float
    anchor: str
    cue: str = ""


def load_catalogue(path: Path = CATALOGUE) -> list[tuple[Narrative, list[str], list[str]]]:
    """(narrative, claim anchors, correction anchors) for every entry; a broken file says where."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = []
        for raw in data["narratives"]:
            cues = tuple(dict.fromkeys(fold(str(c)) for c in raw.get("cues") or ()))
            if not cues:
                raise ValueError(f"narrative {raw.get('id')!r} has no cues")
            narrative = Narrative(raw["id"], raw["kind"], raw["summary"], raw["correct"], dict(raw["source"]), cues)
            claims = [t for texts in raw["claims"].values() for t in texts]
            corrections = [t for texts in (raw.get("corrections") or {}).values() for t in texts]
            if not claims:
                raise ValueError(f"narrative {narrative.id!r} has no claims")
            entries.append((narrative, claims, corrections))
        return entries
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise CivicShieldError(f"{path}: the voting-narrative catalogue is unreadable: {exc}") from None


class NarrativeCatalogue:
    """The catalogue's anchors embedded once, searched with one matrix product per post."""

    def __init__(self, entries: list[tuple[Narrative, list[str], list[str]]], encoder: TextEncoder,
                 floor: float, margin: float) -> None:
        self.floor = floor
        self.margin = margin
        self.encoder = encoder
        self._claim_owner: list[int] = []
        self._claim_text: list[str] = []
        self._correction_owner: list[int] = []
        correction_texts: list[str] = []
        self.narratives = [n for n, _, _ in entries]
        self._cues = CueFinder(self.narratives)
        for i, (_, claims, corrections) in enumerate(entries):
            self._claim_owner += [i] * len(claims)
            self._claim_text += claims
            self._correction_owner += [i] * len(corrections)
            correction_texts += corrections
        self._claims = encoder.encode(self._claim_text)
        self._corrections = encoder.encode(correction_texts) if correction_texts else None
        self._claim_owner_arr = np.asarray(self._claim_owner)
        self._correction_owner_arr = np.asarray(self._correction_owner)

    def nearest(self, vector: np.ndarray, text: str | None = None, *,
                skip_self: bool = False) -> NarrativeMatch | None:
        """The closest narrative whose cue the text contains (any narrative when `text` is None),
        whether or not it passes the floor. `skip_self` leaves out an anchor identical to `text` (so a
        catalogue wording used as a training example is not its own nearest neighbour)."""
        sims = self._claims @ vector
        if skip_self and text is not None:
            sims = np.where(np.asarray([t == text for t in self._claim_text]), -2.0, sims)
        cue = ""
        if text is not None:
            folded = fold(text)
            cues = self._cues.find(folded)
            allowed = np.asarray([cues[o] is not None for o in self._claim_owner])
            if not allowed.any():
                return None
            sims = np.where(allowed, sims, -2.0)
        best = int(np.argmax(sims))
        if sims[best] <= -2.0:
            return None
        owner = self._claim_owner[best]
        if text is not None:
            cue = cues[owner] or ""
        against = -1.0
        if self._corrections is not None:
            mine = self._correction_owner_arr == owner
            if mine.any():
                against = float((self._corrections[mine] @ vector).max())
        similarity = float(sims[best])
        return NarrativeMatch(self.narratives[owner], round(similarity, 4), round(similarity - against, 4),
                              self._claim_text[best], cue)

    def match(self, vector: np.ndarray, text: str) -> NarrativeMatch | None:
        found = self.nearest(vector, text)
        if found is not None and found.similarity >= self.floor and found.margin >= self.margin:
            return found
        return None


def calibration(encoder: str = "use") -> dict[str, Any]:
    """The similarity floor and margin for one encoder (each spreads similarities differently)."""
    try:
        settings = json.loads(CALIBRATION.read_text(encoding="utf-8"))
        return dict(settings[encoder])
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        raise CivicShieldError(f"{CALIBRATION} has no calibration for the {encoder} encoder: run "
                               "`civicshield elections train --only narratives` to calibrate the catalogue") from None


@lru_cache(maxsize=None)
def catalogue_for(encoder: str = "use") -> NarrativeCatalogue:
    settings = calibration(encoder)
    return NarrativeCatalogue(load_catalogue(), shared_encoder(encoder), float(settings["floor"]),
                              float(settings["margin"]))
