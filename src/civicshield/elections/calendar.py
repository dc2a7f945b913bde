"""The `election` context a policy sees: the next election in the subject's country."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicshield.core.assess import NO_ELECTION

ELECTION_PERIOD_DAYS = 90


def election_context(elections: list[dict[str, Any]], region: str | None, today: dt.date) -> dict[str, Any]:
    """`elections`: dicts with country, date, name, date_status (sorted by date)."""
    if not region:
        return dict(NO_ELECTION)
    country = region.split("-")[0]
    for e in elections:
        if e["country"] == country and e["date"] >= today:
            days = (e["date"] - today).days
            return {"upcoming": True, "days_to_election": days, "name": e["name"], "country": country,
                    "date": e["date"].isoformat(), "date_status": e["date_status"],
                    "in_election_period": days <= ELECTION_PERIOD_DAYS}
    return dict(NO_ELECTION)


def load_elections() -> list[dict[str, Any]]:
    from .models import Election

    return list(Election.objects.order_by("date").values("country", "date", "name", "date_status"))
