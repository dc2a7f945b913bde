"""ClaimReview in and out: partners' files import, bad items are reported by index, exports round-trip."""

from __future__ import annotations

import datetime as dt

import pytest

from civicshield.core.errors import FeedError
from civicshield.factchecks.claimreview import (normalise_rating, read_claimreviews, to_claimreview)

from .conftest import MAIL_BALLOT_CLAIM, review


def test_a_single_claimreview_object_imports_with_its_rating_normalised() -> None:
    records, errors = read_claimreviews(review(MAIL_BALLOT_CLAIM, "Pants on Fire!"))
    assert errors == []
    (record,) = records
    assert record.claim == MAIL_BALLOT_CLAIM
    assert record.rating == "false"
    assert record.rating_text == "Pants on Fire!"
    assert record.organisation == "Example Fact Check"
    assert record.review_date == dt.date(2026, 10, 1)


def test_a_list_keeps_good_items_and_reports_bad_ones_by_index() -> None:
    data = [review("Claim one is here."), {"@type": "ClaimReview"}, "nonsense",
            review("Claim two is here.", reviewRating={"@type": "Rating", "alternateName": "Sparkly"})]
    records, errors = read_claimreviews(data)
    assert [r.claim for r in records] == ["Claim one is here."]
    assert [e["index"] for e in errors] == [1, 2, 3]
    assert "claimReviewed" in errors[0]["reason"]
    assert "not understood" in errors[2]["reason"]


def test_the_fact_check_tools_response_shape_imports_every_review() -> None:
    response = {"claims": [{"text": "Voting machines flipped votes.", "claimant": "A post", "claimDate": "2026-09-30T00:00:00Z",
                            "claimReview": [
                                {"publisher": {"name": "Checker A", "site": "checker-a.example"},
                                 "url": "https://checker-a.example/1", "title": "No, machines did not flip votes",
                                 "reviewDate": "2026-10-02T00:00:00Z", "textualRating": "Falso", "languageCode": "es"},
                                {"publisher": {"name": "Checker B"}, "url": "https://checker-b.example/1",
                                 "textualRating": "Missing context", "languageCode": "en"}]}],
                "nextPageToken": "abc"}
    records, errors = read_claimreviews(response)
    assert errors == []
    assert [(r.organisation, r.rating, r.language) for r in records] == [
        ("Checker A", "false", "es"), ("Checker B", "missing_context", "en")]
    assert records[0].claim_date == dt.date(2026, 9, 30)


def test_export_then_import_gives_back_the_same_verdict() -> None:
    (original,), _ = read_claimreviews(review(MAIL_BALLOT_CLAIM, "Misleading", name="Ballots are counted",
                                              itemReviewed={"@type": "Claim", "author": {"name": "A blog"},
                                                            "appearance": [{"url": "https://social.example/p/1"}]}))
    exported = to_claimreview(original)
    assert exported["@type"] == "ClaimReview"
    assert exported["reviewRating"]["alternateName"] == "Misleading"
    (again,), errors = read_claimreviews(exported)
    assert errors == []
    assert again == original


@pytest.mark.parametrize("text,expected", [
    ("False", "false"), ("Mostly False", "misleading"), ("Half True", "misleading"), ("Mostly True", "true"),
    ("Not true", "false"), ("Incorrect", "false"), ("Unproven", "unverifiable"), ("Faux", "false"),
    ("Engañoso", "misleading"), ("Missing context", "missing_context"), ("correct", "true"),
])
def test_partner_rating_words_map_onto_the_five_ratings(text: str, expected: str) -> None:
    assert normalise_rating(text) == expected


def test_numeric_ratings_are_read_on_the_declared_scale() -> None:
    assert normalise_rating("", 1, 5, 1) == "false"
    assert normalise_rating("", 5, 5, 1) == "true"
    assert normalise_rating("", "x") is None


def test_a_file_that_is_not_claimreview_is_refused_clearly() -> None:
    with pytest.raises(FeedError, match="ClaimReview"):
        read_claimreviews(42)
