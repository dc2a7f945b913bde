"""Files in and out of the fact-check store: ClaimReview, Fact Check Tools responses, CLEF TSV.

The readers are pure (`claimreview.py`, `clef.py`); this module decides which one a file needs,
stores the records and exports partner verdicts back as ClaimReview.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from civicshield.core.errors import FeedError

from . import clef
from .claimreview import RATING_NAME, RATINGS, ClaimReviewRecord, read_claimreviews, to_claimreview
from .models import FactCheck, PartnerOrganisation
from .store import save_records


def organisation(slug: str | None) -> PartnerOrganisation | None:
    if not slug:
        return None
    org = PartnerOrganisation.objects.filter(slug=slug).first()
    if org is None:
        raise FeedError(f"no partner organisation with slug {slug!r}; create it in the admin first")
    return org


def import_path(path: Path, *, org: str | None = None, clef_rating: str = "false",
                sweep: bool = True) -> dict[str, Any]:
    """Import one file, choosing the reader by its content."""
    partner = organisation(org)
    if path.suffix.lower() in (".tsv", ".txt"):
        if clef_rating not in RATINGS:
            raise FeedError(f"--rating must be one of {', '.join(RATINGS)}")
        records = [ClaimReviewRecord(claim=c.claim, rating=clef_rating, rating_text=RATING_NAME[clef_rating],
                                     title=c.title, language="en", url=f"clef:{c.id}")  # type: ignore[arg-type]
                   for c in clef.read_claims(path)]
        result = save_records(records, "clef", partner, sweep=sweep)
        return result.summary()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"{path.name} is not JSON: {exc}") from None
    records, errors = read_claimreviews(data)
    source = "factchecktools" if isinstance(data, dict) and "claims" in data else "claimreview"
    result = save_records(records, source, partner, sweep=sweep)
    result.errors = errors
    return result.summary()


def partner_record(fc: FactCheck) -> ClaimReviewRecord | None:
    revision = fc.current
    if revision is None:
        return None
    org = fc.organisation
    return ClaimReviewRecord(
        claim=fc.claim, rating=revision.rating, rating_text=revision.rating_text or RATING_NAME[revision.rating],
        url=fc.url, organisation=org.name if org else fc.publisher, organisation_url=org.url if org else "",
        language=fc.language, title=fc.title, claimant=fc.claimant, review_date=revision.created_at.date(),
        claim_date=fc.claim_date, appearances=tuple(fc.appearances or ()))


def export_claimreviews(org: str | None = None) -> list[dict[str, Any]]:
    """ClaimReview JSON-LD for verdicts partners made in CivicShield (newest revision of each)."""
    qs = FactCheck.objects.filter(source="partner").select_related("organisation")
    partner = organisation(org)
    if partner is not None:
        qs = qs.filter(organisation=partner)
    return [to_claimreview(r) for r in (partner_record(fc) for fc in qs.order_by("id")) if r]
