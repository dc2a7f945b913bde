"""The quarterly enforcement report: every registered figure for one quarter, sealed by the log head.

`build_report` is deterministic for a given log head (`at_seq`), quarter and policy set: the output
names the head's sequence number and hash, and carries a digest of its own content, so anyone can
recompute it later and compare. JSON, CSV and HTML renderings carry the same figures.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from django.conf import settings
from django.template.loader import render_to_string

from civicshield.core.errors import PolicyError
from civicshield.core.spreadsheets import csv_text
from civicshield.core.policy import Policy, load_policy

from .metrics import Metric, registered_metrics
from .periods import Quarter
from .snapshot import PinnedLog, Removal, Snapshot

logger = logging.getLogger(__name__)
Format = Literal["json", "csv", "html"]
NOT_MEASURED = "not yet measured"


@lru_cache(maxsize=4)
def _policy(directory: str) -> Policy:
    return load_policy(directory)


def active_policy() -> Policy | None:
    """The policy set in force, or None when it cannot be loaded (figures then rely on the log alone)."""
    directory = getattr(settings, "CIVICSHIELD", {}).get("POLICY_DIR")
    if not directory:
        return None
    try:
        return _policy(str(directory))
    except PolicyError as exc:
        logger.warning("transparency figures computed without the policy set: %s", exc)
        return None


@dataclass
class Period:
    """What a metric sees: one quarter of a pinned snapshot, plus the policy set in force."""

    snapshot: PinnedLog
    quarter: Quarter
    policy: Policy | None = field(default_factory=active_policy)

    @cached_property
    def removals(self) -> list[Removal]:
        return self.snapshot.removals(self.quarter)

    @cached_property
    def uploads(self) -> Counter[str]:
        return self.snapshot.uploads(self.quarter)


def figure(metric: Metric, period: Period) -> dict[str, Any]:
    value = metric.compute(period)
    return {"key": metric.key, "title": metric.title, "section": metric.section, "unit": metric.unit,
            "value": value.value, "status": "measured" if value.measured else NOT_MEASURED,
            "breakdown_by": metric.breakdown_label, "breakdown": value.breakdown,
            "breakdown_unit": metric.breakdown_unit or metric.unit, "note": value.note,
            "definition": metric.definition}


def build_report(quarter: Quarter, *, snapshot: PinnedLog | None = None, at_seq: int | None = None) -> dict[str, Any]:
    snapshot = snapshot or Snapshot.take(at_seq)
    period = Period(snapshot, quarter)
    body = {
        "title": f"Enforcement report {quarter}",
        "quarter": str(quarter),
        "period": {"start": quarter.start.isoformat(), "end_exclusive": quarter.end.isoformat()},
        "decision_log": {"head_seq": snapshot.head.seq, "head_hash": snapshot.head.hash,
                         "verify": "civicshield audit verify; recompute with --at-seq " + str(snapshot.head.seq)},
        "policy_version": period.policy.version if period.policy else "",
        "figures": [figure(m, period) for m in registered_metrics()],
    }
    body["digest"] = hashlib.sha256(_canonical(body).encode()).hexdigest()
    return body


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("quarter", "section", "key", "title", "unit", "value", "breakdown_by", "breakdown", "breakdown_value",
               "head_seq", "head_hash")


def to_csv(reports: list[dict[str, Any]]) -> str:
    """One row per figure and one per breakdown entry; several quarters may share a file."""
    rows = []
    for report in reports:
        log = report["decision_log"]
        for f in report["figures"]:
            value = NOT_MEASURED if f["value"] is None else f["value"]
            base = [report["quarter"], f["section"], f["key"], f["title"], f["unit"]]
            rows.append([*base, value, f["breakdown_by"], "", "", log["head_seq"], log["head_hash"]])
            for name, part in f["breakdown"].items():
                rows.append([*base, "", f["breakdown_by"], name, part, log["head_seq"], log["head_hash"]])
    return csv_text(CSV_COLUMNS, rows, lineterminator="\n")


def to_html(report: dict[str, Any]) -> str:
    return render_to_string("transparency/report_document.html", {"report": report, "sections": by_section(report)})


def by_section(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    sections: dict[str, list[dict[str, Any]]] = {}
    for f in report["figures"]:
        sections.setdefault(f["section"], []).append(f)
    return list(sections.items())


def render(report: dict[str, Any], fmt: Format) -> str:
    return {"json": to_json, "csv": lambda r: to_csv([r]), "html": to_html}[fmt](report)
