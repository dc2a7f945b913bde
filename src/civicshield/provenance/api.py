"""Provenance API: upload media (size and type checked), read what was found, manage media banks.

Platform clients authenticate with an API key. Uploaded files are stored under the media root and
their returned `path` goes into `media[].path` of a content event; nothing is ever fetched by URL.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from civicshield.core.errors import ProvenanceError
from civicshield.core.events import unstorable
from civicshield.intake.auth import ApiKeyAuth

from .bank import BankEntry, HEX_HASH
from .banks import add_entries, ensure_bank, export_text
from .models import MediaBank, MediaFile
from .uploads import MediaRejected, max_upload_bytes, store_upload

router = Router(tags=["provenance"])


class MediaOut(Schema):
    path: str
    sha256: str
    mime: str
    size: int
    pdq: str
    pdq_quality: int | None
    provenance: dict[str, Any]


class BankIn(Schema):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,99}$")
    labels: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field([], max_length=50)
    description: str = Field("", max_length=2000)


class BankOut(Schema):
    name: str
    labels: list[str]
    description: str
    hashes: int


class HashIn(Schema):
    pdq: str
    quality: int | None = Field(None, ge=0, le=100)
    fact_check_url: str = Field("", max_length=1000)
    metadata: dict[str, Any] = {}


class HashesIn(Schema):
    hashes: list[HashIn] = Field(max_length=10_000)


class ItemError(Schema):
    index: int
    reason: str


class HashesOut(Schema):
    added: int
    already_banked: int
    errors: list[ItemError]


def _media_out(row: MediaFile) -> dict[str, Any]:
    return {"path": row.path, "sha256": row.sha256, "mime": row.mime, "size": row.size, "pdq": row.pdq,
            "pdq_quality": row.pdq_quality, "provenance": row.provenance}


@router.post("media", auth=ApiKeyAuth(), response={201: MediaOut}, summary="Upload a media file")
def upload_media(request: HttpRequest, file: File[UploadedFile]) -> Status:
    limit = max_upload_bytes()
    if file.size is not None and file.size > limit:
        raise HttpError(413, f"file is {file.size} bytes; the limit is {limit} bytes")
    try:
        row = store_upload(file.read(limit + 1), uploaded_by=getattr(request.auth, "name", ""))
    except MediaRejected as exc:
        raise HttpError(exc.status, str(exc)) from None
    return Status(201, _media_out(row))


@router.get("media/{sha256}", auth=ApiKeyAuth(), response=MediaOut, summary="A stored media file's findings")
def get_media(request: HttpRequest, sha256: str) -> dict[str, Any]:
    return _media_out(get_object_or_404(MediaFile, sha256=sha256.lower()))


@router.get("banks", auth=ApiKeyAuth(), response=list[BankOut], summary="Media banks")
def list_banks(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"name": b.name, "labels": b.labels, "description": b.description, "hashes": b.hashes.count()}
            for b in MediaBank.objects.order_by("name")]


@router.post("banks", auth=ApiKeyAuth(), response={201: BankOut}, summary="Create (or update the labels of) a bank")
def create_bank(request: HttpRequest, body: BankIn) -> Status:
    try:
        bank = ensure_bank(body.name, labels=body.labels, description=body.description)
    except ProvenanceError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, {"name": bank.name, "labels": bank.labels, "description": bank.description,
                        "hashes": bank.hashes.count()})


MAX_METADATA_CHARS = 4_096


def metadata_problem(metadata: dict[str, Any]) -> str:
    """Why a hash's metadata cannot be banked (it is stored verbatim as JSON), or ''."""
    found = unstorable(metadata, "metadata")
    if found:
        return f"{found[0]}: {found[1]}"
    size = len(json.dumps(metadata, ensure_ascii=False))
    return f"metadata is {size:,} characters as JSON; the limit is {MAX_METADATA_CHARS:,}" if size > MAX_METADATA_CHARS else ""


@router.post("banks/{name}/hashes", auth=ApiKeyAuth(), response=HashesOut, summary="Add PDQ hashes to a bank")
def add_hashes(request: HttpRequest, name: str, body: HashesIn) -> dict[str, Any]:
    bank = get_object_or_404(MediaBank, name=name)
    entries: list[tuple[int, BankEntry]] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(body.hashes):
        if not HEX_HASH.match(item.pdq):
            errors.append({"index": index, "reason": "pdq must be 64 hexadecimal digits"})
            continue
        problem = metadata_problem(item.metadata)
        if problem:
            errors.append({"index": index, "reason": problem})
            continue
        metadata = dict(item.metadata, fact_check=item.fact_check_url) if item.fact_check_url else item.metadata
        entries.append((index, BankEntry(item.pdq.lower(), item.quality, metadata)))
    result = add_entries(bank, [e for _, e in entries])
    errors.extend({"index": entries[e["index"]][0], "reason": e["reason"]} for e in result.errors)
    return {"added": result.added, "already_banked": result.already,
            "errors": sorted(errors, key=lambda e: e["index"])}


@router.get("banks/{name}/export", auth=ApiKeyAuth(), summary="A bank in ThreatExchange text form")
def export_bank(request: HttpRequest, name: str) -> HttpResponse:
    bank = get_object_or_404(MediaBank, name=name)
    return HttpResponse(export_text(bank), content_type="text/plain; charset=utf-8")
