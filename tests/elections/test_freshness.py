"""Freshness: stale facts are flagged, urgently when an election is near; passed dates stay passed."""

from __future__ import annotations

import datetime as dt

from civicshield.elections.freshness import freshness_window_days, is_stale, needs_reverification, timing

TODAY = dt.date(2026, 11, 25)


def test_staleness_follows_the_configured_window(monkeypatch):
    assert freshness_window_days() == 90
    assert is_stale(dt.date(2024, 8, 26), TODAY) and not is_stale(dt.date(2026, 10, 1), TODAY)
    monkeypatch.setenv("CIVICSHIELD_FACT_FRESHNESS_DAYS", "30")
    assert is_stale(dt.date(2026, 10, 1), TODAY)
    monkeypatch.setenv("CIVICSHIELD_FACT_FRESHNESS_DAYS", "soon")
    assert freshness_window_days() == 90


def test_urgent_only_when_an_election_falls_inside_the_window():
    old = dt.date(2024, 8, 26)
    assert needs_reverification(old, TODAY, dt.date(2027, 1, 10))
    assert not needs_reverification(old, TODAY, dt.date(2028, 11, 7))
    assert not needs_reverification(dt.date(2026, 11, 1), TODAY, dt.date(2027, 1, 10))


def test_timing_of_a_date():
    assert timing(dt.date(2024, 10, 7), TODAY) == "passed"
    assert timing(TODAY, TODAY) == "today" and timing(dt.date(2028, 11, 7), TODAY) == "upcoming"
