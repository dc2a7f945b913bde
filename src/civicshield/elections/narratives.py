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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import yaml

from civicshield.core.errors import CivicShieldError
from civicshield.core.textrep import TextEncoder, shared_encoder

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

    def as_evidence(self) -> dict[str, Any]:
        return {"id": self.id, "summary": self.summary, "correct_fact": self.correct,
                "source": dict(self.source)}


@dataclass(frozen=True)
class NarrativeMatch:
    narrative: Narrative
    similarity: float
    margin: float
    anchor: str


def load_catalogue(path: Path = CATALOGUE) -> list[tuple[Narrative, list[str], list[str]]]:
    """(narrative, claim anchors, correction anchors) for every entry; a broken file says where."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = []
        for raw in data["narratives"]:
            narrative = Narrative(raw["id"], raw["kind"], raw["summary"], raw["correct"], dict(raw["source"]))
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
        for i, (_, claims, corrections) in enumerate(entries):
            self._claim_owner += [i] * len(claims)
            self._claim_text += claims
            self._correction_owner += [i] * len(corrections)
            correction_texts += corrections
        self._claims = encoder.encode(self._claim_text)
        self._corrections = encoder.encode(correction_texts) if correction_texts else None
        self._claim_owner_arr = np.asarray(self._claim_owner)
        self._correction_owner_arr = np.asarray(self._correction_owner)

    def nearest(self, vector: np.ndarray) -> NarrativeMatch:
        """The closest narrative, whether or not it passes the floor."""
        sims = self._claims @ vector
        best = int(np.argmax(sims))
        owner = self._claim_owner[best]
        against = -1.0
        if self._corrections is not None:
            mine = self._correction_owner_arr == owner
            if mine.any():
                against = float((self._corrections[mine] @ vector).max())
        similarity = float(sims[best])
        return NarrativeMatch(self.narratives[owner], round(similarity, 4), round(similarity - against, 4),
                              self._claim_text[best])

    def match(self, vector: np.ndarray) -> NarrativeMatch | None:
        found = self.nearest(vector)
        if found.similarity >= self.floor and found.margin >= self.margin:
            return found
        return None


def calibration(path: Path = CALIBRATION) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CivicShieldError(f"{path} is missing: run `civicshield elections train` to calibrate the "
                               "voting-narrative catalogue") from None


@lru_cache(maxsize=None)
def default_catalogue() -> NarrativeCatalogue:
    settings = calibration()
    return NarrativeCatalogue(load_catalogue(), shared_encoder(settings["encoder"]), float(settings["floor"]),
                              float(settings["margin"]))
