"""Store imported feeds: VIP XML (5.2 / 6.0) and partner voter-information files.

Re-importing the same feed changes nothing: every record is keyed by the feed's own ids and only
written when a value differs, and the summary says how many records were created, updated or left
unchanged. Partner records keep their source link and updated date as the fact's provenance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction

from .models import (
    Election,
    ElectionAdministration,
    Jurisdiction,
    Locality,
    PollingLocation,
    Precinct,
    VipFeed,
)
from .vip import VipFeed as ParsedFeed


def _upsert(model: type, keys: dict[str, Any], values: dict[str, Any], tally: dict[str, int]) -> Any:
    obj = model.objects.filter(**keys).first()
    if obj is None:
        tally["created"] += 1
        return model.objects.create(**keys, **values)
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        tally["updated"] += 1
    else:
        tally["unchanged"] += 1
    return obj


def _pk(obj: Any) -> Any:
    return obj.pk if obj is not None else None


def _sync(model: type, feed: VipFeed, rows: dict[str, dict[str, Any]], tally: dict[str, int]) -> None:
    """Bring `model`'s records of `feed` to `rows` (object id -> values) in a few bulk queries."""
    existing = {obj.object_id: obj for obj in model.objects.filter(feed=feed)}
    new, changed, fields = [], [], set()
    for object_id, values in rows.items():
        obj = existing.get(object_id)
        if obj is None:
            new.append(model(feed=feed, object_id=object_id, **values))
            continue
        diff = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(obj, k, v)
            fields.update(diff)
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=1000)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=500)
    tally["created"] += len(new)
    tally["updated"] += len(changed)
    tally["unchanged"] += len(rows) - len(new) - len(changed)


@transaction.atomic
def store_vip(feed: ParsedFeed, raw: bytes) -> dict[str, Any]:
    """Write a parsed VIP feed; returns the feed summary plus created/updated/unchanged counts."""
    tally = {"created": 0, "updated": 0, "unchanged": 0}
    vip_id = (feed.source.get("vip_id") or hashlib.sha256(raw).hexdigest()[:16])[:100]
    record = _upsert(
        VipFeed,
        {"vip_id": vip_id},
        {
            "name": feed.source.get("name", "")[:200],
            "version": feed.version[:10],
            "source_datetime": feed.source.get("datetime", "")[:40],
            "digest": hashlib.sha256(raw).hexdigest(),
        },
        tally,
    )
    states = {
        s["id"]: Jurisdiction.objects.filter(ocd_id=s["ocd_id"]).first() for s in feed.states if s["ocd_id"]
    }
    state = next((j for j in states.values() if j), None)
    for e in feed.elections:
        j = states.get(e["state_id"]) or state
        _upsert(
            Election,
            {"origin": f"vip:{vip_id}:{e['id']}"[:200]},
            {
                "name": (e["name"] or f"Election {e['date']}")[:200],
                "country": "US",
                "type": e["type"][:40] or "general",
                "date": dt.date.fromisoformat(e["date"]),
                "date_status": "declared",
                "jurisdiction": j,
                "division_id": j.ocd_id if j else "",
                "source_url": feed.source.get("organization_uri", "")[:500],
            },
            tally,
        )
    # An administration serves the state (or the locality's state) that names it.
    served = {s["administration_id"]: states.get(s["id"]) for s in feed.states if s["administration_id"]}
    for loc in feed.localities:
        served.setdefault(loc["administration_id"], states.get(loc["state_id"]) or state)
    _sync(
        ElectionAdministration,
        record,
        {
            a["id"]: {
                "name": a["name"][:300],
                "urls": a["urls"],
                "phone": a["phone"][:100],
                "email": a["email"][:200],
                "jurisdiction_id": _pk(served.get(a["id"])),
            }
            for a in feed.administrations
        },
        tally,
    )
    _sync(
        Locality,
        record,
        {
            loc["id"]: {
                "name": loc["name"][:300],
                "type": loc["type"][:40],
                "administration_id": loc["administration_id"][:100],
                "is_mail_only": loc["is_mail_only"],
                "jurisdiction_id": _pk(states.get(loc["state_id"]) or state),
            }
            for loc in feed.localities
        },
        tally,
    )
    _sync(
        Precinct,
        record,
        {
            p["id"]: {
                "name": p["name"][:300],
                "number": p["number"][:40],
                "locality_id": p["locality_id"][:100],
                "polling_location_ids": p["polling_location_ids"],
                "is_mail_only": p["is_mail_only"],
            }
            for p in feed.precincts
        },
        tally,
    )
    _sync(
        PollingLocation,
        record,
        {
            p["id"]: {
                "name": p["name"][:300],
                "address": p["address"][:500],
                "is_early_voting": p["is_early_voting"],
                "is_drop_box": p["is_drop_box"],
                "hours_text": p["hours_text"][:300],
                "hours": p["hours"],
                "directions": p["directions"],
                "lat": p["lat"],
                "lng": p["lng"],
                "jurisdiction_id": _pk(state),
            }
            for p in feed.polling_locations
        },
        tally,
    )
    return {**feed.summary(), "records": tally}
