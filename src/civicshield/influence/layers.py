"""Co-activity layers: which pairs of accounts acted together, layer by layer, and how surprisingly.

Behavioural layers pair accounts that acted on the same key within the time window: the same object
with the same action (co-share), near-duplicate text, the same URL, the same hashtag sequence.
Supporting layers pair accounts that share infrastructure (device, IP /24) or were created in the same
minute; they only count between accounts that already have a behavioural edge, because a shared
household router or a sign-up spike alone says nothing about coordination.

The SQL here is the common subset of DuckDB and Spark SQL: one text, two engines, same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from .engines import Engine
from .significance import PairNull, burst_cap, key_min_audience, key_strength

# Each account counts once per key, at its first action: repeated shares of one popular object by a
# hyperactive account would otherwise look like many chances to coincide with others.
BEHAVIOURAL: dict[str, str] = {
    "co_share": "SELECT account_id, action || ':' || object_id AS key, min(ts) AS ts FROM events GROUP BY 1, 2",
    "same_text": ("SELECT e.account_id, CAST(c.cluster AS STRING) AS key, min(e.ts) AS ts FROM events e "
                  "JOIN text_clusters c ON e.text_id = c.text_id GROUP BY 1, 2"),
    "same_url": "SELECT account_id, url AS key, min(ts) AS ts FROM events WHERE url IS NOT NULL GROUP BY 1, 2",
    "same_hashtags": ("SELECT account_id, hashtags AS key, min(ts) AS ts FROM events "
                      "WHERE hashtags LIKE '% %' GROUP BY 1, 2"),
}
SUPPORTING: dict[str, str] = {
    "creation": ("SELECT DISTINCT account_id, CAST(CAST(floor(created_ts / {creation_window}) AS BIGINT) "
                 "AS STRING) AS key FROM accounts WHERE created_ts IS NOT NULL"),
    "device": "SELECT DISTINCT account_id, device AS key FROM accounts WHERE device IS NOT NULL",
    "ip24": "SELECT DISTINCT account_id, ip24 AS key FROM accounts WHERE ip24 IS NOT NULL",
}
LAYERS = tuple(BEHAVIOURAL) + tuple(SUPPORTING)
# Pairs of accounts acting on the same key within the window; n = how many keys they share so.
# Events are bucketed by window-wide time slots, so two events within the window are in the same slot
# or in neighbouring ones: each pair is met once, either in its slot (ordered by account) or across
# two slots (later event on the left, then ordered with least/greatest). A key shared by thousands
# over days costs its within-window pairs only, not the square of its audience.
TRIPLES_SQL = """
    WITH a AS (SELECT account_id, key, ts, CAST(floor(ts / {window}) AS BIGINT) AS slot FROM {keyed})
    SELECT DISTINCT key, src, dst FROM (
        SELECT x.key, x.account_id AS src, y.account_id AS dst FROM a x JOIN a y
          ON x.key = y.key AND x.slot = y.slot
        WHERE x.account_id < y.account_id AND abs(x.ts - y.ts) <= {window}
        UNION ALL
        SELECT x.key, least(x.account_id, y.account_id) AS src, greatest(x.account_id, y.account_id) AS dst
        FROM a x JOIN a y ON x.key = y.key AND x.slot = y.slot + 1
        WHERE x.account_id <> y.account_id AND abs(x.ts - y.ts) <= {window}) t"""
PAIRS_SQL = "SELECT src, dst, count(*) AS n FROM (" + TRIPLES_SQL + ") t GROUP BY src, dst"


def pairs_sql(engine: Engine, keyed: str, window: float) -> str:
    """SQL giving (src, dst, n) of PAIRS_SQL over `keyed` (account_id, key, ts), for large logs.

    The self-join runs on integer ranks of the account ids and keys rather than the strings, which
    halves its time and memory; the ranks follow the string order, so `src < dst` and the result are
    exactly what PAIRS_SQL gives on the strings. The ranked pairs are materialised as `{keyed}_pairs`;
    the returned SQL only maps them back to account ids.
    """
    engine.table(f"{keyed}_aid", f"SELECT account_id, dense_rank() OVER (ORDER BY account_id) AS aid "
                                 f"FROM (SELECT DISTINCT account_id FROM {keyed}) d")
    engine.table(f"{keyed}_kid", f"SELECT key, dense_rank() OVER (ORDER BY key) AS kid "
                                 f"FROM (SELECT DISTINCT key FROM {keyed}) d")
    engine.table(f"{keyed}_ranked", f"SELECT a.aid AS account_id, k.kid AS key, t.ts FROM {keyed} t "
                                    f"JOIN {keyed}_aid a ON a.account_id = t.account_id "
                                    f"JOIN {keyed}_kid k ON k.key = t.key")
    engine.table(f"{keyed}_pairs", PAIRS_SQL.format(keyed=f"{keyed}_ranked", window=float(window)))
    return (f"SELECT a.account_id AS src, b.account_id AS dst, p.n FROM {keyed}_pairs p "
            f"JOIN {keyed}_aid a ON a.aid = p.src JOIN {keyed}_aid b ON b.aid = p.dst")


@dataclass
class LayerEdges:
    layer: str
    src: list[str] = field(default_factory=list)
    dst: list[str] = field(default_factory=list)
    n: list[int] = field(default_factory=list)
    strength: list[float] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.src)


def _histogram(engine: Engine, keyed: str) -> list[tuple[int, int]]:
    return [(int(m), int(k)) for m, k in engine.rows(
        f"SELECT m, count(*) FROM (SELECT key, count(DISTINCT account_id) AS m FROM {keyed} GROUP BY key) h "
        f"GROUP BY m ORDER BY m")]


def behavioural_layer(engine: Engine, layer: str, window: float) -> LayerEdges:
    """Significant pairs of one behavioural layer, after bursts are set aside."""
    engine.table(f"k_{layer}", BEHAVIOURAL[layer])
    slot = f"CAST(floor(ts / {float(window)}) AS BIGINT)"
    engine.table(f"kc_{layer}", f"SELECT key, {slot} AS slot, count(DISTINCT account_id) AS m "
                                f"FROM k_{layer} GROUP BY key, {slot}")
    cap = burst_cap([(int(m), int(k)) for m, k in engine.rows(
        f"SELECT m, count(*) FROM kc_{layer} GROUP BY m ORDER BY m")])
    engine.table(f"kk_{layer}", f"""
        SELECT k.account_id, k.key, k.ts FROM k_{layer} k
        JOIN kc_{layer} c ON k.key = c.key AND CAST(floor(k.ts / {float(window)}) AS BIGINT) = c.slot
        WHERE c.m <= {cap}""")
    engine.table(f"km_{layer}", f"SELECT key, count(DISTINCT account_id) AS m FROM kk_{layer} GROUP BY key")
    engine.table(f"pairs_{layer}", pairs_sql(engine, f"kk_{layer}", window))
    incidences, sum_m2 = engine.rows(f"SELECT coalesce(sum(m), 0), coalesce(sum(m * m), 0) FROM km_{layer}")[0]
    engine.table(f"act_{layer}", f"""
        SELECT account_id, count(*) AS c, sum(m - 1) AS reach FROM (
            SELECT DISTINCT k.account_id, k.key, s.m FROM kk_{layer} k JOIN km_{layer} s ON k.key = s.key) d
        GROUP BY account_id""")
    bursts = [(key, int(m)) for key, m in engine.rows(
        f"SELECT key, max(m) AS m FROM kc_{layer} WHERE m > {cap} GROUP BY key ORDER BY m DESC, key LIMIT 20")]
    tests, shared = engine.rows(f"SELECT count(*), coalesce(sum(n), 0) FROM pairs_{layer}")[0]
    null = PairNull.fit(int(incidences), int(sum_m2), int(tests), int(shared))
    rows = engine.rows(f"""
        SELECT p.src, p.dst, p.n, ca.c, ca.reach, cb.c, cb.reach FROM pairs_{layer} p
        JOIN act_{layer} ca ON ca.account_id = p.src JOIN act_{layer} cb ON cb.account_id = p.dst
        WHERE p.n >= 2 ORDER BY p.src, p.dst""")
    edges = LayerEdges(layer, stats={
        "burst_cap": cap, "bursts": bursts, "candidate_pairs": int(tests), "null_scale": null.scale,
        "threshold": round(null.threshold, 3)})
    if rows:
        n = np.array([r[2] for r in rows], dtype=np.int64)
        c_a, reach_a, c_b, reach_b = (np.array([r[i] for r in rows], dtype=float) for i in (3, 4, 5, 6))
        strength = null.strengths(n, c_a, reach_a, c_b, reach_b)
        for row, s in zip(rows, strength):
            if s >= null.threshold:
                edges.src.append(row[0])
                edges.dst.append(row[1])
                edges.n.append(int(row[2]))
                edges.strength.append(float(s))
    edges.stats["edges"] = len(edges)
    return edges


def supporting_layer(engine: Engine, layer: str, nodes: list[str], creation_window: float,
                     ceiling: float) -> LayerEdges:
    """Pairs among `nodes` sharing a key (device, /24, creation minute) that is rarer than chance allows."""
    engine.table(f"k_{layer}", SUPPORTING[layer].format(creation_window=float(creation_window)))
    histogram = _histogram(engine, f"k_{layer}")
    keys = sum(k for _, k in histogram)
    edges = LayerEdges(layer, stats={"keys": keys})
    if not keys or not nodes:
        return edges
    mean = sum(m * k for m, k in histogram) / keys
    min_m, threshold = key_min_audience(mean, keys)
    edges.stats.update({"mean_audience": round(mean, 4), "min_audience": min_m})
    engine.arrow(f"nodes_{layer}", pa.table({"account_id": pa.array(sorted(nodes), pa.string())}))
    rows = engine.rows(f"""
        WITH sized AS (SELECT key, count(DISTINCT account_id) AS m FROM k_{layer} GROUP BY key
                       HAVING count(DISTINCT account_id) >= {min_m}),
             member AS (SELECT k.account_id, k.key, s.m FROM k_{layer} k
                        JOIN sized s ON k.key = s.key JOIN nodes_{layer} n ON n.account_id = k.account_id)
        SELECT a.account_id, b.account_id, count(*) AS n, min(a.m) AS m FROM member a JOIN member b
          ON a.key = b.key AND a.account_id < b.account_id
        GROUP BY a.account_id, b.account_id ORDER BY 1, 2""")
    for src, dst, n, m in rows:
        edges.src.append(src)
        edges.dst.append(dst)
        edges.n.append(int(n))
        edges.strength.append(min(key_strength(int(m), mean), ceiling))
    edges.stats.update({"threshold": round(threshold, 3), "edges": len(edges)})
    return edges
