"""Media on a case page come only from the platform's own store.

A post's `media[].path` is whatever the sending platform wrote: an off-site URL, a `javascript:` URL,
a path outside the media root. Only a path naming a file the platform stored (a `MediaFile` under the
media root) is shown, through this app's own URL; anything else is shown as inert text.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from civicshield.core.errors import CivicShieldError

SHOWN_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


def _stored(path: Any) -> tuple[Any, str] | None:
    """(file path, MIME type) of a stored image named by `path`, or None."""
    from civicshield.provenance.mediaroot import resolve_media_path
    from civicshield.provenance.models import MediaFile
    from civicshield.provenance.resources import media_root

    if not isinstance(path, str) or not path:
        return None
    row = MediaFile.objects.filter(path=path, mime__in=SHOWN_TYPES).first()
    if row is None:
        return None
    try:
        return resolve_media_path(media_root(), row.path), row.mime
    except CivicShieldError:
        return None


def case_media(case: Any, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The media of a case's subject, each with `src` (our URL) only when it is a stored image."""
    items = payload.get("media") or []
    shown = []
    for index, m in enumerate(items if isinstance(items, list) else []):
        m = m if isinstance(m, dict) else {}
        stored = m.get("type") == "image" and _stored(m.get("path"))
        src = reverse("review-console:media", kwargs={"case_id": case.pk, "index": index}) if stored else None
        shown.append({"id": m.get("id", ""), "type": m.get("type", ""), "path": m.get("path") or "", "src": src,
                      "self_disclosed_ai": m.get("self_disclosed_ai", False)})
    return shown


def stored_image(payload: dict[str, Any], index: int) -> tuple[Any, str] | None:
    """(file path, MIME type) of the `index`th media of a subject, if it is a stored image."""
    items = payload.get("media")
    if not isinstance(items, list) or not 0 <= index < len(items) or not isinstance(items[index], dict):
        return None
    return _stored(items[index].get("path")) if items[index].get("type") == "image" else None
