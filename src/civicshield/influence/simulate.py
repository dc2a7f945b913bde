"""Synthetic interaction logs with planted influence campaigns and organic look-alikes.

Detection quality can only be measured where the truth is known. This generator (deterministic by
seed) writes organic activity with the shapes real platforms show (heavy-tailed account activity,
Zipf-popular objects, URLs and hashtags, shares decaying after an object appears), plants coordinated
networks using several tactics, and adds organic hard negatives that fool naive detectors: breaking
news shared by a large share of all accounts within seconds, hyperactive accounts, slogans many people
post on the same day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .disarm import BY_TACTIC

TACTICS = ("amplification", "copypasta", "link_push", "hashtag_flood", "account_farm")
DISARM = BY_TACTIC
START = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc).timestamp()
COLUMNS = ("account_id", "action", "object_id", "timestamp", "text", "url", "hashtags")


@dataclass
class Simulation:
    events: pa.Table
    accounts: pa.Table
    truth: dict[str, Any] = field(default_factory=dict)

    def write(self, events_path: str | Path, accounts_path: str | Path | None = None) -> None:
        _write(self.events, Path(events_path))
        if accounts_path:
            _write(self.accounts, Path(accounts_path))


def _write(table: pa.Table, path: Path) -> None:
    if path.suffix.lower() == ".csv":
        pacsv.write_csv(table, path)
    else:
        pq.write_table(table, path)


class _Builder:
    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}

    def add(self, account: str, action: str, obj: str, ts: float, text: str | None = None,
            url: str | None = None, hashtags: str | None = None) -> None:
        for name, value in zip(COLUMNS, (account, action, obj, round(ts, 3), text, url, hashtags)):
            self.columns[name].append(value)

    def table(self) -> pa.Table:
        return pa.table({"account_id": pa.array(self.columns["account_id"], pa.string()),
                         "action": pa.array(self.columns["action"], pa.string()),
                         "object_id": pa.array(self.columns["object_id"], pa.string()),
                         "timestamp": pa.array(self.columns["timestamp"], pa.float64()),
                         "text": pa.array(self.columns["text"], pa.string()),
                         "url": pa.array(self.columns["url"], pa.string()),
                         "hashtags": pa.array(self.columns["hashtags"], pa.string())})


def _zipf(rng: np.random.Generator, n: int, size: int, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return rng.choice(n, size=size, p=weights / weights.sum())


def _words(rng: np.random.Generator, vocabulary: int, size: int) -> np.ndarray:
    return _zipf(rng, vocabulary, size, 0.9)


def simulate(seed: int = 1, *, accounts: int = 3000, events: int = 60_000, days: float = 3.0,
             networks: int = 10, bursts: int = 3, burst_share: float = 0.25, text_share: float = 0.15,
             tactics: tuple[str, ...] = TACTICS, stealthy: bool = False) -> Simulation:
    """Generate an interaction log; `truth` names every planted network, its tactic and members.

    `stealthy` plants harder networks: 5-15 accounts, fewer members per operation, slower and
    looser timing (half the pairs fall outside a 60 s window), amplification of popular organic
    posts rather than the campaign's own, and three edited words per copy-pasted text.
    """
    rng = np.random.default_rng(seed)
    span = days * 86400.0
    ids = np.array([f"u{i:08d}" for i in rng.permutation(accounts * 4)[:accounts]])
    builder = _Builder()
    activity = rng.lognormal(0.0, 1.2, accounts)
    hyper = rng.choice(accounts, max(1, accounts // 200), replace=False)
    activity[hyper] *= 40.0
    actor = rng.choice(accounts, size=events, p=activity / activity.sum())
    kind = rng.random(events)
    n_objects = max(100, events // 6)
    birth = rng.uniform(0, span, n_objects)
    obj = _zipf(rng, n_objects, events, 0.95)
    when = np.minimum(birth[obj] + rng.exponential(6 * 3600.0, events), span)
    vocabulary = [f"w{i}" for i in range(6000)]
    tags = [f"tag{i}" for i in range(400)]
    posts = kind < text_share
    _organic_posts(rng, builder, ids[actor[posts]], span, vocabulary, tags, seed)
    _organic_negatives(rng, builder, ids, span, bursts, burst_share, vocabulary)
    account_rows = _account_rows(rng, ids, span)
    truth = {"seed": seed, "networks": {}, "bursts": []}
    planted_ids = iter(f"u{i:08d}" for i in range(accounts * 4, accounts * 4 + networks * 100))
    for k in range(networks):
        tactic = tactics[k % len(tactics)]
        size = int(rng.integers(5, 16) if stealthy else rng.integers(8, 31))
        members = [next(planted_ids) for _ in range(size)]
        _plant(rng, builder, account_rows, tactic, members, span, vocabulary, tags, k, seed, stealthy)
        truth["networks"][f"planted-{k}"] = {"tactic": tactic, "members": members,
                                             "disarm": DISARM[tactic]}
    truth["bursts"] = [f"news-{b}" for b in range(bursts)]
    table = pa.concat_tables([_bulk(ids[actor[~posts]], kind[~posts], obj[~posts], when[~posts]),
                              builder.table()])
    return Simulation(table, _accounts_table(account_rows), truth)


def _organic_posts(rng: np.random.Generator, builder: _Builder, authors: np.ndarray, span: float,
                   vocabulary: list[str], tags: list[str], seed: int) -> None:
    """Organic posts: Zipf words (mostly distinct texts), some with a URL, some with hashtags."""
    n = len(authors)
    lengths = rng.integers(8, 20, n)
    words = _words(rng, len(vocabulary), int(lengths.sum()))
    ends = np.cumsum(lengths)
    sites = _zipf(rng, 300, n)
    tag_counts = rng.integers(1, 4, n)
    tag_draws = _zipf(rng, len(tags), int(tag_counts.sum()))
    tag_ends = np.cumsum(tag_counts)
    with_url, with_tags = rng.random(n) < 0.3, rng.random(n) < 0.4
    times = START + rng.uniform(0, span, n)
    paths = rng.integers(0, 10**9, n)
    for i in range(n):
        text = " ".join(vocabulary[w] for w in words[ends[i] - lengths[i]:ends[i]])
        url = f"https://site{sites[i]}.example/a/{paths[i]}" if with_url[i] else None
        hashtags = " ".join(f"#{tags[t]}" for t in tag_draws[tag_ends[i] - tag_counts[i]:tag_ends[i]]) \
            if with_tags[i] else None
        builder.add(str(authors[i]), "post", f"p{seed}-{i}", float(times[i]), text, url, hashtags)


def _bulk(accounts: np.ndarray, kind: np.ndarray, objects: np.ndarray, when: np.ndarray) -> pa.Table:
    """Organic shares, likes and comments, built column-wise (the bulk of a large log)."""
    action = np.where(kind < 0.7, "share", np.where(kind < 0.93, "like", "comment"))
    empty = pa.nulls(len(accounts), pa.string())
    return pa.table({"account_id": pa.array(accounts, pa.string()), "action": pa.array(action, pa.string()),
                     "object_id": pa.array(np.char.add("o", objects.astype(str)), pa.string()),
                     "timestamp": pa.array(np.round(START + when, 3), pa.float64()),
                     "text": empty, "url": empty, "hashtags": empty})


def _organic_negatives(rng: np.random.Generator, builder: _Builder, ids: np.ndarray, span: float,
                       bursts: int, burst_share: float, vocabulary: list[str]) -> None:
    """Breaking news bursts and popular slogans: organic, simultaneous, not coordinated."""
    for b in range(bursts):
        at = START + rng.uniform(0.1, 0.9) * span
        crowd = rng.choice(len(ids), int(len(ids) * burst_share), replace=False)
        for account in crowd:
            t = at + rng.exponential(20.0)
            builder.add(str(ids[account]), "share", f"news-{b}", t)
            if rng.random() < 0.3:
                words = " ".join(vocabulary[w] for w in rng.integers(0, len(vocabulary), 10))
                builder.add(str(ids[account]), "post", f"news-{b}-{account}", t + rng.exponential(30.0),
                            f"breaking {words}", f"https://news.example/story-{b}", "#breaking #news")
    for s in range(5):
        slogan = f"go vote today every voice counts in this election number {s}"
        day = START + rng.uniform(0, span - 86400)
        for account in rng.choice(len(ids), max(10, len(ids) // 20), replace=False):
            builder.add(str(ids[account]), "post", f"slogan-{s}-{account}", day + rng.uniform(0, 86400), slogan)


def _plant(rng: np.random.Generator, builder: _Builder, account_rows: list[dict[str, Any]], tactic: str,
           members: list[str], span: float, vocabulary: list[str], tags: list[str], k: int, seed: int,
           stealthy: bool = False) -> None:
    operations = int(rng.integers(12, 30))
    created = START - rng.uniform(30, 400) * 86400
    devices = [f"dev-farm{k}-{d}" for d in range(3)]
    for j, member in enumerate(members):
        farm = tactic == "account_farm"
        account_rows.append({
            "account_id": member, "created_at": created + (rng.uniform(0, 50) if farm else rng.uniform(0, 9e6)),
            "device_id_hash": devices[j % 3] if farm else f"dev-{member}",
            "ip24_hash": f"ip-farm{k}" if farm else f"ip-{int(rng.integers(1e7))}",
            "asn": f"AS{64500 + k}" if farm else f"AS{int(rng.integers(1000, 1100))}",
            "followers": int(rng.lognormal(4, 1)), "region": ["RU", "IR", "CN", "US", "NG"][k % 5]})
        for _ in range(int(rng.integers(5, 15))):  # background activity to blend in
            builder.add(member, "like", f"o{int(rng.integers(0, 5000))}", START + rng.uniform(0, span))
    for op in range(operations):
        at = START + rng.uniform(0, span)
        base = [vocabulary[w] for w in rng.integers(0, len(vocabulary), 14)]
        sequence = " ".join(f"#{tags[t]}" for t in rng.choice(len(tags), 3, replace=False))
        for member in members:
            if rng.random() > (0.5 if tactic == "account_farm" or stealthy else 0.75):
                continue
            t = at + rng.exponential(60.0 if stealthy else 12.0)
            post = f"x{seed}-{k}-{op}-{member}"
            if tactic == "amplification":
                builder.add(member, "share", f"o{op * 7 + k}" if stealthy else f"camp{k}-{op}", t)
            elif tactic == "copypasta":
                words = list(base)
                for _ in range(3 if stealthy else 1):
                    words[int(rng.integers(0, len(words)))] = vocabulary[int(rng.integers(0, len(vocabulary)))]
                builder.add(member, "post", post, t, " ".join(words))
            elif tactic == "link_push":
                builder.add(member, "post", post, t, " ".join(vocabulary[w] for w in rng.integers(0, 6000, 9)),
                            f"https://push{k}.example/story/{op}?utm_source=m{member}")
            elif tactic == "hashtag_flood":
                builder.add(member, "post", post, t, None, None, sequence)
            else:
                builder.add(member, "like", f"farm{k}-{op}", t)


def _account_rows(rng: np.random.Generator, ids: np.ndarray, span: float) -> list[dict[str, Any]]:
    households = rng.integers(0, int(len(ids) * 0.8), len(ids))
    created = START - rng.uniform(1, 2000, len(ids)) * 86400
    return [{"account_id": str(a), "created_at": float(created[i]), "device_id_hash": f"dev-{a}",
             "ip24_hash": f"ip-{households[i]}", "asn": f"AS{1000 + int(households[i]) % 100}",
             "followers": int(rng.lognormal(4, 1.5)), "region": "US"} for i, a in enumerate(ids)]


def _accounts_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.table({
        "account_id": [r["account_id"] for r in rows],
        "created_at": [dt.datetime.fromtimestamp(r["created_at"], dt.timezone.utc).isoformat() for r in rows],
        "device_id_hash": [r["device_id_hash"] for r in rows], "ip24_hash": [r["ip24_hash"] for r in rows],
        "asn": [r["asn"] for r in rows], "followers": pa.array([r["followers"] for r in rows], pa.int64()),
        "region": [r["region"] for r in rows]})


def write_truth(truth: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(truth, indent=1, sort_keys=True))
