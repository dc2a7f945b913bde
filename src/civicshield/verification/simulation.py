"""Official-account phenomena in the synthetic stream: monetization requests and fundraising asks.

Each simulated day some accounts ask for gifts, tips or creator-fund payments (politicians and
parties among them, whose requests the policy refuses), and a few politician posts ask for campaign
donations with a donation link.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Iterator

from .monetization import EVENT_TYPE

ASKS = ["Chip in $5 before tonight's fundraising deadline: https://secure.actblue.com/donate/{handle}",
        "Help us reach our $50,000 goal! Donate to the campaign today.",
        "Every dollar counts. Contribute to our campaign now: https://{handle}.example.org/donate"]
KINDS = ("gift", "tip", "creator_fund", "subscription", "live_gift")


def official_phenomena(sim: Any, rng: random.Random, day_start: dt.datetime, day: int) -> Iterator[dict[str, Any]]:
    if not sim.accounts:
        return
    politicians = [a for a in sim.accounts if a["category"] in ("politician", "political_party")]
    for i in range(max(2, len(sim.accounts) // 40)):
        official = politicians and (i == 0 or rng.random() < 0.3)
        account = rng.choice(politicians if official else sim.accounts)
        at = day_start + dt.timedelta(minutes=rng.randint(0, 1439))
        yield sim.envelope(EVENT_TYPE, "monetization", {
            "id": sim.next_id("mon"), "account_id": account["id"], "kind": rng.choice(KINDS),
            "amount": round(rng.uniform(1, 200), 2), "currency": "USD"}, at)
    for account in rng.sample(politicians, min(2, len(politicians))):
        at = day_start + dt.timedelta(minutes=rng.randint(0, 1439))
        yield sim.envelope("content.created", "content", {
            "id": sim.next_id("post"), "account_id": account["id"], "kind": "post",
            "text": rng.choice(ASKS).format(handle=account["handle"]), "region": account["region"],
            "views": rng.randint(100, 20000)}, at)
