"""Claim search latency over 10k, 100k and 1M fact-checks (synthetic), and the cost of adding one.

Fact-check texts are synthetic: words drawn at their frequency in the CLEF-2020 verified claims
(real English words, so postings are as long and queries tokenise as real text does; random
letters from a 30,000-word vocabulary where that data is absent). Their vectors are random unit
vectors: embedding a million texts would take hours on this machine and says nothing about search
speed (random vectors are the hard case for an HNSW graph). Queries are real USE embeddings of perturbed copies of stored
claims, so the measured latency includes embedding the query, BM25 over the whole store, the HNSW
search, the fusion and the match model: exactly what the detector pays per post.

The stronger, slower e5 encoder is measured too, at FACTCHECK_BENCH_E5_SIZES (default 10000,100000;
figures prefixed `e5.`).
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import os
import re
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from civicshield.factchecks.lexical import LexicalIndex, tokenize
from civicshield.factchecks.matching import ClaimIndex, IndexedClaim
from civicshield.factchecks.semantic import dimensions, embed

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / ".." / "shared" / "data" / "clef2020-task2" / "verified_claims.docs.tsv"
RESULT = ROOT / "bench" / "results" / "factchecks_search_latency.json"
SIZES = [int(s) for s in os.environ.get("FACTCHECK_BENCH_SIZES", "10000,100000,1000000").split(",") if s]
# Sizes measured for the BM25 step alone (no HNSW graph to build): where the full build is too slow.
LEXICAL_SIZES = [int(s) for s in os.environ.get("FACTCHECK_BENCH_LEXICAL_SIZES", "").split(",") if s]
QUERIES = 500
# Queries run before timing: a store just loaded (or built) has not yet had its graph and postings
# read into the CPU's caches and, on a virtual machine, its memory faulted in by the host; a
# long-running process serving posts has.
WARMUP = 300
CACHE = ROOT / "var" / "bench-cache" / "factchecks-latency"
CACHE_FROM = int(os.environ.get("FACTCHECK_BENCH_CACHE_FROM", "1000000"))
E5_SIZES = [int(s) for s in os.environ.get("FACTCHECK_BENCH_E5_SIZES", "10000,100000").split(",") if s]


def _prefix(encoder: str) -> str:
    return "" if encoder == "use" else f"{encoder}."
TERMS = ["ballot", "ballots", "election", "vote", "voting", "poll", "county", "mail-in", "fraud", "machines",
         "counted", "registered", "voters", "deadline", "postmarked", "precinct", "official", "results"]


class Vocabulary:
    """Words and their cumulative weights, for drawing text."""

    def __init__(self, rng: random.Random) -> None:
        if CLAIMS.exists():
            counts = collections.Counter(re.findall(r"[A-Za-z][A-Za-z'-]+", CLAIMS.read_text(encoding="utf-8")))
            counts.update({term: 50 for term in TERMS})
            self.source = f"word frequencies of {CLAIMS.name} ({len(counts):,} words)"
        else:
            letters = "abcdefghijklmnopqrstuvwxyz"
            counts = collections.Counter(["".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
                                          for _ in range(30_000)] + TERMS)
            self.source = "random-letter words (30,000) plus election terms"
        self.words = list(counts)
        self.cumulative = list(itertools.accumulate(counts[w] for w in self.words))

    def draw(self, rng: random.Random, k: int = 1) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def _text(rng: random.Random, vocab: Vocabulary) -> str:
    return " ".join(vocab.draw(rng, rng.randint(10, 22)))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(size: int, rng: random.Random, vocab: Vocabulary, encoder: str = "use") -> dict[str, float]:
    prefix = _prefix(encoder)
    texts = [_text(rng, vocab) for _ in range(size)]
    # A store this large is built once and kept (the index's own save/load): building its HNSW graph
    # over random vectors takes most of an hour on 2 cores, searching it a few seconds.
    cache = CACHE / f"{encoder}-{size}-{hashlib.sha1(chr(10).join(texts).encode()).hexdigest()[:12]}"
    if size >= CACHE_FROM and (cache / "index.json").exists():
        started = time.perf_counter()
        index = ClaimIndex.load(cache)
        index.search("warm up the lexical index", method="lexical")
        figures = {f"{prefix}{size}.load_s": round(time.perf_counter() - started, 1)}
        return {**figures, **_timings(index, texts, rng, vocab, prefix, size)}
    index = ClaimIndex(encoder=encoder)
    started = time.perf_counter()
    for start in range(0, size, 100_000):
        chunk = texts[start:start + 100_000]
        vectors = np.random.default_rng(start).standard_normal((len(chunk), dimensions(encoder))).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.add([IndexedClaim(f"fc{start + i}", t, "false", "en") for i, t in enumerate(chunk)], vectors=vectors)
    index.search("warm up the lexical index", method="lexical")
    build_s = time.perf_counter() - started
    if size >= CACHE_FROM:
        index.save(cache)
    return {f"{prefix}{size}.build_s": round(build_s, 1), **_timings(index, texts, rng, vocab, prefix, size)}


def _timings(index: ClaimIndex, texts: list[str], rng: random.Random, vocab: Vocabulary, prefix: str,
             size: int) -> dict[str, float]:
    queries = []
    for _ in range(2 * QUERIES + WARMUP):
        words = rng.choice(texts).split()
        rng.shuffle(words)
        queries.append(" ".join(words[: max(6, len(words) - 4)] + vocab.draw(rng, 2)))
    for warm in queries[2 * QUERIES:]:
        index.search(warm, method="hybrid")
    # Different queries for the two methods: the index remembers its last BM25 answers, and each
    # figure is for text it has not seen.
    hybrid, lexical = [], []
    for q_hybrid, q_lexical in zip(queries[:QUERIES], queries[QUERIES:]):
        t = time.perf_counter()
        index.search(q_hybrid, method="hybrid")
        hybrid.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.search(q_lexical, method="lexical")
        lexical.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    index.add([IndexedClaim("fc-new", _text(rng, vocab), "false", "en")])
    index.search(queries[0], method="hybrid")
    add_s = time.perf_counter() - t
    return {f"{prefix}{size}.hybrid_p50_ms": round(statistics.median(hybrid), 2),
            f"{prefix}{size}.hybrid_p99_ms": round(_percentile(hybrid, 0.99), 2),
            f"{prefix}{size}.lexical_p50_ms": round(statistics.median(lexical), 2),
            f"{prefix}{size}.lexical_p99_ms": round(_percentile(lexical, 0.99), 2),
            f"{prefix}{size}.add_one_then_search_s": round(add_s, 2)}


def run_lexical(size: int, rng: random.Random, vocab: Vocabulary) -> dict[str, float]:
    texts = [_text(rng, vocab) for _ in range(size)]
    index = LexicalIndex()
    started = time.perf_counter()
    index.append(texts)
    index.top(tokenize(["warm up"])[0], 30)
    build_s = time.perf_counter() - started
    timings = []
    for _ in range(QUERIES):
        words = rng.choice(texts).split()
        rng.shuffle(words)
        t = time.perf_counter()
        index.top(tokenize([" ".join(words[: max(6, len(words) - 4)])])[0], 30)
        timings.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    index.append([_text(rng, vocab)])
    index.top(tokenize([texts[0]])[0], 30)
    add_s = time.perf_counter() - t
    return {f"{size}.bm25_step_p50_ms": round(statistics.median(timings), 2),
            f"{size}.bm25_step_p99_ms": round(_percentile(timings, 0.99), 2),
            f"{size}.bm25_build_s": round(build_s, 1),
            f"{size}.bm25_add_one_then_search_s": round(add_s, 3)}


def main() -> None:
    rng = random.Random(7)
    vocab = Vocabulary(rng)
    figures: dict[str, float] = {}
    if RESULT.exists() and os.environ.get("FACTCHECK_BENCH_MERGE") == "1":
        figures = json.loads(RESULT.read_text())["figures"]
    # Its own random stream, so the stores drawn below (and their cache keys) do not depend on which
    # encoders were timed.
    texts_rng = random.Random(11)
    for encoder in ("use", "e5") if E5_SIZES else ("use",):
        embed(["load the encoder once before timing"], encoder)
        query_embed = []
        for _ in range(50):
            t = time.perf_counter()
            embed([_text(texts_rng, vocab)], encoder, "query")
            query_embed.append((time.perf_counter() - t) * 1000)
        figures[f"{_prefix(encoder)}query_embedding_p50_ms"] = round(statistics.median(query_embed), 2)
        figures[f"{_prefix(encoder)}query_embedding_p99_ms"] = round(_percentile(query_embed, 0.99), 2)
    for size in LEXICAL_SIZES:
        figures.update(run_lexical(size, rng, vocab))
        print(size, {k: v for k, v in figures.items() if k.startswith(str(size))}, flush=True)
        _write(figures, vocab.source)
    for size in SIZES:
        figures.update(run(size, rng, vocab))
        print(size, {k: v for k, v in figures.items() if k.startswith(f"{size}")}, flush=True)
        _write(figures, vocab.source)
    for size in E5_SIZES:
        figures.update(run(size, rng, vocab, "e5"))
        print("e5", size, {k: v for k, v in figures.items() if k.startswith(f"e5.{size}")}, flush=True)
        _write(figures, vocab.source)
    print(f"wrote {RESULT}", file=sys.stderr)


def _write(figures: dict[str, float], vocabulary: str) -> None:
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({
        "title": "Fact-checks: claim search latency by store size (synthetic fact-checks)",
        "command": "python bench/factchecks_search_latency.py",
        "figures": figures,
        "notes": (f"Per query, single thread, {QUERIES} queries per method after {WARMUP} warm-up queries, on a "
                  "2-core machine. hybrid = embed the query "
                  "(USE; e5.* rows: multilingual-e5-small, plus USE for its second opinion) + BM25 over all "
                  "fact-checks + nearest 30 vectors (usearch f16: exact up to 20,000 fact-checks, the HNSW graph "
                  "above) + fusion + match model; lexical = the same without embedding (the detector's first, cheap "
                  "step). Goal: p99 <= 20 ms. add_one_then_search_s: embed one new fact-check, add it to the vector "
                  "index and to the BM25 tail, then search (the bm25s matrix is rebuilt only when the tail reaches a "
                  "tenth of it). bm25_step_*: the BM25 step alone (tokenise the query, score every fact-check, top "
                  "30). The 1,000,000 store is built once (build_s: the HNSW graph over random vectors) and kept "
                  "in var/bench-cache; later runs load it (load_s). "
                  f"Fact-check text: {vocabulary}; vectors: random unit vectors. "
                  f"Load average {os.getloadavg()[0]:.1f} when written."),
    }, indent=1) + "\n")


if __name__ == "__main__":
    main()
