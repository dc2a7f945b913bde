"""A simulated season straddling 2026Q3/2026Q4, with what a test expects it to report, worked out by hand.

Events go through the one pipeline (`process_batch`); people's decisions (removals, an appeal won,
an influence takedown, an AI label) go through `decisions.log.record_decision`. The expectations are
computed here from the event stream and the list of actions taken, not from the decision log.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from civicshield.intake.simulate import Simulation
from civicshield.transparency.enforcement import time_buckets
from civicshield.transparency.periods import Quarter

Q3 = Quarter(2026, 3)
UTC = dt.timezone.utc
POLITICAL = {"government", "politician", "political_party"}
DELAYS = (0.5, 3.0, 12.0, 30.0, 80.0)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class Season:
    events: list[dict[str, Any]]
    removals: list[dict[str, Any]] = field(default_factory=list)   # content_id, start, market, hours, reported, views, automated
    appeals: list[dict[str, Any]] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    bans: list[str] = field(default_factory=list)
    ai_labels: int = 0

    def in_q3(self, moment: dt.datetime) -> bool:
        return Q3.start <= moment < Q3.end

    def expected(self) -> dict[str, Any]:
        """Q3 figures worked out from the stream and the actions taken."""
        uploads = Counter()
        seen = set()
        for e in self.events:
            if e["type"] == "content.created" and self.in_q3(_at(e["occurred_at"])) and e["content"]["id"] not in seen:
                seen.add(e["content"]["id"])
                uploads[e["content"]["region"].split("-")[0]] += 1
        removed = [r for r in self.removals if self.in_q3(r["start"])]
        accounts = {e["account"]["id"]: e["account"] for e in self.events if e["type"] == "account.upserted"}
        rejected = sum(1 for e in self.events if e["type"] == "ad.submitted" and self.in_q3(_at(e["occurred_at"]))
                       and accounts[e["ad"]["advertiser_account_id"]]["category"] in POLITICAL)
        hours = [r["hours"] for r in removed]
        return {
            "content_uploaded": sum(uploads.values()), "uploads_by_market": dict(uploads),
            "content_removed": len(removed), "removed_by_market": dict(Counter(r["market"] for r in removed)),
            "removal_rate": round(len(removed) / sum(uploads.values()), 6),
            "proactive_rate": round(sum(not r["reported"] for r in removed) / len(removed), 6),
            "removed_before_views": sum(r["views"] == 0 for r in removed),
            "removed_within_24h": sum(r["hours"] <= 24 for r in removed),
            "automated_removals": sum(r["automated"] for r in removed),
            "time_to_action_hours": round(statistics.median(hours), 3), "time_buckets": time_buckets(hours),
            "political_ads_rejected": rejected,
            "accounts_removed": len(self.bans), "influence_networks_removed": 1,
            "appeals_filed": len(self.appeals), "content_restored": len(self.restored),
            "ai_labels_applied": self.ai_labels,
        }


def build_season(ingest: Any) -> Season:
    from civicshield.decisions.log import record_decision

    sim = Simulation(seed=11, days=4, posts_per_day=50, accounts_n=80,
                     start=dt.datetime(2026, 9, 28, tzinfo=UTC))
    events = list(sim.events())
    posts = [e for e in events if e["type"] == "content.created"]
    for i in range(3):  # posts nobody saw yet
        author = sim.accounts[i]
        events.append(sim.envelope("content.created", "content", {
            "id": f"post-unseen-{i}", "account_id": author["id"], "kind": "post", "text": "Polls close at noon",
            "region": author["region"], "views": 0}, dt.datetime(2026, 9, 29, 8 + i, tzinfo=UTC)))
    season = Season(events)
    chosen = [p for p in posts[::10]] + [e for e in events if e["type"] == "content.created"
                                         and e["content"]["id"].startswith("post-unseen")]
    plan = []
    for i, post in enumerate(chosen):
        c = post["content"]
        hours = 1.5 if c["views"] == 0 else DELAYS[i % len(DELAYS)]
        start = _at(post["occurred_at"]) + dt.timedelta(hours=hours)
        reported = i % 3 == 0 and c["views"] > 0
        if reported:
            events.append(sim.envelope("report.filed", "report", {
                "subject": {"type": "content", "id": c["id"]}, "reporter_account_id": sim.accounts[5]["id"],
                "reason": "election_misinformation"}, start - dt.timedelta(minutes=20)))
        plan.append((c, start, hours, reported))
    for at in range(0, len(events), 400):
        result = ingest(events[at:at + 400])
        assert not result.errors, result.errors[:3]

    rows = {}
    for i, (c, start, hours, reported) in enumerate(plan):
        automated = i == 1
        rows[c["id"]] = record_decision(
            "content", c["id"], "remove", rule_id="review.election_misinformation", policy_version="2026.11.0",
            actor_type="system" if automated else "user", actor_id="" if automated else "reviewer-1",
            area="election_misinformation", explanation="False claim about how to vote.",
            territorial_scope=[c["region"].split("-")[0]], start=start, account_id=c["account_id"])
        season.removals.append({"content_id": c["id"], "start": start, "market": c["region"].split("-")[0],
                                "hours": hours, "reported": reported, "views": c["views"], "automated": automated})
    appealed = [r for r in season.removals if season.in_q3(r["start"] + dt.timedelta(hours=3))][:2]
    for r in appealed:
        at = r["start"] + dt.timedelta(hours=1)
        ingest([sim.envelope("appeal.filed", "appeal", {"subject": {"type": "content", "id": r["content_id"]},
                                                        "reason": "not_misinformation"}, at)])
        season.appeals.append(r)
    first = appealed[0]
    record_decision("content", first["content_id"], "remove", effect="lift", supersedes=rows[first["content_id"]],
                    rule_id="appeals.upheld", policy_version="2026.11.0", actor_id="reviewer-2",
                    area="election_misinformation", explanation="Appeal upheld: the post was accurate.",
                    start=first["start"] + dt.timedelta(hours=2), territorial_scope=[first["market"]])
    season.restored.append(first["content_id"])
    for account in sim.accounts[10:12]:
        record_decision("account", account["id"], "ban_account", rule_id="influence.takedown",
                        policy_version="2026.11.0", actor_id="analyst-1", area="covert_influence",
                        explanation="Part of a coordinated inauthentic network.",
                        signals={"network": {"value": "net-test-1", "evidence": {}}},
                        territorial_scope=[account["region"].split("-")[0]],
                        start=dt.datetime(2026, 9, 29, 12, tzinfo=UTC))
        season.bans.append(account["id"])
    labelled = posts[3]["content"]
    record_decision("content", labelled["id"], "label", labels=["ai_generated"], rule_id="review.ai_generated",
                    policy_version="2026.11.0", actor_id="reviewer-3", area="ai_generated",
                    explanation="The video is AI-generated.", territorial_scope=[labelled["region"].split("-")[0]],
                    start=_at(posts[3]["occurred_at"]) + dt.timedelta(hours=2))
    season.ai_labels = 1 if season.in_q3(_at(posts[3]["occurred_at"]) + dt.timedelta(hours=2)) else 0
    return season


@pytest.fixture
def season(ingest: Any) -> Season:
    return build_season(ingest)
