"""Exporting the stored interaction log to Parquet, in the shape `civicshield influence detect` reads.

Detection runs over files, not over the live database, so a large log can be analysed on another
machine or on a Spark cluster. Rows are streamed in batches to keep memory flat on big logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

BATCH = 50_000
EVENTS = pa.schema([("account_id", pa.string()), ("action", pa.string()), ("object_id", pa.string()),
                    ("timestamp", pa.float64()), ("text", pa.string()), ("url", pa.string()),
                    ("hashtags", pa.string())])
ACCOUNTS = pa.schema([("account_id", pa.string()), ("created_at", pa.string()), ("device_id_hash", pa.string()),
                      ("ip24_hash", pa.string()), ("asn", pa.string()), ("followers", pa.int64()),
                      ("region", pa.string())])


def _batches(rows: Iterator[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.Table]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield pa.Table.from_pylist(batch, schema=schema)
            batch = []
    if batch:
        yield pa.Table.from_pylist(batch, schema=schema)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        return " ".join(f"#{str(v).lstrip('#')}" for v in value) or None
    return str(value) if value not in (None, "") else None


def _interactions() -> Iterator[dict[str, Any]]:
    from civicshield.intake.models import Interaction

    for row in Interaction.objects.order_by("at", "pk").values("account_id", "action", "object_id", "at",
                                                               "payload").iterator(chunk_size=BATCH):
        payload = row["payload"] or {}
        yield {"account_id": row["account_id"], "action": row["action"], "object_id": row["object_id"],
               "timestamp": row["at"].timestamp(), "text": _text(payload.get("text")),
               "url": _text(payload.get("url")), "hashtags": _text(payload.get("hashtags"))}


def _accounts() -> Iterator[dict[str, Any]]:
    from civicshield.intake.models import Account

    for row in Account.objects.order_by("pk").values("id", "payload", "followers", "region").iterator(chunk_size=BATCH):
        payload = row["payload"] or {}
        yield {"account_id": row["id"], "created_at": _text(payload.get("created_at")),
               "device_id_hash": _text(payload.get("device_id_hash")), "ip24_hash": _text(payload.get("ip24_hash")),
               "asn": _text(payload.get("asn")), "followers": int(row["followers"] or 0),
               "region": row["region"] or None}


def export_log(events_path: str | Path, accounts_path: str | Path | None = None) -> tuple[int, int]:
    """Write the interaction log (and the accounts' infrastructure fields) to Parquet; returns row counts."""
    counts = []
    for path, rows, schema in ((events_path, _interactions(), EVENTS), (accounts_path, _accounts(), ACCOUNTS)):
        if path is None:
            counts.append(0)
            continue
        written = 0
        with pq.ParquetWriter(str(path), schema) as writer:
            for table in _batches(rows, schema):
                writer.write_table(table)
                written += table.num_rows
        counts.append(written)
    return counts[0], counts[1]
