"""What the provenance detectors get from the database and settings, kept fresh cheaply.

The media bank resource rebuilds its `HashIndex` only when the banked hashes change (a count and a
maximum id, one small query per lookup), so a hash banked by a reviewer's decision matches the very
next upload without restarting anything.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Sequence

from django.conf import settings
from django.db.models import Count, Max

from .bank import HashIndex, hashes_to_array
from .credentials import TrustSettings
from .models import BankedHash

TRUST_ENV = "CIVICSHIELD_C2PA_TRUST_ANCHORS"


def media_root() -> Path:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def trust_settings() -> TrustSettings:
    """Trust anchors from the PEM bundle named by $CIVICSHIELD_C2PA_TRUST_ANCHORS (none: nothing is `trusted`)."""
    path = os.environ.get(TRUST_ENV, "")
    return TrustSettings.from_files(path) if path and Path(path).is_file() else TrustSettings()


class LiveBank:
    """All banks in one index; `match` answers per query hash with the banks and labels it hits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._index = HashIndex.from_hex([])
        self._entries: list[dict[str, Any]] = []

    def _refresh(self) -> None:
        stats = BankedHash.objects.aggregate(n=Count("id"), top=Max("id"))
        version = (stats["n"], stats["top"] or 0)
        if version == self._version:
            return
        rows = list(BankedHash.objects.select_related("bank").order_by("id")
                    .values_list("id", "pdq", "bank__name", "bank__labels", "fact_check_url", "subject_key"))
        self._entries = [{"entry": r[0], "bank": r[2], "labels": list(r[3] or []), "fact_check": r[4],
                          "subject": r[5]} for r in rows]
        self._index = HashIndex.from_hex([r[1] for r in rows])
        self._version = version

    def match(self, hashes: Sequence[str]) -> list[list[dict[str, Any]]]:
        with self._lock:
            self._refresh()
            index, entries = self._index, self._entries
        found: list[list[dict[str, Any]]] = [[] for _ in hashes]
        if not hashes or not entries:
            return found
        rows, banked, distance = index.search(hashes_to_array(list(hashes)))
        for q, b, d in zip(rows.tolist(), banked.tolist(), distance.tolist()):
            found[q].append(dict(entries[b], distance=d))
        return found


def resources() -> dict[str, Any]:
    """Built once per assessment context (and again after `civicshield.intake.context.reset()`)."""
    return {"media_root": str(media_root()), "c2pa_trust": trust_settings(), "media_bank": LiveBank()}
