"""The lexical half of claim matching: BM25 (bm25s) over stemmed, stop-word-filtered tokens.

Copies of a claim usually reuse its rare words (names, places, numbers), which BM25 rewards and a
sentence encoder blurs. bm25s has no incremental insert, and rebuilding its matrix takes seconds at
100,000 fact-checks and minutes at a million, so the index has two parts: the bm25s matrix over the
documents it was built with, and a small tail of documents added or revised since, held as postings
and scored with the matrix's statistics (document frequencies, average length). A new fact-check is
searchable at once; the matrix is rebuilt from cached tokens only when the tail reaches a tenth of
it, so the rebuild cost is spread over many inserts. The last few top-k answers are kept until the
index changes: the detector asks for the same text twice when it goes on to embed it.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
RECENT = 64
# The tail is folded into the matrix when it reaches this share of it (and at least TAIL_MIN documents).
TAIL_SHARE = 0.1
TAIL_MIN = 2000


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-filtered, Snowball-stemmed word tokens for each text."""
    if not texts:
        return []
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)


class _Matrix:
    """A bm25s index over documents [0, size) and the statistics the tail is scored with."""

    def __init__(self, tokens: list[list[str]], k1: float, b: float) -> None:
        self.size = len(tokens)
        self.bm25 = bm25s.BM25(k1=k1, b=b)
        # bm25s needs one non-empty document; an empty token marks removed slots.
        docs = [t or [""] for t in tokens] or [[""]]
        self.bm25.index(docs, show_progress=False)
        indptr = self.bm25.scores["indptr"]
        columns = len(indptr) - 1  # bm25s may name one token more than it has columns for ("")
        self.df = {token: int(indptr[i + 1] - indptr[i]) for token, i in self.bm25.vocab_dict.items() if i < columns}
        self.average_length = sum(len(d) for d in docs) / len(docs)


def best_positions(scores: np.ndarray, k: int, stride: int = 16) -> np.ndarray:
    """Positions of the k highest positive scores, best first (equal scores in position order).

    Selecting from a million scores costs far more than computing them, so the candidates are
    narrowed first: the k-th best of every stride-th score is a lower bound on the k-th best of
    all, and only the few scores at or above it are ranked. The answer is exact.
    """
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    floor = 0.0
    sample = scores[::stride]
    # Most documents share no word with a query; numpy's selection slows to a crawl on that many equal
    # zeros (about 5 ms for 62,500 samples of a million scores, against 0.1 ms for their positive part).
    sample = sample[sample > 0]
    if len(sample) > k:
        floor = float(np.partition(sample, len(sample) - k)[len(sample) - k])
    candidates = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores > 0)
    values = scores[candidates]
    if len(candidates) > 64 * k:  # a weak bound (many equal scores): narrow before sorting
        kth = np.partition(values, len(values) - k)[len(values) - k]
        above = np.flatnonzero(values > kth)
        tied = np.flatnonzero(values == kth)[:k - len(above)]
        keep = np.sort(np.concatenate([above, tied]))
        candidates, values = candidates[keep], values[keep]
    return candidates[np.lexsort((candidates, -values))[:k]].astype(np.int64)


class LexicalIndex:
    """BM25 over a growing list of documents addressed by position."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._tokens: list[list[str]] = []
        self._matrix: _Matrix | None = None
        # Documents the matrix does not hold as they are now: token -> {position: term frequency}.
        self._tail: dict[str, dict[int, int]] = {}
        self._tail_positions: set[int] = set()
        self._stale: set[int] = set()  # tail documents whose old text the matrix still holds
        self._version = 0
        self._lock = threading.Lock()
        # (tokens, k) -> (index version it was computed at, positions, scores)
        self._recent: dict[tuple[tuple[str, ...], int], tuple[int, np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def append(self, texts: Sequence[str]) -> None:
        new = tokenize(texts)
        with self._lock:
            first = len(self._tokens)
            self._tokens.extend(new)
            for position in range(first, len(self._tokens)):
                self._to_tail(position)
            self._version += 1

    def replace(self, position: int, text: str) -> None:
        """New text for a document (a revised claim); an empty text removes it from results."""
        tokens = tokenize([text])[0] if text else []
        with self._lock:
            self._from_tail(position)
            self._tokens[position] = tokens
            self._to_tail(position)
            self._version += 1

    def tokens(self, position: int) -> list[str]:
        return self._tokens[position]

    @property
    def version(self) -> int:
        """Changes whenever a document is added or replaced (for caches derived from the tokens)."""
        return self._version

    def _to_tail(self, position: int) -> None:
        """Make a document searchable without a rebuild, or leave it to the next one (under the lock)."""
        matrix = self._matrix
        if matrix is None:
            return
        if len(self._tail_positions) >= max(TAIL_MIN, TAIL_SHARE * matrix.size):
            self._matrix, self._tail, self._tail_positions, self._stale = None, {}, set(), set()
            return
        self._tail_positions.add(position)
        if position < matrix.size:
            self._stale.add(position)
        for token, tf in Counter(self._tokens[position]).items():
            self._tail.setdefault(token, {})[position] = tf

    def _from_tail(self, position: int) -> None:
        if position in self._tail_positions:
            self._tail_positions.discard(position)
            for token in set(self._tokens[position]):
                postings = self._tail.get(token)
                if postings is not None:
                    postings.pop(position, None)

    def _current(self) -> _Matrix:
        """The matrix, built from the cached tokens if a rebuild is due (under the lock)."""
        if self._matrix is None:
            self._matrix = _Matrix(self._tokens, self.k1, self.b)
            self._tail, self._tail_positions, self._stale = {}, set(), set()
        return self._matrix

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for already tokenised query text."""
        with self._lock:
            matrix = self._current()
            n = len(self._tokens)
            out = np.zeros(n, dtype=np.float32)
            known = [t for t in query_tokens if t in matrix.bm25.vocab_dict]
            if known and matrix.size:
                out[:matrix.size] = matrix.bm25.get_scores(known)[:matrix.size]
            if self._stale:
                out[np.fromiter(self._stale, dtype=np.int64, count=len(self._stale))] = 0.0
            if self._tail_positions:
                self._score_tail(query_tokens, matrix, out)
        return out

    def _score_tail(self, query_tokens: list[str], matrix: _Matrix, out: np.ndarray) -> None:
        """Add each tail document's BM25 score, with the matrix's document count, frequencies and length."""
        documents = len(self._tokens)
        for token in query_tokens:
            postings = self._tail.get(token)
            if not postings:
                continue
            df = matrix.df.get(token, 0) + len(postings)
            idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
            for position, tf in postings.items():
                length = len(self._tokens[position]) or 1
                norm = self.k1 * (1 - self.b + self.b * length / matrix.average_length)
                out[position] += idf * tf / (norm + tf)

    def top(self, query_tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions and scores of the k best documents with a positive score, best first."""
        key = (tuple(query_tokens), k)
        version = self._version
        recent = self._recent.get(key)
        if recent is not None and recent[0] == version:
            return recent[1], recent[2]
        positions, scores = self._top(query_tokens, k)
        if len(self._recent) >= RECENT:
            self._recent.pop(next(iter(self._recent)), None)
        self._recent[key] = (version, positions, scores)
        return positions, scores

    def _top(self, query_tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.scores(query_tokens)
        order = best_positions(scores, k)
        return order, scores[order]

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
