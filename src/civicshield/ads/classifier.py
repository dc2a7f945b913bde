"""The trained half of the political-ad detector: logistic regression over n-grams and lexicon hits.

Lexicons miss paraphrases ("the incumbent failed our town, choose change on the 5th") and fire on
everyday phrases they were not told about; a classifier trained on the project's labelled ads
(`data/ads_train.jsonl`) weighs character n-grams, which work across languages and spellings, together
with the lexicon's category strengths. Training needs scikit-learn (`civicshield ads train`, run at build
time); the shipped model (`data/political_ad_model.json.gz`, a few hundred kB) is plain numbers,
scored here with numpy only, so the detector loads in milliseconds and never downloads anything.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from civicshield.elections.relevance import fold

from .lexicon import CATEGORIES, Hits, Lexicon

MODEL_FILE = Path(__file__).parent / "data" / "political_ad_model.json.gz"
NGRAMS = (2, 5)
LEXICON_FEATURES = tuple(f"lexicon:{c}" for c in CATEGORIES) + ("lexicon:exemption_topic",)


def ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries (like scikit-learn's `char_wb`), on folded text."""
    grams: list[str] = []
    for word in fold(text).split():
        padded = f" {word} "
        for n in range(NGRAMS[0], NGRAMS[1] + 1):
            grams.extend(padded[i:i + n] for i in range(max(len(padded) - n + 1, 1)))
    return grams


def lexicon_features(hits: Hits) -> list[float]:
    return [hits.strength(c) for c in CATEGORIES] + [1.0 if hits.exemption_topics else 0.0]


@dataclass(frozen=True)
class Score:
    probability: float
    top_ngrams: tuple[str, ...]
    lexicon_weights: dict[str, float]


class PoliticalAdModel:
    """Scores texts with the shipped weights; `train` builds new weights from labelled texts."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.vocabulary = {g: i for i, g in enumerate(data["vocabulary"])}
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.ngram_coef = np.asarray(data["ngram_coef"], dtype=np.float64)
        self.lexicon_coef = np.asarray(data["lexicon_coef"], dtype=np.float64)
        self.intercept = float(data["intercept"])
        self.meta = data.get("meta", {})

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "PoliticalAdModel":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))

    def _tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        for g in ngrams(text):
            i = self.vocabulary.get(g)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts, dtype=np.int64)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[idx]
        return idx, values / np.linalg.norm(values)

    def score(self, text: str, hits: Hits) -> Score:
        idx, values = self._tfidf(text)
        contributions = values * self.ngram_coef[idx]
        lex = np.asarray(lexicon_features(hits)) * self.lexicon_coef
        z = self.intercept + float(contributions.sum()) + float(lex.sum())
        top = np.argsort(-contributions)[:5]
        inverse = self._inverse()
        grams = tuple(inverse[idx[i]].strip() for i in top if contributions[i] > 0.05)
        return Score(1.0 / (1.0 + math.exp(-z)), grams,
                     {f: round(float(w), 3) for f, w in zip(LEXICON_FEATURES, lex) if abs(w) > 0.01})

    def _inverse(self) -> list[str]:
        if not hasattr(self, "_inv"):
            inv = [""] * len(self.vocabulary)
            for g, i in self.vocabulary.items():
                inv[i] = g
            self._inv = inv
        return self._inv


def train(texts: Sequence[str], labels: Sequence[int], lexicon: Lexicon, *, max_features: int = 12000,
          c: float = 4.0) -> dict[str, Any]:
    """Fit the model on labelled texts (1 = political); returns the weights to save with `save`."""
    from scipy.sparse import hstack, csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, max_features=max_features, min_df=2)
    x_text = vectorizer.fit_transform(texts)
    x_lex = csr_matrix(np.asarray([lexicon_features(lexicon.match(t)) for t in texts]))
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(hstack([x_text, x_lex]).tocsr(), np.asarray(labels))
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    n = len(vocabulary)
    coef = model.coef_[0]
    return {"vocabulary": vocabulary, "idf": [round(float(v), 5) for v in vectorizer.idf_],
            "ngram_coef": [round(float(v), 5) for v in coef[:n]],
            "lexicon_coef": [round(float(v), 5) for v in coef[n:]],
            "intercept": round(float(model.intercept_[0]), 5),
            "meta": {"features": LEXICON_FEATURES, "ngrams": NGRAMS, "C": c, "trained_on": len(texts)}}


def save(weights: dict[str, Any], path: Path = MODEL_FILE) -> None:
    # mtime=0 keeps the file byte-identical for identical weights, so rebuilding changes nothing in git.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(weights, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def labelled(lines: Iterable[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """(texts, labels) from labelled `ad.submitted` events (top-level `expected`)."""
    texts, labels = [], []
    for line in lines:
        texts.append(line["ad"]["text"])
        labels.append(1 if line["expected"] == "political" else 0)
    return texts, labels
