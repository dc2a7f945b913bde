"""Undisclosed paid political promotion: many creators posting the same political script at once.

A campaign that pays creators without the paid-partnership label leaves a trace: near-identical
political text from many different accounts within hours. Posts are grouped by MinHash LSH over word
shingles (datasketch), linked into clusters, and a cluster is reported when enough distinct accounts
posted it inside the time window, none of them disclosed a partnership, and its text is political by
the political-ad detector. Pure: the Django side (`scan.py`) loads posts and opens review cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from datasketch import MinHash, MinHashLSH

from civicshield.elections.relevance import fold

SHINGLE = 3
NUM_PERM = 64


@dataclass(frozen=True)
class Post:
    id: str
    account_id: str
    text: str
    at: dt.datetime
    paid_partnership: bool = False


@dataclass
class ScriptCluster:
    posts: list[Post]
    political_score: float
    explanation: str = ""
    accounts: list[str] = field(default_factory=list)

    @property
    def first_at(self) -> dt.datetime:
        return min(p.at for p in self.posts)

    @property
    def last_at(self) -> dt.datetime:
        return max(p.at for p in self.posts)


def _minhash(text: str) -> MinHash:
    words = fold(text).split()
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m


def _clusters(posts: Sequence[Post], similarity: float) -> list[list[Post]]:
    lsh = MinHashLSH(threshold=similarity, num_perm=NUM_PERM)
    hashes = {}
    for i, p in enumerate(posts):
        hashes[i] = _minhash(p.text)
        lsh.insert(str(i), hashes[i])
    parent = list(range(len(posts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in hashes.items():
        for j in lsh.query(h):
            parent[root(int(j))] = root(i)
    groups: dict[int, list[Post]] = {}
    for i, p in enumerate(posts):
        groups.setdefault(root(i), []).append(p)
    return [g for g in groups.values() if len(g) > 1]


def _busiest_window(posts: list[Post], window: dt.timedelta) -> list[Post]:
    """The posts inside the time window that holds the most distinct accounts."""
    posts = sorted(posts, key=lambda p: p.at)
    best: list[Post] = []
    start = 0
    for end in range(len(posts)):
        while posts[end].at - posts[start].at > window:
            start += 1
        span = posts[start:end + 1]
        if len({p.account_id for p in span}) > len({p.account_id for p in best}):
            best = span
    return best


def find_scripts(posts: Iterable[Post], score: Callable[[str], tuple[float, str]], *,
                 window: dt.timedelta = dt.timedelta(hours=24), min_accounts: int = 5,
                 similarity: float = 0.6, political_threshold: float = 0.7) -> list[ScriptCluster]:
    """Clusters of one political script posted, undisclosed, by at least `min_accounts` accounts."""
    undisclosed = [p for p in posts if not p.paid_partnership and len(p.text.split()) >= SHINGLE]
    found = []
    for group in _clusters(undisclosed, similarity):
        inside = _busiest_window(group, window)
        accounts = sorted({p.account_id for p in inside})
        if len(accounts) < min_accounts:
            continue
        value, explanation = score(inside[0].text)
        if value >= political_threshold:
            found.append(ScriptCluster(inside, value, explanation, accounts))
    return sorted(found, key=lambda c: -len(c.accounts))
