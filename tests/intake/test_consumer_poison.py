"""Poison messages on the real NATS JetStream: parked with a reason, never redelivered forever.

A message that fails validation is dead-lettered at once; one that breaks processing in a way
validation did not foresee is retried alone a bounded number of times, then dead-lettered, while the
messages around it are stored and the consumer keeps running. /metrics counts both.
"""

from __future__ import annotations

import json

import pytest

from civicshield.intake.models import Content, DeadLetter, Event
from tests.conftest import ev_content

from .test_consumer import NATS_URL, consumer, publish, run_async, stream  # noqa: F401 - fixture

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def dead_letters(stream_name: str, subject: str, n: int) -> list[tuple[bytes, str]]:
    async def run() -> list:
        import nats

        nc = await nats.connect(NATS_URL)
        sub = await nc.jetstream().pull_subscribe(subject, durable="inspect", stream=stream_name)
        msgs = await sub.fetch(batch=n, timeout=5)
        await nc.close()
        return [(m.data, m.headers["CivicShield-Error"]) for m in msgs]

    return run_async(run())


def test_values_no_database_stores_are_dead_lettered_and_the_rest_stored(stream):
    name, subject, dead = stream
    good = [json.dumps(ev_content(f"p-good-{i}")).encode() for i in range(6)]
    poison = [
        json.dumps(ev_content(views=10**30)).encode(),
        json.dumps({**ev_content(), "score": float("nan")}).encode(),  # NaN, as Python writes it
        json.dumps(ev_content("post-\ud800")).encode(),  # a lone surrogate, escaped as JSON allows
        json.dumps(ev_content(at="0001-01-01T00:00:00+05:00")).encode(),
        b'{"id": "deep", "type": "content.created", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ]
    publish(subject, name, [good[0], *poison[:3], good[1], good[2], *poison[3:], *good[3:]])
    proc = consumer(name, subject, dead, "--idle-exit", "3", "--batch-size", "100")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["accepted"] == 6 and stats["rejected"] == 5 and stats["dead_lettered"] == 5
    assert Content.objects.filter(id__startswith="p-good-").count() == 6
    reasons = [reason for _, reason in dead_letters(name, dead, 10)]
    assert len(reasons) == 5
    assert "content.views" in reasons[0] and "range" in reasons[0]
    assert "NaN" in reasons[1] and "surrogate" in reasons[2] and "UTC" in reasons[3] and "nested" in reasons[4]
    parked = DeadLetter.objects.order_by("id")
    assert [r.kind for r in parked] == ["invalid"] * 5
    assert "surrogate" in parked[2].reason  # recorded, escaped, whatever the message held


class CrashesOnBoom:
    name = "crashes_on_boom"
    cost = 1
    applies_to = frozenset({"content"})
    gate = None

    def detect(self, subject, context, signals):
        if "boom" in subject.analysed_text:
            raise RuntimeError("detector bug")
        return []


def test_a_message_that_keeps_failing_is_dead_lettered_after_bounded_attempts(stream, client, make_user):
    from civicshield.intake import context
    from civicshield.intake.consumer import NatsSource, consume

    name, subject, dead = stream
    context.current().registry.register(CrashesOnBoom())
    events = [ev_content("p-before"), ev_content("p-boom", text="boom"), ev_content("p-after")]
    publish(subject, name, [json.dumps(e).encode() for e in events])

    async def run():
        source = NatsSource(NATS_URL, name, subject, "intake", dead, ack_wait=30)
        await source.connect()
        try:
            return await consume(source, batch_size=10, idle_exit=8, max_attempts=3)
        finally:
            await source.close()

    stats = run_async(run())
    assert stats.accepted == 2 and stats.dead_lettered == 1 and stats.redelivered == 2
    assert set(Content.objects.values_list("id", flat=True)) == {"p-before", "p-after"}
    (parked,) = dead_letters(name, dead, 5)
    assert json.loads(parked[0])["id"] == events[1]["id"] and "failed 3 times" in parked[1]
    assert "detector bug" in parked[1]
    assert Event.objects.count() == 2

    client.force_login(make_user("ops", "admin"))
    metrics = client.get("/metrics").content.decode()
    line = next(l for l in metrics.splitlines()
                if l.startswith('civicshield_broker_dead_letters_total{reason="unprocessable"}'))
    assert float(line.split()[-1]) >= 1
    # The count every process sees (the web process here did not park the message; the row did).
    line = next(l for l in metrics.splitlines()
                if l.startswith('civicshield_broker_dead_letters{reason="unprocessable"}'))
    assert float(line.split()[-1]) == 1
    row = DeadLetter.objects.get()
    assert row.event_id == events[1]["id"] and row.attempts == 3 and "detector bug" in row.reason


class SlowOnPause:
    name = "slow_on_pause"
    cost = 1
    applies_to = frozenset({"content"})
    gate = None

    def __init__(self) -> None:
        import threading

        self.paused = threading.Event()  # set once a worker holds the batch and is working on it

    def detect(self, subject, context, signals):
        if "pause" in subject.analysed_text:
            import time

            self.paused.set()
            time.sleep(5)
        return []


def test_a_batch_that_outlasts_the_ack_wait_is_not_handed_to_another_worker(stream):
    """The first batch may take long (the encoders load): while it does, a second worker on the same
    durable consumer must not be handed its messages again."""
    import asyncio

    from civicshield.intake import context
    from civicshield.intake.consumer import NatsSource, consume

    name, subject, dead = stream
    slow = SlowOnPause()
    context.current().registry.register(slow)
    events = [ev_content("p-slow-1"), ev_content("p-slow-2", text="pause"), ev_content("p-slow-3")]
    publish(subject, name, [json.dumps(e).encode() for e in events])

    async def worker(second: bool):
        if second:  # starts while the first worker is busy with the batch (however long it took to get it)
            assert await asyncio.to_thread(slow.paused.wait, 120)
            await asyncio.sleep(0.5)
        source = NatsSource(NATS_URL, name, subject, "intake", dead, ack_wait=2)
        await source.connect()
        try:
            return await consume(source, batch_size=10, idle_exit=8)
        finally:
            await source.close()

    async def run():
        return await asyncio.gather(worker(False), worker(True))

    first, second = run_async(run())
    assert (first.accepted, first.duplicates) == (3, 0)
    assert (second.accepted, second.duplicates, second.batches) == (0, 0, 0)
    assert Event.objects.count() == 3
