"""The covert-influence report: the networks taken down in a quarter, told the way readers compare them.

Per network: where it operated from, whom it targeted, how many accounts and followers it had, its
tactics as DISARM technique ids, and whether it was found internally or reported from outside.
Account ids are not published: the report is about operations, not about individual accounts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from civicshield.core.spreadsheets import csv_text
from civicshield.transparency.periods import PeriodError, Quarter

from .disarm import TECHNIQUES
from .models import NetworkCase

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
CSV_COLUMNS = ("network", "name", "taken_down", "operated_from", "targeted_countries", "targets", "pushed",
               "accounts", "followers", "tactics", "detection_source")


def parse_quarter(text: str) -> tuple[int, int]:
    """(year, quarter) of `2026-Q4` (or `2026Q4`); a ValueError names what is wrong."""
    if not QUARTER.match(text or ""):
        raise ValueError(f"{text!r} is not a quarter; write it like 2026-Q4")
    try:
        parsed = Quarter.parse(text)
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    return parsed.year, parsed.number


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    period = Quarter(year, quarter)
    return period.start, period.end


def quarters_with_takedowns() -> list[str]:
    seen = set()
    for taken in NetworkCase.objects.filter(status="taken_down").values_list("taken_down_at", flat=True):
        if taken:
            seen.add(f"{taken.year}-Q{(taken.month - 1) // 3 + 1}")
    return sorted(seen, reverse=True)


def _operated_from(case: NetworkCase) -> list[str]:
    if case.origin_country:
        return [case.origin_country]
    regions = case.evidence.get("infrastructure", {}).get("regions", {})
    return list(regions)[:3]


def _traces(case: NetworkCase) -> list[str]:
    """Hashtag sequences and link domains the network pushed: what readers recognise it by."""
    found = [item["key"] for item in case.evidence.get("same_hashtags", {}).get("top", [])[:3]]
    found += sorted({item["key"].split("/")[0] for item in case.evidence.get("same_url", {}).get("top", [])})[:3]
    return found


def network_entry(case: NetworkCase) -> dict[str, Any]:
    members = case.members.all()
    return {
        "network": case.network_id, "name": case.title,
        "taken_down": case.taken_down_at.date().isoformat() if case.taken_down_at else None,
        "operated_from": _operated_from(case),
        "targeted_countries": [c.strip() for c in case.target_countries.split(",") if c.strip()],
        "targets": case.targets, "pushed": _traces(case),
        "accounts": len(members), "followers": sum(m.followers for m in members),
        "tactics": [{"id": t, "name": TECHNIQUES.get(t, "")} for t in case.tactics],
        "detection_source": case.detection_source,
    }


def quarter_report(year: int, quarter: int) -> dict[str, Any]:
    start, end = quarter_bounds(year, quarter)
    cases = (NetworkCase.objects.filter(status="taken_down", taken_down_at__gte=start, taken_down_at__lt=end)
             .prefetch_related("members").order_by("taken_down_at", "network_id"))
    networks = [network_entry(c) for c in cases]
    return {"quarter": f"{year}-Q{quarter}", "from": start.date().isoformat(),
            "until": (end - dt.timedelta(days=1)).date().isoformat(),
            "networks": networks, "totals": {"networks": len(networks),
                                             "accounts": sum(n["accounts"] for n in networks),
                                             "followers": sum(n["followers"] for n in networks)}}


def report_csv(report: dict[str, Any]) -> str:
    return csv_text(CSV_COLUMNS, ([n["network"], n["name"], n["taken_down"], " ".join(n["operated_from"]),
                                   " ".join(n["targeted_countries"]), n["targets"], "; ".join(n["pushed"]),
                                   n["accounts"], n["followers"], " ".join(t["id"] for t in n["tactics"]),
                                   n["detection_source"]] for n in report["networks"]))
