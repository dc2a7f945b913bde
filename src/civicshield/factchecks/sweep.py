"""The retroactive sweep: a new or revised verdict reaches the posts stored before it existed.

Posts are not re-matched against every fact-check. For each changed fact-check the database finds
posts containing its distinctive words (a cheap scan the database does well), and only those go
back through the one intake pipeline as `content.updated` re-assessments. The claim-match detector
and the policy then decide exactly as at upload time: matching posts gain labels, and when a
verdict is revised to `true` the rules stop firing and the pipeline lifts the earlier decisions. The
decision log, subject state and webhooks follow as for any other event.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import bm25s
from django.db.models import Max, Q
from django.utils import timezone

from civicshield.intake.models import Content
from civicshield.intake.pipeline import process_batch

from .models import FactCheck, FactCheckRevision

DISTINCTIVE_WORDS = 4
MIN_SHARED = 2
BATCH = 500


@dataclass
class SweepResult:
    fact_checks: int = 0
    scanned: int = 0
    reassessed: int = 0
    decisions: int = 0

    def summary(self) -> dict[str, int]:
        return {"fact_checks": self.fact_checks, "candidates": self.scanned, "reassessed": self.reassessed,
                "decisions": self.decisions}


def distinctive_words(claim: str, n: int = DISTINCTIVE_WORDS) -> list[str]:
    """The claim's longest non-stop-words: names, places and numbers are what copies keep."""
    words = bm25s.tokenize([claim], stopwords="en", return_ids=False, show_progress=False)[0]
    unique = list(dict.fromkeys(w for w in words if len(w) >= 4 or w.isdigit()))
    return sorted(unique, key=lambda w: (-len(w), unique.index(w)))[:n]


def candidate_posts(claim: str, chunk_size: int = 2000) -> Iterator[tuple[str, dict]]:
    """(content id, stored payload) of posts sharing enough of the claim's distinctive words."""
    words = distinctive_words(claim)
    if not words:
        return
    needed = min(MIN_SHARED, len(words))
    query = Q()
    for w in words:
        query |= Q(text__icontains=w)
    rows = Content.objects.filter(query).values_list("id", "text", "payload").iterator(chunk_size=chunk_size)
    for content_id, text, payload in rows:
        folded = text.casefold()
        if sum(w in folded for w in words) >= needed:
            yield content_id, payload


def sweep(fact_check_ids: Iterable[int], *, also: Iterable[str] = (), now: dt.datetime | None = None,
          progress: Callable[[int], None] | None = None) -> SweepResult:
    """Re-assess every stored post that may repeat one of these fact-checks' claims.

    `also` names posts to re-assess whatever their words (the post a partner just rated)."""
    from .store import sync_index

    sync_index()
    also = list(also)
    now = now or timezone.now()
    result = SweepResult()
    seen: set[str] = set()
    for fc in FactCheck.objects.filter(pk__in=list(fact_check_ids)):
        result.fact_checks += 1
        revision = FactCheckRevision.objects.filter(fact_check=fc).aggregate(m=Max("id"))["m"] or 0
        batch: list[dict] = []
        named = list(Content.objects.filter(pk__in=also).values_list("id", "payload"))
        claim = " ".join(p for p in (fc.claim, fc.title) if p)
        for content_id, payload in itertools.chain(named, candidate_posts(claim)):
            result.scanned += 1
            if content_id in seen:
                continue
            seen.add(content_id)
            batch.append({"id": f"factcheck-sweep:{fc.pk}.{revision}:{content_id}"[:200],
                          "type": "content.updated", "occurred_at": now.isoformat(), "content": payload})
            if len(batch) >= BATCH:
                _run(batch, result, progress)
                batch = []
        _run(batch, result, progress)
    return result


def _run(batch: list[dict], result: SweepResult, progress: Callable[[int], None] | None) -> None:
    if not batch:
        return
    outcome = process_batch(batch, source="factcheck_sweep")
    result.reassessed += outcome.accepted
    result.decisions += outcome.decisions
    if progress:
        progress(len(batch))
