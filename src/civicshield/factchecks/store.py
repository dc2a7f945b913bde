"""Writing fact-checks and keeping the live claim index in step with them.

Every way a verdict arrives (a ClaimReview import, a CLEF file, a partner rating a case) goes
through `save_records` / `add_revision`, which store a new fact-check or a new revision and add just
that claim to the process's claim index (embedding one claim, not the store). The index is also
persisted under CIVICSHIELD_HOME so a restart reloads it instead of re-embedding everything;
`sync_index` brings a loaded index up to date with revisions written by other processes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from civicshield.core.errors import CivicShieldError

from .claimreview import RATINGS, ClaimReviewRecord
from .matching import ClaimIndex, Decision, IndexedClaim, Match
from .models import FactCheck, FactCheckRevision, PartnerOrganisation
from .reranker import Thresholds
from .tasks import schedule_sweep

_lock = threading.RLock()
_live: "LiveIndex | None" = None
_synced_revision = 0


def index_dir() -> Path:
    return Path(settings.HOME) / "factchecks-index"


def external_key(url: str, claim: str) -> str:
    return hashlib.sha256(f"{url.strip()}\n{' '.join(claim.split()).casefold()}".encode()).hexdigest()


@dataclass
class SaveResult:
    created: list[int] = field(default_factory=list)
    revised: list[int] = field(default_factory=list)
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> list[int]:
        return self.created + self.revised

    def summary(self) -> dict[str, Any]:
        return {"created": len(self.created), "revised": len(self.revised), "unchanged": self.unchanged,
                "rejected": len(self.errors), "errors": self.errors}


def save_records(records: Iterable[ClaimReviewRecord], source: str,
                 organisation: PartnerOrganisation | None = None, *, sweep: bool = True) -> SaveResult:
    """Store fact-checks; a known one (same URL and claim) with a new rating gets a new revision.

    Changed fact-checks are then swept over stored posts (`sweep=False` for bulk loads of reference
    data such as CLEF claims, which no stored post is expected to repeat)."""
    result = SaveResult()
    for record in records:
        key = external_key(record.url, record.claim)
        with transaction.atomic():
            fc = FactCheck.objects.filter(external_key=key).first()
            if fc is None:
                fc = FactCheck.objects.create(
                    claim=record.claim, language=record.language[:16], organisation=organisation,
                    publisher=record.organisation[:200], publisher_url=record.organisation_url[:500],
                    url=record.url[:1000], title=record.title[:500], claimant=record.claimant[:300],
                    claim_date=record.claim_date, appearances=list(record.appearances), source=source,
                    external_key=key)
                _revise(fc, record.rating, record.rating_text, record.review_date)
                result.created.append(fc.pk)
            elif (fc.current and fc.current.rating) != record.rating:
                _revise(fc, record.rating, record.rating_text, record.review_date)
                result.revised.append(fc.pk)
            else:
                result.unchanged += 1
    refresh_index(result.changed)
    if sweep:
        schedule_sweep(result.changed)
    return result


def add_revision(fact_check: FactCheck, rating: str, *, rating_text: str = "", notes: str = "",
                 sources: list[str] | None = None, author: Any = None) -> FactCheckRevision:
    """A new verdict on an existing fact-check (never an edit of the old one)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
    with transaction.atomic():
        revision = _revise(fact_check, rating, rating_text, None, notes, sources or [], author)
    refresh_index([fact_check.pk])
    schedule_sweep([fact_check.pk])
    return revision


def _revise(fc: FactCheck, rating: str, rating_text: str, review_date: Any, notes: str = "",
            sources: list[str] | None = None, author: Any = None) -> FactCheckRevision:
    number = (fc.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return FactCheckRevision.objects.create(fact_check=fc, number=number, rating=rating,
                                            rating_text=rating_text[:200], review_date=review_date,
                                            notes=notes, sources=sources or [], author=author)


def indexed(fact_checks: Iterable[FactCheck]) -> list[IndexedClaim]:
    """Fact-checks as the matcher sees them (newest revision's rating)."""
    fcs = list(fact_checks)
    latest: dict[int, str] = {}
    for fc_id, rating in (FactCheckRevision.objects.filter(fact_check__in=fcs)
                          .order_by("fact_check_id", "number").values_list("fact_check_id", "rating")):
        latest[fc_id] = rating
    return [IndexedClaim(id=str(fc.pk), text=" ".join(p for p in (fc.claim, fc.title) if p),
                         rating=latest.get(fc.pk, ""), language=fc.language, url=fc.url,
                         organisation=fc.publisher_name) for fc in fcs]


class LiveIndex:
    """The claim index the pipeline holds on to; rebuilding swaps what it points at."""

    def __init__(self, index: ClaimIndex) -> None:
        self.index = index

    def __len__(self) -> int:
        return len(self.index)

    def search(self, text: str, top: int = 10, **kwargs: Any) -> list[Match]:
        return self.index.search(text, top, **kwargs)

    def decide(self, matches: list[Match], embedded: bool = True) -> Decision:
        return self.index.decide(matches, embedded)

    def thresholds(self, embedded: bool = True) -> Thresholds:
        return self.index.thresholds(embedded)


def live_index() -> LiveIndex:
    """This process's claim index: loaded from disk (or built from the database) on first use."""
    global _live, _synced_revision
    with _lock:
        if _live is None:
            path = index_dir()
            try:
                index = ClaimIndex.load(path)
                _synced_revision = json.loads((path / "sync.json").read_text())["revision"]
                if index.encoder != settings.FACTCHECK_ENCODER:
                    raise CivicShieldError("the configured encoder changed: re-embed every fact-check")
            except (OSError, ValueError, KeyError, CivicShieldError):
                index, _synced_revision = ClaimIndex(encoder=settings.FACTCHECK_ENCODER), 0
            _live = LiveIndex(index)
            sync_index()
        return _live


def sync_index(save: bool = True) -> int:
    """Index fact-checks revised since the last sync (all of them if the store was replaced)."""
    global _synced_revision
    with _lock:
        live = _live if _live is not None else live_index()
        latest = FactCheckRevision.objects.aggregate(m=Max("id"))["m"] or 0
        if latest == _synced_revision:
            return 0
        if latest < _synced_revision or (not _synced_revision and len(live)):
            live.index = ClaimIndex(encoder=live.index.encoder)
            changed = set(FactCheck.objects.values_list("id", flat=True))
        else:
            changed = set(FactCheckRevision.objects.filter(id__gt=_synced_revision)
                          .values_list("fact_check_id", flat=True))
        _add(live.index, changed)
        _synced_revision = latest
        if save:
            _save(live.index)
        return len(changed)


def refresh_index(fact_check_ids: Iterable[int]) -> None:
    if list(fact_check_ids):
        sync_index()


def reset_index() -> None:
    """Forget the in-memory index (tests, or after restoring a database)."""
    global _live, _synced_revision
    with _lock:
        _live, _synced_revision = None, 0


def _add(index: ClaimIndex, fact_check_ids: set[int]) -> None:
    ids = sorted(fact_check_ids)
    for start in range(0, len(ids), 1000):
        index.add(indexed(FactCheck.objects.filter(pk__in=ids[start:start + 1000]).select_related("organisation")))


def _save(index: ClaimIndex) -> None:
    path = index_dir()
    try:
        index.save(path)
        (path / "sync.json").write_text(json.dumps({"revision": _synced_revision}))
    except OSError:
        pass  # a read-only home still works: the index lives in memory and is rebuilt on start
