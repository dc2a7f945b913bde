"""Fact-check API: platforms import ClaimReview and search; partner verdicts are published."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import MAIL_BALLOT_CLAIM, TURNOUT_CLAIM, review


@pytest.mark.django_db(transaction=True)
def test_import_keeps_good_items_and_search_finds_them(api_client: Any) -> None:
    body = [review(MAIL_BALLOT_CLAIM, url="https://fc.example/1"), {"@type": "ClaimReview"},
            review(TURNOUT_CLAIM, "Mostly false", url="https://fc.example/2")]
    response = api_client.post("/api/v1/factchecks/claimreviews", body)
    assert response.status_code == 200, response.content
    summary = response.json()
    assert (summary["created"], summary["rejected"]) == (2, 1)
    assert summary["errors"][0]["index"] == 1
    found = api_client.get("/api/v1/factchecks/search?q=mail-in+ballots+postmarked+after+election+day+"
                           "thrown+away+in+Pennsylvania").json()
    assert found["matches"][0]["claim"] == MAIL_BALLOT_CLAIM
    assert found["matches"][0]["rating"] == "false"
    again = api_client.post("/api/v1/factchecks/claimreviews", body[:1]).json()
    assert again["unchanged"] == 1


@pytest.mark.django_db
def test_search_needs_an_api_key_and_valid_parameters(api_client: Any) -> None:
    assert api_client.get("/api/v1/factchecks/search?q=hello", key=None).status_code == 401
    assert api_client.get("/api/v1/factchecks/search?q=hello&top=500").status_code == 422
    assert api_client.post("/api/v1/factchecks/claimreviews", 42).status_code == 422


@pytest.mark.django_db
def test_the_claimreview_export_is_public(client: Any) -> None:
    response = client.get("/api/v1/factchecks/claimreviews")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.django_db
def test_an_item_no_database_can_store_is_refused_alone_with_its_index(api_client: Any) -> None:
    body = [review(MAIL_BALLOT_CLAIM, url="https://fc.example/1"),
            review("Vote by\x00 text", url="https://fc.example/3")]
    response = api_client.post("/api/v1/factchecks/claimreviews", body)
    assert response.status_code == 200, response.content
    summary = response.json()
    assert (summary["created"], summary["rejected"]) == (1, 1)
    assert summary["errors"][0]["index"] == 1 and "NUL" in summary["errors"][0]["reason"]
