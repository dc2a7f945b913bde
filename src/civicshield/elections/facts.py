"""Voter facts as the detectors, the public pages and the API see them (read from the database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from .freshness import is_stale, timing
from .models import Election, Jurisdiction, VoterFact

FIELD_ORDER = (
    "official_election_website",
    "registration_required",
    "online_registration",
    "registration_status_lookup",
    "mail_registration_form",
    "registration_information",
    "deadline_in_person",
    "deadline_online",
    "deadline_mail",
    "same_day_registration",
    "accepts_national_mail_form",
    "registration_methods",
    "mail_deadline_2024_general",
)


def voter_facts() -> dict[str, Any]:
    """Region code -> {code, name, region, facts: {field: fact dict}} for every jurisdiction with facts."""
    out: dict[str, Any] = {}
    for fact in VoterFact.objects.select_related("jurisdiction"):
        j = fact.jurisdiction
        record = out.setdefault(j.region, {"code": j.code, "name": j.name, "region": j.region, "facts": {}})
        record["facts"][fact.field] = fact.as_dict()
    return out


def us_states() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(country="US", kind__in=("state", "district")).order_by("name"))


def next_election(country: str, today: dt.date, jurisdiction: Jurisdiction | None = None) -> Election | None:
    """The next national election, or one for `jurisdiction` itself (never another state's)."""
    scope = Q(jurisdiction__isnull=True) | Q(jurisdiction=jurisdiction) if jurisdiction else Q()
    for election in Election.objects.filter(scope, country=country).order_by("date", "window_start"):
        day = election.date or election.window_start
        if day is None or day >= today:
            return election
    return None


def state_page(j: Jurisdiction, today: dt.date) -> dict[str, Any]:
    """Everything the state page and its JSON twin show, in display order, with freshness."""
    facts = {f.field: f for f in j.facts.all()}
    rows = []
    for field in sorted(facts, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99):
        fact = facts[field]
        rows.append({"field": field, **fact.as_dict(), "stale": is_stale(fact.last_verified, today)})
    election = next_election(j.country, today, j)
    key_dates = [
        {
            "kind": k.kind,
            "date": k.date.isoformat(),
            "basis": k.basis,
            "note": k.note,
            "source_url": k.source_url,
            "timing": timing(k.date, today),
        }
        for k in j.keydate_set.select_related("election").order_by("date")
    ]
    locations = [
        {
            "name": p.name,
            "address": p.address,
            "early_voting": p.is_early_voting,
            "drop_box": p.is_drop_box,
            "hours": p.hours,
            "hours_text": p.hours_text,
        }
        for p in j.polling_locations.order_by("-is_early_voting", "name")[:200]
    ]
    offices = [
        {
            "name": a.name,
            "phone": a.phone,
            "email": a.email,
            "urls": a.urls,
            "updated": a.feed.source_datetime or a.feed.imported_at.date().isoformat(),
        }
        for a in j.administrations.select_related("feed").order_by("name")
    ]
    return {
        "election_offices": offices,
        "region": j.region,
        "code": j.code,
        "name": j.name,
        "ocd_id": j.ocd_id,
        "facts": rows,
        "next_election": election_dict(election, today) if election else None,
        "key_dates": key_dates,
        "polling_locations": locations,
    }


def election_dict(e: Election, today: dt.date) -> dict[str, Any]:
    day = e.date or e.window_start
    return {
        "name": e.name,
        "country": e.country,
        "type": e.type,
        "date": e.date.isoformat() if e.date else None,
        "window_start": e.window_start.isoformat() if e.window_start else None,
        "window_end": e.window_end.isoformat() if e.window_end else None,
        "date_status": e.date_status,
        "rule": e.rule,
        "source_url": e.source_url,
        "last_verified": e.last_verified.isoformat() if e.last_verified else None,
        "timing": timing(day, today) if day else "upcoming",
    }


def calendar(today: dt.date, country: str | None = None) -> list[dict[str, Any]]:
    """Upcoming (and undated) elections, soonest first; past ones are left out."""
    qs = Election.objects.all()
    if country:
        qs = qs.filter(country=country.upper())
    rows = [election_dict(e, today) for e in qs]
    rows = [
        r
        for r in rows
        if r["timing"] != "passed" or (r["window_end"] and r["window_end"] >= today.isoformat())
    ]
    return sorted(rows, key=lambda r: (r["date"] or r["window_start"] or "9999", r["country"]))
