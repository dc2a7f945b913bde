"""The official registry as an assessment resource, kept fresh across processes.

The pipeline reads `context.resources["verification.officials"]` for every subject, so the registry
lives in memory. A verifier's decision refreshes it at once in the deciding process; other processes
notice within `RECHECK_SECONDS` through a cheap fingerprint query (entry count, newest change). A
change is applied as a delta (new entries added, revoked ones removed), so a registry of 100,000
names is not re-indexed after every approval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Count, Max

from .officials import Official, OfficialRegistry

RECHECK_SECONDS = 30.0
CLEARED_RULE = "verification.impersonation_cleared"


def _official(v: Any) -> Official:
    return Official(account_id=v.account_id, handle=v.handle, display_name=v.display_name, category=v.category,
                    official_name=v.official_name, office=v.office, region=v.region, website=v.website,
                    verified_at=v.verified_at.isoformat())


def _cleared() -> list[tuple[str, str]]:
    from civicshield.decisions.models import Decision

    return [(row["subject_id"], str((row["signals"] or {}).get("official_account_id", "")))
            for row in Decision.objects.filter(rule_id=CLEARED_RULE).values("subject_id", "signals")]


def load_registry() -> OfficialRegistry:
    from .models import VerifiedAccount

    officials = [_official(v) for v in VerifiedAccount.objects.filter(revoked_at__isnull=True).order_by("id")]
    return OfficialRegistry(officials, _cleared())


def apply_changes(registry: OfficialRegistry, since_id: int, since_revoked: Any) -> None:
    """Bring a loaded registry up to date: revoked entries out, then entries created after `since_id` in."""
    from .models import VerifiedAccount

    revoked = VerifiedAccount.objects.filter(revoked_at__isnull=False)
    if since_revoked is not None:
        revoked = revoked.filter(revoked_at__gt=since_revoked)
    for account_id in set(revoked.values_list("account_id", flat=True)):
        if not VerifiedAccount.objects.filter(account_id=account_id, revoked_at__isnull=True).exists():
            registry.remove(account_id)
    for v in VerifiedAccount.objects.filter(id__gt=since_id or 0, revoked_at__isnull=True).order_by("id"):
        registry.add(_official(v))
    registry.cleared = frozenset(_cleared())


def _fingerprint() -> tuple[Any, ...]:
    from civicshield.decisions.models import Decision

    from .models import VerifiedAccount

    entries = VerifiedAccount.objects.aggregate(n=Count("id"), last=Max("id"), revoked=Max("revoked_at"))
    cleared = Decision.objects.filter(rule_id=CLEARED_RULE).aggregate(last=Max("seq"))
    return entries["n"], entries["last"], entries["revoked"], cleared["last"]


class LiveOfficials(Mapping[str, Official]):
    """A Mapping over the current registry that reloads itself when the database changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._registry: OfficialRegistry | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        """Check the database on the next read (the change is applied as a delta)."""
        with self._lock:
            self._checked = 0.0

    def snapshot(self) -> OfficialRegistry:
        with self._lock:
            now = time.monotonic()
            if self._registry is None or now - self._checked > RECHECK_SECONDS:
                fingerprint = _fingerprint()
                if self._registry is None:
                    self._registry = load_registry()
                elif fingerprint != self._fingerprint:
                    apply_changes(self._registry, self._fingerprint[1], self._fingerprint[2])
                self._fingerprint, self._checked = fingerprint, now
            return self._registry

    @property
    def cleared(self) -> frozenset[tuple[str, str]]:
        return self.snapshot().cleared

    def lookalike_index(self) -> Any:
        return self.snapshot().lookalike_index()

    def __getitem__(self, account_id: str) -> Official:
        return self.snapshot()[account_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        return len(self.snapshot())

    def items(self) -> Any:
        return self.snapshot().items()

    def values(self) -> Any:
        return self.snapshot().values()

    def get(self, account_id: str, default: Any = None) -> Any:
        return self.snapshot().get(account_id, default)


_live: LiveOfficials | None = None


def live_officials(fresh: bool = False) -> LiveOfficials:
    global _live
    if _live is None or fresh:
        _live = LiveOfficials()
    return _live


def registry_changed() -> None:
    """Call after the registry or a look-alike clearance changed, so assessments see it at once."""
    if _live is not None:
        _live.invalidate()
