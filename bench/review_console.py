"""Review console speed with 100,000 open cases: claiming the next case, and building its page.

Each engine runs in a child process with its own empty database (SQLite in a temporary home;
PostgreSQL in a scratch database when one is reachable). The child fills it with 100,000 open cases
spread over the policy's queues (each with a stored post and an account) plus 2,000 decided cases for
the "similar items" panel, then times, per reviewer action: `leases.next_case` (pick the most urgent
claimable case and take it with the conditional UPDATE), and the full "Next case" request as a
browser makes it (POST /console/review/next/ then GET of the case page, through Django's test client).
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
RESULT = ROOT / "bench" / "results" / "review_console.json"
PG_ADMIN = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
OPEN, DECIDED = 100_000, 2_000
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _fill() -> None:
    import random

    from django.utils import timezone

    from civicshield.intake.models import Account, Content
    from civicshield.review.models import Case

    rng = random.Random(7)
    now = timezone.now()
    queues = ["misinformation"] * 6 + ["misinformation_es", "ai_generated", "ads", "appeals"]
    words = "polls close vote mail ballot county date registration deadline line id machine count".split()
    Account.objects.bulk_create([Account(id=f"a{i}", handle=f"h{i}", category="regular", followers=rng.randint(0, 10**5),
                                         payload={}, first_seen=now, last_event_at=now) for i in range(5000)],
                                batch_size=2000)
    for start in range(0, OPEN + DECIDED, 10_000):
        posts, cases = [], []
        for i in range(start, min(start + 10_000, OPEN + DECIDED)):
            text = " ".join(rng.choice(words) for _ in range(12))
            views = int(rng.paretovariate(1.2) * 50)
            posts.append(Content(id=f"p{i}", account_id=f"a{i % 5000}", kind="post", text=text, views=views,
                                 payload={"text": text, "views": views}, first_seen=now - dt.timedelta(hours=5),
                                 last_event_at=now))
            decided = i >= OPEN
            cases.append(Case(queue=queues[i % len(queues)], kind="verdict", subject_type="content", subject_id=f"p{i}",
                              subject_key=f"content:p{i}", rule_ids=["civic.procedural_claim_triage"],
                              area="election_misinformation", severity=5, priority=rng.random() * 30,
                              opened_at=now - dt.timedelta(minutes=rng.randint(0, 3000)),
                              due_at=now + dt.timedelta(hours=rng.randint(-10, 10)),
                              status="decided" if decided else "open", closed_at=now if decided else None,
                              decided_by="seed" if decided else "", reason="Procedural claim about voting"))
        Content.objects.bulk_create(posts, batch_size=2000)
        Case.objects.bulk_create(cases, batch_size=2000)


def measure() -> dict:
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from civicshield.review import leases
    from civicshield.review.models import Case

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    from civicshield.site.roles import ensure_roles

    ensure_roles()
    _fill()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    users = []
    for n in range(2):
        u = User.objects.create_user(f"reviewer{n}", password="x")
        u.groups.set(Group.objects.filter(name="reviewer"))
        users.append(u)
    leases.next_case(users[0])  # warm the policy and connection
    claim_ms, page_ms = [], []
    for _ in range(SAMPLES):
        t = time.perf_counter()
        case = leases.next_case(users[0])
        claim_ms.append((time.perf_counter() - t) * 1e3)
        assert case is not None
    client = Client()
    client.force_login(users[1])
    for _ in range(SAMPLES):
        t = time.perf_counter()
        response = client.post("/console/review/next/", follow=True)
        page_ms.append((time.perf_counter() - t) * 1e3)
        assert response.status_code == 200 and b"You hold this case" in response.content
    return {"vendor": connection.vendor, "open": Case.objects.filter(status__in=("open", "claimed")).count(),
            "claim_p50": statistics.median(claim_ms), "claim_p99": _percentile(claim_ms, 0.99),
            "page_p50": statistics.median(page_ms), "page_p99": _percentile(page_ms, 0.99)}


def _child(env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "measure"], env=env, capture_output=True, text=True, cwd=ROOT,
                         timeout=3600)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_database() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=3) as c:
            c.execute("DROP DATABASE IF EXISTS civicshield_review_bench")
            c.execute("CREATE DATABASE civicshield_review_bench")
        return PG_ADMIN.rsplit("/", 1)[0] + "/civicshield_review_bench"
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not available ({exc}); skipping its figures", file=sys.stderr)
        return None


def main() -> None:
    figures: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CIVICSHIELD_HOME": home}
        env.pop("DATABASE_URL", None)
        runs = [("SQLite", env)]
        pg = _pg_database()
        if pg:
            runs.append(("PostgreSQL", {**env, "DATABASE_URL": pg}))
        for name, run_env in runs:
            r = _child(run_env)
            figures[f"{name}: open cases"] = r["open"]
            figures[f"{name}: claim next case p50 (ms)"] = round(r["claim_p50"], 2)
            figures[f"{name}: claim next case p99 (ms)"] = round(r["claim_p99"], 2)
            figures[f"{name}: next-case page build p50 (ms)"] = round(r["page_p50"], 2)
            figures[f"{name}: next-case page build p99 (ms)"] = round(r["page_p99"], 2)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({
        "title": "Review console: claim and next-case page with 100,000 open cases",
        "command": ".venv/bin/python bench/review_console.py  (or: make bench)",
        "measured_at": dt.date.today().isoformat(),
        "figures": figures,
        "notes": (f"{OPEN:,} open cases over 4 queues a reviewer works (plus ads/appeals), {DECIDED:,} decided; "
                  f"{SAMPLES} samples each. 'Claim' is `leases.next_case` (ordered index scan on queue, status, "
                  "priority, then one conditional UPDATE). 'Page build' is the whole Next-case request: POST "
                  "/console/review/next/ (claim) plus the GET of the case page (subject, rules, signals, similar "
                  "decided items, account history and strikes, priority explanation), via Django's test client, "
                  "no network. 2 shared CPU cores."),
    }, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
    else:
        main()
