"""Evidence uploads: only documents we can show a verifier safely, never where the applicant says.

The type is read from the file's first bytes (a PDF that says it is a PNG is refused), the size is
capped, and the stored name is generated: the applicant's file name is kept only as display text,
stripped of any directory part, so `../../settings.py` cannot name a place on disk.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Iterable

from django.core.files.base import ContentFile
from django.utils import timezone

from civicshield.core.errors import CivicShieldError

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, magic-number check)
ALLOWED: dict[str, tuple[str, Any]] = {
    "pdf": ("application/pdf", lambda b: b.startswith(b"%PDF-")),
    "png": ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "webp": ("image/webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
}


class EvidenceError(CivicShieldError):
    """An uploaded document was refused; `index` is its position among the uploads."""

    def __init__(self, reason: str, *, index: int | None = None, name: str = "") -> None:
        self.reason, self.index, self.name = reason, index, name
        where = f"document {index} ({name!r})" if index is not None else "evidence"
        super().__init__(f"{where}: {reason}")

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class CheckedDocument:
    display_name: str
    extension: str
    content_type: str
    data: bytes
    sha256: str


def display_name(name: str) -> str:
    """The last path component of an uploaded name, with control and odd characters removed."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip(" .")
    return base[:120] or "document"


def check_document(upload: Any, index: int) -> CheckedDocument:
    """Validate one uploaded file (anything with `.name`, `.size` and `.read()`)."""
    shown = display_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise EvidenceError(f"the file is {size} bytes; the limit is {MAX_BYTES // (1024 * 1024)} MB",
                            index=index, name=shown)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise EvidenceError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", index=index, name=shown)
    if not data:
        raise EvidenceError("the file is empty", index=index, name=shown)
    extension = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if extension not in ALLOWED:
        raise EvidenceError(f"only {', '.join(sorted(ALLOWED))} files are accepted", index=index, name=shown)
    content_type, looks_right = ALLOWED[extension]
    if not looks_right(data[:16]):
        raise EvidenceError(f"the content is not a {extension.upper()} file", index=index, name=shown)
    return CheckedDocument(shown, extension, content_type, data, hashlib.sha256(data).hexdigest())


def check_documents(uploads: Iterable[Any]) -> tuple[list[CheckedDocument], list[EvidenceError]]:
    """Every upload checked; good ones are kept, each refusal names its index and reason."""
    uploads = list(uploads)
    good, bad = [], []
    for i, upload in enumerate(uploads):
        if i >= MAX_FILES:
            bad.append(EvidenceError(f"at most {MAX_FILES} documents per request", index=i,
                                     name=display_name(getattr(upload, "name", ""))))
            continue
        try:
            good.append(check_document(upload, i))
        except EvidenceError as exc:
            bad.append(exc)
    return good, bad


def store_documents(request: Any, documents: list[CheckedDocument]) -> list[Any]:
    from .models import EvidenceDocument

    rows = []
    for doc in documents:
        row = EvidenceDocument(request=request, original_name=doc.display_name, content_type=doc.content_type,
                               size=len(doc.data), sha256=doc.sha256, uploaded_at=timezone.now())
        row.file.save(f"{request.pk}/{uuid.uuid4().hex}.{doc.extension}", ContentFile(doc.data), save=False)
        row.save()
        rows.append(row)
    return rows
