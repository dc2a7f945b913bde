"""Media-literacy campaigns and their reach (impressions and clicks counted from events)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count

from .events import PLACEMENTS


class Campaign(models.Model):
    slug = models.SlugField(
        max_length=64, unique=True, help_text="Stable id sent back in impression/click events"
    )
    title = models.CharField(max_length=200)
    locale = models.CharField(max_length=10, help_text='e.g. "en", "es", "es-MX"')
    target_regions = models.JSONField(
        default=list, blank=True, help_text='e.g. ["US", "US-TX"]; empty = everywhere'
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    placements = models.JSONField(default=list, help_text=f"Any of {', '.join(PLACEMENTS)}")
    tips = models.JSONField(default=list, help_text="Short tips, shown one at a time")
    video_url = models.URLField(max_length=500, blank=True)
    link_url = models.URLField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "title"]

    def __str__(self) -> str:
        return self.title

    def as_resource(self) -> dict[str, Any]:
        return {
            "id": self.slug,
            "title": self.title,
            "locale": self.locale,
            "regions": list(self.target_regions),
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "placements": list(self.placements),
            "tips": list(self.tips),
            "video_url": self.video_url,
            "link_url": self.link_url,
        }


def reach(slugs: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Impressions and clicks per campaign slug, from stored `literacy.*` events."""
    from civicshield.intake.models import Event

    rows = Event.objects.filter(subject_type="literacy", type__in=("literacy.impression", "literacy.click"))
    if slugs is not None:
        rows = rows.filter(subject_id__in=slugs)
    out: dict[str, dict[str, int]] = {}
    for row in rows.values("subject_id", "type").annotate(n=Count("id")):
        kind = "impressions" if row["type"] == "literacy.impression" else "clicks"
        out.setdefault(row["subject_id"], {"impressions": 0, "clicks": 0})[kind] = row["n"]
    return out
