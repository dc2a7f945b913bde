"""Broker intake against the real NATS JetStream server: ack after commit, redelivery, kill -9."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from civicshield.decisions.models import Decision
from civicshield.intake.models import Event
from civicshield.intake.simulate import Simulation

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]
NATS_URL = os.environ.get("CIVICSHIELD_NATS_URL", "nats://127.0.0.1:4222")
CLI = str(Path(sys.executable).with_name("civicshield"))


def run_async(coro):
    """asyncio.run in a thread of its own: a browser test earlier in this process may have left
    Playwright's event loop running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _nats_up() -> bool:
    host, port = NATS_URL.rsplit("//", 1)[1].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def stream(reference_data):
    if not _nats_up():
        pytest.fail(f"NATS is not reachable at {NATS_URL}; .ci/run starts it")
    name = "T" + uuid.uuid4().hex[:10].upper()
    yield name, f"{name.lower()}.events", f"{name.lower()}.rejected"

    async def drop() -> None:
        import nats

        nc = await nats.connect(NATS_URL)
        try:
            await nc.jetstream().delete_stream(name)
        finally:
            await nc.close()

    run_async(drop())


def publish(subject: str, stream_name: str, payloads: list[bytes]) -> None:
    async def run() -> None:
        import nats

        from civicshield.intake.consumer import ensure_stream

        nc = await nats.connect(NATS_URL)
        js = nc.jetstream()
        await ensure_stream(js, stream_name, [subject, subject.replace(".events", ".rejected")])
        for p in payloads:
            await js.publish(subject, p)
        await nc.close()

    run_async(run())


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def consumer(stream_name: str, subject: str, dead: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "CIVICSHIELD_NATS_URL": NATS_URL}
    return subprocess.Popen([CLI, "consume", "--stream", stream_name, "--subject", subject, "--dead-letter", dead,
                             "--durable", "intake", "--ack-wait", "4", *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def events(n_days: int = 1) -> list[dict]:
    return list(Simulation(seed=21, days=n_days, posts_per_day=150, accounts_n=50).events())


def test_events_from_the_broker_are_stored_and_bad_ones_parked(stream):
    name, subject, dead = stream
    good = events()
    payloads = [json.dumps(e).encode() for e in good]
    payloads.insert(5, b"{not json")
    payloads.insert(9, json.dumps({"id": "x", "type": "content.created"}).encode())
    publish(subject, name, payloads)
    proc = consumer(name, subject, dead, "--idle-exit", "3", "--batch-size", "100")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["accepted"] == len(good) and stats["rejected"] == 2
    assert Event.objects.count() == len(good)

    async def dead_letters() -> list:
        import nats

        nc = await nats.connect(NATS_URL)
        sub = await nc.jetstream().pull_subscribe(dead, durable="inspect", stream=name)
        msgs = await sub.fetch(batch=10, timeout=3)
        await nc.close()
        return [(m.data, m.headers["CivicShield-Error"]) for m in msgs]

    parked = run_async(dead_letters())
    assert len(parked) == 2 and "not JSON" in parked[0][1] and "content" in parked[1][1]


def test_kill_9_mid_stream_loses_nothing_and_duplicates_nothing(stream):
    name, subject, dead = stream
    good = events(n_days=2)
    publish(subject, name, [json.dumps(e).encode() for e in good])
    proc = consumer(name, subject, dead, "--batch-size", "20")
    deadline = time.monotonic() + 120
    while Event.objects.count() < len(good) // 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of a batch, most likely
    proc.wait()
    stored_at_kill = Event.objects.count()
    assert 0 < stored_at_kill < len(good)
    # A new worker picks up what was not acknowledged, including redeliveries of stored events.
    proc = consumer(name, subject, dead, "--batch-size", "200", "--idle-exit", "8")  # > ack wait
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert Event.objects.count() == len(good)
    keys = list(Decision.objects.filter(mode="enforce", effect="apply")
                .values_list("subject_key", "rule_id", "action"))
    assert len(keys) == len(set(keys)), "a redelivered event produced a duplicate decision"
    from typer.testing import CliRunner

    from civicshield.cli import app

    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
