"""Broker intake: pull events from a message broker into the one pipeline, acking only after commit.

The interface a broker adapter implements is deliberately small (`BrokerSource`: fetch a batch, ack,
reject), so NATS JetStream here and a Kafka adapter elsewhere share `consume`. Guarantees:
- a message is acknowledged only after `process_batch` has committed its event, so a crash at any
  point means redelivery, never loss;
- redelivered events are recognised by their event id and change nothing (no duplicate decision);
- an event that can never be valid is not redelivered forever: it is parked on a dead-letter subject
  with the reason, then acknowledged;
- a message that passes validation but fails to assess or store (a detector bug, a constraint
  validation did not foresee) is redelivered alone up to `max_attempts` times, then dead-lettered the
  same way, while the rest of its batch is stored; should a whole batch fail unexpectedly, its
  messages are processed one at a time under the same rule. The consumer keeps running, and
  `civicshield_broker_dead_letters_total{reason="invalid"|"unprocessable"}` counts what it parks
  (in the consumer's process) and a `DeadLetter` row records each one, so the web process's
  `civicshield_broker_dead_letters{reason}` gauge shows every worker's total;
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
    attempts: int = 1  # how many times the broker has delivered it, this time included


class BrokerSource(Protocol):
    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]: ...

    async def ack(self, deliveries: Sequence[Delivery]) -> None: ...

    async def reject(self, delivery: Delivery, reason: str) -> None: ...

    async def release(self, deliveries: Sequence[Delivery]) -> None: ...

    async def working(self, deliveries: Sequence[Delivery]) -> None:
        """Tell the broker these messages are still being processed (resets its redelivery timer)."""


@dataclass
class ConsumeStats:
    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    decisions: int = 0
    retries: int = 0
    dead_lettered: int = 0
    redelivered: int = 0  # messages handed back after failing to process (not a database outage)
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
        return [Delivery(m.data, m, _delivery_count(m)) for m in msgs]

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            await d.handle.ack_sync()

    async def reject(self, delivery: Delivery, reason: str) -> None:
        await self._js.publish(self.dead_letter, delivery.data, headers={"CivicShield-Error": reason[:1000]})
        await delivery.handle.ack_sync()

    async def release(self, deliveries: Sequence[Delivery]) -> None:
        # A plain NAK: the retries are bounded by `max_attempts` and a database outage is waited out by
        # `consume`. NATS 2.9's NAK with a delay can hand a later, already acknowledged message out again
        # as new and hold the NAKed one until its ack wait runs out.
        for d in deliveries:
            await d.handle.nak()

    async def working(self, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            await d.handle.in_progress()

    async def close(self) -> None:
        # Every fetched message is acked or released by now. Unsubscribe the pull subscription before
        # draining: nats-py leaves the status reply of a fetch that timed out in its queue, and a drain
        # would wait on it for the full drain timeout (30 s) and then log an error.
        if self._sub is not None:
            await self._sub.unsubscribe()
        if self._nc is not None:
            await self._nc.drain()


def _delivery_count(msg: Any) -> int:
    try:
        return int(msg.metadata.num_delivered)
    except (AttributeError, TypeError, ValueError):  # not a JetStream message
        return 1


async def ensure_stream(js: Any, name: str, subjects: list[str]) -> None:
    import nats.js.errors

    try:
        await js.stream_info(name)
    except nats.js.errors.NotFoundError:
        await js.add_stream(name=name, subjects=subjects)


def _decode(data: bytes) -> Any:
    from civicshield.core.errors import InvalidEvent

    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return InvalidEvent(f"message is not JSON: {exc}")
    except RecursionError:
        return InvalidEvent("message is not JSON this service reads: nested too deeply")


async def consume(source: BrokerSource, *, batch_size: int = 500, idle_exit: float | None = None,
                  max_messages: int | None = None, fetch_timeout: float = 1.0,
                  max_attempts: int = 5) -> ConsumeStats:
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
        # Load the models before taking messages, so the first batch is not held while they load.
        await loop.run_in_executor(executor, _warm)
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
                result = await _while_working(source, deliveries, loop.run_in_executor(
                    executor, lambda: process_batch(raws, source="broker")))
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
            except Exception:  # noqa: BLE001 - unforeseen: find the message that causes it, keep running
                log.exception("batch of %d failed; processing its messages one at a time", len(deliveries))
                await _one_at_a_time(source, deliveries, raws, executor, stats, max_attempts)
                continue
            outage = 0
            await _settle(source, deliveries, result, stats, max_attempts, executor)
    finally:
        executor.submit(_close_connections).result()
        executor.shutdown()
    return stats


async def _while_working(source: BrokerSource, deliveries: list[Delivery], work: Any) -> Any:
    """Await `work`, telling the broker every few seconds that `deliveries` are still in hand.

    A batch can outlast the broker's ack wait (the first batch loads the text encoders; a large batch on
    a busy database): without this the broker would redeliver messages that are about to be stored."""
    interval = max(0.5, getattr(source, "ack_wait", 30.0) / 3)
    task = asyncio.ensure_future(work)
    while True:
        done, _ = await asyncio.wait({task}, timeout=interval)
        if done:
            return task.result()
        working = getattr(source, "working", None)
        if working is not None:
            try:
                await working(deliveries)
            except Exception as exc:  # noqa: BLE001 - the broker may be away; redelivery then covers it
                log.warning("could not extend the ack wait of %d messages: %s", len(deliveries), exc)


async def _settle(source: BrokerSource, deliveries: list[Delivery], result: Any, stats: ConsumeStats,
                  max_attempts: int, executor: ThreadPoolExecutor) -> None:
    """Ack what was stored, dead-letter what is invalid or has failed `max_attempts` times, release the rest."""
    from civicshield.observability.metrics import DEAD_LETTERS

    bad = {e["index"]: e for e in result.errors}
    retry = {i for i in result.unforeseen if deliveries[i].attempts < max_attempts}
    parked: list[dict[str, Any]] = []
    for index, error in bad.items():
        if index in retry:
            continue
        reason = f"{error.get('field') or ''}: {error['reason']}"
        kind = "unprocessable" if index in result.unforeseen else "invalid"
        if index in result.unforeseen:
            reason = f"failed {deliveries[index].attempts} times; last: {error['reason']}"
            log.error("message dead-lettered: %s", reason)
        await source.reject(deliveries[index], reason)
        DEAD_LETTERS.labels(kind).inc()
        parked.append({"kind": kind, "reason": reason[:4000], "event_id": str(error.get("id") or "")[:200],
                       "attempts": deliveries[index].attempts, "data": deliveries[index].data,
                       "dead_letter_subject": str(getattr(source, "dead_letter", ""))[:200]})
    if parked:
        await asyncio.get_running_loop().run_in_executor(executor, _record_dead_letters, parked)
    await source.release([deliveries[i] for i in sorted(retry)])
    await source.ack([d for i, d in enumerate(deliveries) if i not in bad])
    stats.batches += 1
    stats.dead_lettered += len(bad) - len(retry)
    stats.redelivered += len(retry)
    stats.accepted += result.accepted
    stats.duplicates += result.duplicates
    stats.rejected += len(bad) - len(retry)
    stats.decisions += result.decisions
    stats.errors.extend(e for e in result.errors[:100] if e["index"] not in retry)


async def _one_at_a_time(source: BrokerSource, deliveries: list[Delivery], raws: list[Any],
                         executor: ThreadPoolExecutor, stats: ConsumeStats, max_attempts: int) -> None:
    """A batch failed as a whole: process each message alone, settling each under the same rules."""
    from django.db import InterfaceError, OperationalError

    from .pipeline import BatchResult, process_batch

    loop = asyncio.get_running_loop()
    for delivery, raw in zip(deliveries, raws):
        try:
            result = await _while_working(source, [delivery], loop.run_in_executor(
                executor, lambda: process_batch([raw], source="broker")))
        except (OperationalError, InterfaceError):
            await source.release([delivery])
            stats.retries += 1
            continue
        except Exception as exc:  # noqa: BLE001 - whatever it is, it belongs to this message
            event_id = raw.get("id") if isinstance(raw, dict) else None
            result = BatchResult(errors=[{"index": 0, "id": event_id, "field": None,
                                          "reason": f"{type(exc).__name__}: {exc}"}], unforeseen={0})
        await _settle(source, [delivery], result, stats, max_attempts, executor)


def _record_dead_letters(parked: list[dict[str, Any]]) -> None:
    """One row per parked message, so every process sees the count. The messages are already safe on the
    dead-letter subject: a database that is down loses the row, never the message."""
    import hashlib

    from django.db import DatabaseError

    from .models import DeadLetter

    def storable(text: str) -> str:  # the reason may quote what made the message unstorable
        return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")

    rows = [DeadLetter(kind=p["kind"], reason=storable(p["reason"]), event_id=storable(p["event_id"])[:200],
                       attempts=p["attempts"],
                       size=len(p["data"]), digest=hashlib.sha256(p["data"]).hexdigest(),
                       dead_letter_subject=p["dead_letter_subject"]) for p in parked]
    try:
        DeadLetter.objects.bulk_create(rows)
    except (DatabaseError, ValueError):
        log.exception("could not record %d dead-lettered messages (they are on the dead-letter subject)", len(rows))


def _warm() -> None:
    from .context import current
    from .warmup import warm

    warm(current())


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()
