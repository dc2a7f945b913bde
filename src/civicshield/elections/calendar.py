"""The `election` context a policy sees: the next election in the subject's country.

An election known only by its window ("expected between April and May 2027") counts from the start of
the window, so election-period rules switch on early rather than late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicshield.core.assess import NO_ELECTION

ELECTION_PERIOD_DAYS = 90


def election_context(elections: list[dict[str, Any]], region: str | None, today: dt.date) -> dict[str, Any]:
    """`elections`: dicts with country, date, name, date_status and optionally the region they are
    held in (sorted by date). A state's own election applies only to that state's subjects."""
    if not region:
        return dict(NO_ELECTION)
    country = region.split("-")[0]
    for e in elections:
        if e.get("region", country) not in (country, region):
            continue
        if e["country"] == country and e["date"] is not None and e["date"] >= today:
            days = (e["date"] - today).days
            return {
                "upcoming": True,
                "days_to_election": days,
                "name": e["name"],
                "country": country,
                "date": e["date"].isoformat(),
                "date_status": e["date_status"],
                "in_election_period": days <= ELECTION_PERIOD_DAYS,
            }
    return dict(NO_ELECTION)


def load_elections() -> list[dict[str, Any]]:
    from django.db.models.functions import Coalesce

    from .models import Election

    rows = (
        Election.objects.annotate(effective=Coalesce("date", "window_start"))
        .filter(effective__isnull=False)
        .order_by("effective")
        .values("country", "effective", "name", "date_status", "jurisdiction__region")
    )
    return [
        {
            "country": r["country"],
            "date": r["effective"],
            "name": r["name"],
            "date_status": r["date_status"],
            "region": r["jurisdiction__region"] or r["country"],
        }
        for r in rows
    ]
