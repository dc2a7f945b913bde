"""When is a voter fact too old to trust, and is a deadline still ahead?

Deadlines change mid-season (court orders, emergencies), so a fact nobody has re-verified within the
freshness window is flagged to editors, and the public page says when it was last verified. A dated
deadline that has passed is shown as passed, never as upcoming. Pure.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Literal

DEFAULT_WINDOW_DAYS = 90
Timing = Literal["upcoming", "today", "passed"]


def freshness_window_days() -> int:
    """The window, from CIVICSHIELD_FACT_FRESHNESS_DAYS (default 90 days)."""
    try:
        return max(1, int(os.environ.get("CIVICSHIELD_FACT_FRESHNESS_DAYS", DEFAULT_WINDOW_DAYS)))
    except ValueError:
        return DEFAULT_WINDOW_DAYS


def is_stale(last_verified: dt.date, today: dt.date, window_days: int | None = None) -> bool:
    return (today - last_verified).days > (window_days or freshness_window_days())


def needs_reverification(
    last_verified: dt.date, today: dt.date, next_election: dt.date | None, window_days: int | None = None
) -> bool:
    """Urgent: stale and the jurisdiction's next election falls within the window."""
    window = window_days or freshness_window_days()
    return (
        is_stale(last_verified, today, window)
        and next_election is not None
        and 0 <= (next_election - today).days <= window
    )


def timing(day: dt.date, today: dt.date) -> Timing:
    if day > today:
        return "upcoming"
    return "today" if day == today else "passed"
