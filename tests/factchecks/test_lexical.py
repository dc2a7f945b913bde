"""BM25 with a tail: fact-checks added or revised after the matrix was built are searchable at once,
and score as a rebuilt index would score them."""

from __future__ import annotations

import random

import numpy as np
import pytest

from civicshield.factchecks import lexical
from civicshield.factchecks.lexical import LexicalIndex, tokenize

WORDS = ("ballot county machine counted voters deadline precinct official results mail drop box "
         "signature audit recount certified observer canvass provisional registration turnout").split()


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))) for _ in range(n)]


def _fresh(texts: list[str]) -> LexicalIndex:
    index = LexicalIndex()
    index.append(texts)
    return index


def test_an_added_document_scores_as_a_rebuilt_index_would() -> None:
    texts = _texts(3000, 1)
    index = _fresh(texts)
    query = tokenize(["recount of provisional ballots in the county canvass"])[0]
    index.top(query, 10)  # builds the matrix
    added = "provisional ballots recount canvass county official"
    index.append([added])
    scores = index.scores(query)
    rebuilt = _fresh(texts + [added]).scores(query)
    assert scores[-1] == pytest.approx(rebuilt[-1], rel=0.01)
    assert index.top(query, 10)[0].tolist() == _fresh(texts + [added]).top(query, 10)[0].tolist()


def test_a_revised_document_loses_its_old_words_and_gains_the_new() -> None:
    texts = _texts(2500, 2)
    index = _fresh(texts)
    old_query, new_query = tokenize([texts[7]])[0], tokenize(["hurricane evacuation shelter"])[0]
    assert index.top(old_query, 1)[0][0] == 7
    index.replace(7, "Hurricane evacuation shelters turn voters away")
    assert 7 not in index.top(old_query, 50)[0].tolist() or index.scores(old_query)[7] < 1.0
    assert index.top(new_query, 1)[0].tolist() == [7]
    index.replace(7, "")
    assert index.scores(new_query)[7] == 0.0


def test_a_feed_of_single_inserts_stays_consistent_with_a_rebuilt_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "TAIL_MIN", 50)
    texts = _texts(400, 3)
    index = _fresh(texts[:200])
    query = tokenize(["audit signature observer"])[0]
    index.top(query, 5)
    for text in texts[200:]:  # one at a time, as a feed delivers them
        index.append([text])
        index.top(query, 5)
    fresh = _fresh(texts)
    # Scores drift by the statistics of the last rebuild only (a 20-word vocabulary magnifies that).
    assert np.allclose(index.scores(query), fresh.scores(query), rtol=0.05)
    assert index.top(query, 1)[0].tolist() == fresh.top(query, 1)[0].tolist()


@pytest.mark.parametrize("size, k, levels", [(100_000, 30, None), (50_000, 30, 4), (200, 30, None), (40, 30, 3)])
def test_the_best_positions_are_the_k_highest_positive_scores_in_order(size: int, k: int,
                                                                       levels: int | None) -> None:
    # Real BM25 scores are mostly zero, and equal scores are common when few words match.
    rng = np.random.default_rng(size)
    scores = rng.gamma(1.0, 1.0, size).astype(np.float32)
    if levels:
        scores = rng.integers(0, levels, size).astype(np.float32)
    scores[rng.random(size) < 0.5] = 0
    expected = [i for i in sorted(range(size), key=lambda i: (-scores[i], i)) if scores[i] > 0][:k]
    assert lexical.best_positions(scores, k).tolist() == expected
