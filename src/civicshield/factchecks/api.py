"""Fact-check API: claim search and ClaimReview import for platforms, ClaimReview export for all.

Partner verdicts are published as ClaimReview, so the export is public; search and import need a
platform API key.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from civicshield.core.errors import FeedError
from civicshield.intake.auth import ApiKeyAuth

from .claimreview import read_claimreviews
from .importing import export_claimreviews
from .models import FactCheck
from .store import live_index, save_records

router = Router(tags=["factchecks"])


class SearchIn(Schema):
    q: str = Field(..., min_length=1, max_length=5000, description="Text of a post, ad or search")
    top: int = Field(5, ge=1, le=50)
    method: str = Field("hybrid", pattern="^(hybrid|lexical|rrf|bm25|embedding)$")


class MatchOut(Schema):
    fact_check_id: str
    score: float
    rrf: float
    bm25: float
    cosine: float | None
    claim: str
    rating: str
    language: str
    url: str
    organisation: str


class SearchOut(Schema):
    decision: str
    matches: list[MatchOut]


class ImportError_(Schema):
    index: int
    reason: str


class ImportOut(Schema):
    created: int
    revised: int
    unchanged: int
    rejected: int
    errors: list[ImportError_]


class RevisionOut(Schema):
    number: int
    rating: str
    rating_text: str
    created_at: str


class FactCheckOut(Schema):
    id: int
    claim: str
    language: str
    publisher: str
    url: str
    revisions: list[RevisionOut]


@router.get("/search", response=SearchOut, auth=ApiKeyAuth(), summary="Fact-checks matching a text")
def search(request: HttpRequest, params: Query[SearchIn]) -> dict[str, Any]:
    index = live_index()
    matches = index.search(params.q, params.top, method=params.method) if len(index) else []
    return {"decision": index.decide(matches, embedded=params.method != "lexical"),
            "matches": [m.as_dict() for m in matches]}


@router.post("/claimreviews", response=ImportOut, auth=ApiKeyAuth(),
             summary="Import ClaimReview (object, list, @graph or a Fact Check Tools response)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}}}}})
def import_claimreviews(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(422, f"the body must be JSON: {exc}") from None
    try:
        records, errors = read_claimreviews(body)
    except FeedError as exc:
        raise HttpError(422, str(exc)) from None
    source = "factchecktools" if isinstance(body, dict) and "claims" in body else "claimreview"
    result = save_records(records, source)
    result.errors = errors
    return result.summary()


@router.get("/claimreviews", auth=None, summary="ClaimReview JSON-LD for verdicts partners made here")
def list_claimreviews(request: HttpRequest) -> list[dict[str, Any]]:
    return export_claimreviews()


@router.get("/{fact_check_id}", response=FactCheckOut, auth=ApiKeyAuth(), summary="A fact-check and its revisions")
def fact_check(request: HttpRequest, fact_check_id: int) -> dict[str, Any]:
    fc = FactCheck.objects.select_related("organisation").filter(pk=fact_check_id).first()
    if fc is None:
        raise HttpError(404, f"no fact-check {fact_check_id}")
    return {"id": fc.pk, "claim": fc.claim, "language": fc.language, "publisher": fc.publisher_name,
            "url": fc.url, "revisions": [{"number": r.number, "rating": r.rating, "rating_text": r.rating_text,
                                          "created_at": r.created_at.isoformat()} for r in fc.revisions.all()]}
