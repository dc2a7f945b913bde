"""Which media-literacy campaign, if any, goes with a subject: pure, so policies and backtests agree.

A campaign runs for a locale, target regions (a country such as "US" covers "US-TX"), a schedule and
placements. Searches get the `search` placement, election posts the `banner`, posts with a false or
unverified voting claim the `interstitial` and `share_prompt`. The detector puts the chosen campaign
(its tip and link) in the `literacy_campaign` signal; a policy rule that acts on that signal attaches
the campaign to its verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Iterable, Mapping, Sequence

from civicshield.core.verdict import Signal

RESOURCE = "literacy_campaigns"


def placement_for(subject_type: str, signals: Mapping[str, Signal]) -> list[str]:
    if subject_type == "search":
        return ["search"]
    claim = signals.get("procedural_claim")
    if claim is not None and claim.value in ("false", "unverified"):
        return ["interstitial", "share_prompt", "banner"]
    return ["banner"]


def region_matches(targets: Sequence[str], region: str | None) -> bool:
    if not targets:
        return True
    if not region:
        return False
    return any(region == t or region.startswith(t + "-") for t in targets)


def choose_campaign(
    campaigns: Iterable[Mapping[str, Any]],
    *,
    placements: Sequence[str],
    region: str | None,
    language: str | None,
    now: dt.datetime | None,
) -> tuple[Mapping[str, Any], str] | None:
    """The best running campaign and the placement it fills (more specific targeting wins)."""
    best: tuple[tuple[int, int, int], Mapping[str, Any], str] | None = None
    for c in campaigns:
        if now is not None and (
            c.get("starts_at") and now < c["starts_at"] or c.get("ends_at") and now >= c["ends_at"]
        ):
            continue
        if not region_matches(c.get("regions") or [], region):
            continue
        if language and c.get("locale") and c["locale"].split("-")[0] != language.split("-")[0]:
            continue
        for rank, placement in enumerate(placements):
            if placement in c.get("placements", ()):
                specificity = max(
                    (len(t) for t in c.get("regions") or [] if region_matches([t], region)), default=0
                )
                key = (-rank, specificity, int(bool(language and c.get("locale"))))
                if best is None or key > best[0]:
                    best = (key, c, placement)
                break
    return (best[1], best[2]) if best else None


class LiteracyCampaignDetector:
    """Yields `literacy_campaign` (the campaign id) for election-related searches and posts."""

    name: ClassVar[str] = "literacy_campaign"
    cost: ClassVar[int] = 6
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "search"})
    gate: ClassVar[str | None] = "has(signals.election_relevance) && signals.election_relevance.value >= 0.5"

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        campaigns = (getattr(context, "resources", None) or {}).get(RESOURCE)
        if not campaigns:
            return
        account = getattr(context, "account", None)
        region = getattr(subject, "region", None) or getattr(account, "region", None)
        language = getattr(subject, "language", None)
        if not language and "language" in signals:
            language = signals["language"].value if isinstance(signals["language"].value, str) else None
        chosen = choose_campaign(
            campaigns,
            placements=placement_for(subject.subject_type, signals),
            region=region,
            language=language,
            now=getattr(context, "now", None),
        )
        if chosen is None:
            return
        campaign, placement = chosen
        yield Signal(
            self.name,
            campaign["id"],
            {
                "placement": placement,
                "title": campaign.get("title", ""),
                "tip": (campaign.get("tips") or [""])[0],
                "link_url": campaign.get("link_url", ""),
                "video_url": campaign.get("video_url", ""),
                "locale": campaign.get("locale", ""),
                "election_center": _center(signals),
            },
            self.name,
        )


def _center(signals: Mapping[str, Signal]) -> str:
    relevance = signals.get("election_relevance")
    return (relevance.evidence.get("election_center") if relevance else None) or "/elections/"
