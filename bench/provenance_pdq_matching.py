"""PDQ media-bank matching: 10,000 queries against 1,000,000 hashes, CivicShield's `HashIndex` side
by side with the PyPI `threatexchange` package's PDQ flat index, in the same run.

Each side runs in its own process (so peak memory is its own): it loads the same bank and queries,
builds its index, answers every query at distance ≤ 31, and writes its match set. The figures are
queries/s (indexes built beforehand), peak resident memory of the process, and whether the two match
sets are identical; each side runs --repeat times and the medians count. CivicShield's side also
times the first 1,000 queries searched one at a time (an upload checked on its own). Half the
queries are near-duplicates of banked hashes (0–40 bits flipped), half are unrelated.

    .venv/bin/python bench/provenance_pdq_matching.py [--bank 1000000] [--queries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

RESULT = Path(__file__).parent / "results" / "provenance_pdq_matching.json"
RADIUS = 31
SINGLE_QUERIES = 1_000


def make_data(bank_size: int, queries: int, seed: int = 20261125) -> tuple["np.ndarray", "np.ndarray"]:
    import numpy as np

    rng = np.random.default_rng(seed)
    bank = rng.integers(0, 256, size=(bank_size, 32), dtype=np.uint8)
    near = queries // 2
    picked = bank[rng.integers(0, bank_size, size=near)].copy()
    bits = np.unpackbits(picked, axis=1)
    for row in range(near):
        flips = rng.choice(256, size=int(rng.integers(0, 41)), replace=False)
        bits[row, flips] ^= 1
    unrelated = rng.integers(0, 256, size=(queries - near, 32), dtype=np.uint8)
    return bank, np.vstack([np.packbits(bits, axis=1), unrelated])


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own address space; ru_maxrss
    would also count the bench's parent, whose pages a child shares between fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024.0
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _write_triples(out_file: str, triples: bytes) -> None:
    with open(out_file, "wb") as handle:
        handle.write(triples)


def run_civicshield(bank_file: str, query_file: str, out_file: str) -> dict:
    """The index needs only its C extension: this process reads the raw hashes and never imports numpy."""
    from array import array

    from civicshield.provenance import _multiindex
    from civicshield.provenance.bank import HashIndex

    with open(bank_file, "rb") as handle:
        bank = handle.read()
    with open(query_file, "rb") as handle:
        queries = handle.read()
    index = HashIndex(bank)  # nothing to build: it keeps the hashes as they are
    started = time.perf_counter()
    rows, found, distance = index.search(queries, RADIUS)
    elapsed = time.perf_counter() - started
    triples = array("i", bytes(12 * len(rows)))
    triples[0::3], triples[1::3], triples[2::3] = rows, found, distance
    _write_triples(out_file, triples.tobytes())
    # An upload checked on its own: the same queries, one search each.
    single = queries[: 32 * SINGLE_QUERIES]
    started = time.perf_counter()
    for q in range(len(single) // 32):
        index.search(single[32 * q:32 * q + 32], RADIUS)
    single_s = time.perf_counter() - started
    return {"query_s": elapsed, "peak_mb": _peak_mb(),
            "single_queries_per_s": (len(single) // 32) / single_s, "numpy_loaded": "numpy" in sys.modules,
            "avx512_scan": _multiindex.wide_scan()}


def _hex_inputs(bank_file: str, query_file: str) -> tuple[list[str], list[str]]:
    """The peer takes hashes as hex strings; the raw bytes are freed before anything is measured."""
    hexes = []
    for path in (bank_file, query_file):
        with open(path, "rb") as handle:
            raw = handle.read()
        hexes.append([raw[i:i + 32].hex() for i in range(0, len(raw), 32)])
        del raw
    return hexes[0], hexes[1]


def run_threatexchange(bank_file: str, query_file: str, out_file: str) -> dict:
    import numpy as np
    from threatexchange.signal_type.pdq.pdq_index import PDQFlatIndex

    bank_hex, query_hex = _hex_inputs(bank_file, query_file)
    started = time.perf_counter()
    index = PDQFlatIndex(((h, i) for i, h in enumerate(bank_hex)))
    built = time.perf_counter() - started
    pairs = []
    started = time.perf_counter()
    for q, digest in enumerate(query_hex):
        for match in index.query(digest):
            distance = match.similarity_info.distance
            if distance <= RADIUS:  # the flat index answers up to 52; compare at the banking threshold
                pairs.append((q, match.metadata, distance))
    elapsed = time.perf_counter() - started
    _write_triples(out_file, np.array(sorted(pairs), dtype=np.int32).reshape(-1, 3).tobytes())
    return {"build_s": built, "query_s": elapsed, "peak_mb": _peak_mb()}


def run_threatexchange_batch(bank_file: str, query_file: str, out_file: str) -> dict:
    """The peer's lower-level faiss wrapper, all queries in one range search (its fastest public path)."""
    import numpy as np
    from threatexchange.signal_type.pdq.pdq_faiss_matcher import PDQFlatHashIndex

    bank_hex, query_hex = _hex_inputs(bank_file, query_file)
    started = time.perf_counter()
    index = PDQFlatHashIndex()
    index.add(bank_hex, range(len(bank_hex)))
    built = time.perf_counter() - started
    started = time.perf_counter()
    found = index.search_with_distance_in_result(query_hex, RADIUS)
    elapsed = time.perf_counter() - started
    position = {h: q for q, h in enumerate(query_hex)}
    pairs = sorted((position[h], int(i), int(d)) for h, matches in found.items() for i, _, d in matches)
    _write_triples(out_file, np.array(pairs, dtype=np.int32).reshape(-1, 3).tobytes())
    return {"build_s": built, "query_s": elapsed, "peak_mb": _peak_mb()}


def _child(side: str, paths: list[str], repeat: int = 1) -> dict:
    """Run one side `repeat` times, each in a fresh process: the median of its timings, its largest peak."""
    runs = []
    for _ in range(repeat):
        command = [sys.executable, __file__, "--side", side, *paths]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{side} failed:\n{done.stderr[-2000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    merged = {key: statistics.median(run[key] for run in runs) for key, value in runs[0].items()
              if isinstance(value, float)}
    merged["peak_mb"] = max(run["peak_mb"] for run in runs)
    return {**runs[0], **merged, "query_s_runs": [run["query_s"] for run in runs]}


def _pairs(path: str) -> set[tuple[int, int, int]]:
    import numpy as np

    return {tuple(int(v) for v in row) for row in np.fromfile(path, dtype=np.int32).reshape(-1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the figures are their medians")
    parser.add_argument("--side", choices=["civicshield", "threatexchange", "threatexchange_batch"])
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.side:
        runner = {"civicshield": run_civicshield, "threatexchange": run_threatexchange,
                  "threatexchange_batch": run_threatexchange_batch}[args.side]
        print(json.dumps(runner(*args.paths)))
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        bank, queries = make_data(args.bank, args.queries)
        paths = [f"{tmp}/bank.bin", f"{tmp}/queries.bin"]
        bank.tofile(paths[0])
        queries.tofile(paths[1])
        del bank
        ours = _child("civicshield", paths + [f"{tmp}/ours.bin"], args.repeat)
        figures = {"bank_hashes": args.bank, "queries": args.queries,
                   "civicshield_queries_per_s": round(args.queries / ours["query_s"], 1),
                   "civicshield_peak_mb": round(ours["peak_mb"], 1),
                   "civicshield_one_at_a_time_queries_per_s": round(ours["single_queries_per_s"], 1),
                   "civicshield_process_imported_numpy": ours["numpy_loaded"],
                   "civicshield_avx512_scan": ours["avx512_scan"]}
        ours_pairs = _pairs(f"{tmp}/ours.bin")
        figures["matches"] = len(ours_pairs)
        try:
            peer = _child("threatexchange", paths + [f"{tmp}/peer.bin"], args.repeat)
        except RuntimeError as exc:
            notes = f"threatexchange peer not run: {str(exc).splitlines()[-1]}"
        else:
            figures.update({
                "threatexchange_queries_per_s": round(args.queries / peer["query_s"], 1),
                "threatexchange_peak_mb": round(peer["peak_mb"], 1),
                "threatexchange_build_s": round(peer["build_s"], 2),
                "speedup_x": round(peer["query_s"] / ours["query_s"], 1),
                "memory_ratio": round(ours["peak_mb"] / peer["peak_mb"], 3),
                "identical_match_sets": ours_pairs == _pairs(f"{tmp}/peer.bin"),
            })
            figures["civicshield_query_s_runs"] = [round(t, 4) for t in ours["query_s_runs"]]
            figures["threatexchange_query_s_runs"] = [round(t, 2) for t in peer["query_s_runs"]]
            notes = (f"each side run {args.repeat} times in fresh processes, one side after the other: "
                     "queries/s from the median time, peak memory the largest; "
                     "threatexchange PDQFlatIndex queried one hash at a time through its public query(); "
                     "its matches (threshold 52) filtered to distance <= 31 for the comparison")
            batch = _child("threatexchange_batch", paths + [f"{tmp}/batch.bin"], args.repeat)
            figures.update({
                "threatexchange_batch_queries_per_s": round(args.queries / batch["query_s"], 1),
                "threatexchange_batch_peak_mb": round(batch["peak_mb"], 1),
                "speedup_vs_batch_x": round(batch["query_s"] / ours["query_s"], 1),
                "memory_ratio_vs_batch": round(ours["peak_mb"] / batch["peak_mb"], 3),
                "identical_match_sets_batch": ours_pairs == _pairs(f"{tmp}/batch.bin"),
            })
            notes += ("; *_batch: the same faiss flat index through threatexchange's lower-level "
                      "PDQFlatHashIndex.search_with_distance_in_result, "
                      f"all {args.queries:,} queries in one range search")
    notes += (f"; machine load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end "
              f"(2 cores shared with other work: both sides slow down together, the peer's threads more)")
    notes += (f"; random 256-bit hashes, seed 20261125; peak memory is each process's peak RSS (VmHWM: Python, "
              f"its imports and the loaded data included; the civicshield process never imports numpy, which "
              f"alone adds about 21 MB); {platform.machine()}, {platform.python_version()}")
    notes += ("; goal: >= 100x the peer's queries/s at <= 1/10 of its peak memory (the peer's reference run "
              "on this machine: about 29 queries/s, 1.6 GB)")
    result = {"title": "PDQ media-bank matching (10k queries x 1M hashes, distance <= 31)",
              "measured_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "command": ".venv/bin/python bench/provenance_pdq_matching.py",
              "figures": figures, "notes": notes}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
