"""Measuring and training claim matching on judged query/claim pairs (the CLEF task's format).

`evaluate` reports the shared task's measures (MAP@k as the task defines it, success@10) and
throughput, so figures compare with published systems. `train` fits the match-probability model
and its thresholds on a training split; the evaluation split is never seen by it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from .clef import ClefClaim, ClefQuery
from .matching import POOL, ClaimIndex, IndexedClaim, Method, strip_links
from .reranker import Reranker, calibrate, features_for, fit
from .semantic import QueryAdapter, embed

Progress = Callable[[int], None]
# Ridge strengths tried for the query adapter, by cross-validation within the training split.
RIDGES = (1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 5


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP@k as scored by CLEF CheckThat! 2020 (normalised by min(|relevant|, k))."""
    hits, total = 0, 0.0
    for i, claim_id in enumerate(ranked[:k], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


@dataclass(frozen=True)
class Evaluation:
    map_at_1: float
    map_at_3: float
    map_at_5: float
    success_at_10: float
    queries_per_s: float
    n: int
    method: str

    def as_dict(self) -> dict[str, float | int | str]:
        return {"map@1": round(self.map_at_1, 4), "map@3": round(self.map_at_3, 4),
                "map@5": round(self.map_at_5, 4), "success@10": round(self.success_at_10, 4),
                "queries_per_s": round(self.queries_per_s, 1), "n": self.n, "method": self.method}


def build_index(claims: Iterable[ClefClaim], reranker: Reranker | None = None,
                vectors: np.ndarray | None = None, encoder: str = "use",
                second_vectors: np.ndarray | None = None) -> ClaimIndex:
    """A claim index over CLEF verified claims (claim and title are indexed together)."""
    index = ClaimIndex(reranker=reranker, encoder=encoder) if reranker is not None else ClaimIndex(encoder=encoder)
    items = [IndexedClaim(id=c.id, text=c.text, language="en") for c in claims]
    index.add(items, vectors=vectors, second_vectors=second_vectors)
    return index


def evaluate(index: ClaimIndex, queries: Sequence[ClefQuery], qrels: dict[str, set[str]],
             method: Method = "hybrid", progress: Progress | None = None) -> Evaluation:
    """Rank the claims for every judged query and score the rankings."""
    judged = [q for q in queries if qrels.get(q.id)]
    rankings: list[list[str]] = []
    started = time.perf_counter()
    for query in judged:
        rankings.append([m.claim.id for m in index.search(query.text, top=10, method=method)])
        if progress:
            progress(1)
    elapsed = time.perf_counter() - started
    n = len(judged)
    if not n:
        return Evaluation(0.0, 0.0, 0.0, 0.0, 0.0, 0, method)
    maps = {k: float(np.mean([average_precision(r, qrels[q.id], k) for r, q in zip(rankings, judged)]))
            for k in (1, 3, 5)}
    success = float(np.mean([bool(set(r[:10]) & qrels[q.id]) for r, q in zip(rankings, judged)]))
    return Evaluation(maps[1], maps[3], maps[5], success, n / elapsed if elapsed else 0.0, n, method)


def train(index: ClaimIndex, queries: Sequence[ClefQuery], qrels: dict[str, set[str]],
          trained_on: str, progress: Progress | None = None) -> Reranker:
    """Fit the match-probability model and the suggest/confirm thresholds on a training split.

    First the query adapter: its ridge strength is chosen by cross-validation within the split, and
    the match model then learns from query vectors adapted by a map fitted without that query
    (cross-fitting), so the cosines it learns to trust are the ones unseen posts will have.
    Thresholds are chosen for the case that matters in production, where most posts match nothing:
    each training query is scored twice, once as is and once with its true claims withheld. A
    near-duplicate of a judged claim states that claim too, so it counts as right, and is withheld with it.
    """
    judged = [q for q in queries if qrels.get(q.id)]
    texts, relevant = [strip_links(q.text) for q in judged], [qrels[q.id] for q in judged]
    adapter, vectors = fit_adapter(index, embed(texts, index.encoder, "query"), relevant)
    second_adapter, second_vectors = None, [None] * len(judged)
    if index.second_opinion:
        second_adapter, second_vectors = fit_adapter(index, embed(texts, index.second_opinion, "query"), relevant,
                                                     second=True)
    saved = index.reranker
    features = features_for(index.encoder)
    samples: dict[str, tuple[list[list[float]], list[bool]]] = {m: ([], []) for m in ("hybrid", "lexical", "semantic")}
    for query, vector, second_vector in zip(judged, vectors, second_vectors):
        for mode, method in (("hybrid", "rrf"), ("lexical", "bm25"), ("semantic", "embedding")):
            pool = index.candidates(query.text, method=method, vector=vector, second_vector=second_vector)
            right = relevant_with_duplicates(index, [c.id for c, _ in pool], qrels[query.id])
            for claim, evidence in pool:
                samples[mode][0].append(evidence.vector(features[mode]))
                samples[mode][1].append(claim.id in right)
        if progress:
            progress(1)
    reranker = fit(samples, trained_on, adapter, index.encoder, second_adapter)
    index.reranker = reranker
    top: dict[str, tuple[list[float], list[bool]]] = {"hybrid": ([], []), "lexical": ([], [])}
    for query, vector, second_vector in zip(judged, vectors, second_vectors):
        for mode in ("hybrid", "lexical"):
            matches = index.search(query.text, top=2 * POOL, method=mode, vector=vector, second_vector=second_vector)
            right = relevant_with_duplicates(index, [m.claim.id for m in matches], qrels[query.id])
            if matches:
                top[mode][0].append(matches[0].score)
                top[mode][1].append(matches[0].claim.id in right)
            withheld = [m for m in matches if m.claim.id not in right]
            if withheld:
                top[mode][0].append(withheld[0].score)
                top[mode][1].append(False)
    index.reranker = saved
    return calibrate(reranker, top)


def fit_adapter(index: ClaimIndex, queries: np.ndarray, relevant: Sequence[set[str]],
                ridges: Sequence[float] = RIDGES, folds: int = FOLDS,
                second: bool = False) -> tuple[QueryAdapter | None, np.ndarray]:
    """The query adapter for these training queries, and each query's vector adapted by a map fitted
    on the other folds. Returns (None, the raw vectors) when there are too few queries to fit one.
    `second`: the adapter of the second-opinion encoder (`queries` are its embeddings)."""
    targets, rows = [], []
    for row, claim_ids in enumerate(relevant):
        stored = [v for v in (index.claim_vector(c, second) for c in sorted(claim_ids)) if v is not None]
        if stored:
            targets.append(np.mean(stored, axis=0))
            rows.append(row)
    if len(rows) < 5 * folds:  # at least five queries per fold
        return None, queries
    x, y = queries[rows], np.asarray(targets)
    fold = np.arange(len(rows)) % folds

    def held_out(ridge: float) -> np.ndarray:
        out = np.empty_like(x)
        for f in range(folds):
            out[fold == f] = QueryAdapter.fit(x[fold != f], y[fold != f], ridge)(x[fold == f])
        return out

    def dense_map(vectors: np.ndarray) -> float:
        return float(np.mean([average_precision(index.nearest(v, 5, second), relevant[r], 5)
                              for v, r in zip(vectors, rows)]))

    ridge = max(ridges, key=lambda r: dense_map(held_out(r)))
    vectors = np.array(queries, dtype=np.float32)
    vectors[rows] = held_out(ridge)
    return QueryAdapter.fit(x, y, ridge), vectors


def relevant_with_duplicates(index: ClaimIndex, candidates: Sequence[str], relevant: set[str]) -> set[str]:
    """The relevant claims and every candidate that is a near-duplicate of one of them."""
    first = index.same_claim([*candidates, *relevant])
    leads = {first[c] for c in relevant if c in first}
    return set(relevant) | {c for c, lead in first.items() if lead in leads}
