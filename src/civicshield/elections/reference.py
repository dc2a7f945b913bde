"""Loads the shipped datasets into the database: the world calendar and the US voter facts (idempotent).

Shipped data is a seed. A fact an election editor has verified since (a newer last-verified date or a
different verifier) is never overwritten by a later load.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .votegov import DATA_DIR, load_us_dataset

WORLD_CALENDAR = DATA_DIR / "world_elections.json"
SPANISH_NAMES = {
    "NY": "Nueva York",
    "NM": "Nuevo México",
    "NC": "Carolina del Norte",
    "SC": "Carolina del Sur",
    "ND": "Dakota del Norte",
    "SD": "Dakota del Sur",
    "PA": "Pensilvania",
    "LA": "Luisiana",
    "MO": "Misuri",
    "MS": "Misisipi",
    "WV": "Virginia Occidental",
    "HI": "Hawái",
    "NJ": "Nueva Jersey",
    "NH": "Nuevo Hampshire",
    "DC": "Distrito de Columbia",
}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_calendar(path: Path = WORLD_CALENDAR) -> str:
    from .models import Election

    data = json.loads(path.read_text(encoding="utf-8"))
    as_of = _date(data["as_of"])
    created = 0
    for row in data["elections"]:
        defaults = {
            "name": row["name"],
            "date": _date(row.get("date")),
            "date_status": row["date_status"],
            "window_start": _date(row.get("window_start")),
            "window_end": _date(row.get("window_end")),
            "rule": row.get("rule", ""),
            "source_url": row["source_url"],
            "origin": data["dataset"],
            "as_of": as_of,
            "last_verified": as_of,
            "verified_by": data["compiled_by"],
        }
        _, made = Election.objects.update_or_create(
            country=row["country"],
            division_id=f"ocd-division/country:{row['country'].lower()}",
            type=row["type"],
            origin=data["dataset"],
            defaults=defaults,
        )
        created += made
    return f"{len(data['elections'])} elections ({created} new)"


def load_us_facts(data: dict[str, Any] | None = None) -> str:
    from .models import Jurisdiction, VoterFact

    data = data or load_us_dataset()
    country, _ = Jurisdiction.objects.update_or_create(
        ocd_id=data["national"]["ocd_id"],
        defaults={
            "region": "US",
            "code": "US",
            "name": "United States",
            "name_es": "Estados Unidos",
            "kind": "country",
            "country": "US",
        },
    )
    records = [(country, data["national"])]
    for rec in data["jurisdictions"]:
        j, _ = Jurisdiction.objects.update_or_create(
            ocd_id=rec["ocd_id"],
            defaults={
                "region": rec["region"],
                "code": rec["code"],
                "name": rec["name"],
                "name_es": SPANISH_NAMES.get(rec["code"], rec["name"]),
                "kind": rec["kind"],
                "country": "US",
                "parent": country,
            },
        )
        records.append((j, rec))
    existing = {(f.jurisdiction_id, f.field): f for f in VoterFact.objects.all()}
    new, changed = [], 0
    for j, rec in records:
        for field, fact in rec["facts"].items():
            values = {
                "value": fact["value"],
                "scope": fact["scope"],
                "note": fact.get("note", ""),
                "source_url": fact["source_url"],
                "source_dataset": fact.get("source_dataset", ""),
                "as_of": _date(fact["as_of"]),
                "last_verified": _date(fact["last_verified"]),
                "verified_by": fact["verified_by"],
            }
            current = existing.get((j.pk, field))
            if current is None:
                new.append(VoterFact(jurisdiction=j, field=field, **values))
            elif (
                current.verified_by == values["verified_by"]
                and current.last_verified <= values["last_verified"]
                and any(getattr(current, k) != v for k, v in values.items())
            ):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                changed += 1
    VoterFact.objects.bulk_create(new)
    return f"{len(records)} jurisdictions, {len(new)} facts new, {changed} updated"
