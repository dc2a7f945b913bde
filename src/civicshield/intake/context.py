"""Builds the assessment context from the database: policy, detectors, resources, elections.

Expensive pieces (the detector registry, app resources such as a claim index) are built once per
process and reused; `reset()` drops them after a policy or reference-data change.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from civicshield.core.assess import Context
from civicshield.core.detectors import Registry
from civicshield.core.events import Account
from civicshield.core.policy import Policy, load_policy
from civicshield.elections.calendar import election_context, load_elections

_ELECTIONS_TTL = 60.0


class Assessor:
    """Everything `assess` needs that comes from configuration or the database."""

    def __init__(self, policy: Policy | None = None, registry: Registry | None = None) -> None:
        self.policy = policy or load_policy(settings.CIVICSHIELD["POLICY_DIR"])
        self.registry = registry or Registry.from_entry_points(settings.CIVICSHIELD["DETECTORS"])
        self.registry.load()
        self.resources = _collect_resources()
        self._elections: list[dict[str, Any]] = []
        self._elections_at = 0.0

    def elections(self) -> list[dict[str, Any]]:
        if time.monotonic() - self._elections_at > _ELECTIONS_TTL:
            self._elections, self._elections_at = load_elections(), time.monotonic()
        return self._elections

    def context(self, account: Account | None, region: str | None, now: dt.datetime | None = None) -> Context:
        now = now or timezone.now()
        election = election_context(self.elections(), region or (account.region if account else None), now.date())
        return Context(self.policy, self.registry, account, election, now, self.resources)

    def with_policy(self, policy: Policy) -> "Assessor":
        return Assessor(policy, self.registry)


def _collect_resources() -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for config in apps.get_app_configs():
        provide = getattr(config, "assessment_resources", None)
        if callable(provide):
            resources.update(provide())
    return resources


_lock = threading.Lock()
_current: Assessor | None = None


def current() -> Assessor:
    global _current
    with _lock:
        if _current is None:
            _current = Assessor()
        return _current


def reset() -> None:
    global _current
    with _lock:
        _current = None
