"""The claim-match detector: signals for policy, and the embedding step only where it can matter."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from civicshield.core.events import Content
from civicshield.core.verdict import Signal
from civicshield.factchecks.detector import ClaimMatchDetector
from civicshield.factchecks.matching import ClaimIndex, IndexedClaim

from .conftest import MAIL_BALLOT_CLAIM, TURNOUT_CLAIM


@pytest.fixture(scope="module")
def context() -> SimpleNamespace:
    index = ClaimIndex()
    index.add([IndexedClaim("fc-1", MAIL_BALLOT_CLAIM, "false", "en"),
               IndexedClaim("fc-2", TURNOUT_CLAIM, "unverifiable", "en")])
    return SimpleNamespace(resources={"factchecks.index": index})


def _post(text: str) -> Content:
    return Content(id="p1", account_id="a1", text=text)


def test_a_copy_yields_a_confirmed_match_with_the_rating(context: SimpleNamespace) -> None:
    (signal,) = ClaimMatchDetector().detect(
        _post("Mail-in ballots postmarked after election day are thrown away in Pennsylvania!"), context,
        {"election_relevance": Signal("election_relevance", 0.8)})
    assert signal.evidence["decision"] == "confirm"
    assert signal.evidence["rating"] == "false"
    assert signal.evidence["fact_check_id"] == "fc-1"


def test_a_translation_is_matched_through_the_embedding(context: SimpleNamespace) -> None:
    (signal,) = ClaimMatchDetector().detect(
        _post("En Pensilvania tiran a la basura las papeletas por correo con matasellos posterior al día "
              "de las elecciones."), context, {"language": Signal("language", "es")})
    assert signal.evidence["embedded"] is True
    assert signal.evidence["decision"] in ("suggest", "confirm")
    assert signal.evidence["fact_check_id"] == "fc-1"


def test_ordinary_chatter_is_not_embedded(context: SimpleNamespace) -> None:
    (signal,) = ClaimMatchDetector().detect(_post("What a lovely morning for coffee with friends"), context,
                                            {"language": Signal("language", "en"),
                                             "election_relevance": Signal("election_relevance", 0.0)})
    assert signal.evidence == {"decision": "none", "embedded": False, "rating": "", "fact_check_id": "",
                               "candidates": []}


def test_without_a_claim_index_the_detector_says_nothing() -> None:
    assert list(ClaimMatchDetector().detect(_post("anything at all here"), SimpleNamespace(resources={}), {})) == []
