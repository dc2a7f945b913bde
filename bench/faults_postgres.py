"""Fault drill: PostgreSQL restarted in the middle of broker intake; intake must recover on its own.

Publishes a synthetic stream to NATS JetStream, starts `civicshield consume` against a fresh
PostgreSQL database, restarts the PostgreSQL cluster once a third of the stream is stored, and checks
afterwards that every event is stored exactly once, no decision is duplicated and the hash chain is
intact. Restarting the cluster disturbs anything else using it: run it on a quiet machine
(`BENCH_FAULTS=1 make bench`); without BENCH_FAULTS it records nothing. The test suite runs the
same drill with a few hundred events on a throwaway server of its own
(tests/intake/test_faults_postgres.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULT = ROOT / "bench" / "results" / "faults_postgres.json"
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_URL = "postgres://postgres@127.0.0.1:5432/civicshield_faults"
NATS = "nats://127.0.0.1:4222"


def _sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(statement)


def _count(sql: str) -> int:
    import psycopg

    with psycopg.connect(DB_URL.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchone()[0]


def _publish(stream: str, subject: str, events: list[dict]) -> None:
    async def run() -> None:
        import nats

        nc = await nats.connect(NATS)
        js = nc.jetstream()
        await js.add_stream(name=stream, subjects=[subject, subject + ".rejected"])
        for e in events:
            await js.publish(subject, json.dumps(e).encode())
        await nc.close()

    asyncio.run(run())


def main() -> int:
    if os.environ.get("BENCH_FAULTS") != "1":
        print("set BENCH_FAULTS=1 to run the PostgreSQL restart drill (it restarts the local cluster)")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    from civicshield.intake.simulate import Simulation

    events = list(Simulation(seed=33, days=2, posts_per_day=800, accounts_n=300).events())
    _sql("DROP DATABASE IF EXISTS civicshield_faults")
    _sql("CREATE DATABASE civicshield_faults")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CIVICSHIELD_HOME": home, "DATABASE_URL": DB_URL}
        subprocess.run([BIN / "civicshield", "setup", "--quiet"], env=env, check=True)
        stream = "FAULTS" + uuid.uuid4().hex[:6].upper()
        subject = stream.lower() + ".events"
        _publish(stream, subject, events)
        consumer = subprocess.Popen([BIN / "civicshield", "consume", "--stream", stream, "--subject", subject,
                                     "--dead-letter", subject + ".rejected", "--durable", "faults", "--batch-size",
                                     "100", "--ack-wait", "10", "--idle-exit", "30"], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while _count("SELECT count(*) FROM intake_event") < len(events) // 3:
            time.sleep(0.3)
        cluster = sorted(os.listdir("/etc/postgresql"))[0]
        restart_at = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
        restart_seconds = time.monotonic() - restart_at
        out, err = consumer.communicate(timeout=1800)
        stats = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        stored = _count("SELECT count(*) FROM intake_event")
        dupes = _count("SELECT count(*) FROM (SELECT subject_key, rule_id, action FROM decisions_decision "
                       "WHERE mode='enforce' AND effect='apply' GROUP BY 1,2,3 HAVING count(*) > 1) d")
        audit = subprocess.run([BIN / "civicshield", "audit", "verify"], env=env).returncode
    figures = {"events published": len(events), "events stored": stored, "duplicate decisions": dupes,
               "consumer exit code": consumer.returncode, "PostgreSQL restart took (s)": round(restart_seconds, 1),
               "audit verify exit code": audit, "recovered without intervention": stored == len(events) and not dupes}
    RESULT.write_text(json.dumps({
        "title": "Fault drill: PostgreSQL restarted during broker intake",
        "command": "BENCH_FAULTS=1 .venv/bin/python bench/faults_postgres.py",
        "measured_at": dt.date.today().isoformat(), "figures": figures,
        "notes": "Consumer stats: " + json.dumps(stats) + (f" · stderr tail: {err[-300:]!r}" if consumer.returncode else ""),
    }, indent=2))
    print(json.dumps(figures, indent=2))
    return 0 if figures["recovered without intervention"] else 1


if __name__ == "__main__":
    sys.exit(main())
