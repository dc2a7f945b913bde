"""The lexical half of claim matching: BM25 (bm25s) over stemmed, stop-word-filtered tokens.

Copies of a claim usually reuse its rare words (names, places, numbers), which BM25 rewards and a
sentence encoder blurs. Tokens are kept per document so that adding fact-checks rebuilds the sparse
index from cached tokens instead of re-reading the store; the rebuild is deferred to the next search,
so a burst of imports pays for it once. The last few top-k answers are kept until the index changes:
the detector asks for the same text twice when it goes on to embed it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
RECENT = 64


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-filtered, Snowball-stemmed word tokens for each text."""
    if not texts:
        return []
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)


class LexicalIndex:
    """BM25 over a growing list of documents addressed by position."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._tokens: list[list[str]] = []
        self._bm25: bm25s.BM25 | None = None
        self._lock = threading.Lock()
        # (tokens, k) -> (the BM25 matrix it was computed on, positions, scores)
        self._recent: dict[tuple[tuple[str, ...], int], tuple[bm25s.BM25, np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def append(self, texts: Sequence[str]) -> None:
        self._tokens.extend(tokenize(texts))
        self._bm25 = None

    def replace(self, position: int, text: str) -> None:
        """New text for a document (a revised claim); an empty text removes it from results."""
        self._tokens[position] = tokenize([text])[0] if text else []
        self._bm25 = None

    def tokens(self, position: int) -> list[str]:
        return self._tokens[position]

    def _index(self) -> bm25s.BM25:
        with self._lock:
            if self._bm25 is None:
                bm25 = bm25s.BM25(k1=self.k1, b=self.b)
                # bm25s needs one non-empty document; an empty token marks removed slots.
                bm25.index([t or [""] for t in self._tokens] or [[""]], show_progress=False)
                self._bm25 = bm25
            return self._bm25

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for already tokenised query text."""
        n = len(self._tokens)
        bm25 = self._index()
        known = [t for t in query_tokens if t in bm25.vocab_dict]
        if not n or not known:
            return np.zeros(n, dtype=np.float32)
        return bm25.get_scores(known)[:n]

    def top(self, query_tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions and scores of the k best documents with a positive score, best first."""
        key = (tuple(query_tokens), k)
        bm25 = self._index()
        recent = self._recent.get(key)
        if recent is not None and recent[0] is bm25:
            return recent[1], recent[2]
        positions, scores = self._top(query_tokens, k)
        if len(self._recent) >= RECENT:
            self._recent.pop(next(iter(self._recent)), None)
        self._recent[key] = (bm25, positions, scores)
        return positions, scores

    def _top(self, query_tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.scores(query_tokens)
        if not len(scores):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        k = min(k, len(scores))
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
        order = order[scores[order] > 0]
        return order.astype(np.int64), scores[order]

    def save(self, directory: Path) -> None:
        with open(directory / "tokens.jsonl", "w", encoding="utf-8") as fh:
            for tokens in self._tokens:
                fh.write(json.dumps(tokens, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, directory: Path, k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        index = cls(k1, b)
        with open(directory / "tokens.jsonl", encoding="utf-8") as fh:
            index._tokens = [json.loads(line) for line in fh]
        return index
