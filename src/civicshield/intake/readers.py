"""Reading event files (JSONL, Parquet) in batches, with the line number of every event.

A line that is not JSON becomes an `InvalidEvent` in its place, so it is reported with its index
like any other bad event and the rest of the file still goes in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterator

from civicshield.core.errors import CivicShieldError, InvalidEvent


def count_events(path: Path) -> int:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def read_batches(path: Path, size: int = 1000) -> Iterator[list[Any]]:
    """Yield lists of raw events (dicts, or `InvalidEvent` for unreadable lines)."""
    if not path.exists():
        raise CivicShieldError(f"{path}: no such file")
    if path.suffix == ".parquet":
        yield from _parquet(path, size)
    elif path.suffix in (".jsonl", ".ndjson", ".json"):
        yield from _jsonl(path, size)
    else:
        raise CivicShieldError(f"{path}: unsupported format; use .jsonl (one JSON event per line) or .parquet")


def _jsonl(path: Path, size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    index = 0
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                batch.append(json.loads(line))
            except json.JSONDecodeError as exc:
                batch.append(InvalidEvent(f"line {line_no} is not valid JSON: {exc.msg}", index=index))
            index += 1
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).isoformat()
    return value


def _parquet(path: Path, size: int) -> Iterator[list[Any]]:
    import pyarrow.parquet as pq

    for record_batch in pq.ParquetFile(path).iter_batches(batch_size=size):
        yield [_clean(row) for row in record_batch.to_pylist()]


def write_parquet(events: list[dict[str, Any]], path: Path) -> None:
    """Write events to Parquet (nested payloads as structs); used by exports and tests."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(dict.fromkeys(k for e in events for k in e))  # events of different types differ
    pq.write_table(pa.Table.from_pylist([{k: e.get(k) for k in columns} for e in events]), path)
