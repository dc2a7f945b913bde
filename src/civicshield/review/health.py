"""Queue health: depth, age, SLA breaches and decisions per reviewer per hour, and its chart.

The chart is SVG drawn on the server (no script, nothing for the content-security policy to allow).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from civicshield.decisions.models import Decision

from .cases import LIVE
from .models import Case


@dataclass(frozen=True)
class QueueHealth:
    queue: str
    depth: int
    claimed: int
    breached: int
    oldest_hours: float
    decided_24h: int


def queue_health(queues: list[str], now: dt.datetime | None = None) -> list[QueueHealth]:
    now = now or timezone.now()
    day = now - dt.timedelta(hours=24)
    rows = {r["queue"]: r for r in Case.objects.filter(queue__in=queues).values("queue").annotate(
        depth=Count("id", filter=Q(status__in=LIVE)), claimed=Count("id", filter=Q(status="claimed")),
        breached=Count("id", filter=Q(status__in=LIVE, due_at__lt=now)),
        oldest=Min("opened_at", filter=Q(status__in=LIVE)),
        decided=Count("id", filter=Q(status="decided", closed_at__gte=day)))}
    out = []
    for q in queues:
        r = rows.get(q, {})
        oldest = r.get("oldest")
        out.append(QueueHealth(q, r.get("depth", 0), r.get("claimed", 0), r.get("breached", 0),
                               round((now - oldest).total_seconds() / 3600, 1) if oldest else 0.0,
                               r.get("decided", 0)))
    return out


def reviewer_rates(now: dt.datetime | None = None, hours: int = 24) -> list[dict[str, object]]:
    """Human decisions per reviewer over the last `hours`, with the hourly rate while active."""
    now = now or timezone.now()
    qs = Decision.objects.filter(actor_type="user", created_at__gte=now - dt.timedelta(hours=hours))
    per_hour = (qs.annotate(hour=TruncHour("created_at")).values("actor_id", "hour").annotate(n=Count("seq")))
    totals: dict[str, list[int]] = {}
    for row in per_hour:
        totals.setdefault(row["actor_id"], []).append(row["n"])
    return sorted(({"reviewer": who, "decisions": sum(ns), "active_hours": len(ns),
                    "per_hour": round(sum(ns) / len(ns), 1)} for who, ns in totals.items()),
                  key=lambda r: -r["decisions"])


def depth_chart(health: list[QueueHealth], width: int = 640, bar: int = 26) -> str:
    """Horizontal bars: live depth per queue, with the SLA-breached part in a warning colour."""
    top = max((h.depth for h in health), default=0) or 1
    label_w, gap = 170, 8
    height = len(health) * (bar + gap) + 30
    scale = (width - label_w - 60) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="depth-title">',
             '<title id="depth-title">Open cases per queue; the darker part has passed its SLA deadline</title>']
    for i, h in enumerate(health):
        y = 10 + i * (bar + gap)
        w, b = h.depth * scale, h.breached * scale
        parts.append(f'<text x="{label_w - 8}" y="{y + bar * 0.68:.0f}" text-anchor="end" font-size="13">'
                     f'{escape(h.queue)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#7aa3e0">'
                     f'<title>{escape(h.queue)}: {h.depth} open</title></rect>')
        if b:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{b:.1f}" height="{bar}" fill="#a04500">'
                         f'<title>{h.breached} past SLA</title></rect>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.68:.0f}" font-size="13">'
                     f'{h.depth}{f" ({h.breached} late)" if h.breached else ""}</text>')
    parts.append("</svg>")
    return "".join(parts)
