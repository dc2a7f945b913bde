"""The one intake pipeline: validate → dedupe → assess → store → decide → notify.

`process_batch` is called by the HTTP API, `civicshield ingest` / `assess` and broker consumers alike.
Bad events are reported by index and skipped; good ones in the same batch are kept. Event ids make it
idempotent: a replayed batch changes nothing. Assessment runs before the write lock is taken, and the
duplicate check is repeated under the lock, so concurrent writers never double-log a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from civicshield.core.assess import assess
from civicshield.core.errors import InvalidEvent
from civicshield.core.events import Account, Event, parse_event, subject_region
from civicshield.core.verdict import Verdict
from civicshield.decisions import log as decision_log
from civicshield.decisions.outbox import dispatch_after_commit

from civicshield.observability.metrics import ASSESS_SECONDS, EVENTS

from . import context as assessor_context
from .decide import decisions_for, lifts_for, cases_for
from .storage import existing_event_ids, load_accounts, store_batch

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
    outcomes = _assess_all(fresh, accounts if accounts is not None else {}, load_missing=not dry_run)
    result.outcomes.extend(outcomes)
    result.outcomes.sort(key=lambda o: o.index)
    if dry_run:
        result.accepted = len(fresh)
        return result
    _store(outcomes, source, result)
    _count(result)
    return result


def _count(result: BatchResult) -> None:
    for o in result.outcomes:
        EVENTS.labels(o.event.type, "duplicate" if o.duplicate else "accepted").inc()
    if result.errors:
        EVENTS.labels("invalid", "rejected").inc(len(result.errors))


def _assess_all(events: Iterable[tuple[int, Event]], accounts: dict[str, Account], load_missing: bool) -> list[Outcome]:
    events = list(events)
    assessor = assessor_context.current()
    if load_missing:
        wanted = {_account_id(e) for _, e in events} - set(accounts) - {None}
        accounts.update(load_accounts(wanted))
    outcomes = []
    for index, event in events:
        subject = event.payload
        verdict = None
        if event.type == "account.upserted":
            accounts[subject.id] = subject
        account = accounts.get(_account_id(event) or "")
        if event.type in ASSESSED_TYPES:
            with ASSESS_SECONDS.time():
                verdict = assess(subject, assessor.context(account, subject_region(subject), event.occurred_at))
        outcomes.append(Outcome(index, event, verdict, account_category=account.category if account else ""))
    return outcomes


def _account_id(event: Event) -> str | None:
    p = event.payload
    if event.type == "account.upserted":
        return p.id
    return getattr(p, "account_id", None) or getattr(p, "advertiser_account_id", None)


def _store(outcomes: list[Outcome], source: str, result: BatchResult) -> None:
    assessor = assessor_context.current()
    with transaction.atomic():
        decision_log.lock_log()
        # Re-check under the lock: another writer may have stored some of these ids meanwhile.
        already = existing_event_ids([o.event.id for o in outcomes])
        kept = [o for o in outcomes if o.event.id not in already]
        for o in outcomes:
            if o.event.id in already:
                o.duplicate = True
                result.duplicates += 1
        store_batch([o.event for o in kept], source)
        drafts = decisions_for(kept, assessor.policy)
        drafts += lifts_for(kept, drafts)
        rows = decision_log.append(drafts)
        cases = cases_for(kept, assessor.policy)
        result.accepted = len(kept)
        result.decisions = len(rows)
        result.cases = len(cases)
    if rows:
        dispatch_after_commit()
