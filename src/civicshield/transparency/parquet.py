"""The enforcement report's inputs as Parquet files, and the report computed from them by DuckDB or Spark.

At platform scale the quarterly report is a batch job: `export_tables` writes the decision log up to
its head (and the intake columns the figures read: content first seen, views and region; event
types, subjects and times) to a directory, and `ParquetSnapshot` answers the same questions as the
database `Snapshot` with SQL that DuckDB and Spark both run. The figure definitions are not repeated
here: `build_report` computes every registered figure from either snapshot, so a report from the
files names the same log head and carries the same digest as the database report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from django.utils import timezone

from civicshield.core.errors import CivicShieldError
from civicshield.decisions.chain import GENESIS
from civicshield.influence.engines import Engine, EngineName, open_engine

from . import cube as totals
from .periods import Quarter
from .snapshot import CubeReader, CubeRow, LogHead, Removal, cube_rows, region_market, removal

FORMAT = 1
BATCH = 50_000
TIME = pa.timestamp("us", tz="UTC")
SCHEMAS = {
    "decisions": pa.schema([
        ("seq", pa.int64()), ("hash", pa.string()), ("mode", pa.string()), ("start", TIME),
        *((name, pa.string()) for name in (*totals.FIELDS, "subject_id")),
        ("labels", pa.string()), ("territorial_scope", pa.string()), ("signals", pa.string())]),
    "content": pa.schema([("id", pa.string()), ("first_seen", TIME), ("views", pa.int64()), ("region", pa.string())]),
    "events": pa.schema([("type", pa.string()), ("subject_id", pa.string()), ("occurred_at", TIME)]),
}
JSON_COLUMNS = ("labels", "territorial_scope", "signals")
MANIFEST = "manifest.json"
# Filter values are written into the SQL; both engines read these literally, whatever their escaping rules.
_PLAIN = re.compile(r"^[\w.:\- ]*$")


class ExportError(CivicShieldError):
    """A directory that is not a complete report export."""


def _decisions(head: LogHead) -> Iterator[dict[str, Any]]:
    from civicshield.decisions.models import Decision

    columns = ("seq", "hash", "mode", "start", *totals.FIELDS, "subject_id")
    rows = (Decision.objects.filter(seq__lte=head.seq).order_by("seq")
            .values(*columns, "labels", "territorial_scope", "signals").iterator(chunk_size=BATCH))
    for row in rows:
        yield {**{c: row[c] for c in columns}, "labels": totals.list_key(row["labels"]),
               "territorial_scope": totals.list_key(row["territorial_scope"]),
               "signals": json.dumps(row["signals"] or {}, sort_keys=True)}


def _content() -> Iterator[dict[str, Any]]:
    from civicshield.intake.models import Content

    yield from Content.objects.order_by("pk").values("id", "first_seen", "views", "region").iterator(chunk_size=BATCH)


def _events() -> Iterator[dict[str, Any]]:
    from civicshield.intake.models import Event

    yield from (Event.objects.order_by("pk").values("type", "subject_id", "occurred_at")
                .iterator(chunk_size=BATCH))


def _write(path: Path, rows: Iterator[dict[str, Any]], schema: pa.Schema) -> int:
    """Stream rows to one Parquet file in batches, so memory stays flat on a large log."""
    written = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written, batch = written + len(batch), []
        if batch or not written:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written


def export_tables(directory: str | Path, at_seq: int | None = None) -> dict[str, Any]:
    """Write what the report reads to `directory`, the decision log up to its head; returns the manifest."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    head = LogHead.current(at_seq)
    sources = {"decisions": _decisions(head), "content": _content(), "events": _events()}
    rows = {name: _write(out / f"{name}.parquet", sources[name], SCHEMAS[name]) for name in SCHEMAS}
    manifest = {"format": FORMAT, "head_seq": head.seq, "head_hash": head.hash,
                "exported_at": timezone.now().isoformat(), "rows": rows}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# Content removals of a period, each with its content (if stored) and the first user report on it.
REMOVALS_SQL = """
    SELECT d.seq, d.subject_id, d.start, d.area, d.automated_decision, d.territorial_scope,
           c.id AS content_id, c.first_seen, c.views, c.region, r.first_at AS reported_at
    FROM tr_decisions d
    LEFT JOIN tr_content c ON c.id = d.subject_id
    LEFT JOIN (SELECT subject_id, min(occurred_at) AS first_at FROM tr_events
               WHERE type = 'report.filed' GROUP BY subject_id) r ON r.subject_id = 'content:' || d.subject_id
    WHERE {pinned} AND d.subject_type = 'content' AND d.action = 'remove' AND d.effect = 'apply' AND {period}
    ORDER BY d.seq"""


def _literal(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ExportError(f"cannot filter the exported decisions on {value!r}")
    if isinstance(value, int):
        return str(value)
    if not _PLAIN.match(value):
        raise ExportError(f"cannot filter the exported decisions on {value!r}: only letters, digits, "
                          "spaces and . : - are written into the query")
    return f"'{value}'"


def _between(column: str, quarter: Quarter) -> str:
    """The quarter as a half-open range; both engines read timestamp literals in UTC."""
    start, end = (moment.strftime("%Y-%m-%d %H:%M:%S") for moment in (quarter.start, quarter.end))
    return f"{column} >= TIMESTAMP '{start}' AND {column} < TIMESTAMP '{end}'"


def _decoded(table: pa.Table) -> list[dict[str, Any]]:
    """Rows of an engine's Arrow result as dicts, JSON columns parsed.

    Timestamps are read as integer microseconds and turned into datetimes here (UTC when the column
    has a zone, naive otherwise) rather than by pyarrow's own timestamp conversion, which crashed
    the process intermittently under the full test suite.
    """
    columns: dict[str, list[Any]] = {}
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_timestamp(column.type):
            zone = dt.timezone.utc if column.type.tz else None
            epoch = dt.datetime(1970, 1, 1, tzinfo=zone)
            micros = column.cast(pa.timestamp("us", tz=column.type.tz)).cast(pa.int64()).to_pylist()
            values = [None if v is None else epoch + dt.timedelta(microseconds=v) for v in micros]
        else:
            values = column.to_pylist()
        if name in JSON_COLUMNS:
            values = [None if v is None else json.loads(v) for v in values]
        columns[name] = values
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


class ParquetSnapshot(CubeReader):
    """A report export read by an analytics engine, pinned at its head (or at `at_seq`) like `Snapshot`."""

    def __init__(self, directory: str | Path, engine: Engine, at_seq: int | None = None) -> None:
        self.engine = engine
        manifest = read_manifest(directory)
        for name, schema in SCHEMAS.items():
            engine.view(f"tr_{name}", Path(directory) / f"{name}.parquet")
            missing = set(schema.names) - set(engine.fetch(f"SELECT * FROM tr_{name} LIMIT 0").schema.names)
            if missing:
                raise ExportError(f"{name}.parquet lacks {', '.join(sorted(missing))}; "
                                  "export again with `civicshield transparency export-parquet`")
        last = self._head(None)
        if (last.seq, last.hash) != (manifest["head_seq"], manifest["head_hash"]):
            raise ExportError(f"decisions.parquet ends at #{last.seq}, not at the head #{manifest['head_seq']} "
                              f"named in {MANIFEST}; export again")
        self.head = last if at_seq is None else self._head(at_seq)
        self._removals: dict[Quarter, list[Removal]] = {}

    def _head(self, at_seq: int | None) -> LogHead:
        limit = "" if at_seq is None else f"WHERE seq <= {int(at_seq)}"
        rows = self.engine.rows(f"SELECT seq, hash FROM tr_decisions {limit} ORDER BY seq DESC LIMIT 1")
        return LogHead(int(rows[0][0]), rows[0][1]) if rows else LogHead(0, GENESIS)

    @property
    def _pinned(self) -> str:
        return f"d.seq <= {self.head.seq} AND d.mode = 'enforce'"

    @cached_property
    def cube(self) -> list[CubeRow]:
        fields = ", ".join(f"d.{f}" for f in totals.FIELDS)
        rows = self.engine.rows(f"""
            SELECT year(d.start) * 10 + quarter(d.start) AS q, {fields}, d.labels, d.territorial_scope,
                   count(*) AS n
            FROM tr_decisions d WHERE {self._pinned}
            GROUP BY 1, {fields}, d.labels, d.territorial_scope""")
        return cube_rows({(int(r[0]), *r[1:-1]): int(r[-1]) for r in rows})

    def removals(self, quarter: Quarter) -> list[Removal]:
        if quarter not in self._removals:
            rows = _decoded(self.engine.fetch(REMOVALS_SQL.format(pinned=self._pinned,
                                                                  period=_between("d.start", quarter))))
            self._removals[quarter] = [
                removal(r, None if r["content_id"] is None else (r["first_seen"], r["views"], r["region"]),
                        r["reported_at"]) for r in rows]
        return self._removals[quarter]

    def uploads(self, quarter: Quarter) -> Counter[str]:
        out: Counter[str] = Counter()
        for region, n in self.engine.rows(f"SELECT region, count(*) FROM tr_content "
                                          f"WHERE {_between('first_seen', quarter)} GROUP BY region"):
            out[region_market(region)] += int(n)
        return out

    def events(self, event_type: str, quarter: Quarter) -> int:
        return int(self.engine.rows(f"SELECT count(*) FROM tr_events WHERE type = {_literal(event_type)} "
                                    f"AND {_between('occurred_at', quarter)}")[0][0])

    def first_events(self, event_type: str, subject_ids: Iterable[str]) -> dict[str, dt.datetime]:
        wanted = sorted(set(subject_ids))
        if not wanted:
            return {}
        self.engine.arrow("tr_wanted", pa.table({"subject_id": pa.array(wanted, pa.string())}))
        table = self.engine.fetch(f"""
            SELECT e.subject_id, min(e.occurred_at) AS first_at FROM tr_events e
            JOIN tr_wanted w ON w.subject_id = e.subject_id
            WHERE e.type = {_literal(event_type)} GROUP BY e.subject_id""")
        return {row["subject_id"]: row["first_at"] for row in _decoded(table)}

    def decision_values(self, quarter: Quarter, fields: Iterable[str], **filters: Any) -> list[dict[str, Any]]:
        """The database snapshot's `decision_values`, for `field=value` and `field__in=[…]` filters."""
        fields = list(fields)
        known = set(SCHEMAS["decisions"].names)
        if not set(fields) <= known:
            raise ExportError(f"the exported decisions have no {', '.join(sorted(set(fields) - known))}")
        conditions = [self._pinned, _between("d.start", quarter)]
        for name, value in filters.items():
            column, _, lookup = name.partition("__")
            if column not in known or lookup not in ("", "in"):
                raise ExportError(f"the exported decisions cannot be filtered on {name}")
            values = list(value) if lookup else [value]
            conditions.append(f"d.{column} IN ({', '.join(_literal(v) for v in values)})" if values else "1 = 0")
        table = self.engine.fetch(f"SELECT {', '.join(f'd.{f}' for f in fields)} FROM tr_decisions d "
                                  f"WHERE {' AND '.join(conditions)} ORDER BY d.seq")
        return _decoded(table)


def read_manifest(directory: str | Path) -> dict[str, Any]:
    folder = Path(directory)
    missing = [name for name in (MANIFEST, *(f"{t}.parquet" for t in SCHEMAS)) if not (folder / name).is_file()]
    if missing:
        raise ExportError(f"{folder} is not a report export (missing {', '.join(missing)}); "
                          "write one with `civicshield transparency export-parquet --out DIR`")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ExportError(f"{folder / MANIFEST} is not JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportError(f"{folder / MANIFEST} is not a format-{FORMAT} report export; export again")
    return manifest


def report_from_parquet(quarter: Quarter, directory: str | Path, engine: EngineName,
                        at_seq: int | None = None) -> dict[str, Any]:
    """The enforcement report computed by `engine` from an export, as `build_report` computes it from the database."""
    from .report import build_report

    read_manifest(directory)  # before the engine starts: a wrong directory fails at once
    runner = open_engine(engine)
    try:
        return build_report(quarter, snapshot=ParquetSnapshot(directory, runner, at_seq))
    finally:
        runner.close()
