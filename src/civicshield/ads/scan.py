"""Scanning recent posts for coordinated political scripts and sending each cluster to ads review.

Run by `civicshield ads scan-scripts` (e.g. hourly from cron or a worker). Each cluster opens one case
in the ads queue on its earliest post, listing every post and account, so a reviewer can judge
whether it is undisclosed paid promotion; an open case is not opened twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from civicshield.intake.models import Content
from civicshield.review.cases import CaseDraft, open_cases

from .detector import PoliticalAdDetector
from .scripts import Post, ScriptCluster, find_scripts

RULE_ID = "ads.coordinated_political_script"
MAX_POSTS = 200_000


def recent_posts(since: dt.datetime) -> list[Post]:
    rows = (Content.objects.filter(last_event_at__gte=since).order_by("last_event_at")
            .values_list("id", "account_id", "text", "last_event_at", "payload")[:MAX_POSTS])
    return [Post(i, a, t, at, bool((payload or {}).get("paid_partnership"))) for i, a, t, at, payload in rows]


def scan(hours: float = 24.0, *, min_accounts: int = 5, now: dt.datetime | None = None) -> dict[str, Any]:
    """Find clusters among posts of the last `hours`; open review cases. Returns a summary."""
    now = now or timezone.now()
    detector = PoliticalAdDetector()

    def score(text: str) -> tuple[float, str]:
        signal = detector.assess_text(text)
        return float(signal.value), str(signal.evidence["explanation"])

    posts = recent_posts(now - dt.timedelta(hours=hours))
    clusters = find_scripts(posts, score, window=dt.timedelta(hours=hours), min_accounts=min_accounts)
    cases = open_cases([_draft(c) for c in clusters], now=now)
    return {"posts": len(posts), "clusters": len(clusters), "cases_opened": len(cases),
            "largest": max((len(c.accounts) for c in clusters), default=0)}


def _draft(cluster: ScriptCluster) -> CaseDraft:
    first = min(cluster.posts, key=lambda p: p.at)
    reason = (f"Possible undisclosed paid political promotion: {len(cluster.accounts)} accounts posted the "
              f"same political script between {cluster.first_at:%Y-%m-%d %H:%M} and "
              f"{cluster.last_at:%Y-%m-%d %H:%M} UTC, none marked as a paid partnership. {cluster.explanation}")
    return CaseDraft(queue="ads", subject_type="content", subject_id=first.id, kind="network",
                     rule_ids=[RULE_ID], reason=reason, area="political_ads", severity=3,
                     details={"posts": [p.id for p in cluster.posts], "accounts": cluster.accounts,
                              "political_score": cluster.political_score})
