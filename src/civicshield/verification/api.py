"""Verification API: platforms submit requests with evidence on an applicant's behalf and read the registry.

Submitting needs a platform API key. The registry endpoints are public, like the registry page.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field, HttpUrl, model_validator

from civicshield.core.events import unstorable
from civicshield.intake.auth import ApiKeyAuth

from .evidence import check_documents
from .models import VerificationRequest
from .registry import entry_dict, public_entries
from .workflow import WorkflowError, submit_request

router = Router(tags=["verification"])


class RequestIn(Schema):
    account_id: str = Field(min_length=1, max_length=200)
    category: Literal["government", "politician", "political_party", "news_org", "state_media"]
    official_name: str = Field(min_length=1, max_length=200)
    office: str = Field("", max_length=200)
    region: str = Field("", pattern=r"^([A-Z]{2}(-[A-Z0-9]{1,3})?)?$")
    website: HttpUrl | None = None
    registry_reference: str = Field("", max_length=300)
    applicant_note: str = Field("", max_length=4000)

    @model_validator(mode="after")
    def _storable(self) -> "RequestIn":
        """Text a database cannot store (NUL, lone surrogates) is refused here, field by field."""
        for name in ("account_id", "official_name", "office", "registry_reference", "applicant_note"):
            problem = unstorable(getattr(self, name), name)
            if problem is not None:
                raise ValueError(f"{problem[0]}: {problem[1]}")
        return self


class DocumentError(Schema):
    index: int | None
    name: str
    reason: str


class RequestOut(Schema):
    id: int
    account_id: str
    category: str
    status: str
    rationale: str
    evidence: list[dict[str, Any]]
    errors: list[DocumentError] = []


class Official(Schema):
    account_id: str
    handle: str
    display_name: str
    category: str
    official_name: str
    office: str
    region: str
    website: str
    verified_at: str


def _out(req: VerificationRequest, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": req.pk, "account_id": req.account_id, "category": req.category, "status": req.status,
            "rationale": req.rationale if req.status != "pending" else "",
            "evidence": [{"name": d.original_name, "content_type": d.content_type, "size": d.size,
                          "sha256": d.sha256} for d in req.evidence.all()], "errors": errors or []}


@router.post("requests", auth=ApiKeyAuth(), response={201: RequestOut},
             summary="Submit a verification request with evidence documents (multipart)")
def create_request(request: HttpRequest, data: Form[RequestIn],
                   evidence: File[list[UploadedFile]]) -> Status:
    """Documents must be PDF, PNG, JPEG or WebP, at most 10 MB each and 5 in all. Refused documents are
    listed with their index and reason; the request is stored if at least one document is good."""
    good, bad = check_documents(evidence)
    errors = [e.as_dict() for e in bad]
    if not good:
        raise HttpError(422, "no acceptable evidence document: " + "; ".join(str(e) for e in bad))
    try:
        req = submit_request(documents=good, submitted_via=f"api:{request.auth.name}",
                             **{**data.dict(), "website": str(data.website) if data.website else ""})
    except WorkflowError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _out(req, errors))


@router.get("requests/{request_id}", auth=ApiKeyAuth(), response=RequestOut, summary="A request's status")
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """Only the API key that submitted a request can read it."""
    return _out(get_object_or_404(VerificationRequest, pk=request_id, submitted_via=f"api:{request.auth.name}"))


@router.get("registry", auth=None, response=list[Official], summary="Verified official accounts (public)")
def registry(request: HttpRequest, category: str | None = None) -> list[dict[str, Any]]:
    return [entry_dict(e) for e in public_entries(category)]


@router.get("registry/{account_id}", auth=None, response=Official, summary="Is this account a verified official?")
def registry_entry(request: HttpRequest, account_id: str) -> dict[str, Any]:
    entry = public_entries().filter(account_id=account_id).first()
    if entry is None:
        raise HttpError(404, f"account {account_id!r} is not in the registry of verified officials")
    return entry_dict(entry)
