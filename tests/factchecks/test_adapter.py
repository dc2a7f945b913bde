"""The query adapter: learned on training pairs, shipped with the match model, applied to queries only."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from civicshield.core.errors import CivicShieldError
from civicshield.factchecks.evaluation import fit_adapter
from civicshield.factchecks.matching import ClaimIndex, IndexedClaim
from civicshield.factchecks.reranker import WEIGHTS_FILE, Reranker
from civicshield.factchecks.semantic import DIMENSIONS, QueryAdapter


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _distorted_pairs(rng: np.random.Generator, n: int, claims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Posts whose embeddings are their fact-check's turned by one fixed rotation, plus noise: a
    different register of writing moves every embedding the same way, here far enough that the raw
    embedding no longer finds the fact-check."""
    distortion, _ = np.linalg.qr(rng.standard_normal((DIMENSIONS, DIMENSIONS)))
    targets = rng.integers(0, len(claims), n)
    posts = _unit(claims[targets] @ distortion + 0.02 * rng.standard_normal((n, DIMENSIONS)))
    return posts, targets


def test_a_fitted_adapter_maps_unseen_posts_to_their_fact_checks() -> None:
    rng = np.random.default_rng(5)
    claims = _unit(rng.standard_normal((400, DIMENSIONS)))
    posts, targets = _distorted_pairs(rng, 1600, claims)
    adapter = QueryAdapter.fit(posts[:1200], claims[targets[:1200]], ridge=1.0)

    def found(vectors: np.ndarray) -> float:
        return float(np.mean(np.argmax(vectors @ claims.T, axis=1) == targets[1200:]))

    raw, adapted = found(posts[1200:]), found(adapter(posts[1200:]))
    assert adapted > 0.9 and raw < 0.5
    assert np.allclose(np.linalg.norm(adapter(posts[1200:]), axis=1), 1.0, atol=1e-5)


def test_a_strong_ridge_leaves_queries_as_they_are() -> None:
    rng = np.random.default_rng(6)
    posts = _unit(rng.standard_normal((50, DIMENSIONS)))
    targets = _unit(rng.standard_normal((50, DIMENSIONS)))
    adapter = QueryAdapter.fit(posts, targets, ridge=1e6)
    assert np.allclose(adapter(posts), posts, atol=1e-3)


def test_bad_training_shapes_and_ridges_are_refused() -> None:
    with pytest.raises(CivicShieldError, match="equal-sized"):
        QueryAdapter.fit(np.zeros((3, 4)), np.zeros((2, 4)), ridge=1.0)
    with pytest.raises(CivicShieldError, match="positive"):
        QueryAdapter.fit(np.zeros((3, 4)), np.zeros((3, 4)), ridge=0.0)


def test_the_adapter_is_saved_beside_the_model_and_a_missing_file_is_a_clear_error(tmp_path) -> None:
    shipped = Reranker.load()
    assert shipped is not None and shipped.adapter is not None, "the shipped model carries its adapter"
    shutil.copy(WEIGHTS_FILE, tmp_path / "model.json")
    json_data = json.loads((tmp_path / "model.json").read_text())
    json_data["query_adapter"]["file"] = "model.adapter.npy"
    (tmp_path / "model.json").write_text(json.dumps(json_data))
    with pytest.raises(CivicShieldError, match="retrain"):
        Reranker.load(tmp_path / "model.json")
    shipped.save(tmp_path / "model.json")
    again = Reranker.load(tmp_path / "model.json")
    assert again is not None and again.adapter is not None
    assert np.array_equal(again.adapter.matrix, shipped.adapter.matrix)
    assert again.adapter.ridge == shipped.adapter.ridge


def test_training_fits_the_adapter_on_held_out_folds_and_leaves_fact_checks_unchanged() -> None:
    rng = np.random.default_rng(7)
    claim_vectors = _unit(rng.standard_normal((300, DIMENSIONS)))
    index = ClaimIndex(reranker=None)
    index.add([IndexedClaim(f"fc{i}", f"claim number {i}") for i in range(300)], vectors=claim_vectors)
    posts, targets = _distorted_pairs(rng, 500, claim_vectors)
    relevant = [{f"fc{t}"} for t in targets]
    adapter, cross_fitted = fit_adapter(index, posts, relevant)
    assert adapter is not None and adapter.ridge in (1.0, 3.0, 10.0, 30.0, 100.0)
    # Every query is adapted by a map fitted without it: not the final adapter's output.
    assert not np.allclose(cross_fitted, adapter(posts), atol=1e-4)
    assert np.mean([index.nearest(v, 1) == [f"fc{t}"] for v, t in zip(cross_fitted, targets)]) > 0.9
    assert np.allclose(index.claim_vector("fc3"), claim_vectors[3], atol=1e-3)


def test_too_few_training_queries_fit_no_adapter() -> None:
    rng = np.random.default_rng(8)
    index = ClaimIndex(reranker=None)
    index.add([IndexedClaim("fc0", "a claim")], vectors=_unit(rng.standard_normal((1, DIMENSIONS))))
    posts = _unit(rng.standard_normal((10, DIMENSIONS)))
    adapter, vectors = fit_adapter(index, posts, [{"fc0"}] * 10)
    assert adapter is None and np.array_equal(vectors, posts)
