"""The registry of report figures: what the enforcement report measures, and how.

Each figure is a `Metric` with a stable key, a plain-language definition (shown on the methodology
page) and a function from a reporting period to a `Value`. Capabilities add their own figures
without editing this app, either by calling `register_metric(...)` at import time or by listing
metrics on their AppConfig (`transparency_metrics = [Metric(...), ...]` or a method returning them).
A metric registered under an existing key replaces it, so a capability that lands later can swap a
"not yet measured" placeholder for the real figure.

Most figures are counts over the decision log, declared with `decision_metric(...)`: they are
"not yet measured" while no rule in the active policy set can produce them and the log holds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal

if TYPE_CHECKING:
    from .report import Period

Unit = Literal["count", "share", "hours"]
SECTIONS = ("Content", "Accounts", "Influence operations", "Political ads", "AI-generated content",
            "Fact-checking", "Civic information", "Appeals")


@dataclass(frozen=True)
class Value:
    """A measured figure (`value` may be 0) or, with `value=None`, one not measured yet (say why in `note`)."""

    value: int | float | None
    breakdown: dict[str, int | float] = field(default_factory=dict)
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.value is not None


def not_measured(why: str) -> Value:
    return Value(None, note=why)


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    section: str
    definition: str
    compute: Callable[["Period"], Value]
    unit: Unit = "count"
    breakdown_label: str = ""
    breakdown_unit: Unit | None = None  # None: the same unit as the figure


_REGISTRY: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    """Add (or replace, by key) a figure in every report from now on."""
    _REGISTRY[metric.key] = metric
    return metric


def registered_metrics() -> list[Metric]:
    """Built-in figures, then those registered by modules, then those declared on AppConfigs."""
    from django.apps import apps

    from .enforcement import BUILT_IN

    metrics = {m.key: m for m in BUILT_IN}
    metrics.update(_REGISTRY)
    for config in apps.get_app_configs():
        declared = getattr(config, "transparency_metrics", None)
        for metric in (declared() if callable(declared) else declared) or ():
            metrics[metric.key] = metric
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(metrics.values(), key=lambda m: order.get(m.section, len(order)))


def decision_metric(key: str, title: str, section: str, definition: str, *,
                    areas: Iterable[str] = (), actions: Iterable[str] = (), labels: Iterable[str] = (),
                    subject_types: Iterable[str] = (), rule_prefixes: Iterable[str] = (),
                    effect: str = "apply", breakdown: Literal["", "area", "market", "rule_id", "action", "label"] = "",
                    ) -> Metric:
    """A count of decision-log rows that match every given filter (empty filter: any value)."""
    areas, actions, labels = frozenset(areas), frozenset(actions), frozenset(labels)
    subject_types, prefixes = frozenset(subject_types), tuple(rule_prefixes)

    def matches(row: Any) -> bool:
        return ((not areas or row.area in areas) and (not actions or row.action in actions)
                and (not labels or bool(labels.intersection(row.labels)))
                and (not subject_types or row.subject_type in subject_types)
                and (not prefixes or row.rule_id.startswith(prefixes)) and row.effect == effect)

    def producible(period: "Period") -> bool:
        policy = period.policy
        for rule in policy.rules if policy else ():
            rule_actions = set(rule.actions) | ({"label"} if rule.labels and not rule.actions else set())
            if ((not areas or rule.area in areas) and (not actions or rule_actions & actions)
                    and (not labels or labels & set(rule.labels))
                    and (not prefixes or rule.id.startswith(prefixes))):
                return True
        return any(matches(r) for r in period.snapshot.rows())

    def compute(period: "Period") -> Value:
        rows = [r for r in period.snapshot.rows(period.quarter) if matches(r)]
        if not rows and not producible(period):
            return not_measured("No rule in the active policy set produces this decision yet, and the log holds none.")
        split: dict[str, int | float] = {}
        for r in rows:
            names = (labels & set(r.labels) if breakdown == "label"
                     else [getattr(r, breakdown) or "unspecified"] if breakdown else [])
            for name in names:
                split[name] = split.get(name, 0) + r.decisions
        return Value(sum(r.decisions for r in rows), dict(sorted(split.items())))

    return Metric(key, title, section, definition, compute, "count", breakdown)
