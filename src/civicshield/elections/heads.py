"""The learned heads of the election detectors, and the readable features they weigh beside the embedding.

`election_relevance.head.json` and `procedural_claim.head.json` (in `data/`) are trained by
`civicshield elections train` from real, licensed data (see docs/data-sources.md) and shipped; they are
loaded once per process and checked against their recorded hash. The lexicon and the procedural
patterns stay: as features the head weighs, and as the words an explanation quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from civicshield.core.heads import LinearHead, ModelError
from civicshield.core.surface import SurfaceModel

from .cascade import could_be_electoral
from .relevance import fold, score_text

DATA = Path(__file__).resolve().parent / "data"
RELEVANCE_HEAD = DATA / "election_relevance.head.json"
PROCEDURAL_HEAD = DATA / "procedural_claim.head.json"
HOAX_HEAD = DATA / "voting_hoax.head.json"
HOAX_SURFACE = DATA / "voting_hoax.surface.npz"

# Each head ships for both encoders: USE reads its 16 languages, e5 the others (core.textrep.encoder_for).
SHIPPED_ENCODERS = ("use", "e5")
RELEVANCE_FEATURES = ("lexicon_score", "lexicon_terms", "procedural_terms", "hashtag_hint", "gate_open")


def relevance_head(encoder: str = "use") -> LinearHead:
    return _load(variant(RELEVANCE_HEAD, encoder))


def procedural_head(encoder: str = "use") -> LinearHead:
    return _load(variant(PROCEDURAL_HEAD, encoder))


def hoax_head(encoder: str = "use") -> LinearHead:
    return _load(variant(HOAX_HEAD, encoder))


def variant(path: Path, encoder: str) -> Path:
    """The head file for an encoder: `x.head.json` for the default one, `x.e5.head.json` for e5."""
    return path if encoder == "use" else path.with_name(path.name.replace(".head.json", f".{encoder}.head.json"))


@lru_cache(maxsize=None)
def _load(path: Path) -> LinearHead:
    return LinearHead.load(path)


def surface_of(head: LinearHead) -> SurfaceModel | None:
    """The character n-gram model a head reads as its `surface_score` feature (None: the head reads none)."""
    if head.surface is None:
        return None
    try:
        return _surface(DATA / str(head.surface["file"]), str(head.surface["sha256"]))
    except (KeyError, TypeError):
        raise ModelError(f"head {head.version} names its surface model without a file and SHA-256") from None


@lru_cache(maxsize=None)
def _surface(path: Path, sha256: str) -> SurfaceModel:
    return SurfaceModel.load(path, sha256, fold)


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


HOAX_FEATURES = ("narrative_cue", "narrative_similarity", "narrative_margin", "facts_false", "pattern_claims",
                 "negation", "debunk_words", "question", "surface_score")
# What separates a hoax from its debunk on the same topic, which embeddings place side by side: a
# negation, a word that calls it false, a question. Folded (lower-case, no accents), at word starts.
_NEGATION = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted({fold(w) for w in (
    "not", "no", "never", "cannot", "can't", "cant", "won't", "don't", "doesn't", "isn't", "aren't", "nobody",
    "nunca", "jamas", "nao", "não", "nem", "ne", "pas", "jamais", "nicht", "kein", "keine", "nie", "niemals",
    "non", "mai", "nessun", "nie", "nigdy", "tidak", "bukan", "tak", "jangan", "degil", "değil", "yok", "asla",
    "hayir", "geen", "niet", "nooit", "لا", "ليس", "لن", "नहीं", "नही", "मत", "कभी नहीं", "না", "নয়",
    "ない", "ません", "않", "안 ", "못")}, key=len, reverse=True))) + r")(?!\w)")
_DEBUNK = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted({fold(w) for w in (
    "fake", "hoax", "false", "scam", "rumor", "rumour", "myth", "misinformation", "disinformation", "debunk",
    "fact check", "fact-check", "not true", "untrue", "lie", "beware", "warning", "don't fall", "don't believe",
    "bulo", "falso", "falsa", "mentira", "estafa", "engano", "engaño", "cuidado", "boato", "golpe", "fake news",
    "faux", "fausse", "intox", "arnaque", "rumeur", "falschmeldung", "luge", "lüge", "betrug", "vorsicht",
    "gerucht", "bufala", "truffa", "attenzione", "nieprawda", "falszyw", "fałszyw", "oszust", "uwaga", "hoaks",
    "bohong", "penipuan", "waspada", "yalan", "sahte", "dolandiric", "dikkat", "asilsiz", "nep", "oplichting",
    "كاذب", "مزيف", "شائعة", "احتيال", "अफवाह", "झूठ", "फर्जी", "फेक", "सावधान", "ধাপ্পা", "ভুয়া", "デマ",
    "詐欺", "가짜", "사기", "허위")}, key=len, reverse=True))) + r")")


def hoax_cues(text: str) -> tuple[float, float, float]:
    """(negation, debunk words, question) for the voting-hoax head."""
    folded = fold(text)
    return (1.0 if _NEGATION.search(folded) else 0.0, 1.0 if _DEBUNK.search(folded) else 0.0,
            1.0 if "?" in text or "¿" in text or "؟" in text else 0.0)


def hoax_features(text: str, vector: Any, catalogue: Any, checked: Mapping[str, Any] | None, *,
                  surface: float | SurfaceModel | None = None, skip_self: bool = False) -> tuple[list[float], Any]:
    """(features, nearest narrative holding a cue) for the voting-hoax head: how close the text is to a
    known false narrative whose distinctive word it contains, what the voter facts say of it, and the
    character n-gram model's score (`surface`: the model, or its out-of-fold score when training)."""
    from .procedural import find_claims

    nearest = catalogue.nearest(vector, text, skip_self=skip_self)
    features = [1.0 if nearest is not None else 0.0,
                nearest.similarity if nearest is not None else 0.0,
                nearest.margin if nearest is not None else 0.0,
                1.0 if checked is not None and checked.get("value") == "false" else 0.0,
                float(min(len(find_claims(text)), 3)), *hoax_cues(text),
                surface.logit(text) if isinstance(surface, SurfaceModel) else float(surface or 0.0)]
    return features, nearest
