"""Near-duplicate text: group the distinct texts of a log into clusters with MinHash-LSH (datasketch).

Operators paste the same message with small edits (a name swapped, an emoji added) to dodge exact
matching. Each distinct text is reduced to word-bigram shingles, signed with MinHash (CRC-32 shingle
hashes, so the same across processes) and bucketed with LSH; candidate pairs whose estimated Jaccard
similarity reaches the threshold are joined, and a cluster is the connected component (named by its smallest text id). Computed once per log, so every
engine joins the same mapping.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.5
MIN_TOKENS = 4
MAX_GROUP = 200
_TOKEN = re.compile(r"[\w#@]+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < MIN_TOKENS:
        return set()
    return {" ".join(tokens[i:i + 2]).encode() for i in range(len(tokens) - 1)}


class _Components:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _band_candidates(hashes: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Pairs (i, j) of rows whose signatures agree on every value of at least one band."""
    pairs = []
    for band in range(bands):
        block = np.ascontiguousarray(hashes[:, band * rows:(band + 1) * rows])
        _, group = np.unique(block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel(),
                             return_inverse=True)
        order = np.argsort(group, kind="stable")
        sorted_groups = group[order]
        starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):
            members = order[start:start + size]
            if size <= MAX_GROUP:
                i, j = np.triu_indices(size, 1)
                pairs.append(np.stack([members[i], members[j]], axis=1))
            else:  # a huge bucket: compare with its first member only
                pairs.append(np.stack([np.full(size - 1, members[0]), members[1:]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def cluster_texts(texts: list[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """Map text id -> cluster id (smallest text id of its near-duplicate component).

    Signatures come from datasketch's MinHash; banding uses datasketch's choice of bands and rows
    for the threshold, done column-wise in numpy so a million texts take seconds, not minutes.
    """
    ids, sets = [], []
    for text_id, text in texts:
        shingle_set = shingles(text)
        if shingle_set:
            ids.append(text_id)
            sets.append(shingle_set)
    if not ids:
        return {}
    hashes = np.stack([m.hashvalues for m in MinHash.bulk(sets, num_perm=NUM_PERM, hashfunc=zlib.crc32)])
    params = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    candidates = _band_candidates(hashes, params.b, params.r)
    components = _Components()
    for start in range(0, len(candidates), 100_000):
        chunk = candidates[start:start + 100_000]
        similar = (hashes[chunk[:, 0]] == hashes[chunk[:, 1]]).mean(axis=1) >= threshold
        for i, j in chunk[similar]:
            components.union(ids[i], ids[j])
    return {text_id: components.find(text_id) for text_id in ids}


def write_text_clusters(texts_parquet: Path, target: Path, threshold: float = THRESHOLD) -> int:
    """Cluster the distinct texts in `texts_parquet` and write (text_id, cluster) to `target`."""
    con = duckdb.connect()
    try:
        texts = con.execute(f"SELECT text_id, text FROM read_parquet('{texts_parquet}') ORDER BY text_id").fetchall()
        mapping = cluster_texts([(int(i), t) for i, t in texts], threshold)
        pairs = sorted(mapping.items())
        clusters = pa.table({"text_id": pa.array([p[0] for p in pairs], pa.int64()),
                             "cluster": pa.array([p[1] for p in pairs], pa.int64())})
        con.register("clusters", clusters)
        con.execute(f"COPY (SELECT * FROM clusters ORDER BY text_id) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return len(set(mapping.values()))
