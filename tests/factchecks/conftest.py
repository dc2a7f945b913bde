"""Fixtures for fact-check tests: an isolated claim index per test, a few fact-checks, partner orgs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

CLEF = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "clef2020-task2"

MAIL_BALLOT_CLAIM = "Mail-in ballots postmarked after election day are thrown away in Pennsylvania."
TURNOUT_CLAIM = "More ballots than registered voters were counted in Wayne County, Michigan in 2020."


@pytest.fixture(autouse=True)
def _isolated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own persisted index directory and a fresh in-memory index."""
    from civicshield.factchecks import store

    monkeypatch.setattr(store, "index_dir", lambda: tmp_path / "factchecks-index")
    store.reset_index()
    yield
    store.reset_index()


def review(claim: str, rating: str = "False", url: str = "https://factcheck.example/a", **extra: Any) -> dict:
    """A schema.org ClaimReview object as a partner publishes it."""
    return {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim, "url": url,
            "datePublished": "2026-10-01", "inLanguage": "en",
            "author": {"@type": "Organization", "name": "Example Fact Check", "url": "https://factcheck.example"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                             "alternateName": rating}, **extra}
