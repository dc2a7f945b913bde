"""What the public Transparency Center shows: recent quarterly reports and the charts drawn from them.

Reports are cached under the log head's hash, so a page never recomputes figures the log has not
changed, and a new decision (a new head) is visible on the next request.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone

from .charts import Chart
from .enforcement import TIME_BUCKETS
from .metrics import registered_metrics
from .periods import Quarter
from .report import active_policy, build_report
from .snapshot import Snapshot

QUARTERS_SHOWN = 8


def quarters_to_show(snapshot: Snapshot, selected: Quarter | None = None) -> list[Quarter]:
    quarters = set(snapshot.quarters()[-QUARTERS_SHOWN:]) or {Quarter.containing(timezone.now())}
    if selected:
        quarters.add(selected)
    return sorted(quarters)[-QUARTERS_SHOWN:] if not selected else sorted(quarters)


def report_for(snapshot: Snapshot, quarter: Quarter) -> dict[str, Any]:
    policy = active_policy()
    metrics = ",".join(m.key for m in registered_metrics())
    key = f"transparency:{snapshot.head.hash}:{quarter}:{policy.version if policy else ''}:{hash(metrics)}"
    report = cache.get(key)
    if report is None:
        report = build_report(quarter, snapshot=snapshot)
        cache.set(key, report, timeout=3600)
    return report


def figures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in report["figures"]}


def charts(reports: dict[Quarter, dict[str, Any]], selected: Quarter) -> list[Chart]:
    labels = [str(q) for q in reports]
    by_q = [figures(r) for r in reports.values()]
    areas = sorted({a for f in by_q for a in f["content_removed"]["breakdown"]})
    selected_f = figures(reports[selected])
    return [
        Chart("removals-by-area", "Content removed by policy area, per quarter",
              "Stacked bars: content removed in each quarter, split by policy area.", labels,
              {a.replace("_", " "): [f["content_removed"]["breakdown"].get(a, 0) for f in by_q] for a in areas}
              or {"content removed": [f["content_removed"]["value"] for f in by_q]}),
        Chart("proactive-rate", "Proactive rate, per quarter",
              "Line: share of removals made before any user reported the content; quarters without removals are gaps.",
              labels, {"proactive rate": [f["proactive_rate"]["value"] if f["content_removed"]["value"] else None
                                          for f in by_q]}, unit="share", kind="line",
              note="No content has been removed yet."),
        Chart("time-to-action", f"Time from upload to removal, {selected}",
              f"Bars: how many removals in {selected} took effect within each time band after upload.",
              [name for name, _ in TIME_BUCKETS],
              {"removals": [selected_f["time_to_action_hours"]["breakdown"].get(name, 0) for name, _ in TIME_BUCKETS]}),
        _per_quarter("influence-networks", "Influence networks removed, per quarter", "influence_networks_removed",
                     labels, by_q),
        _per_quarter("political-ads", "Political ads rejected, per quarter", "political_ads_rejected", labels, by_q),
        _per_quarter("ai-labels", "AI-generated labels applied, per quarter", "ai_labels_applied", labels, by_q),
    ]


def _per_quarter(key: str, title: str, metric: str, labels: list[str], by_q: list[dict[str, Any]]) -> Chart:
    values = [f[metric]["value"] for f in by_q]
    note = next((f[metric]["note"] for f in by_q if f[metric]["note"]), "") if all(v is None for v in values) else ""
    return Chart(key, title, f"Bars: {title[0].lower() + title[1:]}.", labels, {title.split(",")[0]: values},
                 note=f"Not yet measured. {note}".strip())
