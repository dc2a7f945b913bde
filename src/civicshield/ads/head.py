"""The learned half of the political-ad detector: a head over the shared sentence embedding.

`data/political_ad.head.json` is trained by `civicshield ads train` on real ads collected by others
(docs/data-sources.md) and shipped. It weighs the multilingual embedding of the ad's text together with
the lexicon's category strengths, which also name what an explanation quotes. Loaded once per process;
a missing or damaged file raises `ModelError` when the worker starts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from civicshield.core.heads import LinearHead
from civicshield.elections.relevance import score_text

from .lexicon import CATEGORIES, Hits

HEAD_FILE = Path(__file__).resolve().parent / "data" / "political_ad.head.json"
# The head ships for both encoders: USE reads its 16 languages, e5 the others (core.textrep.encoder_for).
SHIPPED_ENCODERS = ("use", "e5")
FEATURES = tuple(f"lexicon:{c}" for c in CATEGORIES) + ("lexicon:exemption_topic", "election_terms")


def political_ad_head(encoder: str = "use") -> LinearHead:
    path = HEAD_FILE if encoder == "use" else HEAD_FILE.with_name(f"political_ad.{encoder}.head.json")
    return _load(path)


@lru_cache(maxsize=None)
def _load(path: Path) -> LinearHead:
    return LinearHead.load(path)


def ad_features(text: str, hits: Hits) -> list[float]:
    return ([hits.strength(c) for c in CATEGORIES] + [1.0 if hits.exemption_topics else 0.0]
            + [score_text(text)[0]])
