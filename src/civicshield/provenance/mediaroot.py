"""Where media files live: every path a platform sends is resolved inside one configured media root.

Events name media by a path relative to the root (the platform's storage mount, or the upload
directory). Nothing is fetched from the internet, and no reference may leave the root: absolute
paths, `..` segments and symlinks pointing outside are refused with a message that says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from civicshield.core.errors import ProvenanceError

MAX_REFERENCE = 1024


def resolve_media_path(root: str | os.PathLike[str], reference: str) -> Path:
    """The file that `reference` names inside `root`, or ProvenanceError saying why not."""
    if not isinstance(reference, str) or not reference.strip():
        raise ProvenanceError("a media path must be a non-empty string")
    if len(reference) > MAX_REFERENCE or "\x00" in reference:
        raise ProvenanceError("a media path must be at most 1024 characters without NUL bytes")
    if "://" in reference:
        raise ProvenanceError(f"media is never fetched from a URL; give a path under the media root: {reference!r}")
    candidate = Path(reference)
    if candidate.is_absolute() or reference.startswith(("\\", "~")):
        raise ProvenanceError(f"media paths are relative to the media root, not absolute: {reference!r}")
    if ".." in candidate.parts:
        raise ProvenanceError(f"media paths may not contain '..': {reference!r}")
    base = Path(root).resolve()
    try:
        resolved = (base / candidate).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ProvenanceError(f"no media file at {reference!r} under the media root") from None
    if not resolved.is_relative_to(base):
        raise ProvenanceError(f"media path {reference!r} leaves the media root")
    if not resolved.is_file():
        raise ProvenanceError(f"media path {reference!r} is not a regular file")
    return resolved
