"""`detect_networks`: an interaction log in, coordinated networks with their evidence out.

This is the one entry point the CLI, the console's batch job, the benchmarks and the tests call. It
normalizes the log, clusters near-duplicate texts, runs the layers on the chosen engine, fuses and
clusters, then goes back to the engine for the evidence an analyst needs: which accounts did what,
when, together.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from .engines import Engine, EngineName, open_engine
from .interactions import InteractionLog, Rejected, load_interactions
from .layers import BEHAVIOURAL, SUPPORTING, behavioural_layer, supporting_layer
from .neartext import write_text_clusters
from .networks import MIN_MEMBERS, Network, cluster, fuse

DEFAULT_WINDOW = 60.0
CREATION_WINDOW = 60.0
EVIDENCE_KEYS = 10
EVIDENCE_ACCOUNTS = 50


@dataclass
class Detection:
    networks: list[Network]
    stats: dict[str, Any] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"networks": [n.as_dict() for n in self.networks], "stats": self.stats,
                "rejected": [r.as_dict() for r in self.rejected]}


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, tz=dt.timezone.utc).isoformat().replace("+00:00", "Z")


def detect_networks(path: str | Path, *, window: float = DEFAULT_WINDOW, engine: EngineName = "duckdb",
                    accounts: str | Path | None = None, creation_window: float = CREATION_WINDOW,
                    min_members: int = MIN_MEMBERS, progress: Callable[[str], None] | None = None,
                    ) -> Detection:
    """Find coordinated networks in the interaction log at `path` (CSV or Parquet)."""
    if window <= 0:
        raise ValueError("window must be a positive number of seconds")
    step = progress or (lambda _: None)
    step("normalizing")
    log = load_interactions(path, accounts)
    try:
        step("clustering near-duplicate texts")
        write_text_clusters(log.texts, log.folder / "text_clusters.parquet")
        runner = open_engine(engine)
        try:
            return _detect(runner, log, window, creation_window, min_members, step)
        finally:
            runner.close()
    finally:
        shutil.rmtree(log.folder, ignore_errors=True)


def _detect(engine: Engine, log: InteractionLog, window: float, creation_window: float, min_members: int,
            step: Callable[[str], None]) -> Detection:
    engine.view("events", log.events)
    engine.view("accounts", log.accounts)
    engine.view("texts", log.texts)
    engine.view("text_clusters", log.folder / "text_clusters.parquet")
    layers = []
    for layer in BEHAVIOURAL:
        step(f"layer {layer}")
        layers.append(behavioural_layer(engine, layer, window))
    nodes = sorted({a for edges in layers for a in (*edges.src, *edges.dst)})
    strengths = sorted(s for edges in layers for s in edges.strength)
    ceiling = strengths[len(strengths) // 2] if strengths else 0.0
    for layer in SUPPORTING:
        step(f"layer {layer}")
        layers.append(supporting_layer(engine, layer, nodes, creation_window, ceiling))
    step("clustering accounts")
    networks = cluster(fuse(layers), min_members)
    step("collecting evidence")
    _attach_evidence(engine, networks)
    stats = {"events": log.rows, "rejected": len(log.rejected), "window": window, "engine": engine.name,
             "layers": {edges.layer: edges.stats for edges in layers}}
    return Detection(networks, stats, log.rejected)


def _attach_evidence(engine: Engine, networks: list[Network]) -> None:
    if not networks:
        return
    engine.arrow("members", pa.table({
        "network": pa.array([n.id for n in networks for _ in n.members], pa.string()),
        "account_id": pa.array([a for n in networks for a in n.members], pa.string())}))
    by_id = {n.id: n for n in networks}
    for layer in BEHAVIOURAL:
        if not any(layer in n.behaviours for n in networks):
            continue
        shared: dict[str, dict[str, list[tuple[str, float, int]]]] = defaultdict(lambda: defaultdict(list))
        for network, key, account, first, count in engine.rows(f"""
                SELECT m.network, k.key, k.account_id, min(k.ts), count(*) FROM kk_{layer} k
                JOIN members m ON m.account_id = k.account_id GROUP BY m.network, k.key, k.account_id"""):
            shared[network][key].append((account, float(first), int(count)))
        texts = _cluster_texts(engine) if layer == "same_text" else {}
        for network_id, keys in shared.items():
            items = [(key, sorted(rows, key=lambda r: (r[1], r[0]))) for key, rows in keys.items() if len(rows) > 1]
            items.sort(key=lambda kv: (-len(kv[1]), kv[1][0][1], kv[0]))
            by_id[network_id].evidence[layer] = {
                "shared_keys": len(items),
                "top": [_key_evidence(layer, key, rows, texts) for key, rows in items[:EVIDENCE_KEYS]],
            }
    for network, acts, first, last in engine.rows("""
            SELECT m.network, count(*), min(e.ts), max(e.ts) FROM events e
            JOIN members m ON m.account_id = e.account_id GROUP BY m.network"""):
        by_id[network].evidence["activity"] = {"events": int(acts), "first": _iso(first), "last": _iso(last)}
    _attach_infrastructure(engine, by_id)


def _key_evidence(layer: str, key: str, rows: list[tuple[str, float, int]], texts: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"key": key, "accounts": len(rows), "first": _iso(rows[0][1]),
                            "last": _iso(rows[-1][1]), "spread_seconds": round(rows[-1][1] - rows[0][1], 3),
                            "who": [[a, _iso(t)] for a, t, _ in rows[:EVIDENCE_ACCOUNTS]]}
    if layer == "co_share":
        item["action"], _, item["object_id"] = key.partition(":")
    elif layer == "same_text":
        item["sample_text"] = texts.get(key, "")
    return item


def _cluster_texts(engine: Engine) -> dict[str, str]:
    return {str(cluster): text for cluster, text in engine.rows(
        "SELECT c.cluster, t.text FROM text_clusters c JOIN texts t ON t.text_id = c.text_id "
        "WHERE c.cluster = c.text_id")}


def _attach_infrastructure(engine: Engine, by_id: dict[str, Network]) -> None:
    profiles: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "devices": defaultdict(list), "ip24": defaultdict(list), "asns": defaultdict(int),
        "regions": defaultdict(int), "followers": 0, "created": [], "accounts": {}})
    for network, account, created, device, ip24, asn, followers, region in engine.rows("""
            SELECT m.network, a.account_id, a.created_ts, a.device, a.ip24, a.asn, a.followers, a.region
            FROM accounts a JOIN members m ON m.account_id = a.account_id"""):
        profile = profiles[network]
        if device:
            profile["devices"][device].append(account)
        if ip24:
            profile["ip24"][ip24].append(account)
        if asn:
            profile["asns"][asn] += 1
        if region:
            profile["regions"][region] += 1
        profile["followers"] += int(followers or 0)
        if created is not None:
            profile["created"].append(float(created))
        profile["accounts"][account] = {"device": device, "ip24": ip24, "asn": asn, "region": region,
                                        "followers": int(followers or 0),
                                        "created": _iso(created) if created is not None else None}
    for network_id, p in profiles.items():
        created = sorted(p["created"])
        by_id[network_id].evidence["infrastructure"] = {
            "shared_devices": {k: sorted(v) for k, v in sorted(p["devices"].items()) if len(v) > 1},
            "shared_ip24": {k: sorted(v) for k, v in sorted(p["ip24"].items()) if len(v) > 1},
            "asns": dict(sorted(p["asns"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "regions": dict(sorted(p["regions"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "followers": p["followers"],
            "created": {"first": _iso(created[0]), "last": _iso(created[-1])} if created else None,
            "accounts": dict(sorted(p["accounts"].items())),
        }
