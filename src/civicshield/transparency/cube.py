"""Decision counts by (quarter, area, action, effect, actor, automation, subject type, rule, labels, scope).

One grouped query answers every count in a report. Totals up to a mark are stored (`models.py`),
so a report at the log's head only groups the decisions logged since the mark; the mark moves
forward when enough new decisions have accumulated.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Func, IntegerField

from civicshield.decisions.models import Decision

from .models import CubeCell, CubeMark

FIELDS = ("area", "action", "effect", "actor_type", "automated_decision", "subject_type", "rule_id")
ADVANCE_AFTER = 10_000
_LOCK_ID = 7_245_010
Key = tuple[Any, ...]


class QuarterKey(Func):
    """`year * 10 + quarter` of a UTC timestamp, in the database's own SQL (no per-row Python call)."""

    output_field = IntegerField()
    template = ("(CAST(EXTRACT(YEAR FROM %(expressions)s AT TIME ZONE 'UTC') AS INTEGER) * 10"
                " + CAST(EXTRACT(QUARTER FROM %(expressions)s AT TIME ZONE 'UTC') AS INTEGER))")

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        # Django stores SQLite datetimes as UTC text, which strftime reads natively.
        template = ("(CAST(strftime('%%Y', %(expressions)s) AS INTEGER) * 10"
                    " + (CAST(strftime('%%m', %(expressions)s) AS INTEGER) + 2) / 3)")
        return super().as_sql(compiler, connection, template=template, **extra)


def list_key(values: list[str] | None) -> str:
    """Labels and territorial scopes are grouped on as JSON text (a Parquet export stores them so too)."""
    return json.dumps(values or [])


def _key(row: dict[str, Any]) -> Key:
    return (row["q"], *(row[f] for f in FIELDS), list_key(row["labels"]), list_key(row["territorial_scope"]))


def group(after: int, upto: int) -> dict[Key, int]:
    """Counts of enforced decisions with after < seq <= upto."""
    rows = (Decision.objects.filter(seq__gt=after, seq__lte=upto, mode="enforce").annotate(q=QuarterKey("start"))
            .values("q", *FIELDS, "labels", "territorial_scope").annotate(n=Count("seq")).order_by())
    out: dict[Key, int] = {}
    for row in rows:
        key = _key(row)
        out[key] = out.get(key, 0) + row["n"]
    return out


def _stored() -> tuple[CubeMark | None, dict[Key, int]]:
    mark = CubeMark.objects.first()
    if mark is None or not Decision.objects.filter(seq=mark.seq, hash=mark.hash).exists():
        return None, {}
    cells = (CubeCell.objects.filter(mark_seq=mark.seq)
             .values("quarter", *FIELDS, "labels", "territorial_scope", "decisions"))
    return mark, {_key({**c, "q": c["quarter"]}): c["decisions"] for c in cells}


def counts(head_seq: int, head_hash: str) -> dict[Key, int]:
    """Counts up to `head_seq`, from the stored totals when they lie before the head."""
    mark, stored = _stored()
    if mark is None or mark.seq > head_seq:
        totals = group(0, head_seq)
        if mark is None and head_seq:
            _save(head_seq, head_hash, totals)
        return totals
    totals = dict(stored)
    for key, n in group(mark.seq, head_seq).items():
        totals[key] = totals.get(key, 0) + n
    if head_seq - mark.seq >= ADVANCE_AFTER:
        _save(head_seq, head_hash, totals)
    return totals


def _save(seq: int, hash_: str, totals: dict[Key, int]) -> None:
    """Store totals as the new mark; concurrent savers are serialised and the later one yields."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        current = CubeMark.objects.first()
        if (current is not None and current.seq >= seq
                and Decision.objects.filter(seq=current.seq, hash=current.hash).exists()):
            return
        CubeCell.objects.filter(mark_seq=seq).delete()
        CubeCell.objects.bulk_create([CubeCell(mark_seq=seq, **_cell(key, n)) for key, n in totals.items()],
                                     batch_size=1000)
        CubeCell.objects.exclude(mark_seq__in=[seq, current.seq if current else seq]).delete()
        CubeMark.objects.all().delete()
        CubeMark.objects.create(seq=seq, hash=hash_)


def _cell(key: Key, n: int) -> dict[str, Any]:
    q, *fields, labels, scope = key
    return {"quarter": q, **dict(zip(FIELDS, fields)), "labels": json.loads(labels),
            "territorial_scope": json.loads(scope), "decisions": n}


def unpack(key: Key) -> tuple[int, dict[str, str], list[str], list[str]]:
    q, *fields, labels, scope = key
    return q, dict(zip(FIELDS, fields)), json.loads(labels), json.loads(scope)

