"""The learned heads of the election detectors, and the readable features they weigh beside the embedding.

`election_relevance.head.json` and `procedural_claim.head.json` (in `data/`) are trained by
`civicshield elections train` from real, licensed data (see docs/data-sources.md) and shipped; they are
loaded once per process and checked against their recorded hash. The lexicon and the procedural
patterns stay: as features the head weighs, and as the words an explanation quotes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

from civicshield.core.heads import LinearHead

from .cascade import could_be_electoral
from .relevance import score_text

DATA = Path(__file__).resolve().parent / "data"
RELEVANCE_HEAD = DATA / "election_relevance.head.json"
PROCEDURAL_HEAD = DATA / "procedural_claim.head.json"

# Each head ships for both encoders: USE reads its 16 languages, e5 the others (core.textrep.encoder_for).
SHIPPED_ENCODERS = ("use", "e5")
RELEVANCE_FEATURES = ("lexicon_score", "lexicon_terms", "procedural_terms", "hashtag_hint", "gate_open")


def relevance_head(encoder: str = "use") -> LinearHead:
    return _load(variant(RELEVANCE_HEAD, encoder))


def procedural_head(encoder: str = "use") -> LinearHead:
    return _load(variant(PROCEDURAL_HEAD, encoder))


def variant(path: Path, encoder: str) -> Path:
    """The head file for an encoder: `x.head.json` for the default one, `x.e5.head.json` for e5."""
    return path if encoder == "use" else path.with_name(path.name.replace(".head.json", f".{encoder}.head.json"))


@lru_cache(maxsize=None)
def _load(path: Path) -> LinearHead:
    return LinearHead.load(path)


def relevance_features(text: str, hashtags: Iterable[str] = ()) -> tuple[list[float], float, list[str], bool]:
    """(features, lexicon score, matched terms, procedural?) for one text."""
    tags = tuple(hashtags)
    score, terms, procedural = score_text(text, tags)
    features = [score, float(min(len(terms), 5)), 1.0 if procedural else 0.0,
                1.0 if any(t.startswith("#") for t in terms) else 0.0,
                1.0 if could_be_electoral(text, tags) else 0.0]
    return features, score, terms, procedural


PROCEDURAL_FEATURES = ("pattern_claims", "procedural_terms", "lexicon_score")


def procedural_features(text: str) -> list[float]:
    from .procedural import find_claims

    score, _, procedural = score_text(text)
    return [float(min(len(find_claims(text)), 3)), 1.0 if procedural else 0.0, score]
