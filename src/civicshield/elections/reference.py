"""Loads the shipped election calendar into the database (idempotent)."""

from __future__ import annotations

import datetime as dt

# A minimal calendar so the policy engine has election context out of the box.
SEED = [
    {"name": "United States general election (midterms)", "country": "US", "division_id": "ocd-division/country:us",
     "type": "general", "date": "2026-11-03", "date_status": "scheduled_by_law",
     "source_url": "https://www.usa.gov/midterm-elections"},
]


def load_calendar() -> str:
    from .models import Election

    created = 0
    for row in SEED:
        _, made = Election.objects.update_or_create(
            country=row["country"], division_id=row["division_id"], type=row["type"],
            defaults={**row, "date": dt.date.fromisoformat(row["date"])})
        created += made
    return f"{len(SEED)} elections ({created} new)"
