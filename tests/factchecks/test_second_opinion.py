"""The e5 matcher also weighs USE's opinion: its evidence carries USE's cosine, the vectors persist
with the index, and a store saved without them is rebuilt rather than searched half-blind."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from civicshield.core.errors import CivicShieldError
from civicshield.factchecks.matching import SECOND_FILE, ClaimIndex, IndexedClaim
from civicshield.factchecks.reranker import SECOND_OPINION, Reranker, weights_file
from civicshield.factchecks.semantic import VectorStore, embed

from .conftest import MAIL_BALLOT_CLAIM, TURNOUT_CLAIM

CLAIMS = [
    IndexedClaim("fc-1", MAIL_BALLOT_CLAIM, "false", "en"),
    IndexedClaim("fc-2", TURNOUT_CLAIM, "false", "en"),
    IndexedClaim("fc-3", "The city council approved a new bicycle lane on Main Street.", "true", "en"),
]
POST = "Mail-in ballots postmarked after election day are being THROWN AWAY in Pennsylvania"


@pytest.fixture(scope="module")
def e5_index() -> ClaimIndex:
    index = ClaimIndex(encoder="e5")
    index.add(CLAIMS)
    return index


def test_the_shipped_e5_model_reads_the_second_opinion(e5_index: ClaimIndex) -> None:
    reranker = e5_index.reranker
    assert e5_index.second_opinion == "use"
    assert reranker.features["hybrid"][-3:] == SECOND_OPINION and reranker.second_adapter is not None
    assert "second_cosine" not in ClaimIndex(encoder="use").reranker.features["hybrid"]


def test_each_candidate_carries_the_second_encoders_cosine_and_rank(e5_index: ClaimIndex) -> None:
    pool = {claim.id: evidence for claim, evidence in e5_index.candidates(POST)}
    assert set(pool) == {"fc-1", "fc-2", "fc-3"}
    assert pool["fc-1"].second_rank == 1 and pool["fc-1"].second_cosine > pool["fc-3"].second_cosine
    assert pool["fc-1"].second_other == max(pool["fc-2"].second_cosine, pool["fc-3"].second_cosine)
    expected = e5_index.reranker.second_query_vector(embed([POST], "use")[0]) @ embed([MAIL_BALLOT_CLAIM], "use")[0]
    assert pool["fc-1"].second_cosine == pytest.approx(float(expected), abs=2e-3)   # stored as float16
    assert all(e.second_cosine is None for _, e in e5_index.candidates(POST, method="lexical"))
    assert e5_index.search(POST)[0].claim.id == "fc-1"


def test_second_opinion_vectors_persist_follow_revisions_and_removals(e5_index: ClaimIndex, tmp_path: Path) -> None:
    e5_index.save(tmp_path / "idx")
    loaded = ClaimIndex.load(tmp_path / "idx")
    assert np.allclose(loaded.claim_vector("fc-2", second=True), e5_index.claim_vector("fc-2", second=True))
    loaded.add([IndexedClaim("fc-2", "Voter turnout in Wisconsin was 89 percent in 2020.", "false", "en")])
    assert not np.allclose(loaded.claim_vector("fc-2", second=True), e5_index.claim_vector("fc-2", second=True))
    assert loaded.remove("fc-3") and loaded.claim_vector("fc-3", second=True) is None
    assert loaded.nearest(embed(["bicycle lane Main Street"], "use")[0], 3, second=True)[:1] != ["fc-3"]


def test_an_e5_store_saved_without_second_opinion_vectors_must_be_rebuilt(e5_index: ClaimIndex,
                                                                          tmp_path: Path) -> None:
    e5_index.save(tmp_path / "idx")
    (tmp_path / "idx" / SECOND_FILE).unlink()
    with pytest.raises(CivicShieldError, match="rebuild"):
        ClaimIndex.load(tmp_path / "idx")


def test_a_model_file_whose_features_do_not_fit_its_encoder_is_not_used(tmp_path: Path) -> None:
    data = json.loads(weights_file("e5").read_text())
    data["features"]["hybrid"] = data["features"]["hybrid"][:-3]
    (tmp_path / "m.json").write_text(json.dumps(data))
    assert Reranker.load(tmp_path / "m.json") is None


def test_vector_store_grows_and_answers_exactly() -> None:
    store = VectorStore(4)
    store.put([0, 5], np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32))
    assert store.vector(3) is None and store.vector(9) is None
    assert store.similarities(np.array([0, 1, 0, 0]), [0, 5, 3, 99]).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert store.nearest(np.array([0.1, 1, 0, 0]), 5).tolist() == [5, 0]
    store.remove(5)
    assert store.nearest(np.array([0.1, 1, 0, 0]), 5).tolist() == [0]
