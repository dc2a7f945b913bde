"""Election relevance: multilingual, explains itself, and tells everyday "votes" from elections."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from civicshield.elections.relevance import ElectionRelevanceDetector, center_path, fold, score_text

DATA = Path(__file__).resolve().parents[2] / "src/civicshield/elections/data"


@pytest.mark.parametrize(
    "text",
    [
        "Where is my polling place?",
        "¿Dónde está mi colegio electoral?",
        "Wo ist mein Wahllokal?",
        "karta do głosowania",
        "hur förhandsröstar jag",
    ],
)
def test_election_texts_in_several_languages_score_high(text):
    assert score_text(text)[0] >= 0.6


@pytest.mark.parametrize(
    "text",
    [
        "Vote for your favourite pizza topping!",
        "Das war eine gute Wahl",
        "This burger was voted best in town",
        "muchos votos de felicidad",
    ],
)
def test_everyday_votes_are_not_elections(text):
    assert score_text(text)[0] < 0.5


def test_fold_handles_letters_without_decomposition():
    assert fold("Głosowanie ÉLECTION") == "glosowanie election"


def test_signal_points_to_the_regions_election_center():
    subject = SimpleNamespace(analysed_text="where do I vote", hashtags=[], region="US-TX")
    [signal] = ElectionRelevanceDetector().detect(subject, SimpleNamespace(account=None), {})
    assert signal.evidence["election_center"] == "/elections/us/tx/"
    assert center_path("DE") == "/elections/?country=DE" and center_path(None) == "/elections/"


def test_labelled_sets_are_well_formed():
    for name in ("relevance_eval.jsonl", "relevance_heldout.jsonl"):
        rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
        assert {r["label"] for r in rows} == {0, 1} and len({r["lang"] for r in rows}) >= 8
