"""Warm a process before it serves: detectors load their models on first use, so assess a few
representative subjects once at start-up rather than making the first platform request wait."""

from __future__ import annotations

from typing import Any

from civicshield.core.assess import assess
from civicshield.core.events import parse_event, subject_region

SAMPLES = [
    {"id": "warm-1", "type": "content.created", "occurred_at": "2026-01-01T00:00:00Z",
     "content": {"id": "warm-content", "account_id": "warm", "text": "Find your polling place before election day",
                 "region": "US-CA", "views": 1000}},
    {"id": "warm-2", "type": "ad.submitted", "occurred_at": "2026-01-01T00:00:00Z",
     "ad": {"id": "warm-ad", "advertiser_account_id": "warm", "text": "Vote yes on Proposition 1", "regions": ["US-CA"]}},
    {"id": "warm-3", "type": "search.performed", "occurred_at": "2026-01-01T00:00:00Z",
     "search": {"id": "warm-search", "query": "where do I vote", "region": "DE"}},
]


def warm(assessor: Any) -> None:
    for raw in SAMPLES:
        subject = parse_event(raw).payload
        region = subject_region(subject)
        assess(subject, assessor.context(None, region))
