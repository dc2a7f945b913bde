"""Public JSON API of the ad library: `GET /api/v1/ads/library` (no key needed: the data is public)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from .library import parse_query, search

router = Router(tags=["ads"])


class LibraryEntryOut(Schema):
    ad_id: str
    advertiser_id: str
    advertiser_name: str
    advertiser_category: str
    text: str
    regions: list[str]
    submitted_at: str
    rejected_at: str
    reason_codes: list[str]
    reasons: list[str]
    decided_by: str


class LibraryOut(Schema):
    total: int
    offset: int
    limit: int
    results: list[LibraryEntryOut]


@router.get("/library", response=LibraryOut, auth=None)
def library(request: HttpRequest, q: str = "", region: str = "", reason: str = "", advertiser: str = "",
            since: str = "", until: str = "", offset: int = 0, limit: int = 100) -> dict[str, Any]:
    """Rejected political ads: filter by text (`q`), `region`, `reason` code, `advertiser` id and the
    rejection date (`since`/`until`, ISO dates). Bad parameters are a 422 that names them."""
    query, errors = parse_query({"q": q, "region": region, "reason": reason, "advertiser": advertiser,
                                 "since": since, "until": until})
    if offset < 0 or not 1 <= limit <= 500:
        errors.append("offset must be ≥ 0 and limit between 1 and 500")
    if errors:
        raise HttpError(422, "; ".join(errors))
    entries = search(query)
    return {"total": len(entries), "offset": offset, "limit": limit,
            "results": [e.as_dict() for e in entries[offset:offset + limit]]}
