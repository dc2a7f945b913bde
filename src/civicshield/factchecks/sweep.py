"""The retroactive sweep: a new or revised verdict reaches the posts stored before it existed.

Posts are not re-matched against every fact-check. For each changed fact-check the database (or
DuckDB / Spark over a Parquet export of the posts, `candidates.py`) finds posts containing its
distinctive words, and only those go back through the one intake pipeline as `content.updated`
re-assessments. The claim-match detector and the policy then decide exactly as at upload time:
matching posts gain labels, and when a verdict is revised to `true` the rules stop firing and the
pipeline lifts the earlier decisions. The decision log, subject state and webhooks follow as for any
other event.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping

from django.db.models import Max
from django.utils import timezone

from civicshield.intake.models import Content
from civicshield.intake.pipeline import process_batch

from .candidates import in_database
from .models import FactCheck, FactCheckRevision

BATCH = 500
# Candidate finders take {fact-check id: claim text} and yield (fact-check id, content id) pairs.
Finder = Callable[[Mapping[int, str]], Iterator[tuple[int, str]]]


@dataclass
class SweepResult:
    fact_checks: int = 0
    scanned: int = 0
    reassessed: int = 0
    decisions: int = 0

    def summary(self) -> dict[str, int]:
        return {"fact_checks": self.fact_checks, "candidates": self.scanned, "reassessed": self.reassessed,
                "decisions": self.decisions}


def sweep(fact_check_ids: Iterable[int], *, also: Iterable[str] = (), now: dt.datetime | None = None,
          progress: Callable[[int], None] | None = None, candidates: Finder = in_database) -> SweepResult:
    """Re-assess every stored post that may repeat one of these fact-checks' claims.

    `also` names posts to re-assess whatever their words (the post a partner just rated);
    `candidates` finds the rest (the database by default; `candidates.in_parquet` for an export)."""
    from .store import sync_index

    sync_index()
    now = now or timezone.now()
    result = SweepResult()
    claims = {fc.pk: " ".join(p for p in (fc.claim, fc.title) if p)
              for fc in FactCheck.objects.filter(pk__in=list(fact_check_ids))}
    result.fact_checks = len(claims)
    revisions = dict(FactCheckRevision.objects.filter(fact_check__in=list(claims)).values("fact_check")
                     .annotate(m=Max("id")).values_list("fact_check", "m"))
    named = list(Content.objects.filter(pk__in=list(also)).values_list("id", flat=True))
    found = itertools.chain(((fc, content_id) for fc in claims for content_id in named), candidates(claims))
    seen: set[str] = set()
    batch: list[tuple[str, str]] = []
    for fc, content_id in found:
        result.scanned += 1
        if content_id in seen:
            continue
        seen.add(content_id)
        batch.append((f"factcheck-sweep:{fc}.{revisions.get(fc, 0)}:{content_id}"[:200], content_id))
        if len(batch) >= BATCH:
            _run(batch, now, result, progress)
            batch = []
    _run(batch, now, result, progress)
    return result


def _run(batch: list[tuple[str, str]], now: dt.datetime, result: SweepResult,
         progress: Callable[[int], None] | None) -> None:
    """Re-assess a batch as `content.updated` events carrying each post's stored payload."""
    if not batch:
        return
    payloads = dict(Content.objects.filter(pk__in=[c for _, c in batch]).values_list("id", "payload"))
    events = [{"id": event_id, "type": "content.updated", "occurred_at": now.isoformat(), "content": payloads[c]}
              for event_id, c in batch if c in payloads]  # a post in an older export may be gone since
    if events:
        outcome = process_batch(events, source="factcheck_sweep")
        result.reassessed += outcome.accepted
        result.decisions += outcome.decisions
    if progress:
        progress(len(batch))
