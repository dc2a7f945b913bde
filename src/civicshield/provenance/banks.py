"""Managing banks: create one, add hashes in batches (bad items reported, good ones kept), import and
export ThreatExchange text. Shared by the API, the CLI and label propagation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.db import transaction

from civicshield.core.errors import ProvenanceError
from civicshield.core.verdict import LABELS

from .bank import MIN_QUALITY, BankEntry, LineError, format_threatexchange, parse_threatexchange
from .models import BankedHash, MediaBank

DEFAULT_BANKS: dict[str, tuple[str, list[str]]] = {
    "known_ai_generated": ("Media known to be AI-generated (imported or confirmed by reviewers).", ["ai_generated"]),
    "known_misleading": ("Media a fact-checker rated misleading; entries link the fact-check.", []),
    "labelled_ai_generated": ("Filled from the decision log: media of items labelled AI-generated.", ["ai_generated"]),
}


@dataclass
class AddResult:
    added: int = 0
    already: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


BANK_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,99}")


def ensure_bank(name: str, *, labels: Iterable[str] | None = None, description: str = "") -> MediaBank:
    """The bank called `name`, created if missing (default banks get their shipped description and labels)."""
    if not BANK_NAME.fullmatch(name or ""):
        raise ProvenanceError(f"bank names are 2-100 lower-case letters, digits, '-' or '_', starting with a "
                              f"letter or digit (like known_ai_generated); {name!r} is not one")
    default_description, default_labels = DEFAULT_BANKS.get(name, ("", []))
    chosen = list(labels) if labels is not None else default_labels
    unknown = [label for label in chosen if label not in LABELS]
    if unknown:
        raise ProvenanceError(f"unknown label(s) {unknown}; use names from the label vocabulary")
    bank, created = MediaBank.objects.get_or_create(
        name=name, defaults={"labels": chosen, "description": description or default_description})
    if not created and labels is not None and bank.labels != chosen:
        bank.labels = chosen
        bank.save(update_fields=["labels"])
    return bank


def add_entries(bank: MediaBank, entries: Iterable[BankEntry], *, source: str = "import",
                first_index: int = 0) -> AddResult:
    """Add hashes to a bank; an item that cannot be banked is reported with its index and reason."""
    result = AddResult()
    rows: list[BankedHash] = []
    existing = set(BankedHash.objects.filter(bank=bank).values_list("pdq", flat=True))
    for index, entry in enumerate(entries, start=first_index):
        if entry.quality is not None and entry.quality < MIN_QUALITY:
            result.errors.append({"index": index, "reason": f"quality {entry.quality} is below {MIN_QUALITY}"})
            continue
        if entry.hash in existing:
            result.already += 1
            continue
        existing.add(entry.hash)
        metadata = dict(entry.metadata)
        rows.append(BankedHash(bank=bank, pdq=entry.hash, quality=entry.quality, source=source,
                               fact_check_url=str(metadata.pop("fact_check", ""))[:1000], metadata=metadata))
    with transaction.atomic():
        BankedHash.objects.bulk_create(rows, batch_size=1000)
    result.added = len(rows)
    return result


def import_text(bank: MediaBank, lines: Iterable[str]) -> tuple[AddResult, list[LineError]]:
    entries, line_errors = parse_threatexchange(lines)
    return add_entries(bank, entries), line_errors


def export_text(bank: MediaBank) -> str:
    entries = []
    for row in bank.hashes.order_by("id"):
        metadata = dict(row.metadata)
        if row.fact_check_url:
            metadata["fact_check"] = row.fact_check_url
        entries.append(BankEntry(row.pdq, row.quality, metadata))
    return format_threatexchange(entries)
