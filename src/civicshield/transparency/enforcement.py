"""The built-in figures of the quarterly enforcement report, computed from the decision log and intake.

Definitions live next to the code that computes them and are published on the methodology page.
Figures for capabilities that record their decisions in the log (ads, AI labels, fact-checks,
influence takedowns) appear as soon as a rule or a person produces such a decision.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import TYPE_CHECKING

from .metrics import Metric, Value, decision_metric, not_measured

if TYPE_CHECKING:
    from .report import Period

TIME_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 1 hour", 1), ("1–6 hours", 6), ("6–24 hours", 24), ("1–3 days", 72), ("over 3 days", float("inf")))
NETWORK_ACTIONS = {"ban_account", "suspend_account", "remove"}


def _removed(period: "Period") -> Value:
    removals = period.removals
    by_area = Counter(r.area or "unspecified" for r in removals)
    return Value(len({r.content_id for r in removals}), dict(sorted(by_area.items())))


def _removed_by_market(period: "Period") -> Value:
    by_market = Counter(r.market for r in period.removals)
    return Value(len({r.content_id for r in period.removals}), dict(sorted(by_market.items())))


def _uploads(period: "Period") -> Value:
    uploads = period.uploads
    return Value(sum(uploads.values()), dict(sorted(uploads.items())))


def _removal_rate(period: "Period") -> Value:
    uploads = period.uploads
    total = sum(uploads.values())
    if not total:
        return Value(0.0, note="No content was uploaded in this quarter.")
    removed = {}
    for r in period.removals:
        removed.setdefault(r.market, set()).add(r.content_id)
    split = {m: round(len(removed.get(m, ())) / n, 6) for m, n in sorted(uploads.items())}
    return Value(round(len({r.content_id for r in period.removals}) / total, 6), split)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _proactive(period: "Period") -> Value:
    removals = period.removals
    return Value(_share(sum(r.proactive for r in removals), len(removals)),
                 note="" if removals else "No content was removed in this quarter.")


def _before_views(period: "Period") -> Value:
    return Value(sum(1 for r in period.removals if r.views == 0))


def _within_24h(period: "Period") -> Value:
    return Value(sum(1 for r in period.removals if r.hours_to_action is not None and r.hours_to_action <= 24))


def _automated(period: "Period") -> Value:
    return Value(sum(1 for r in period.removals if r.automated))


def time_buckets(hours: list[float]) -> dict[str, int]:
    out = {name: 0 for name, _ in TIME_BUCKETS}
    for h in hours:
        out[next(name for name, limit in TIME_BUCKETS if h < limit or limit == float("inf"))] += 1
    return out


def _time_to_action(period: "Period") -> Value:
    hours = [h for r in period.removals if (h := r.hours_to_action) is not None]
    if not hours:
        return Value(0.0, time_buckets([]), note="No removal with a known upload time in this quarter.")
    return Value(round(statistics.median(hours), 3), time_buckets(hours))


def _networks(period: "Period") -> Value:
    rows = period.snapshot.decision_values(period.quarter, ["signals", "subject_id"], area="covert_influence",
                                           effect="apply", action__in=sorted(NETWORK_ACTIONS))
    if not rows and not any(r.area == "covert_influence" for r in period.snapshot.rows()):
        return not_measured("No influence-network takedown has been recorded in the decision log yet.")
    networks = {(r["signals"] or {}).get("network", {}).get("value") for r in rows} - {None}
    unnamed = sum(1 for r in rows if not (r["signals"] or {}).get("network", {}).get("value"))
    note = f"{unnamed} takedown decisions name no network and are not counted." if unnamed else ""
    return Value(len(networks), note=note)


def _appeals(period: "Period") -> Value:
    return Value(period.snapshot.events("appeal.filed", period.quarter))


def _restored_after_appeal(period: "Period") -> Value:
    lifts = period.snapshot.decision_values(period.quarter, ["subject_id", "start"], subject_type="content",
                                            action="remove", effect="lift")
    appealed = period.snapshot.first_events("appeal.filed", [f"content:{lift['subject_id']}" for lift in lifts])
    return Value(sum(1 for lift in lifts
                     if (first := appealed.get(f"content:{lift['subject_id']}")) is not None and first <= lift["start"]))


BUILT_IN = [
    Metric("content_uploaded", "Content uploaded", "Content",
           "Posts, videos, comments and live streams first seen in the quarter, by market (country).",
           _uploads, breakdown_label="market"),
    Metric("content_removed", "Content removed", "Content",
           "Distinct content items with an enforced removal that took effect in the quarter, by policy area.",
           _removed, breakdown_label="policy area"),
    Metric("content_removed_by_market", "Content removed by market", "Content",
           "The same removals by market: the country of the content's region.", _removed_by_market,
           breakdown_label="market"),
    Metric("removal_rate", "Removal rate", "Content",
           "Content removed in the quarter divided by content uploaded in the quarter, overall and by market.",
           _removal_rate, "share", "market"),
    Metric("proactive_rate", "Proactive rate", "Content",
           "Share of removals that took effect before any user reported the content.", _proactive, "share"),
    Metric("removed_before_views", "Removed before any views", "Content",
           "Removals of content whose last view count reported by the platform is zero.", _before_views),
    Metric("removed_within_24h", "Removed within 24 hours", "Content",
           "Removals that took effect within 24 hours of the content being first seen.", _within_24h),
    Metric("automated_removals", "Automated removals", "Content",
           "Removals decided fully automatically (no person in the decision).", _automated),
    Metric("time_to_action_hours", "Time to removal (median, hours)", "Content",
           "Hours from first seen to removal; the breakdown is the distribution.", _time_to_action, "hours",
           "time to removal", "count"),
    decision_metric("content_demoted", "Content demoted", "Content",
                    "Enforced demotions (reduced distribution) of content.", actions={"restrict_recommendation"},
                    subject_types={"content"}, breakdown="area"),
    decision_metric("accounts_removed", "Accounts removed", "Accounts",
                    "Accounts banned (terminated), by policy area.", actions={"ban_account"},
                    subject_types={"account"}, breakdown="area"),
    decision_metric("accounts_suspended", "Accounts suspended", "Accounts",
                    "Accounts suspended, by policy area.", actions={"suspend_account"}, subject_types={"account"},
                    breakdown="area"),
    decision_metric("fake_engagement_removed", "Fake engagement removed", "Accounts",
                    "Removals in the fake-engagement policy area (likes, shares, follows), by action.",
                    areas={"fake_engagement"}, breakdown="action"),
    Metric("influence_networks_removed", "Influence networks removed", "Influence operations",
           "Distinct networks named by covert-influence takedown decisions (ban, suspension or removal).",
           _networks),
    decision_metric("influence_accounts_removed", "Accounts removed in influence networks", "Influence operations",
                    "Account bans and suspensions in the covert-influence area.", areas={"covert_influence"},
                    actions={"ban_account", "suspend_account"}, subject_types={"account"}, breakdown="action"),
    decision_metric("political_ads_rejected", "Political ads rejected", "Political ads",
                    "Ads rejected under the political-ads policy, by rule.", actions={"reject_ad"},
                    subject_types={"ad"}, breakdown="rule_id"),
    decision_metric("ads_held_for_review", "Ads held for review", "Political ads",
                    "Ads held before running because they mention elections or voting.",
                    actions={"hold_for_review"}, subject_types={"ad"}, breakdown="rule_id"),
    decision_metric("ai_labels_applied", "AI-generated labels applied", "AI-generated content",
                    "Labels saying content is AI-generated (detected or self-disclosed), by label.",
                    labels={"ai_generated", "ai_generated_self_disclosed"}, breakdown="label"),
    decision_metric("fact_check_labels", "Fact-check labels applied", "Fact-checking",
                    "Labels linking content to a partner's fact-check, by label.",
                    labels={"fact_checked_false"}, breakdown="label"),
    decision_metric("election_info_banners", "Election information banners on posts", "Civic information",
                    "Posts about the election that carried a link to the Election Center.",
                    labels={"election_info_banner"}, subject_types={"content"}),
    decision_metric("search_interventions", "Election information shown on searches", "Civic information",
                    "Searches about voting that showed the Election Center first.",
                    labels={"election_info_banner"}, subject_types={"search"}),
    Metric("election_center_visits", "Election Center visits", "Civic information",
           "Visits to Election Center pages.",
           lambda period: not_measured("Election Center pages do not record visits yet.")),
    Metric("appeals_filed", "Appeals filed", "Appeals", "Appeals received in the quarter.", _appeals),
    decision_metric("content_restored", "Content restored", "Appeals",
                    "Content removals lifted (appeal upheld, review reversed, or the post edited).",
                    actions={"remove"}, subject_types={"content"}, effect="lift", breakdown="area"),
    Metric("content_restored_after_appeal", "Content restored after an appeal", "Appeals",
           "Removals lifted after the content's owner appealed.", _restored_after_appeal),
]
