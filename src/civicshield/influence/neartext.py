"""Near-duplicate text: group the distinct texts of a log into clusters with MinHash-LSH (datasketch).

Operators paste the same message with small edits (a name swapped, an emoji added) to dodge exact
matching. Each distinct text is reduced to word-bigram shingles, signed with MinHash, and bucketed
with LSH; candidate pairs whose estimated Jaccard similarity reaches the threshold are joined, and a
cluster is the connected component (named by its smallest text id). Computed once per log, so every
engine joins the same mapping.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.5
MIN_TOKENS = 4
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


def cluster_texts(texts: list[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """Map text id -> cluster id (smallest text id of its near-duplicate component)."""
    ids, sets = [], []
    for text_id, text in texts:
        shingle_set = shingles(text)
        if shingle_set:
            ids.append(text_id)
            sets.append(shingle_set)
    if not ids:
        return {}
    signatures = [LeanMinHash(m) for m in MinHash.bulk(sets, num_perm=NUM_PERM)]
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    components = _Components()
    for index, signature in enumerate(signatures):
        for other in lsh.query(signature):
            if signature.jaccard(signatures[other]) >= threshold:
                components.union(ids[index], ids[other])
        lsh.insert(index, signature)
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
