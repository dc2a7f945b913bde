"""Claim matching: copies, rewordings and translations of a fact-checked claim find it."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicshield.factchecks.matching import ClaimIndex, IndexedClaim

from .conftest import MAIL_BALLOT_CLAIM, TURNOUT_CLAIM

CLAIMS = [
    IndexedClaim("fc-1", MAIL_BALLOT_CLAIM, "false", "en"),
    IndexedClaim("fc-2", TURNOUT_CLAIM, "false", "en"),
    IndexedClaim("fc-3", "Drinking hot water every fifteen minutes cures the flu.", "false", "en"),
    IndexedClaim("fc-4", "The city council approved a new bicycle lane on Main Street.", "true", "en"),
]


@pytest.fixture(scope="module", params=["use", "e5"])
def index(request: pytest.FixtureRequest) -> ClaimIndex:
    """The same behaviour is asked of both encoders, each with its shipped match model."""
    idx = ClaimIndex(encoder=request.param)
    assert idx.reranker is not None and idx.reranker.adapter is not None
    idx.add(CLAIMS)
    return idx


def test_a_copy_of_a_claim_is_confirmed(index: ClaimIndex) -> None:
    matches = index.search("BREAKING: mail-in ballots postmarked after election day get thrown away in "
                           "Pennsylvania!! https://t.co/xyz")
    assert matches[0].claim.id == "fc-1"
    assert index.decide(matches) == "confirm"


def test_a_translation_is_found_by_the_embedding(index: ClaimIndex) -> None:
    matches = index.search("En Pensilvania tiran a la basura las papeletas por correo con matasellos "
                           "posterior al día de las elecciones.", method="hybrid")
    assert matches[0].claim.id == "fc-1"
    assert index.search("En Pensilvania tiran a la basura las papeletas", method="bm25") == [] or \
        index.search("En Pensilvania tiran a la basura las papeletas", method="bm25")[0].score < matches[0].score


def test_unrelated_text_matches_nothing(index: ClaimIndex) -> None:
    matches = index.search("Lovely sunset over the harbour tonight, the whole family went for ice cream.")
    assert index.decide(matches) == "none"


def test_the_index_persists_and_grows_incrementally(index: ClaimIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    loaded = ClaimIndex.load(tmp_path / "idx")
    assert len(loaded) == len(CLAIMS) and loaded.encoder == index.encoder
    loaded.add([IndexedClaim("fc-5", "Election workers in Arizona were caught shredding ballots.", "false", "en")])
    assert len(loaded) == len(CLAIMS) + 1
    assert loaded.search("arizona election workers shredding ballots video")[0].claim.id == "fc-5"
    loaded.add([IndexedClaim("fc-5", "Election workers in Arizona were caught shredding ballots.", "true", "en")])
    assert len(loaded) == len(CLAIMS) + 1
    assert loaded.get("fc-5").rating == "true"
    assert loaded.remove("fc-5")
    assert all(m.claim.id != "fc-5" for m in loaded.search("arizona election workers shredding ballots"))


def test_empty_and_link_only_text_is_harmless(index: ClaimIndex) -> None:
    assert index.decide(index.search("   ")) == "none"
    assert index.decide(index.search("https://t.co/abc", method="lexical")) == "none"


def test_a_claim_recorded_twice_ranks_as_one_with_the_first_record_leading() -> None:
    # The second partner's copy differs only in quoting and case, and happens to match the post more
    # closely; the first record still leads, with the pair's best score, and the copy names it.
    idx = ClaimIndex()
    idx.add(CLAIMS + [IndexedClaim("fc-5", "Governor said 'we will cancel the vote' in a leaked call.", "false", "en")])
    idx.add([IndexedClaim("fc-6", 'The governor said "we will CANCEL the vote" in a leaked call', "false", "en")])
    post = 'The governor said "we will CANCEL the vote" in a leaked call!'
    matches = idx.search(post)
    assert [m.claim.id for m in matches[:2]] == ["fc-5", "fc-6"]
    assert matches[0].duplicate_of is None and matches[1].duplicate_of == "fc-5"
    assert matches[0].score >= matches[1].score
    assert matches[0].as_dict()["duplicate_of"] is None
    assert idx.same_claim(["fc-6", "fc-5", "fc-1"]) == {"fc-6": "fc-5", "fc-5": "fc-5", "fc-1": "fc-1"}
    assert idx.grouped(["fc-6", "fc-1", "fc-5"]) == ["fc-5", "fc-6", "fc-1"]
    assert [m.claim.id for m in idx.search(post, method="bm25")[:2]] == ["fc-5", "fc-6"]


def test_asking_again_after_an_insert_sees_the_new_fact_check() -> None:
    idx = ClaimIndex()
    idx.add(CLAIMS)
    post = "Poll workers in Maricopa were told to reject every ballot marked with a Sharpie"
    before = idx.search(post, method="lexical")
    assert idx.search(post, method="lexical") == before  # asked twice, answered the same
    idx.add([IndexedClaim("fc-9", "Maricopa poll workers were told to reject ballots marked with a Sharpie.",
                          "false", "en")])
    assert idx.search(post, method="lexical")[0].claim.id == "fc-9"
    assert idx.remove("fc-9")
    assert all(m.claim.id != "fc-9" for m in idx.search(post, method="lexical"))


def test_the_reranker_scores_a_pool_exactly_as_its_features_are_defined():
    """The pool is scored in one matrix; every value must be the feature's definition, bit for bit, so
    a replay gives the very same probabilities (missing cosines, ranks and second opinions included)."""
    import math
    import random

    import numpy as np

    from civicshield.factchecks.reranker import FEATURES, MISSING_RANK, RRF_K, SECOND_OPINION, Evidence, feature_matrix

    def defined(e: Evidence, name: str) -> float:
        best = e.bm25_best
        rank = e.semantic_rank if e.semantic_rank is not None else MISSING_RANK
        values = {
            "bm25_relative": e.bm25 / best if best > 0 else 0.0,
            "bm25_margin": (e.bm25 - e.bm25_other) / best if best > 0 else 0.0,
            "bm25_rrf": 100.0 / (RRF_K + e.bm25_rank), "bm25_log_rank": math.log1p(e.bm25_rank),
            "overlap": e.overlap, "cosine": e.cosine or 0.0,
            "cosine_margin": (e.cosine or 0.0) - (e.cosine_other or 0.0),
            "semantic_rrf": 100.0 / (RRF_K + rank), "semantic_log_rank": math.log1p(rank)}
        if e.second_cosine is not None:
            values.update(second_cosine=e.second_cosine, second_margin=e.second_cosine - (e.second_other or 0.0),
                          second_log_rank=math.log1p(e.second_rank or MISSING_RANK))
        return values.get(name, 0.0)

    rng = random.Random(3)
    pool = []
    for _ in range(300):
        second = rng.random() < 0.5
        pool.append(Evidence(
            bm25=rng.random() * 10, bm25_best=rng.choice([0.0, 5.0, 10.0]), bm25_rank=rng.randint(1, 100),
            overlap=rng.random(), bm25_other=rng.random() * 5, cosine=rng.choice([None, rng.random()]),
            cosine_other=rng.choice([None, rng.random()]), semantic_rank=rng.choice([None, rng.randint(1, 30)]),
            second_cosine=rng.random() if second else None,
            second_other=rng.choice([None, rng.random()]) if second else None,
            second_rank=rng.choice([None, rng.randint(1, 30)]) if second else None))
    for names in (FEATURES["lexical"], FEATURES["semantic"], FEATURES["hybrid"] + SECOND_OPINION):
        assert np.array_equal(feature_matrix(pool, names), np.array([[defined(e, n) for n in names] for e in pool]))
        assert pool[7].vector(names) == [defined(pool[7], n) for n in names]
