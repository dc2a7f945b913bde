"""Co-activity networks at 1M and 10M events: CivicShield side by side with the PyPI
`coordination-network-toolkit` (QUT Digital Media Research Centre) on the same synthetic log, same run.

Each job runs in its own process, so wall time and peak resident memory (the process and its children)
are its own:
  * civicshield-all       `detect_networks`: every layer (co-share, near-duplicate text, URL, hashtag
                          sequence, creation, device, /24), null-model thresholds, Leiden, evidence.
  * toolkit-all           the toolkit's co-retweet, co-link and co-similar-text networks (its SQLite
                          preprocessing included), 2 worker processes.
  * civicshield-coshare / toolkit-coshare: the shared definition only — pairs of accounts sharing the
                          same object within 60 s, weight = number of such objects — for edge agreement.
Edge agreement: Jaccard of the two undirected edge sets, and the share of common edges with equal weight.

    .venv/bin/python bench/influence_scale.py [--sizes 1000000,10000000] [--skip-toolkit-above 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

RESULT = Path(__file__).parent / "results" / "influence_scale.json"
WINDOW = 60.0
LOAD_AT_START = os.getloadavg()[0]


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: reset by exec, unlike ru_maxrss) and its children."""
    own = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
               if line.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def days(size: int) -> float:
    """A week per million events: larger logs are longer periods of the same platform, at the same
    activity per object and minute (growing the events of one week instead grows the co-share pairs of
    the most popular objects with the square of their shares)."""
    return 7.0 * max(1.0, size / 1_000_000)


def make_log(size: int, folder: Path, toolkit: bool = True) -> dict:
    from civicshield.influence.simulate import simulate

    accounts = max(5000, size // 20)
    sim = simulate(11, accounts=accounts, events=size, days=days(size), networks=20, bursts=3,
                   burst_share=min(0.25, 2500 / accounts), text_share=0.05)
    sim.write(folder / "events.parquet", folder / "accounts.parquet")
    (folder / "truth.json").write_text(json.dumps(sim.truth))
    table = sim.events
    if not toolkit:
        return {"events": table.num_rows, "accounts": accounts}
    with (folder / "toolkit.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message",
                         "timestamp", "urls"])
        message = 0
        for batch in table.to_batches(200_000):
            cols = batch.to_pydict()
            for i, action in enumerate(cols["action"]):
                message += 1
                if action not in ("share", "post"):
                    continue
                user = cols["account_id"][i]
                repost = cols["object_id"][i] if action == "share" else ""
                writer.writerow([f"m{message}", user, user, repost, "",
                                 cols["text"][i] or "", cols["timestamp"][i], cols["url"][i] or ""])
    return {"events": table.num_rows, "accounts": accounts}


def job_civicshield_all(folder: Path) -> dict:
    from civicshield.influence.detection import detect_networks

    from civicshield.influence.evaluation import evaluate

    result = detect_networks(folder / "events.parquet", accounts=folder / "accounts.parquet", window=WINDOW)
    quality = evaluate([n.as_dict() for n in result.networks], json.loads((folder / "truth.json").read_text()))
    return {"networks": len(result.networks), "f1": quality["overall"]["f1"],
            "false_alarm_accounts": quality["false_alarm_accounts"]}


def job_civicshield_coshare(folder: Path) -> dict:
    from civicshield.influence.engines import DuckDBEngine
    from civicshield.influence.interactions import load_interactions
    from civicshield.influence.layers import pairs_sql

    log = load_interactions(folder / "events.parquet", folder=folder / "normalized")
    engine = DuckDBEngine()
    engine.view("events", log.events)
    engine.table("k", "SELECT DISTINCT account_id, object_id AS key, ts FROM events WHERE action = 'share'")
    engine.con.execute(f"COPY ({pairs_sql(engine, 'k', WINDOW)}) TO '{folder / 'ours.parquet'}' (FORMAT parquet)")
    return {"edges": engine.rows(f"SELECT count(*) FROM '{folder / 'ours.parquet'}'")[0][0]}


def _toolkit_load(folder: Path, db: Path) -> None:
    from coordination_network_toolkit.preprocess import preprocess_data

    def rows():
        with (folder / "toolkit.csv").open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                yield (*row[:-1], [u for u in row[-1].split(" ") if u])

    preprocess_data(str(db), rows())


def job_toolkit_coshare(folder: Path) -> dict:
    from coordination_network_toolkit.compute_networks import compute_co_retweet_parallel

    db = folder / "toolkit-coshare.db"
    _toolkit_load(folder, db)
    compute_co_retweet_parallel(str(db), WINDOW, n_threads=2, min_edge_weight=1)
    con = sqlite3.connect(db)
    schema = pa.schema([("src", pa.string()), ("dst", pa.string()), ("n", pa.int64())])
    with pq.ParquetWriter(folder / "toolkit.parquet", schema) as writer:
        cursor = con.execute("SELECT user_1, user_2, weight FROM co_retweet_network WHERE user_1 < user_2")
        while batch := cursor.fetchmany(500_000):
            writer.write_table(pa.table(list(zip(*batch)), schema=schema))
    return {"edges": con.execute("SELECT count(*) FROM co_retweet_network WHERE user_1 < user_2").fetchone()[0]}


def job_toolkit_all(folder: Path) -> dict:
    from coordination_network_toolkit import compute_networks as cn
    from coordination_network_toolkit.similarity import MinDocSizeSimilarity

    db = folder / "toolkit-all.db"
    _toolkit_load(folder, db)
    cn.compute_co_retweet_parallel(str(db), WINDOW, n_threads=2, min_edge_weight=1)
    cn.compute_co_link_network(str(db), WINDOW, n_threads=2, min_edge_weight=1)
    cn.compute_co_similar_tweet(str(db), WINDOW, n_threads=2, similarity_threshold=0.8, min_edge_weight=1,
                             similarity_function=MinDocSizeSimilarity(5))
    return {}


JOBS = {"civicshield-all": job_civicshield_all, "civicshield-coshare": job_civicshield_coshare,
        "toolkit-coshare": job_toolkit_coshare, "toolkit-all": job_toolkit_all}


def run_job(name: str, folder: Path, timeout: float | None = None) -> dict:
    """Run one job in its own process; a job still running after `timeout` seconds is stopped and
    reported as not finished (its wall time is then a lower bound)."""
    out = folder / f"{name}.json"
    started = time.perf_counter()
    job = subprocess.Popen([sys.executable, __file__, "--job", name, "--folder", str(folder), "--out", str(out)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = job.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, 9)
        job.wait()
        return {"finished": False, "wall_s": round(time.perf_counter() - started, 2), "peak_mb": None}
    if code != 0:
        raise RuntimeError(f"job {name} failed with exit code {code}")
    result = json.loads(out.read_text())
    result["wall_s"] = round(time.perf_counter() - started, 2)
    return result


def agreement(folder: Path) -> dict:
    con = duckdb.connect()
    ours, theirs = folder / "ours.parquet", folder / "toolkit.parquet"
    both, only_ours, only_theirs, same_weight = con.execute(f"""
        SELECT count(*) FILTER (WHERE o.src IS NOT NULL AND t.src IS NOT NULL),
               count(*) FILTER (WHERE t.src IS NULL), count(*) FILTER (WHERE o.src IS NULL),
               count(*) FILTER (WHERE o.n = t.n)
        FROM '{ours}' o FULL OUTER JOIN '{theirs}' t ON o.src = t.src AND o.dst = t.dst""").fetchone()
    union = both + only_ours + only_theirs
    return {"edge_jaccard": round(both / union, 6) if union else 1.0,
            "equal_weight_share": round(same_weight / both, 6) if both else 1.0,
            "edges_only_civicshield": only_ours, "edges_only_toolkit": only_theirs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--skip-toolkit-above", type=int, default=1_000_000,
                        help="run the toolkit only up to this size (at 10M it takes hours on 2 cores)")
    parser.add_argument("--toolkit-timeout", type=float, default=None,
                        help="stop a toolkit job after this many seconds and record the time as a lower bound")
    parser.add_argument("--job")
    parser.add_argument("--folder")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.job:
        result = JOBS[args.job](Path(args.folder))
        result["peak_mb"] = round(_peak_mb(), 1)
        Path(args.out).write_text(json.dumps(result))
        return
    figures: dict[str, object] = {}
    notes = []
    for size in [int(s) for s in args.sizes.split(",")]:
        label = f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"
        with tempfile.TemporaryDirectory(prefix="influence-bench-") as tmp:
            folder = Path(tmp)
            with_toolkit = size <= args.skip_toolkit_above
            made = make_log(size, folder, with_toolkit)
            figures[f"{label}_events"] = made["events"]
            jobs = ["civicshield-all"]
            if with_toolkit:  # the shared-definition co-share job exists to compare edges with the toolkit
                jobs += ["civicshield-coshare", "toolkit-coshare", "toolkit-all"]
            results: dict[str, dict] = {}
            for job in jobs:
                if job == "toolkit-all" and not results["toolkit-coshare"].get("finished", True):
                    continue  # its co-retweet step alone did not finish
                timeout = args.toolkit_timeout if job.startswith("toolkit") else None
                results[job] = run_job(job, folder, timeout)
                print(label, job, results[job], flush=True)
            for job, result in results.items():
                if result.get("finished", True):
                    figures[f"{label}_{job}_wall_s"] = result["wall_s"]
                    figures[f"{label}_{job}_peak_mb"] = result["peak_mb"]
                else:
                    figures[f"{label}_{job}_not_finished_after_s"] = result["wall_s"]
            figures[f"{label}_civicshield_networks"] = results["civicshield-all"]["networks"]
            figures[f"{label}_civicshield_f1"] = results["civicshield-all"]["f1"]
            figures[f"{label}_civicshield_false_alarm_accounts"] = results["civicshield-all"]["false_alarm_accounts"]
            if "toolkit-coshare" in results:
                for side in ("coshare", "all"):
                    theirs, ours = results.get(f"toolkit-{side}"), results[f"civicshield-{side}"]
                    name = "coshare_speedup_x" if side == "coshare" else "all_layers_speedup_x"
                    if theirs is None:
                        continue
                    if theirs.get("finished", True):
                        figures[f"{label}_{name}"] = round(theirs["wall_s"] / ours["wall_s"], 2)
                    else:
                        figures[f"{label}_{name}_at_least"] = round(theirs["wall_s"] / ours["wall_s"], 2)
                if results["toolkit-coshare"].get("finished", True):
                    for key, value in agreement(folder).items():
                        figures[f"{label}_coshare_{key}"] = value
                else:
                    notes.append(f"at {label} the toolkit's co-share did not finish within --toolkit-timeout "
                                 f"{args.toolkit_timeout:.0f} s and was stopped, so its wall time is a lower "
                                 "bound and there is no edge comparison at that size")
            else:
                notes.append(f"toolkit skipped at {label} (--skip-toolkit-above {args.skip_toolkit_above})")
            write_result(figures, notes, args)


def write_result(figures: dict[str, object], notes: list[str], args: argparse.Namespace) -> None:
    RESULT.parent.mkdir(exist_ok=True)
    if RESULT.exists():  # sizes not run this time keep their figures from the previous run
        previous = json.loads(RESULT.read_text()).get("figures", {})
        labels = {name.split("_")[0] for name in figures}
        figures = {**{k: v for k, v in previous.items() if k.split("_")[0] not in labels}, **figures}
    RESULT.write_text(json.dumps({
        "title": "Influence: co-activity networks at scale vs coordination-network-toolkit",
        "command": " ".join([".venv/bin/python", "bench/influence_scale.py", *sys.argv[1:]]),
        "measured_at": dt.date.today().isoformat(),
        "figures": figures,
        "notes": ("Synthetic log (civicshield influence simulate, seed 11, 7 days per million events, 20 planted networks, "
                  "3 breaking-news bursts). Toolkit input: the same log's shares and posts. Each job is one "
                  f"process; peak memory includes child processes. Machine: {os.cpu_count()} cores, load average "
                  f"{LOAD_AT_START:.1f} at the start and {os.getloadavg()[0]:.1f} at the end. The toolkit runs only up to --skip-toolkit-above, and a toolkit "
                  "job can be bounded with --toolkit-timeout. coshare: the shared definition (pairs "
                  "sharing an object within 60 s, no burst handling) on both sides; all: every CivicShield "
                  "layer with thresholds, clustering and evidence vs the toolkit's co-retweet, co-link and "
                  "co-similar-text networks. " + " ".join(notes)),
    }, indent=1))


if __name__ == "__main__":
    main()
