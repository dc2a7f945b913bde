"""Broker intake: pull events from a message broker into the one pipeline, acking only after commit.

The interface a broker adapter implements is deliberately small (`BrokerSource`: fetch a batch, ack,
reject), so NATS JetStream here and a Kafka adapter elsewhere share `consume`. Guarantees:
- a message is acknowledged only after `process_batch` has committed its event, so a crash at any
  point means redelivery, never loss;
- redelivered events are recognised by their event id and change nothing (no duplicate decision);
- an event that can never be valid is not redelivered forever: it is parked on a dead-letter subject
  with the reason, then acknowledged;
- backpressure: the next batch is fetched only when the previous one is stored, and the broker holds
  at most `max_ack_pending` unacknowledged messages per consumer.
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    data: bytes
    handle: Any  # the broker's message object, passed back to ack/reject


class BrokerSource(Protocol):
    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]: ...

    async def ack(self, deliveries: Sequence[Delivery]) -> None: ...

    async def reject(self, delivery: Delivery, reason: str) -> None: ...

    async def release(self, deliveries: Sequence[Delivery]) -> None: ...


@dataclass
class ConsumeStats:
    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    decisions: int = 0
    retries: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class NatsSource:
    """NATS JetStream pull consumer (durable, explicit acks)."""

    def __init__(self, url: str, stream: str, subject: str, durable: str, dead_letter: str,
                 max_ack_pending: int = 5000, ack_wait: float = 60.0) -> None:
        self.url, self.stream, self.subject, self.durable = url, stream, subject, durable
        self.dead_letter, self.max_ack_pending, self.ack_wait = dead_letter, max_ack_pending, ack_wait
        self._nc: Any = None
        self._js: Any = None
        self._sub: Any = None

    async def connect(self) -> None:
        import nats
        from nats.js.api import AckPolicy, ConsumerConfig

        self._nc = await nats.connect(self.url, connect_timeout=5, max_reconnect_attempts=-1)
        self._js = self._nc.jetstream()
        await ensure_stream(self._js, self.stream, [self.subject, self.dead_letter])
        self._sub = await self._js.pull_subscribe(
            self.subject, durable=self.durable, stream=self.stream,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_ack_pending=self.max_ack_pending,
                                  ack_wait=self.ack_wait))

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]:
        import nats.errors

        try:
            msgs = await self._sub.fetch(batch=max_messages, timeout=timeout)
        except (nats.errors.TimeoutError, asyncio.TimeoutError):
            return []
        return [Delivery(m.data, m) for m in msgs]

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            await d.handle.ack_sync()

    async def reject(self, delivery: Delivery, reason: str) -> None:
        await self._js.publish(self.dead_letter, delivery.data, headers={"CivicShield-Error": reason[:1000]})
        await delivery.handle.ack_sync()

    async def release(self, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            await d.handle.nak(delay=2)

    async def close(self) -> None:
        # Every fetched message is acked or released by now. Unsubscribe the pull subscription before
        # draining: nats-py leaves the status reply of a fetch that timed out in its queue, and a drain
        # would wait on it for the full drain timeout (30 s) and then log an error.
        if self._sub is not None:
            await self._sub.unsubscribe()
        if self._nc is not None:
            await self._nc.drain()


async def ensure_stream(js: Any, name: str, subjects: list[str]) -> None:
    import nats.js.errors

    try:
        await js.stream_info(name)
    except nats.js.errors.NotFoundError:
        await js.add_stream(name=name, subjects=subjects)


def _decode(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        from civicshield.core.errors import InvalidEvent

        return InvalidEvent(f"message is not JSON: {exc}")


async def consume(source: BrokerSource, *, batch_size: int = 500, idle_exit: float | None = None,
                  max_messages: int | None = None, fetch_timeout: float = 1.0) -> ConsumeStats:
    """Run until `idle_exit` seconds pass with no messages (None: forever) or `max_messages` are done."""
    from django.db import InterfaceError, OperationalError

    from .pipeline import process_batch

    stats = ConsumeStats()
    # One thread keeps one database connection; the event loop never touches the ORM itself.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="civicshield-intake")
    loop = asyncio.get_running_loop()
    idle = 0.0
    outage = 0  # consecutive failed attempts: the backoff starts short again after each recovery
    try:
        while max_messages is None or stats.accepted + stats.duplicates + stats.rejected < max_messages:
            want = batch_size if max_messages is None else min(
                batch_size, max_messages - stats.accepted - stats.duplicates - stats.rejected)
            deliveries = await source.fetch(want, fetch_timeout)
            if not deliveries:
                idle += fetch_timeout
                if idle_exit is not None and idle >= idle_exit:
                    break
                continue
            idle = 0.0
            raws = [_decode(d.data) for d in deliveries]
            try:
                result = await loop.run_in_executor(executor, lambda: process_batch(raws, source="broker"))
            except (OperationalError, InterfaceError) as exc:
                # The database is away (restart, failover): nothing was committed, so hand the batch
                # back for redelivery and wait; the next attempt opens a fresh connection.
                log.warning("database unavailable, batch released for redelivery: %s", exc)
                await loop.run_in_executor(executor, _close_connections)
                await source.release(deliveries)
                stats.retries += 1
                outage += 1
                await asyncio.sleep(min(30.0, 2.0 ** min(outage, 5)))
                continue
            outage = 0
            bad = {e["index"]: e for e in result.errors}
            for index, error in bad.items():
                await source.reject(deliveries[index], f"{error.get('field') or ''}: {error['reason']}")
            await source.ack([d for i, d in enumerate(deliveries) if i not in bad])
            stats.batches += 1
            stats.accepted += result.accepted
            stats.duplicates += result.duplicates
            stats.rejected += len(bad)
            stats.decisions += result.decisions
            stats.errors.extend(result.errors[:100])
    finally:
        executor.submit(_close_connections).result()
        executor.shutdown()
    return stats


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()
