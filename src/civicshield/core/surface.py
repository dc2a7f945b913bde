"""A surface model: logistic regression over the character n-grams of a text, beside the sentence embedding.

Sentence embeddings place a hoax and its debunk side by side ("you can vote by text" and "you cannot
vote by text" mean nearly the same to them). What tells them apart is often on the surface: a negation,
"fake", "hoaks", "अफवाह", a question mark, a forwarded-message opening. Character n-grams (2 to 5,
within words, on folded text) see those in every script without a tokenizer per language. A head reads
this model's score as one of its features; its out-of-fold score is what the head is trained on, so the
head learns how far to trust it.

The n-grams are hashed (scikit-learn's `HashingVectorizer`, so no vocabulary ships) and weighted by
inverse document frequency learned at training time (`TfidfTransformer`). The file stores only the
features seen in training; its SHA-256 is recorded in the head that reads it and checked on load.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .heads import ModelError

N_FEATURES = 2**20
NGRAMS = (2, 5)


def _vectorizer(normalise: Callable[[str], str]) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=NGRAMS, n_features=N_FEATURES, alternate_sign=False,
                             norm=None, lowercase=False, preprocessor=normalise)


@dataclass(frozen=True, eq=False)
class SurfaceModel:
    """A logistic model over character n-grams; `logit` is what a head reads."""

    idf: np.ndarray          # dense, N_FEATURES (unseen features get the largest idf; their weight is 0)
    coef: np.ndarray         # dense, N_FEATURES
    intercept: float
    normalise: Callable[[str], str]
    sha256: str
    hasher: Any  # the HashingVectorizer the model was trained with, built once

    def logit(self, text: str) -> float:
        import sklearn

        with sklearn.config_context(skip_parameter_validation=True):
            counts = self.hasher.transform([text])
        counts.sum_duplicates()
        index = counts.indices
        # sublinear term frequency times idf, L2-normalised: what TfidfTransformer did at training time
        weights = (np.log(counts.data) + 1.0) * self.idf[index]
        norm = float(np.sqrt(np.dot(weights, weights)))
        z = self.intercept + (float(np.dot(weights, self.coef[index])) / norm if norm > 0 else 0.0)
        return max(min(z, 12.0), -12.0)

    @classmethod
    def load(cls, path: Path, sha256: str, normalise: Callable[[str], str]) -> "SurfaceModel":
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise ModelError(f"model file {path} is missing; reinstall CivicShield or rebuild the model with its "
                             "`train` command") from None
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise ModelError(f"model file {path} does not match the SHA-256 its head records (changed or "
                             "damaged); reinstall CivicShield or rebuild the model")
        try:
            data = np.load(io.BytesIO(raw))
            index = data["index"].astype(np.int64)
            idf = np.full(N_FEATURES, float(data["default_idf"]), dtype=np.float32)
            coef = np.zeros(N_FEATURES, dtype=np.float32)
            idf[index] = data["idf"]
            coef[index] = data["coef"]
            intercept = float(data["intercept"])
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise ModelError(f"model file {path} is corrupt ({exc}); reinstall CivicShield or rebuild it") from None
        return cls(idf, coef, intercept, normalise, sha256, _vectorizer(normalise))


def fit_surface(texts: Sequence[str], labels: Sequence[int], folds: Sequence[tuple[np.ndarray, np.ndarray]],
                normalise: Callable[[str], str], *, c: float = 4.0) -> tuple[bytes, np.ndarray]:
    """(the model file's bytes, out-of-fold logits) fitted on `texts`; `folds` are the head's own
    cross-validation folds, so the head never reads a score the surface model saw the answer for."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(labels, dtype=np.int64)
    counts = _vectorizer(normalise).transform(list(texts))

    def fitted(rows: np.ndarray) -> tuple[TfidfTransformer, LogisticRegression]:
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[rows])
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(tfidf.transform(counts[rows]),
                                                                                    y[rows])
        return tfidf, model

    out_of_fold = np.zeros(len(y))
    for train, test in folds:
        tfidf, model = fitted(np.asarray(train))
        out_of_fold[test] = model.decision_function(tfidf.transform(counts[test]))
    tfidf, model = fitted(np.arange(len(y)))
    seen = np.unique(counts.indices).astype(np.int32)
    arrays = {"index": seen, "idf": tfidf.idf_[seen].astype(np.float32),
              "coef": model.coef_[0][seen].astype(np.float32), "default_idf": np.float32(tfidf.idf_.max()),
              "intercept": np.float64(model.intercept_[0])}
    return _npz(arrays), np.clip(out_of_fold, -12.0, 12.0)


def _npz(arrays: dict[str, Any]) -> bytes:
    """A compressed .npz whose bytes depend only on the arrays (no timestamps), so retraining on the
    same data gives the same file and the same recorded hash."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w") as fh:
                np.lib.format.write_array(fh, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()
