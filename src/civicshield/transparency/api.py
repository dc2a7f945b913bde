"""The researcher API: aggregated enforcement figures with small cells withheld, at /api/v1/transparency/.

Public and read-only. A cell (one count in a breakdown or a grouped table) smaller than k is
returned as null and listed in `suppressed`, so no figure narrows down to a handful of people. The
site sets the smallest k allowed (`CIVICSHIELD["TRANSPARENCY_MIN_CELL"]`, default 10); a caller may
ask for a larger k, never a smaller one. Quarter totals are not suppressed: the public report
publishes them.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from civicshield.core.errors import CivicShieldError

from .center import quarters_to_show, report_for
from .periods import Quarter
from .snapshot import CubeRow, Snapshot

router = Router(tags=["transparency"])
PREFIX = "/transparency/"
Dimension = Literal["area", "action", "market", "subject_type", "actor_type", "automated_decision", "rule_id"]
# A share's breakdown is withheld where the count it is computed from is small.
SHARE_CELLS = {"removal_rate": "content_removed_by_market"}


def min_cell() -> int:
    return int(getattr(settings, "CIVICSHIELD", {}).get("TRANSPARENCY_MIN_CELL", 10))


class LogHeadOut(Schema):
    head_seq: int
    head_hash: str


class QuarterList(Schema):
    quarters: list[str]
    decision_log: LogHeadOut


class FigureOut(Schema):
    key: str
    title: str
    section: str
    unit: str
    value: float | None
    status: str
    breakdown_by: str
    breakdown: dict[str, float | None]
    suppressed: list[str]
    note: str
    definition: str


class FiguresOut(Schema):
    quarter: str
    k: int
    decision_log: LogHeadOut
    report_digest: str
    figures: list[FigureOut]


class CellOut(Schema):
    group: dict[str, str]
    decisions: int | None


class DecisionTableOut(Schema):
    quarter: str
    k: int
    by: list[str]
    decision_log: LogHeadOut
    cells: list[CellOut]
    suppressed_cells: int


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except CivicShieldError as exc:
        raise HttpError(422, str(exc)) from None


def _k(requested: int | None) -> int:
    floor = min_cell()
    if requested is not None and requested < floor:
        raise HttpError(422, f"k must be at least {floor} on this site")
    return requested or floor


def _small(value: float | None, k: int) -> bool:
    return value is not None and 0 < value < k


@router.get("/quarters", response=QuarterList, auth=None, summary="Quarters with published figures")
def quarters(request) -> dict:  # type: ignore[no-untyped-def]
    snapshot = Snapshot.take()
    return {"quarters": [str(q) for q in quarters_to_show(snapshot)],
            "decision_log": {"head_seq": snapshot.head.seq, "head_hash": snapshot.head.hash}}


@router.get("/figures", response=FiguresOut, auth=None, summary="A quarter's enforcement figures, small cells withheld")
def report_figures(request, quarter: str, k: int | None = None) -> dict:  # type: ignore[no-untyped-def]
    q, k = _quarter(quarter), _k(k)
    report = report_for(Snapshot.take(), q)
    by_key = {f["key"]: f for f in report["figures"]}
    out = []
    for f in report["figures"]:
        counts = by_key[SHARE_CELLS[f["key"]]]["breakdown"] if f["key"] in SHARE_CELLS else None
        breakdown, suppressed = {}, []
        for name, value in f["breakdown"].items():
            cell = counts.get(name, 0) if counts is not None else value
            hide = (counts is not None and 0 < cell < k) or (f["breakdown_unit"] == "count" and _small(cell, k))
            breakdown[name] = None if hide else value
            if hide:
                suppressed.append(name)
        out.append({**{key: f[key] for key in ("key", "title", "section", "unit", "value", "status", "breakdown_by",
                                                "note", "definition")},
                    "breakdown": breakdown, "suppressed": suppressed})
    return {"quarter": str(q), "k": k, "decision_log": report["decision_log"], "report_digest": report["digest"],
            "figures": out}


@router.get("/decisions", response=DecisionTableOut, auth=None,
            summary="Enforced decisions in a quarter, counted by the dimensions you choose")
def decision_table(request, quarter: str, by: list[Dimension] = Query(["area", "action"]),  # type: ignore[no-untyped-def]
                   k: int | None = None, effect: Literal["apply", "lift"] = "apply") -> dict:
    q, k = _quarter(quarter), _k(k)
    snapshot = Snapshot.take()
    dims = list(dict.fromkeys(by))
    counts: dict[tuple[str, ...], int] = {}
    for row in snapshot.rows(q):
        if row.effect == effect:
            key = tuple(_dimension(row, d) for d in dims)
            counts[key] = counts.get(key, 0) + row.decisions
    cells = [{"group": dict(zip(dims, key)), "decisions": None if _small(n, k) else n}
             for key, n in sorted(counts.items())]
    return {"quarter": str(q), "k": k, "by": dims, "cells": cells,
            "decision_log": {"head_seq": snapshot.head.seq, "head_hash": snapshot.head.hash},
            "suppressed_cells": sum(1 for c in cells if c["decisions"] is None)}


def _dimension(row: CubeRow, name: str) -> str:
    return str(getattr(row, name) or "unspecified")
