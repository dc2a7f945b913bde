"""The public registry of verified official accounts: one queryset, three formats (page, JSON, CSV)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicshield.core.spreadsheets import csv_text

from .models import VerifiedAccount

FIELDS = ("account_id", "handle", "display_name", "category", "official_name", "office", "region", "website",
          "verified_at")


def public_entries(category: str | None = None, q: str | None = None) -> QuerySet[VerifiedAccount]:
    """Active entries only: a revoked badge is not public evidence of anything."""
    rows = VerifiedAccount.objects.filter(revoked_at__isnull=True)
    if category:
        rows = rows.filter(category=category)
    if q:
        rows = rows.filter(official_name__icontains=q[:100]) | rows.filter(handle__icontains=q[:100])
    return rows.order_by("official_name", "id")


def entry_dict(entry: VerifiedAccount) -> dict[str, Any]:
    return {f: (entry.verified_at.isoformat() if f == "verified_at" else getattr(entry, f)) for f in FIELDS}


def as_csv(entries: QuerySet[VerifiedAccount]) -> str:
    return csv_text(FIELDS, ([entry_dict(e)[f] for f in FIELDS] for e in entries))
