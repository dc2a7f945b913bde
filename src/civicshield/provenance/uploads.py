"""Media intake: files uploaded through the API, checked and stored under the media root.

The type is decided from the bytes, never from the client's name or header, and only image and
video containers the detectors can read are accepted; the size limit is
$CIVICSHIELD_MEDIA_MAX_BYTES (20 MB by default). A file is stored once, by SHA-256, and the returned
path is what a later `content.created` event puts in `media[].path`.
"""

from __future__ import annotations

import hashlib
import io
import os

from civicshield.core.errors import ProvenanceError

from .credentials import read_provenance
from .hashing import check_pixels, pdq_image, pdq_video
from .models import MediaFile
from .resources import media_root, trust_settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# (magic bytes at offset, offset, mime, extension, kind)
_SIGNATURES: list[tuple[bytes, int, str, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg", "image"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png", "image"),
    (b"GIF87a", 0, "image/gif", "gif", "image"),
    (b"GIF89a", 0, "image/gif", "gif", "image"),
    (b"WEBP", 8, "image/webp", "webp", "image"),
    (b"ftypavif", 4, "image/avif", "avif", "image"),
    (b"ftypheic", 4, "image/heic", "heic", "image"),
    (b"ftypqt", 4, "video/quicktime", "mov", "video"),
    (b"ftyp", 4, "video/mp4", "mp4", "video"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm", "webm", "video"),
]


class MediaRejected(ProvenanceError):
    """An upload was refused; `status` is the HTTP status that says why (413 too large, 415 wrong type)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def max_upload_bytes() -> int:
    try:
        return int(os.environ.get("CIVICSHIELD_MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def sniff(data: bytes) -> tuple[str, str, str]:
    """(mime, extension, kind) from the leading bytes, or MediaRejected (415)."""
    for magic, offset, mime, ext, kind in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic:
            return mime, ext, kind
    raise MediaRejected("unsupported media type: accepted are JPEG, PNG, GIF, WebP, AVIF, HEIC, MP4, "
                        "QuickTime and WebM files", 415)


def store_upload(data: bytes, *, uploaded_by: str = "") -> MediaFile:
    """Check, store (once per content hash) and analyse an uploaded file."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise MediaRejected(f"file is {len(data)} bytes; the limit is {limit} bytes", 413)
    if not data:
        raise MediaRejected("the file is empty", 400)
    mime, ext, kind = sniff(data)
    if kind == "image":
        _check_dimensions(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = MediaFile.objects.filter(sha256=digest).first()
    if existing:
        return existing
    relative = f"uploads/{digest[:2]}/{digest}.{ext}"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return MediaFile.objects.create(sha256=digest, path=relative, mime=mime, size=len(data),
                                    uploaded_by=uploaded_by, **analyse(data, kind, relative, str(target)))


def _check_dimensions(data: bytes) -> None:
    """Refuse images too large to decode within the memory budget, reading only their header."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return  # undecodable files are stored and reported by analyse(), as before
    try:
        check_pixels(width, height)
    except ProvenanceError as exc:
        raise MediaRejected(str(exc), 413) from None


def analyse(data: bytes, kind: str, name: str, path: str | None = None) -> dict:
    report = read_provenance(data, trust=trust_settings(), name=name)
    fields: dict = {"provenance": report.as_evidence(), "pdq": "", "pdq_quality": None}
    if kind == "image":
        try:
            digest = pdq_image(data)
            fields.update(pdq=digest.hex, pdq_quality=digest.quality)
        except ProvenanceError as exc:
            fields["provenance"]["pdq_error"] = str(exc)
    elif kind == "video" and path:
        try:
            fields["provenance"]["pdq_frames"] = [h.hex for h in pdq_video(path) if h.usable]
        except ProvenanceError as exc:
            fields["provenance"]["pdq_error"] = str(exc)
    return fields
