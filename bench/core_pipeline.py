"""End-to-end ingest throughput (SQLite and PostgreSQL) and `assess` latency.

Ingest: a synthetic election-season stream goes through the one pipeline (`process_batch`, batches of
1,000 — the path the API, the CLI and consumers share) into a fresh database; the figure is events per
second from first batch to last commit. Assess: p50/p99 of the pure `assess` on single content items,
and of a one-event `/api/v1/assess`-style call (context lookups included) with nothing stored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "core_pipeline.json"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SIM = {"seed": 11, "days": 4, "posts_per_day": 2000, "accounts_n": 3000}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure_ingest(profile: bool = False) -> dict:
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from civicshield.intake.pipeline import process_batch
    from civicshield.intake.simulate import Simulation
    from civicshield.site.roles import ensure_roles

    call_command("migrate", verbosity=0)
    ensure_roles()
    from django.apps import apps

    for config in apps.get_app_configs():
        if callable(getattr(config, "load_reference_data", None)):
            config.load_reference_data()
    factchecks = _load_factchecks()
    events = list(Simulation(**SIM).events())
    process_batch(events[:1], source="bench")  # warm the detectors and the policy
    timers = _install_timers() if profile else None
    started = time.perf_counter()
    decisions = 0
    for i in range(1, len(events), 1000):
        decisions += process_batch(events[i:i + 1000], source="bench").decisions
    elapsed = time.perf_counter() - started
    result = {"events": len(events) - 1, "seconds": elapsed, "events_per_s": (len(events) - 1) / elapsed,
              "decisions": decisions, "factchecks": factchecks, "peak_rss_mb": _peak_rss_mb()}
    if timers is not None:
        result["profile"] = {name: {"calls": calls, "seconds": seconds} for name, (calls, seconds) in timers.items()}
    return result


def _install_timers() -> dict[str, list]:
    """Time every stage of ingest and every detector (its `detect` per subject and its batch `prepare`)
    by wrapping them in this process. A separate run: the wrappers cost a little themselves."""
    from civicshield.intake import pipeline
    from civicshield.intake.context import current

    timers: dict[str, list] = {}

    def timed(name: str, fn):
        slot = timers.setdefault(name, [0, 0.0])

        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                if name.startswith("detector "):
                    result = list(result)  # detectors yield: the work happens while iterating
                return result
            finally:
                slot[0] += 1
                slot[1] += time.perf_counter() - t
        return wrapper

    for stage in ("parse_batch", "assess", "_store"):
        setattr(pipeline, stage, timed(f"stage {stage.strip('_')}", getattr(pipeline, stage)))
    registry = current().registry
    for detector in registry.detectors:
        detector.detect = timed(f"detector {detector.name}", detector.detect)
        if callable(getattr(detector, "prepare", None)):
            detector.prepare = timed(f"prepare {detector.name}", detector.prepare)
    return timers


def profile_table(run: dict) -> dict:
    """Where ingest time goes: each stage, each detector within `assess`, per event of the stream."""
    events, total = run["events"], run["seconds"]
    profile = run["profile"]
    rows = []
    accounted = 0.0
    for name, slot in sorted(profile.items(), key=lambda kv: -kv[1]["seconds"]):
        if name.startswith("stage ") or name.startswith("prepare "):
            accounted += slot["seconds"]
        rows.append([name, slot["calls"], round(slot["seconds"], 2), round(slot["seconds"] / events * 1e6, 1),
                     f"{slot['seconds'] / total:.1%}"])
    rows.append(["other (dedupe, transactions, batching)", "", round(total - accounted, 2),
                 round((total - accounted) / events * 1e6, 1), f"{(total - accounted) / total:.1%}"])
    return {"title": "Where ingest time goes (one profiled SQLite run; detectors are part of `stage assess`)",
            "columns": ["stage or detector", "calls", "seconds", "µs per stream event", "share of ingest"],
            "rows": rows}


CLEF_CLAIMS = ROOT.parent / "shared" / "data" / "clef2020-task2" / "verified_claims.docs.tsv"


def _load_factchecks() -> int:
    """The configuration users run: the fact-check store holds the CLEF-2020 claims (10,375), when present."""
    if not CLEF_CLAIMS.exists():
        print(f"{CLEF_CLAIMS} absent: measuring with an empty fact-check store", file=sys.stderr)
        return 0
    from civicshield.factchecks.importing import import_path
    from civicshield.intake import context

    summary = import_path(CLEF_CLAIMS, org=None, clef_rating="false", sweep=False)
    context.reset()
    return int(summary.get("imported", summary.get("created", 0)) or 0)


def _peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM), every model loaded."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_assess() -> dict:
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    from civicshield.core.assess import assess
    from civicshield.core.events import parse_event
    from civicshield.intake.context import current
    from civicshield.intake.pipeline import process_batch
    from civicshield.intake.simulate import Simulation

    call_command("migrate", verbosity=0)
    events = list(Simulation(seed=5, days=1, posts_per_day=3000, accounts_n=500).events())
    accounts = [e for e in events if e["type"] == "account.upserted"]
    process_batch(accounts, source="bench")
    contents = [e for e in events if e["type"] == "content.created"][:3000]
    assessor = current()
    pure, sync = [], []
    for raw in contents:
        subject = parse_event(raw).payload
        t = time.perf_counter()
        assess(subject, assessor.context(None, subject.region))
        pure.append((time.perf_counter() - t) * 1e3)
    for raw in contents[:1000]:
        t = time.perf_counter()
        process_batch([raw], dry_run=True)
        sync.append((time.perf_counter() - t) * 1e3)
    return {"assess_p50_ms": statistics.median(pure), "assess_p99_ms": _percentile(pure, 0.99),
            "sync_p50_ms": statistics.median(sync), "sync_p99_ms": _percentile(sync, 0.99)}


def _child(mode: str, env: dict, cwd: Path = ROOT) -> dict:
    out = subprocess.run([sys.executable, __file__, mode], env=env, capture_output=True, text=True, cwd=cwd,
                         timeout=1800)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _previous_tree() -> Path | None:
    """The worktree bench/detection_quality.py checks out (None when it has not run here)."""
    trees = sorted((ROOT / "var").glob("previous-*"))
    if not trees:
        return None
    tree = trees[-1]
    for built in (ROOT / "src" / "civicshield" / "provenance").glob("_multiindex*.so"):
        target = tree / "src" / "civicshield" / "provenance" / built.name
        if not target.exists():
            target.write_bytes(built.read_bytes())
    return tree


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=3) as c:
            c.execute("DROP DATABASE IF EXISTS civicshield_bench")
            c.execute("CREATE DATABASE civicshield_bench")
        return True
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not available ({exc}); skipping its figure", file=sys.stderr)
        return False


def main() -> None:
    figures: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CIVICSHIELD_HOME": home}
        env.pop("DATABASE_URL", None)
        runs = []
        for attempt in range(3):
            run_env = {**env, "CIVICSHIELD_HOME": f"{home}/ingest-{attempt}"}
            runs.append(_child("ingest", run_env))
        rates = sorted(r["events_per_s"] for r in runs)
        sqlite = runs[0]
        figures["events ingested"] = sqlite["events"]
        figures["fact-checks loaded"] = sqlite["factchecks"]
        figures["SQLite ingest, events/s (median of 3)"] = round(statistics.median(rates))
        figures["SQLite ingest, events/s (min / max)"] = f"{rates[0]:,.0f} / {rates[-1]:,.0f}"
        figures["decisions logged"] = sqlite["decisions"]
        figures["ingest worker peak RSS, MB (every model loaded)"] = round(max(r["peak_rss_mb"] for r in runs))
        previous = _previous_tree()
        if previous is not None:
            # The same stream and configuration with the detectors of the previous commit (lexicons,
            # n-grams and patterns), in the same run.
            before = _child("ingest", {**env, "CIVICSHIELD_HOME": f"{home}/previous",
                                       "PYTHONPATH": str(previous / "src")}, cwd=previous)
            figures[f"SQLite ingest with the previous detectors ({previous.name[9:]}), events/s"] = round(
                before["events_per_s"])
        profiled = _child("profile", {**env, "CIVICSHIELD_HOME": f"{home}/profile"})
        latency = _child("assess", {**env, "CIVICSHIELD_HOME": home + "/assess"})
        figures.update({"assess p50 (ms)": round(latency["assess_p50_ms"], 3),
                        "assess p99 (ms)": round(latency["assess_p99_ms"], 3),
                        "sync assess with context, p50 (ms)": round(latency["sync_p50_ms"], 3),
                        "sync assess with context, p99 (ms)": round(latency["sync_p99_ms"], 3)})
        if _pg_available():
            pg_env = {**env, "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/civicshield_bench"}
            figures["PostgreSQL ingest, events/s"] = round(_child("ingest", pg_env)["events_per_s"])
    goal = figures["SQLite ingest, events/s (median of 3)"] >= 2000
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({
        "title": "Core pipeline: end-to-end ingest and assess latency",
        "command": "make bench  (or: .venv/bin/python bench/core_pipeline.py)",
        "measured_at": dt.date.today().isoformat(),
        "figures": figures,
        "tables": [profile_table(profiled)],
        "notes": (f"Goal ≥ 2,000 events/s end to end on SQLite with the core detectors: "
                  f"{'met' if goal else 'NOT met'}. Stream: `Simulation({SIM})` — accounts, multilingual posts, "
                  "interactions, ads, searches, reports; batches of 1,000 through `process_batch` (parse, dedupe, "
                  "detect, policy, store, decision log with hash chain, state, outbox, cases). Measured as users "
                  "run it: the CLEF-2020 fact-checks loaded into the claim store (when ../shared/data is present), "
                  "every detector installed with its models (the shared sentence encoders, the learned heads), "
                  "three runs in fresh databases (median, with min / max)."),
    }, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "ingest":
        print(json.dumps(measure_ingest()))
    elif len(sys.argv) > 1 and sys.argv[1] == "profile":
        print(json.dumps(measure_ingest(profile=True)))
    elif len(sys.argv) > 1 and sys.argv[1] == "assess":
        print(json.dumps(measure_assess()))
    else:
        main()
