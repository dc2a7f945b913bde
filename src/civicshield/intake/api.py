"""Platform-facing intake API: batches of events, synchronous verdicts, the published schemas."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from civicshield.core.events import ANALYSED_CHARS, EVENT_TYPES, event_json_schemas

from .auth import ApiKeyAuth
from .pipeline import process_batch

PREFIX = "/"
router = Router(tags=["intake"])
# Assessment time grows with text: a request may ask detectors to read this many characters in all
# (each text field counts up to the prefix detectors read); a key may ask for `API_TEXT_RATE`
# characters a minute in all, which bounds what one key can make the service compute.
MAX_ANALYSED_CHARS_PER_REQUEST = 1_000_000


class BatchIn(Schema):
    events: list[dict[str, Any]] = Field(..., min_length=1, max_length=1000,
                                         description="1 to 1,000 events; see GET /api/v1/schemas/events")


class EventError(Schema):
    index: int | None
    id: str | None
    field: str | None
    reason: str


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: int
    errors: list[EventError]
    decisions: int
    cases: int


class VerdictOut(Schema):
    event_id: str | None
    subject: dict[str, str]
    actions: list[str]
    labels: list[str]
    queue: str | None
    signals: dict[str, Any]
    reasons: list[dict[str, Any]]
    mode: str
    policy_version: str


class AssessOut(Schema):
    verdicts: list[VerdictOut]
    errors: list[EventError]


def _check_size(request: HttpRequest, events: list[dict[str, Any]]) -> None:
    limit = settings.CIVICSHIELD["MAX_BATCH"]
    if not events:
        raise HttpError(422, "`events` must hold at least one event")
    if len(events) > limit:
        raise HttpError(413, f"a batch holds at most {limit} events; this one has {len(events)}")
    cost = analysis_cost(events)
    if cost > MAX_ANALYSED_CHARS_PER_REQUEST:
        raise HttpError(413, f"this batch asks detectors to read {cost:,} characters of text; one request may ask "
                             f"for at most {MAX_ANALYSED_CHARS_PER_REQUEST:,} (each text field counts up to "
                             f"{ANALYSED_CHARS:,}): split it into smaller batches")
    _spend_text_budget(request, cost)


def _spend_text_budget(request: HttpRequest, cost: int) -> None:
    """Charge a key for the text its requests ask detectors to read, per minute (`API_TEXT_RATE`).

    A sliding window: this minute's count plus the previous minute's, weighted by how much of it still
    lies within the last sixty seconds, so a burst across a minute boundary is not counted twice as free.
    A refused request is not charged."""
    limit = int(settings.CIVICSHIELD["API_TEXT_RATE"])
    key = getattr(request, "auth", None)
    if not cost or not limit or key is None:
        return
    now = time.time()
    window, into = divmod(now, 60)
    slot = f"civicshield:api-text:{key.prefix}:{int(window)}"
    cache.add(slot, 0, timeout=180)
    try:
        spent = cache.incr(slot, cost)
    except ValueError:  # the slot expired between add and incr
        cache.set(slot, cost, timeout=180)
        spent = cost
    before = cache.get(f"civicshield:api-text:{key.prefix}:{int(window) - 1}", 0)
    recent = spent + before * (1 - into / 60)
    if recent > limit:
        with contextlib.suppress(ValueError):  # a refused request is not charged
            cache.decr(slot, cost)
        raise HttpError(429, f"this API key has asked detectors to read {int(recent - cost):,} characters in the "
                             f"last minute; the limit is {limit:,} per minute (CIVICSHIELD_API_TEXT_RATE): "
                             f"retry in {60 - int(into)} s")


def analysis_cost(events: list[dict[str, Any]]) -> int:
    """Characters detectors would read for these raw events."""
    total = 0
    for raw in events:
        key, model = EVENT_TYPES.get(raw.get("type"), ("", None))  # type: ignore[arg-type]
        payload = raw.get(key) if model is not None else None
        if isinstance(payload, dict):
            total += sum(min(len(v), ANALYSED_CHARS) for name in model.analysed_fields
                         if isinstance(v := payload.get(name), str))
    return total


@router.post("events", auth=ApiKeyAuth(), response={200: BatchOut, 207: BatchOut},
             summary="Ingest a batch of events (idempotent on event id)")
def post_events(request: HttpRequest, body: BatchIn) -> Status:
    """Stores every valid event, assesses it and logs decisions. Invalid events are listed with their
    index and reason; the valid ones in the same batch are kept. Replaying a batch changes nothing.
    Status 207 means some events were rejected."""
    _check_size(request, body.events)
    result = process_batch(body.events, source="api")
    return Status(207 if result.errors else 200, result.summary())


@router.post("assess", auth=ApiKeyAuth(), response=AssessOut,
             summary="Verdicts for a batch of events, in order (set store=false for a dry run)")
def post_assess(request: HttpRequest, body: BatchIn, store: bool = True) -> dict[str, Any]:
    """Returns one verdict per assessed subject, in the order given. Accounts upserted earlier in the
    batch are the context of later events. With `store=false` nothing is written."""
    _check_size(request, body.events)
    result = process_batch(body.events, dry_run=not store, source="api")
    verdicts = [o.verdict.as_dict(o.event.id) for o in result.outcomes if o.verdict is not None]
    return {"verdicts": verdicts, "errors": result.errors}


@router.get("schemas/events", summary="JSON Schema of every event type")
def event_schemas(request: HttpRequest) -> dict[str, Any]:
    return event_json_schemas()
