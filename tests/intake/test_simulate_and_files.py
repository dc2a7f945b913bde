"""The synthetic stream is deterministic and realistic; files ingest the same as API batches."""

from __future__ import annotations

import json
from collections import Counter
from itertools import islice

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.core.events import parse_event
from civicshield.decisions.models import Decision
from civicshield.intake.models import Event
from civicshield.intake.readers import write_parquet
from civicshield.intake.simulate import Simulation

runner = CliRunner()


def small() -> list[dict]:
    return list(Simulation(seed=3, days=1, posts_per_day=120, accounts_n=60).events())


def test_same_seed_same_stream_and_every_event_is_valid():
    a, b = small(), small()
    assert a == b
    assert a != list(Simulation(seed=4, days=1, posts_per_day=120, accounts_n=60).events())
    types = Counter(parse_event(e).type for e in a)
    assert {"account.upserted", "content.created", "ad.submitted", "search.performed", "interaction",
            "report.filed"} <= set(types)
    languages = {e["content"].get("language") for e in a if e["type"] == "content.created"} - {None}
    assert len(languages) >= 5


@pytest.mark.django_db
def test_ingest_cli_is_safe_to_rerun_and_reports_bad_lines(tmp_path, reference_data):
    path = tmp_path / "events.jsonl"
    events = small()
    lines = [json.dumps(e) for e in events]
    lines.insert(10, "{not json")
    path.write_text("\n".join(lines) + "\n")
    first = runner.invoke(app, ["ingest", str(path), "--json"])
    assert first.exit_code == 1  # one line was rejected; the rest are stored
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["accepted"] == len(events) and summary["errors"][0]["index"] == 10
    decisions = Decision.objects.count()
    again = json.loads(runner.invoke(app, ["ingest", str(path), "--json"]).stdout.strip().splitlines()[-1])
    assert again["accepted"] == 0 and again["duplicates"] == len(events)
    assert Decision.objects.count() == decisions


@pytest.mark.django_db
def test_parquet_files_ingest_like_jsonl(tmp_path, reference_data):
    events = list(islice(small(), 200))
    path = tmp_path / "events.parquet"
    write_parquet(events, path)
    result = runner.invoke(app, ["ingest", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert Event.objects.count() == 200


@pytest.mark.django_db
def test_assess_cli_prints_one_verdict_per_subject_and_dry_run_stores_nothing(tmp_path, reference_data):
    path = tmp_path / "e.jsonl"
    events = list(islice(small(), 300))
    path.write_text("\n".join(json.dumps(e) for e in events))
    result = runner.invoke(app, ["assess", str(path), "--dry-run"])
    assert result.exit_code == 0
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    from civicshield.intake.pipeline import ASSESSED_TYPES

    assessed = [e for e in events if e["type"] in ASSESSED_TYPES]
    assert [v["event_id"] for v in verdicts] == [e["id"] for e in assessed]
    assert {"event_id", "subject", "actions", "labels", "queue", "signals", "reasons", "mode"} <= set(verdicts[0])
    assert Event.objects.count() == 0
