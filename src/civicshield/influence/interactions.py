"""Reading an interaction log (CSV or Parquet) into the one normalized shape the engines query.

Platforms export interactions in many shapes: timestamps as ISO 8601 strings or epoch seconds,
hashtags as lists or as "#a #b" strings, URLs with tracking parameters. Normalizing once, here, means
the DuckDB and Spark engines run the same SQL over the same columns and so find the same networks.
Rows that cannot be used are reported with their index and the reason; every good row is kept.

Normalized events: row, account_id, action, object_id, ts (epoch seconds, double), text_id (a 63-bit
hash of the exact text, NULL without text), url (normalized), hashtags (lower-case sequence joined by a
space). Accounts (optional columns, in the events file or a separate accounts file): account_id,
created_ts, device, ip24, asn, followers, region.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from civicshield.core.errors import FeedError

ACTIONS = ("post", "share", "like", "comment", "follow")
REQUIRED = ("account_id", "action", "object_id", "timestamp")
ACCOUNT_COLUMNS = {  # accepted column name -> normalized name
    "created_at": "created_ts", "device_id_hash": "device", "device": "device",
    "ip24_hash": "ip24", "ip24": "ip24", "asn": "asn", "followers": "followers", "region": "region",
}


@dataclass
class Rejected:
    index: int
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "reason": self.reason}


@dataclass
class InteractionLog:
    """Normalized Parquet files in `folder`, ready for any engine."""

    folder: Path
    events: Path
    accounts: Path
    texts: Path
    rows: int
    rejected: list[Rejected] = field(default_factory=list)


def _source(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return f"read_csv('{path}', all_varchar=true, header=true, null_padding=true)"
    if suffix in (".parquet", ".pq"):
        return f"read_parquet('{path}')"
    raise FeedError(f"{path.name}: unsupported input format {suffix!r}; use .csv or .parquet")


def _hashtag_expr(kind: str) -> str:
    if kind.endswith("[]"):
        return "array_to_string(list_transform(hashtags, h -> lower(ltrim(CAST(h AS VARCHAR), '#'))), ' ')"
    return ("array_to_string(regexp_extract_all(lower(CAST(hashtags AS VARCHAR)), "
            "'#?([[:alnum:]_]+)', 1), ' ')")


URL_EXPR = ("regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(trim(CAST(url AS VARCHAR))), "
            "'#.*$', ''), '([?&])utm_[^&]*&?', '\\1', 'g'), '[?&/]+$', ''), '^[a-z]+://(www\\.)?', '')")


def load_interactions(path: str | Path, accounts: str | Path | None = None,
                      folder: str | Path | None = None) -> InteractionLog:
    """Validate and normalize `path` (and an optional accounts file) into Parquet files."""
    path = Path(path)
    if not path.exists():
        raise FeedError(f"{path}: no such file")
    out = Path(folder or tempfile.mkdtemp(prefix="civicshield-influence-"))
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TEMP VIEW raw AS SELECT row_number() OVER () - 1 AS row, * FROM {_source(path)}")
        columns = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall())
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise FeedError(f"{path.name}: missing column(s) {', '.join(missing)}; "
                            f"required: {', '.join(REQUIRED)}")
        rejected = _normalize_events(con, columns, out / "events.parquet")
        _normalize_accounts(con, columns, accounts, out / "accounts.parquet")
        con.execute(f"COPY (SELECT DISTINCT text_id, text FROM clean WHERE text_id IS NOT NULL ORDER BY text_id) "
                    f"TO '{out / 'texts.parquet'}' (FORMAT parquet)")
        rows = con.execute("SELECT count(*) FROM clean").fetchone()[0]
    except duckdb.Error as exc:
        raise FeedError(f"{path.name}: cannot read the file: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    return InteractionLog(out, out / "events.parquet", out / "accounts.parquet", out / "texts.parquet",
                          rows, rejected)


def _normalize_events(con: duckdb.DuckDBPyConnection, columns: dict[str, str], target: Path) -> list[Rejected]:
    text = "nullif(trim(CAST(text AS VARCHAR)), '')" if "text" in columns else "NULL::VARCHAR"
    url = f"nullif({URL_EXPR}, '')" if "url" in columns else "NULL::VARCHAR"
    tags = f"nullif({_hashtag_expr(columns['hashtags'])}, '')" if "hashtags" in columns else "NULL::VARCHAR"
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"""
        CREATE TEMP TABLE typed AS SELECT row,
            nullif(trim(CAST(account_id AS VARCHAR)), '') AS account_id,
            nullif(lower(trim(CAST(action AS VARCHAR))), '') AS action,
            nullif(trim(CAST(object_id AS VARCHAR)), '') AS object_id,
            coalesce(try_cast(CAST(timestamp AS VARCHAR) AS DOUBLE),
                     epoch(try_cast(CAST(timestamp AS VARCHAR) AS TIMESTAMPTZ))) AS ts,
            CAST(timestamp AS VARCHAR) AS raw_ts,
            {text} AS text, {url} AS url, {tags} AS hashtags
        FROM raw""")
    actions = ", ".join(f"'{a}'" for a in ACTIONS)
    reason = f"""CASE
        WHEN account_id IS NULL THEN 'account_id is empty'
        WHEN object_id IS NULL THEN 'object_id is empty'
        WHEN action IS NULL THEN 'action is empty'
        WHEN action NOT IN ({actions}) THEN 'action ''' || action || ''' is not one of {", ".join(ACTIONS)}'
        WHEN ts IS NULL OR isnan(ts) OR isinf(ts) THEN
             'timestamp ' || coalesce('''' || raw_ts || '''', 'is empty') ||
             ' is neither ISO 8601 nor epoch seconds'
        END"""
    con.execute(f"CREATE TEMP TABLE checked AS SELECT *, {reason} AS reason FROM typed")
    rejected = [Rejected(int(i), r) for i, r in
                con.execute("SELECT row, reason FROM checked WHERE reason IS NOT NULL ORDER BY row").fetchall()]
    con.execute("""
        CREATE TEMP TABLE clean AS SELECT row, account_id, action, object_id, ts,
            CASE WHEN text IS NULL THEN NULL ELSE CAST(hash(text) >> 1 AS BIGINT) END AS text_id,
            text, url, hashtags
        FROM checked WHERE reason IS NULL""")
    con.execute(f"COPY (SELECT row, account_id, action, object_id, ts, text_id, "
                f"url, hashtags FROM clean) TO '{target}' (FORMAT parquet)")
    return rejected


def _account_select(columns: dict[str, str], relation: str) -> str:
    picked = {}
    for name, norm in ACCOUNT_COLUMNS.items():
        if name in columns and norm not in picked:
            picked[norm] = name
    parts = []
    for norm in ("created_ts", "device", "ip24", "asn", "followers", "region"):
        name = picked.get(norm)
        if name is None:
            parts.append(f"NULL::{'DOUBLE' if norm == 'created_ts' else 'BIGINT' if norm == 'followers' else 'VARCHAR'}"
                         f" AS {norm}")
        elif norm == "created_ts":
            parts.append(f"any_value(coalesce(try_cast(CAST({name} AS VARCHAR) AS DOUBLE), "
                         f"epoch(try_cast(CAST({name} AS VARCHAR) AS TIMESTAMPTZ)))) AS created_ts")
        elif norm == "followers":
            parts.append(f"any_value(try_cast(CAST({name} AS VARCHAR) AS BIGINT)) AS followers")
        else:
            parts.append(f"any_value(nullif(trim(CAST({name} AS VARCHAR)), '')) AS {norm}")
    return (f"SELECT CAST(account_id AS VARCHAR) AS account_id, {', '.join(parts)} FROM {relation} "
            f"WHERE nullif(trim(CAST(account_id AS VARCHAR)), '') IS NOT NULL GROUP BY 1")


def _normalize_accounts(con: duckdb.DuckDBPyConnection, columns: dict[str, str],
                        accounts: str | Path | None, target: Path) -> None:
    if accounts is not None:
        accounts = Path(accounts)
        if not accounts.exists():
            raise FeedError(f"{accounts}: no such file")
        con.execute(f"CREATE TEMP VIEW raw_accounts AS SELECT * FROM {_source(accounts)}")
        acols = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE raw_accounts)").fetchall())
        if "account_id" not in acols:
            raise FeedError(f"{accounts.name}: missing column account_id")
        select = _account_select(acols, "raw_accounts")
    else:
        select = _account_select(columns, "raw")
    con.execute(f"COPY ({select} ORDER BY account_id) TO '{target}' (FORMAT parquet)")
