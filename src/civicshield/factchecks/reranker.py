"""Turning the two retrievers' evidence into one calibrated match probability.

Reciprocal-rank fusion orders candidates well but says nothing about whether the best one is
*the same claim*: it always has a winner. Acting on a match (labelling a post) needs an absolute
score, so a small logistic model reads each candidate's lexical and semantic evidence and returns
P(candidate states the fact-checked claim). Its weights are fitted on a training split only
(`civicshield factchecks train`), ship as JSON beside this module, and the suggest/confirm
thresholds are chosen on the same training split for a target precision. The query adapter fitted
with it (`semantic.QueryAdapter`) ships beside it, because the cosine evidence the model weighs is
the adapted one.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

from .semantic import QueryAdapter, dimensions, spec

Mode = Literal["hybrid", "lexical", "semantic"]
WEIGHTS_FILE = Path(__file__).with_name("reranker.json")


def weights_file(encoder: str = "use") -> Path:
    """Where the shipped match model for an encoder lives (each encoder's cosines differ)."""
    dimensions(encoder)
    return WEIGHTS_FILE if encoder == "use" else WEIGHTS_FILE.with_name(f"reranker-{encoder}.json")
RRF_K = 60
# Below this a fact-checker's queue would fill with noise, whatever the training split says.
MIN_SUGGEST = 0.1
OVERLAP_FLOOR = 0.4
# A candidate missing from one retriever's pool is treated as ranked just below the pool. Raw BM25
# scores are left out on purpose: they grow with the size of the store, so a model fitted on one
# store would be miscalibrated on another; relative scores, ranks, overlap and cosine carry over.
MISSING_RANK = 100

FEATURES: dict[Mode, tuple[str, ...]] = {
    "semantic": ("cosine", "cosine_margin", "semantic_rrf"),
    "lexical": ("bm25_relative", "bm25_margin", "bm25_rrf", "bm25_log_rank", "overlap"),
    "hybrid": ("bm25_relative", "bm25_margin", "bm25_rrf", "bm25_log_rank", "overlap",
               "cosine", "cosine_margin", "semantic_rrf", "semantic_log_rank"),
}
# What the hybrid model also reads when the encoder has a second opinion (`semantic.EncoderSpec`).
SECOND_OPINION = ("second_cosine", "second_margin", "second_log_rank")


def features_for(encoder: str) -> dict[Mode, tuple[str, ...]]:
    """Each mode's feature names for a match model of this encoder."""
    if spec(encoder).second_opinion is None:
        return dict(FEATURES)
    return {**FEATURES, "hybrid": FEATURES["hybrid"] + SECOND_OPINION}


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the retrievers know about one candidate for one query; `*_other` is the best score among
    the other candidates, so a clear winner stands out from a crowd of near-misses."""

    bm25: float
    bm25_best: float
    bm25_rank: int
    overlap: float
    bm25_other: float = 0.0
    cosine: float | None = None
    cosine_other: float | None = None
    semantic_rank: int | None = None
    # The second-opinion encoder's cosine, the best among the other candidates, and the rank in the pool.
    second_cosine: float | None = None
    second_other: float | None = None
    second_rank: int | None = None

    def vector(self, names: Sequence[str]) -> list[float]:
        """This candidate's features, in `names` order (`feature_matrix` of one)."""
        return feature_matrix([self], names)[0].tolist()


def feature_matrix(evidence: Sequence[Evidence], names: Sequence[str]) -> np.ndarray:
    """`Evidence.vector` for many candidates at once (the same values, column by column)."""
    n = len(evidence)

    def log1p(values: np.ndarray) -> np.ndarray:  # math's, so a replay scores to the last bit as before
        return np.array([math.log1p(v) for v in values.tolist()], dtype=np.float64)

    def column(attribute: str, missing: float = 0.0) -> np.ndarray:
        return np.array([missing if (v := getattr(e, attribute)) is None else v for e in evidence], dtype=np.float64)

    values: dict[str, np.ndarray] = {}
    wanted = set(names)
    if wanted & {"bm25_relative", "bm25_margin", "bm25_rrf", "bm25_log_rank"}:
        bm25, best, other, rank = column("bm25"), column("bm25_best"), column("bm25_other"), column("bm25_rank")
        has_best = best > 0
        safe = np.where(has_best, best, 1.0)
        values["bm25_relative"] = np.where(has_best, bm25 / safe, 0.0)
        values["bm25_margin"] = np.where(has_best, (bm25 - other) / safe, 0.0)
        values["bm25_rrf"] = 100.0 / (RRF_K + rank)
        values["bm25_log_rank"] = log1p(rank)
    if "overlap" in wanted:
        values["overlap"] = column("overlap")
    if wanted & {"cosine", "cosine_margin", "semantic_rrf", "semantic_log_rank"}:
        cosine = column("cosine")
        rank = column("semantic_rank", MISSING_RANK)
        values["cosine"] = cosine
        values["cosine_margin"] = cosine - column("cosine_other")
        values["semantic_rrf"] = 100.0 / (RRF_K + rank)
        values["semantic_log_rank"] = log1p(rank)
    if wanted & set(SECOND_OPINION):
        second = [e.second_cosine is not None for e in evidence]
        values["second_cosine"] = np.where(second, column("second_cosine"), 0.0)
        values["second_margin"] = np.where(second, column("second_cosine") - column("second_other"), 0.0)
        rank = np.array([(e.second_rank or MISSING_RANK) for e in evidence], dtype=np.float64)
        values["second_log_rank"] = np.where(second, log1p(rank), 0.0)
    return np.column_stack([values.get(name, np.zeros(n)) for name in names]) if names else np.zeros((n, 0))


@dataclass(frozen=True)
class Thresholds:
    """Probability at which a match is suggested to a fact-checker, and at which it is acted on."""

    suggest: float = 0.35
    confirm: float = 0.85


@dataclass(frozen=True)
class Reranker:
    """Logistic model per mode: standardise, dot, sigmoid."""

    models: dict[str, dict[str, list[float]]]
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    trained_on: str = ""
    adapter: QueryAdapter | None = None
    encoder: str = "use"
    second_adapter: QueryAdapter | None = None

    @property
    def features(self) -> dict[Mode, tuple[str, ...]]:
        return features_for(self.encoder)

    def query_vector(self, vector: np.ndarray) -> np.ndarray:
        """A query's embedding as the model expects it: adapted, when an adapter was fitted."""
        return vector if self.adapter is None else self.adapter(vector)

    def second_query_vector(self, vector: np.ndarray) -> np.ndarray:
        """The second-opinion encoder's embedding of a query, adapted by its own adapter when fitted."""
        return vector if self.second_adapter is None else self.second_adapter(vector)

    def probabilities(self, evidence: Sequence[Evidence], mode: Mode) -> np.ndarray:
        """P(candidate states the claim) under one mode's model."""
        if not evidence or mode not in self.models:
            return np.zeros(len(evidence))
        model, names = self.models[mode], self.features[mode]
        x = feature_matrix(evidence, names)
        z = (x - np.array(model["mean"])) / np.array(model["scale"])
        logits = z @ np.array(model["coef"]) + model["intercept"][0]
        return 1.0 / (1.0 + np.exp(-logits))

    def match_probabilities(self, evidence: Sequence[Evidence], mode: Mode = "hybrid") -> np.ndarray:
        """The probability decisions use, with guards where the training data says little.

        A translation shares no words with its fact-check, which the training split rarely shows, so
        without lexical evidence only the semantic model speaks; with it, the higher of the two. And
        no candidate is plausible without a minimum of shared meaning or words (a linear model must
        not extrapolate a match from nothing).
        """
        return self.scored(evidence, mode)[0]

    def scored(self, evidence: Sequence[Evidence], mode: Mode = "hybrid") -> tuple[np.ndarray, np.ndarray]:
        """(match probabilities as `match_probabilities` gives them, the mode's own model's
        probabilities), each model run once."""
        if mode == "lexical":
            p = own = self.probabilities(evidence, "lexical")
        else:
            semantic = self.probabilities(evidence, "semantic")
            own = self.probabilities(evidence, "hybrid")
            p = np.where([e.bm25 > 0 for e in evidence], np.maximum(own, semantic), semantic)
        floor = spec(self.encoder).cosine_floor
        plausible = [(e.cosine or 0.0) >= floor or e.overlap >= OVERLAP_FLOOR for e in evidence]
        return np.where(plausible, p, 0.0), own

    def thresholds_for(self, mode: Mode) -> Thresholds:
        return self.thresholds.get(mode, Thresholds())

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        data: dict[str, object] = {"trained_on": self.trained_on, "encoder": self.encoder,
                                   "features": self.features, "models": self.models,
                                   "thresholds": {m: asdict(t) for m, t in self.thresholds.items()}}
        for key, adapter, adapter_path in (("query_adapter", self.adapter, _adapter_path(path)),
                                           ("second_adapter", self.second_adapter, _adapter_path(path, "second"))):
            if adapter is not None:
                adapter.save(adapter_path)
                data[key] = {"file": adapter_path.name, "ridge": adapter.ridge}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Reranker | None":
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        encoder = data.get("encoder", "use")
        expected = features_for(encoder)
        if {m: list(f) for m, f in data.get("features", {}).items()} != {m: list(f) for m, f in expected.items()}:
            return None
        second = spec(encoder).second_opinion

        def adapter(key: str, size: int) -> QueryAdapter | None:
            stored = data.get(key)
            return QueryAdapter.load(path.with_name(stored["file"]), stored["ridge"], size) if stored else None

        return cls(models=data["models"], trained_on=data.get("trained_on", ""), encoder=encoder,
                   thresholds={m: Thresholds(**t) for m, t in data.get("thresholds", {}).items()},
                   adapter=adapter("query_adapter", dimensions(encoder)),
                   second_adapter=adapter("second_adapter", dimensions(second)) if second else None)


def _adapter_path(weights: Path, which: str = "") -> Path:
    return weights.with_name(f"{weights.stem}.{which + '.' if which else ''}adapter.npy")


def fit(samples: dict[Mode, tuple[list[list[float]], list[bool]]], trained_on: str,
        adapter: QueryAdapter | None = None, encoder: str = "use",
        second_adapter: QueryAdapter | None = None) -> Reranker:
    """Fit one logistic model per mode on (feature vector, is-the-claim) samples."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    models: dict[str, dict[str, list[float]]] = {}
    for mode, (x, y) in samples.items():
        scaler = StandardScaler().fit(x)
        model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y)
        models[mode] = {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
                        "coef": model.coef_[0].tolist(), "intercept": model.intercept_.tolist()}
    return Reranker(models=models, trained_on=trained_on, adapter=adapter, encoder=encoder,
                    second_adapter=second_adapter)


def calibrate(reranker: Reranker, top: dict[Mode, tuple[list[float], list[bool]]],
              suggest_precision: float = 0.7, confirm_precision: float = 0.9) -> Reranker:
    """Thresholds from the best candidate's probability and whether it was right, per mode."""
    thresholds = {mode: Thresholds(suggest=max(MIN_SUGGEST, _threshold(*top[mode], suggest_precision)),
                                   confirm=_threshold(*top[mode], confirm_precision)) for mode in top}
    return dataclasses.replace(reranker, thresholds=thresholds)


def _threshold(scores: list[float], correct: list[bool], precision: float) -> float:
    """Lowest top-candidate probability at which acting is right at least `precision` of the time."""
    order = np.argsort(-np.asarray(scores))
    s = np.asarray(scores)[order]
    c = np.asarray(correct, dtype=float)[order]
    running = np.cumsum(c) / np.arange(1, len(c) + 1)
    ok = np.where(running >= precision)[0]
    if not len(ok):
        return 0.99
    return round(float(s[ok[-1]]), 4)
