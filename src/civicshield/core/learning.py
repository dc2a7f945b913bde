"""Fitting a head: logistic regression over the embedding and readable features, chosen by cross-validation.

Build-time only (scikit-learn); the shipped result is a `heads.LinearHead` file. Regularisation and the
operating thresholds are chosen on the training data by stratified cross-validation, never on an
evaluation set: `high` is the lowest score at which out-of-fold precision reaches `target_precision`,
`low` the score above which out-of-fold recall reaches `target_recall` (the band between is "held for
a person" where a policy wants one).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .heads import build_payload


@dataclass(frozen=True)
class Fitted:
    payload: dict[str, Any]
    out_of_fold: np.ndarray
    cv_figures: dict[str, float]


def operating_points(scores: np.ndarray, labels: np.ndarray, *, target_precision: float,
                     target_recall: float) -> tuple[float, float]:
    """(low, high): `high` reaches the precision target out of fold, `low` the recall target."""
    order = np.argsort(-scores)
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    recall = tp / max(int(y.sum()), 1)
    high = 0.5
    ok = np.nonzero(precision >= target_precision)[0]
    if len(ok):
        # the deepest cut that still meets the precision target
        high = float(s[ok[-1]])
    reach = np.nonzero(recall >= target_recall)[0]
    low = float(s[reach[0]]) if len(reach) else float(s[-1])
    low = min(low, high)
    return max(low, 0.02), min(max(high, 0.05), 0.98)


def grouped_folds(labels: Sequence[int], groups: Sequence[Any] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The 5 stratified folds every head is cross-validated on (groups keep near-copies in one fold)."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(labels, dtype=np.int64)
    group_ids = np.asarray(groups if groups is not None else np.arange(len(y)))
    return list(StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=7).split(np.zeros(len(y)), y, group_ids))


def fit_head(name: str, encoder: str, embeddings: np.ndarray, features: np.ndarray, labels: Sequence[int],
             feature_names: Sequence[str], *, groups: Sequence[Any] | None = None, target_precision: float = 0.95,
             target_recall: float = 0.9, cs: Sequence[float] = (0.25, 1.0, 4.0),
             meta: Mapping[str, Any] | None = None, sample_weight: np.ndarray | None = None,
             tuning: tuple[np.ndarray, np.ndarray, Sequence[int]] | None = None,
             surface: Mapping[str, Any] | None = None) -> Fitted:
    """Fit and choose C by grouped, stratified 5-fold cross-validation (groups keep a source's near-copies
    in one fold). Thresholds come from `tuning` (embeddings, features, labels of a set kept apart from
    both training and evaluation) when given, else from the chosen C's out-of-fold scores."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    y = np.asarray(labels, dtype=np.int64)
    features = np.asarray(features, dtype=np.float32).reshape(len(y), len(feature_names))
    spread = features.std(axis=0)
    scale = np.where(spread > 1e-6, 1.0 / np.maximum(spread, 1e-6), 1.0).astype(np.float32)
    x = np.hstack([np.asarray(embeddings, dtype=np.float32), features * scale])
    folds = grouped_folds(y, groups)
    best: tuple[float, float, np.ndarray] | None = None
    for c in cs:
        oof = np.zeros(len(y))
        for train, test in folds:
            model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
            model.fit(x[train], y[train], sample_weight=None if sample_weight is None else sample_weight[train])
            oof[test] = model.predict_proba(x[test])[:, 1]
        ap = float(average_precision_score(y, oof))
        if best is None or ap > best[0]:
            best = (ap, c, oof)
    assert best is not None
    ap, c, oof = best
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(x, y, sample_weight=sample_weight)
    low, high = operating_points(oof, y, target_precision=target_precision, target_recall=target_recall)
    tuned_on = "cross-validation on the training data"
    if tuning is not None:
        t_embeddings, t_features, t_labels = tuning
        t_x = np.hstack([np.asarray(t_embeddings, dtype=np.float32), np.asarray(t_features, dtype=np.float32) * scale])
        # The reject point comes from the tuning set; the start of the band held for a person stays the
        # training data's recall point (a clean tuning set would leave no band at all).
        _, high = operating_points(model.predict_proba(t_x)[:, 1], np.asarray(t_labels, dtype=np.int64),
                                   target_precision=target_precision, target_recall=target_recall)
        low = min(low, high)
        tuned_on = (f"high: a separate tuning set of {len(t_labels)} examples; low: cross-validation on the "
                    "training data")
    predicted = oof >= high
    tp = int((predicted & (y == 1)).sum())
    figures = {"cv_average_precision": round(ap, 4), "C": c, "cv_precision_at_high": round(tp / max(int(predicted.sum()), 1), 4),
               "cv_recall_at_high": round(tp / max(int(y.sum()), 1), 4),
               "cv_recall_at_low": round(int(((oof >= low) & (y == 1)).sum()) / max(int(y.sum()), 1), 4)}
    info = dict(meta or {})
    info.update({"trained_on": int(len(y)), "positives": int(y.sum()), "cross_validation": figures,
                 "thresholds_from": tuned_on})
    payload = build_payload(name, encoder, embeddings.shape[1], feature_names, model.coef_[0],
                            float(model.intercept_[0]), scale, {"low": low, "high": high}, info, surface)
    return Fitted(payload, oof, figures)


def training_embeddings(texts: Sequence[str], encoder: str, cache_dir: Path | None = None) -> np.ndarray:
    """Embeddings of a training set, cached on disk by content (re-training re-reads, never re-encodes)."""
    import hashlib

    from .textrep import TextEncoder

    digest = hashlib.sha256("\x1e".join(texts).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    folder = cache_dir or Path("var/cache/embeddings")
    path = folder / f"{encoder}-{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = TextEncoder(encoder, threads=int(os.environ.get("CIVICSHIELD_TRAIN_THREADS", "2"))).encode(list(texts))
    folder.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
