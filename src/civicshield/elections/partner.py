"""Partner voter-information feeds: Democracy Works Elections API v2 JSON, and a documented CSV form.

Authorities become voter facts for their jurisdiction (official website, registration status lookup,
online registration, mail form), elections become calendar entries with key dates. Each fact keeps the
record's `canonicalUrl` (or `homepageUrl`) as its source and `updatedAt` as as-of and last-verified
date. Bad records are reported by index and reason; good ones are kept.

CSV form (UTF-8, header row): `ocd_id,field,value,source_url,as_of,last_verified,verified_by` where
`field` is a voter-fact name (e.g. `official_election_website`) and `value` is text, or JSON when it
starts with `{`, `[` or is `true`/`false`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from civicshield.core.errors import FeedError

from .models import Election, Jurisdiction, KeyDate, VoterFact

PARTNER = "Democracy Works (partner feed)"
CSV_COLUMNS = ("ocd_id", "field", "value", "source_url", "as_of", "last_verified", "verified_by")


def _day(value: Any) -> dt.date:
    if not value:
        raise ValueError("missing date")
    return dt.date.fromisoformat(str(value)[:10])


def _set_fact(
    j: Jurisdiction,
    field: str,
    value: Any,
    source_url: str,
    as_of: dt.date,
    verified: dt.date,
    by: str,
    tally: dict[str, int],
) -> None:
    values = {
        "value": value,
        "source_url": source_url,
        "source_dataset": by,
        "as_of": as_of,
        "last_verified": verified,
        "verified_by": by,
        "scope": "evergreen",
    }
    fact = VoterFact.objects.filter(jurisdiction=j, field=field).first()
    if fact is None:
        VoterFact.objects.create(jurisdiction=j, field=field, **values)
        tally["created"] += 1
    elif fact.last_verified > verified:
        tally["kept_newer"] += 1
    elif any(getattr(fact, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(fact, k, v)
        fact.save()
        tally["updated"] += 1
    else:
        tally["unchanged"] += 1


def _authority(rec: dict[str, Any], tally: dict[str, int]) -> None:
    j = Jurisdiction.objects.filter(ocd_id=rec["ocdId"]).first()
    if j is None:
        raise ValueError(f"unknown jurisdiction {rec['ocdId']!r}")
    source = rec.get("canonicalUrl") or rec.get("homepageUrl")
    if not source:
        raise ValueError("record has neither canonicalUrl nor homepageUrl")
    day = _day(rec.get("updatedAt"))
    reg = rec.get("registration") or {}
    online = reg.get("online") or {}
    fields = {
        "official_election_website": rec.get("homepageUrl"),
        "registration_status_lookup": reg.get("statusUrl"),
        "mail_registration_form": reg.get("formUrl") or (reg.get("byMail") or {}).get("url"),
    }
    if "supported" in online:
        fields["online_registration"] = {"offered": bool(online["supported"]), "url": online.get("url")}
    for field, value in fields.items():
        if value is not None:
            _set_fact(j, field, value, source, day, day, PARTNER, tally)


def _election(rec: dict[str, Any], tally: dict[str, int]) -> None:
    date = _day(rec.get("date"))
    j = Jurisdiction.objects.filter(ocd_id=rec["ocdId"]).first()
    source = rec.get("canonicalUrl") or rec.get("website") or ""
    day = _day(rec.get("updatedAt")) if rec.get("updatedAt") else None
    election, made = Election.objects.update_or_create(
        origin=f"partner:{rec['ocdId']}:{date}:{rec.get('type', '')}",
        defaults={
            "name": rec.get("description") or f"Election {date}",
            "country": "US",
            "date": date,
            "type": (rec.get("type") or "general")[:40],
            "date_status": "declared",
            "jurisdiction": j,
            "division_id": rec["ocdId"],
            "source_url": source[:500],
            "as_of": day,
            "last_verified": day,
            "verified_by": PARTNER,
        },
    )
    tally["created" if made else "updated"] += 1
    reg = rec.get("registration") or {}
    dates = [
        ("registration_deadline", "online", (reg.get("online") or {}).get("deadline")),
        ("registration_deadline", "mail", (reg.get("byMail") or {}).get("deadline")),
        ("registration_deadline", "in person", (reg.get("inPerson") or {}).get("deadline")),
        ("early_voting_start", "", ((rec.get("voting") or {}).get("early") or {}).get("startDate")),
        ("early_voting_end", "", ((rec.get("voting") or {}).get("early") or {}).get("endDate")),
        ("election_day", "", str(date)),
    ]
    for kind, basis, deadline in dates:
        if not deadline:
            continue
        when = deadline.get("date") if isinstance(deadline, dict) else deadline
        note = deadline.get("description", "") if isinstance(deadline, dict) else ""
        if isinstance(deadline, dict) and deadline.get("postmarkedOrReceived"):
            basis = f"{basis} ({deadline['postmarkedOrReceived']})".strip()
        KeyDate.objects.update_or_create(
            election=election,
            jurisdiction=j,
            kind=kind,
            basis=basis[:40],
            defaults={
                "date": _day(when),
                "note": note[:300],
                "source_url": source[:500] or "https://www.democracy.works/",
                "last_verified": day,
            },
        )


@transaction.atomic
def import_partner_json(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
        raise FeedError('expected a Democracy Works v2 envelope: {"data": {"authorities": [...]}}')
    tally = {"created": 0, "updated": 0, "unchanged": 0, "kept_newer": 0}
    errors: list[dict[str, Any]] = []
    for kind, handler in (("authorities", _authority), ("elections", _election)):
        for i, rec in enumerate(data["data"].get(kind) or []):
            try:
                if not isinstance(rec, dict) or "ocdId" not in rec:
                    raise ValueError("record needs an ocdId")
                with transaction.atomic():
                    handler(rec, tally)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                errors.append({"collection": kind, "index": i, "reason": str(exc)})
    return {"format": "democracy-works-v2", "records": tally, "errors": errors}


@transaction.atomic
def import_partner_csv(text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    missing = set(CSV_COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise FeedError(
            f"CSV header lacks {', '.join(sorted(missing))}; expected {','.join(CSV_COLUMNS)}", line=1
        )
    tally = {"created": 0, "updated": 0, "unchanged": 0, "kept_newer": 0}
    errors = []
    for i, row in enumerate(reader):
        try:
            j = Jurisdiction.objects.filter(ocd_id=row["ocd_id"]).first()
            if j is None:
                raise ValueError(f"unknown jurisdiction {row['ocd_id']!r}")
            if not row["source_url"].startswith(("https://", "http://")):
                raise ValueError("source_url must be an http(s) URL")
            raw = row["value"].strip()
            value = json.loads(raw) if raw[:1] in "{[" or raw in ("true", "false") else raw
            with transaction.atomic():
                _set_fact(
                    j,
                    row["field"],
                    value,
                    row["source_url"],
                    _day(row["as_of"]),
                    _day(row["last_verified"]),
                    row["verified_by"] or "partner CSV",
                    tally,
                )
        except (ValueError, TypeError, AttributeError) as exc:
            errors.append({"index": i, "line": i + 2, "reason": str(exc)})
    return {"format": "csv", "records": tally, "errors": errors}


def import_partner_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise FeedError(f"{path} does not exist")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return import_partner_csv(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"{path.name}: not JSON ({exc.msg})", line=exc.lineno) from None
    return import_partner_json(data)
