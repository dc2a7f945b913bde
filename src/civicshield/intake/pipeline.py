"""The one intake pipeline: validate → dedupe → assess → store → decide → notify.

`process_batch` is called by the HTTP API, `civicshield ingest` / `assess` and broker consumers alike.
Bad events are reported by index and skipped; good ones in the same batch are kept. Event ids make it
idempotent: a replayed batch changes nothing. Assessment runs before the write lock is taken, and the
duplicate check is repeated under the lock, so concurrent writers never double-log a decision.

Validation (`civicshield.core.events`) refuses what storage cannot hold; should an event still fail
to assess or to store, it is rejected alone with the reason and the rest of its batch goes in (the
batch is retried one event per transaction), so one bad event never costs a platform its batch.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from django.db import DataError, IntegrityError, transaction

from civicshield.core.assess import assess
from civicshield.core.errors import InvalidEvent
from civicshield.core.events import Account, Event, parse_event, subject_region
from civicshield.core.events import ANALYSED_CHARS
from civicshield.core.verdict import Signal, Verdict
from civicshield.decisions import log as decision_log
from civicshield.decisions.outbox import dispatch_after_commit

from civicshield.observability.metrics import ASSESS_SECONDS, EVENTS

from . import context as assessor_context
from .decide import decisions_for, lifts_for, cases_for
from .storage import existing_event_ids, load_accounts, store_batch

log = logging.getLogger(__name__)
# Failures that belong to one event's values rather than to the database being away.
EVENT_STORAGE_ERRORS = (DataError, IntegrityError, ValueError, OverflowError, TypeError)
ASSESSED_TYPES = {"account.upserted", "content.created", "content.updated", "ad.submitted", "search.performed",
                  "monetization.requested"}


@dataclass
class Outcome:
    index: int
    event: Event
    verdict: Verdict | None = None
    duplicate: bool = False
    account_category: str = ""


@dataclass
class BatchResult:
    accepted: int = 0
    duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    decisions: int = 0
    cases: int = 0
    # Indexes of events rejected because processing failed, not validation: a retry may succeed.
    unforeseen: set[int] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": len(self.errors),
                "errors": self.errors, "decisions": self.decisions, "cases": self.cases}


def parse_batch(raw_events: Sequence[Any], offset: int = 0) -> tuple[list[tuple[int, Event]], list[dict[str, Any]]]:
    parsed, errors = [], []
    for i, raw in enumerate(raw_events):
        if isinstance(raw, InvalidEvent):
            raw.index = i + offset
            errors.append(raw.as_dict())
            continue
        try:
            parsed.append((i + offset, parse_event(raw, i + offset)))
        except InvalidEvent as exc:
            errors.append(exc.as_dict())
    return parsed, errors


def process_batch(raw_events: Sequence[Any], *, dry_run: bool = False, source: str = "api",
                  offset: int = 0, accounts: dict[str, Account] | None = None) -> BatchResult:
    """Process one batch. `accounts` carries account context between batches of one file."""
    parsed, errors = parse_batch(raw_events, offset)
    result = BatchResult(errors=errors)
    seen: set[str] = set()
    fresh: list[tuple[int, Event]] = []
    known = set() if dry_run else existing_event_ids([e.id for _, e in parsed])
    for index, event in parsed:
        if event.id in seen or event.id in known:
            result.duplicates += 1
            result.outcomes.append(Outcome(index, event, duplicate=True))
        else:
            seen.add(event.id)
            fresh.append((index, event))
    outcomes = _assess_all(fresh, accounts if accounts is not None else {}, load_missing=not dry_run,
                           result=result)
    result.outcomes.extend(outcomes)
    result.outcomes.sort(key=lambda o: o.index)
    if dry_run:
        result.accepted = len(outcomes)
        return result
    _store_isolating(outcomes, source, result)
    result.errors.sort(key=lambda e: e["index"] if e["index"] is not None else -1)
    _count(result)
    return result


def _reject(result: BatchResult, o: Outcome, reason: str, exc: BaseException) -> None:
    log.warning("event %s (%s) rejected: %s: %s", o.index, o.event.id, reason, exc)
    result.unforeseen.add(o.index)
    result.errors.append({"index": o.index, "id": o.event.id, "field": None,
                          "reason": f"{reason}: {type(exc).__name__}: {exc}"})


def _store_isolating(outcomes: list[Outcome], source: str, result: BatchResult) -> None:
    """Store the batch in one transaction; if an event's values break it, store one event at a time."""
    try:
        _store(outcomes, source, result)
        return
    except EVENT_STORAGE_ERRORS as exc:
        if len(outcomes) == 1:
            result.outcomes.remove(outcomes[0])
            _reject(result, outcomes[0], "the event could not be stored", exc)
            return
        log.warning("batch of %d failed to store (%s); storing its events one by one", len(outcomes), exc)
    for o in outcomes:
        _store_isolating([o], source, result)


def _count(result: BatchResult) -> None:
    for o in result.outcomes:
        EVENTS.labels(o.event.type, "duplicate" if o.duplicate else "accepted").inc()
    if result.errors:
        EVENTS.labels("invalid", "rejected").inc(len(result.errors))


def _assess_all(events: Iterable[tuple[int, Event]], accounts: dict[str, Account], load_missing: bool,
                result: BatchResult) -> list[Outcome]:
    events = list(events)
    assessor = assessor_context.current()
    if load_missing:
        wanted = {_account_id(e) for _, e in events} - set(accounts) - {None}
        accounts.update(load_accounts(wanted))
    # Detectors that encode text do it for the whole batch at once (one encoder call, not one per event).
    assessor.registry.prepare([e.payload for _, e in events if e.type in ASSESSED_TYPES])
    outcomes = []
    for index, event in events:
        subject = event.payload
        verdict = None
        if event.type == "account.upserted":
            accounts[subject.id] = subject
        account = accounts.get(_account_id(event) or "")
        outcome = Outcome(index, event, account_category=account.category if account else "")
        if event.type in ASSESSED_TYPES:
            try:
                with ASSESS_SECONDS.time():
                    verdict = assess(subject, assessor.context(account, subject_region(subject), event.occurred_at))
            except Exception as exc:  # noqa: BLE001 - a detector (ours or a plugin) failing on one event
                log.exception("assessing event %s (%s) failed", index, event.id)
                _reject(result, outcome, "the event could not be assessed", exc)
                continue
            outcome.verdict = _note_truncation(verdict, subject)
        outcomes.append(outcome)
    return outcomes


def _note_truncation(verdict: Verdict, subject: Any) -> Verdict:
    """Say in the verdict (and so in the decision's evidence) when detectors read only a prefix."""
    truncated = getattr(subject, "truncated_fields", None)
    if not truncated:
        return verdict
    signal = Signal("text_truncated", True, {
        "analysed_chars": ANALYSED_CHARS, "fields": truncated,
        "note": f"detectors read the first {ANALYSED_CHARS:,} characters of " + ", ".join(
            f"{name} ({length:,} characters)" for name, length in truncated.items())}, detector="intake")
    return dataclasses.replace(verdict, signals={**verdict.signals, "text_truncated": signal})


def _account_id(event: Event) -> str | None:
    p = event.payload
    if event.type == "account.upserted":
        return p.id
    return getattr(p, "account_id", None) or getattr(p, "advertiser_account_id", None)


def _store(outcomes: list[Outcome], source: str, result: BatchResult) -> None:
    """Store in one transaction; counts are added to `result` only once it commits."""
    assessor = assessor_context.current()
    with transaction.atomic():
        decision_log.lock_log()
        # Re-check under the lock: another writer may have stored some of these ids meanwhile.
        already = existing_event_ids([o.event.id for o in outcomes])
        kept = [o for o in outcomes if o.event.id not in already]
        store_batch([o.event for o in kept], source)
        drafts = decisions_for(kept, assessor.policy)
        drafts += lifts_for(kept, drafts)
        rows = decision_log.append(drafts)
        cases = cases_for(kept, assessor.policy)
    for o in outcomes:
        if o.event.id in already:
            o.duplicate = True
            result.duplicates += 1
    result.accepted += len(kept)
    result.decisions += len(rows)
    result.cases += len(cases)
    if rows:
        dispatch_after_commit()
