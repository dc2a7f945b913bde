"""The public ad-decision library: every ad rejected as political, searchable and downloadable.

An ad is listed while a rejection of it is in force: automated or by a reviewer, not lifted or
reversed on appeal (an upheld appeal re-records the rejection, which stays listed). The same query
serves the public page, the JSON API and the CSV download, so the three always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

from django.db.models import Q

from civicshield.core.spreadsheets import csv_text
from civicshield.decisions.models import Decision
from civicshield.intake.models import Account, Ad

from .reasons import REASON_CODES, reason_code

MAX_SCAN = 20_000
REGION = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
CSV_COLUMNS = ("ad_id", "advertiser_id", "advertiser_name", "advertiser_category", "text", "regions",
               "submitted_at", "rejected_at", "reason_codes", "reasons", "decided_by")


@dataclass
class LibraryQuery:
    q: str = ""
    region: str = ""
    reason: str = ""
    advertiser: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class LibraryEntry:
    ad_id: str
    advertiser_id: str
    advertiser_name: str
    advertiser_category: str
    text: str
    regions: list[str]
    submitted_at: str
    rejected_at: str
    reason_codes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    decided_by: str = "automated"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def in_force_rejections() -> "Q":
    replaced = Decision.objects.filter(supersedes_id__isnull=False).values("supersedes_id")
    return Q(subject_type="ad", action="reject_ad", effect="apply", mode="enforce") & ~Q(seq__in=replaced)


def search(query: LibraryQuery) -> list[LibraryEntry]:
    """Rejected political ads matching `query`, newest rejection first."""
    rows = Decision.objects.filter(in_force_rejections())
    if query.since:
        rows = rows.filter(start__date__gte=query.since)
    if query.until:
        rows = rows.filter(start__date__lte=query.until)
    if query.advertiser:
        rows = rows.filter(account_id=query.advertiser)
    rows = list(rows.order_by("-seq")[:MAX_SCAN])
    ads = {a.id: a for a in Ad.objects.filter(id__in={r.subject_id for r in rows})}
    accounts = {a.id: a for a in Account.objects.filter(
        id__in={a.advertiser_account_id for a in ads.values()} | {r.account_id for r in rows})}
    entries: dict[str, LibraryEntry] = {}
    for r in rows:
        entry = entries.get(r.subject_id) or entries.setdefault(r.subject_id, _entry(r, ads, accounts))
        code = reason_code(r.rule_id, r.signals)
        if code not in entry.reason_codes:
            entry.reason_codes.append(code)
            entry.reasons.append(r.explanation or REASON_CODES[code])
        if r.actor_type != "system":
            entry.decided_by = "reviewer"
    return [e for e in entries.values() if _matches(e, query)]


def _entry(r: Decision, ads: dict[str, Ad], accounts: dict[str, Account]) -> LibraryEntry:
    ad = ads.get(r.subject_id)
    advertiser_id = ad.advertiser_account_id if ad else r.account_id
    account = accounts.get(advertiser_id)
    return LibraryEntry(
        ad_id=r.subject_id, advertiser_id=advertiser_id,
        advertiser_name=(account.display_name or account.handle) if account else advertiser_id,
        advertiser_category=account.category if account else "", text=ad.text if ad else "",
        regions=list(ad.regions if ad else r.territorial_scope),
        submitted_at=ad.first_seen.isoformat() if ad else "", rejected_at=r.start.isoformat())


def _matches(e: LibraryEntry, query: LibraryQuery) -> bool:
    if query.reason and query.reason not in e.reason_codes:
        return False
    if query.region and not any(r == query.region or r.startswith(query.region + "-") for r in e.regions):
        return False
    if query.q:
        needle = query.q.casefold()
        return any(needle in s.casefold() for s in (e.text, e.advertiser_name, e.advertiser_id, e.ad_id))
    return True


def to_csv(entries: Iterable[LibraryEntry]) -> str:
    rows = ([";".join(v) if isinstance(v := e.as_dict()[c], list) else str(v) for c in CSV_COLUMNS] for e in entries)
    return csv_text(CSV_COLUMNS, rows)


def parse_query(params: dict[str, str]) -> tuple[LibraryQuery, list[str]]:
    """A `LibraryQuery` from request parameters, and what was wrong with them (bad ones are ignored)."""
    errors: list[str] = []
    query = LibraryQuery(q=params.get("q", "").strip()[:200], advertiser=params.get("advertiser", "").strip()[:200])
    region = params.get("region", "").strip().upper()
    if region and not REGION.fullmatch(region):
        errors.append(f"region {region!r} is not a region code like US-CA or DE")
    else:
        query.region = region
    reason = params.get("reason", "").strip()
    if reason and reason not in REASON_CODES:
        errors.append(f"reason {reason!r} is not one of: {', '.join(REASON_CODES)}")
    else:
        query.reason = reason
    for name in ("since", "until"):
        raw = params.get(name, "").strip()
        if raw:
            try:
                setattr(query, name, dt.date.fromisoformat(raw))
            except ValueError:
                errors.append(f"{name} {raw!r} is not a date like 2026-11-03")
    return query, errors
