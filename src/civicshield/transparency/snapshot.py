"""A fixed view of the decision log (up to one sequence number) and the intake tables, for reporting.

Reports must be reproducible: a `Snapshot` pins the log at its head (seq + hash) when it is taken,
and every query filters on `seq <= head`. Recomputing a report with the same head gives the same
figures. Decision counts come from one grouped scan (the "cube"), so the cost of a report grows with
the number of distinct (quarter, area, action, …) combinations, not with the number of decisions.
Per-item questions (how fast was it removed, had anyone reported it) are asked only of removals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator, Protocol

from django.db.models import Count, Min

from civicshield.decisions.chain import GENESIS
from civicshield.decisions.models import Decision
from civicshield.intake.models import Content, Event

from . import cube as totals
from .cube import FIELDS as CUBE_FIELDS
from .periods import Quarter

_CHUNK = 500


@dataclass(frozen=True)
class LogHead:
    """The last decision a report includes; its hash seals every row before it."""

    seq: int
    hash: str

    @classmethod
    def current(cls, at_seq: int | None = None) -> "LogHead":
        rows = Decision.objects.order_by("-seq")
        if at_seq is not None:
            rows = rows.filter(seq__lte=at_seq)
        last = rows.values("seq", "hash").first()
        return cls(last["seq"], last["hash"]) if last else cls(0, GENESIS)


@dataclass(frozen=True)
class CubeRow:
    quarter: Quarter
    area: str
    action: str
    effect: str
    actor_type: str
    automated_decision: str
    subject_type: str
    rule_id: str
    labels: tuple[str, ...]
    market: str
    decisions: int


@dataclass(frozen=True)
class Removal:
    """One content removal with what is needed to judge its speed and origin."""

    seq: int
    content_id: str
    start: dt.datetime
    area: str
    market: str
    automated: bool
    first_seen: dt.datetime | None
    views: int | None
    reported_at: dt.datetime | None

    @property
    def hours_to_action(self) -> float | None:
        if self.first_seen is None:
            return None
        return max(0.0, (self.start - self.first_seen).total_seconds() / 3600)

    @property
    def proactive(self) -> bool:
        return self.reported_at is None or self.reported_at > self.start


def _market(scope: Any) -> str:
    return scope[0] if isinstance(scope, list) and scope else "unknown"


def region_market(region: str | None) -> str:
    """The market (country) of a region code such as `US-CA`."""
    return region.split("-")[0] if region else "unknown"


def cube_rows(counts: dict[totals.Key, int]) -> list[CubeRow]:
    """Grouped decision counts (keyed as `cube.group` keys them) as sorted rows."""
    rows = []
    for key, n in counts.items():
        q, fields, labels, scope = totals.unpack(key)
        rows.append(CubeRow(quarter=Quarter(q // 10, q % 10), labels=tuple(labels), market=_market(scope),
                            decisions=n, **fields))
    return sorted(rows, key=lambda r: (r.quarter, *(getattr(r, f) for f in CUBE_FIELDS), r.labels, r.market))


def removal(decision: dict[str, Any], content: tuple[Any, Any, Any] | None,
            reported_at: dt.datetime | None) -> Removal:
    """A removal decision joined with its content's (first_seen, views, region) and first report."""
    first_seen, views, region = content or (None, None, "")
    market = region_market(region) if region else _market(decision["territorial_scope"])
    return Removal(seq=decision["seq"], content_id=decision["subject_id"], start=decision["start"],
                   area=decision["area"], market=market,
                   automated=decision["automated_decision"] == "AUTOMATED_DECISION_FULLY",
                   first_seen=first_seen, views=views, reported_at=reported_at)


class CubeReader:
    """`quarters` and `rows` over a snapshot's grouped decision counts, which the subclass supplies as `cube`."""

    cube: list[CubeRow]

    def quarters(self) -> list[Quarter]:
        return sorted({r.quarter for r in self.cube})

    def rows(self, quarter: Quarter | None = None) -> Iterator[CubeRow]:
        return (r for r in self.cube if quarter is None or r.quarter == quarter)


class PinnedLog(Protocol):
    """What report figures read: the log up to its head and the intake tables.

    `Snapshot` answers from the database; `parquet.ParquetSnapshot` answers the same questions from
    a Parquet export with DuckDB or Spark, so one set of figure definitions serves both."""

    head: LogHead

    def quarters(self) -> list[Quarter]: ...
    def rows(self, quarter: Quarter | None = None) -> Iterator[CubeRow]: ...
    def removals(self, quarter: Quarter) -> list[Removal]: ...
    def uploads(self, quarter: Quarter) -> Counter[str]: ...
    def events(self, event_type: str, quarter: Quarter) -> int: ...
    def first_events(self, event_type: str, subject_ids: Iterable[str]) -> dict[str, dt.datetime]: ...
    def decision_values(self, quarter: Quarter, fields: Iterable[str], **filters: Any) -> list[dict[str, Any]]: ...


@dataclass
class Snapshot(CubeReader):
    head: LogHead
    _removals: dict[Quarter, list[Removal]] = field(default_factory=dict)

    @classmethod
    def take(cls, at_seq: int | None = None) -> "Snapshot":
        return cls(LogHead.current(at_seq))

    def decisions(self) -> Any:
        return Decision.objects.filter(seq__lte=self.head.seq, mode="enforce")

    @cached_property
    def cube(self) -> list[CubeRow]:
        return cube_rows(totals.counts(self.head.seq, self.head.hash))

    def removals(self, quarter: Quarter) -> list[Removal]:
        if quarter not in self._removals:
            self._removals[quarter] = list(self._load_removals(quarter))
        return self._removals[quarter]

    def _load_removals(self, quarter: Quarter) -> Iterator[Removal]:
        rows = list(self.decisions().filter(subject_type="content", action="remove", effect="apply",
                                            start__gte=quarter.start, start__lt=quarter.end)
                    .values("seq", "subject_id", "start", "area", "automated_decision", "territorial_scope")
                    .order_by("seq"))
        ids = sorted({r["subject_id"] for r in rows})
        content = {row[0]: row[1:] for row in _chunked(ids, lambda chunk: Content.objects.filter(id__in=chunk)
                                                       .values_list("id", "first_seen", "views", "region"))}
        reported = self.first_events("report.filed", [f"content:{i}" for i in ids])
        for r in rows:
            yield removal(r, content.get(r["subject_id"]), reported.get(f"content:{r['subject_id']}"))

    def uploads(self, quarter: Quarter) -> Counter[str]:
        """Content first seen in the quarter, by market (country)."""
        regions = (Content.objects.filter(first_seen__gte=quarter.start, first_seen__lt=quarter.end)
                   .values("region").annotate(n=Count("id")).order_by())
        out: Counter[str] = Counter()
        for row in regions:
            out[region_market(row["region"])] += row["n"]
        return out

    def events(self, event_type: str, quarter: Quarter) -> int:
        return Event.objects.filter(type=event_type, occurred_at__gte=quarter.start, occurred_at__lt=quarter.end).count()

    def first_events(self, event_type: str, subject_ids: Iterable[str]) -> dict[str, dt.datetime]:
        """When each of these subjects first had an event of this type (subjects without one are absent)."""
        return dict(_chunked(sorted(set(subject_ids)), lambda chunk: Event.objects
                             .filter(type=event_type, subject_id__in=chunk).values("subject_id")
                             .annotate(first=Min("occurred_at")).values_list("subject_id", "first")))

    def decision_values(self, quarter: Quarter, fields: Iterable[str], **filters: Any) -> list[dict[str, Any]]:
        """Row-level values for figures the cube cannot answer (keep `filters` selective)."""
        return list(self.decisions().filter(start__gte=quarter.start, start__lt=quarter.end, **filters)
                    .values(*fields).order_by("seq"))


def _chunked(keys: list[str], query: Any) -> Iterator[Any]:
    for i in range(0, len(keys), _CHUNK):
        yield from query(keys[i:i + _CHUNK])
