"""The retroactive sweep over 1,000,000 stored posts: how long until a new fact-check reaches them.

A scratch CIVICSHIELD_HOME (SQLite) is filled with one million stored posts (synthetic text from a
mixed real/synthetic vocabulary) of which a few hundred are copies or rewordings of one claim. Then
a fact-check of that claim is stored and the sweep runs: the database scan for the claim's
distinctive words, then re-assessment of the candidates through the intake pipeline (detectors,
policy, decision log, subject state, outbox).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "factchecks_sweep.json"
POSTS = int(os.environ.get("FACTCHECK_SWEEP_POSTS", "1000000"))
COPIES = 300
CLAIM = "Voting machines in Maricopa County deleted 30,000 ballots on election night."
VARIANTS = ["BREAKING: voting machines in Maricopa County deleted 30,000 ballots on election night!!",
            "Maricopa County voting machines deleted 30,000 ballots on election night and nobody reports it",
            "they say the voting machines in maricopa county deleted ballots on election night, share this"]
WORDS = ("the a of to and in is it you that for on with this was are my we so just have be at not but what "
         "vote election county ballot night today people news city team game love music coffee weekend "
         "school family friends video photo weather traffic market price").split()


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="civicshield-sweep-bench-"))
    os.environ["CIVICSHIELD_HOME"] = str(home)
    os.environ["DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicshield.factchecks.claimreview import ClaimReviewRecord
    from civicshield.factchecks.models import FactCheck
    from civicshield.factchecks.store import save_records
    from civicshield.factchecks.sweep import sweep
    from civicshield.intake.models import Content

    rng = random.Random(3)
    now = dt.datetime(2026, 10, 20, tzinfo=dt.timezone.utc)
    copies = set(rng.sample(range(POSTS), COPIES))
    started = time.perf_counter()
    rows = []
    for i in range(POSTS):
        text = rng.choice(VARIANTS) if i in copies else " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 25)))
        payload = {"id": f"p{i}", "account_id": f"a{i % 5000}", "kind": "post", "text": text, "region": "US-AZ",
                   "views": 10}
        rows.append(Content(id=f"p{i}", payload=payload, first_seen=now, last_event_at=now, account_id=f"a{i % 5000}",
                            kind="post", text=text, region="US-AZ", views=10))
        if len(rows) == 20_000:
            Content.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Content.objects.bulk_create(rows, batch_size=5000)
    load_s = time.perf_counter() - started
    save_records([ClaimReviewRecord(claim=CLAIM, rating="false", rating_text="False", url="https://fc.example/1",
                                    organisation="Example Fact Check")], "claimreview", sweep=False)
    fc = FactCheck.objects.get()
    started = time.perf_counter()
    result = sweep([fc.pk])
    sweep_s = time.perf_counter() - started
    from civicshield.decisions.models import SubjectState

    labelled = SubjectState.objects.filter(subject_type="content", labels__contains="fact_checked_false").count() \
        if os.environ.get("DATABASE_URL", "").startswith("postgres") else sum(
            "fact_checked_false" in (s.labels or []) for s in SubjectState.objects.filter(subject_type="content"))
    figures = {"stored_posts": POSTS, "planted_copies": COPIES, "candidates": result.scanned,
               "reassessed": result.reassessed, "decisions": result.decisions, "copies_labelled": labelled,
               "sweep_s": round(sweep_s, 1), "posts_per_s": round(POSTS / sweep_s), "load_posts_s": round(load_s, 1)}
    print(figures)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({
        "title": "Fact-checks: retroactive sweep of one new fact-check over 1,000,000 stored posts (SQLite)",
        "command": "python bench/factchecks_sweep.py",
        "figures": figures,
        "notes": ("sweep_s covers the database scan for the claim's distinctive words over every stored post, "
                  "then re-assessing each candidate through the intake pipeline (claim-match detector with "
                  "embedding, policy, decision log, state, outbox). Copies in other languages that share none "
                  "of the claim's words are not found by this scan. Scratch database, deleted afterwards."),
    }, indent=1) + "\n")
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    print(f"wrote {RESULT}", file=sys.stderr)


if __name__ == "__main__":
    main()
