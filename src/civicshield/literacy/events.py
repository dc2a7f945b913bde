"""Impressions and clicks of media-literacy campaigns arrive as platform events.

`literacy.impression` and `literacy.click` carry `{"literacy": {"campaign_id", "placement", ...}}`;
they go through the one intake pipeline (stored, never assessed) and the console counts them.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from civicshield.core.events import Payload, Region, register_event_type

Placement = Literal["search", "share_prompt", "banner", "interstitial"]
PLACEMENTS: tuple[str, ...] = Placement.__args__  # type: ignore[attr-defined]


class CampaignInteraction(Payload):
    subject_type: ClassVar[str] = "literacy"
    campaign_id: Annotated[str, Field(min_length=1, max_length=64)]
    placement: Placement
    account_id: str | None = None
    subject_id: str | None = None
    region: Region | None = None

    @property
    def id(self) -> str:
        """Events are filed under their campaign, so counting them is one indexed query."""
        return self.campaign_id


register_event_type("literacy.impression", "literacy", CampaignInteraction)
register_event_type("literacy.click", "literacy", CampaignInteraction)
