"""The provenance detectors: what the media of a post or ad say about their origin, and whether
they are near-duplicates of media already judged.

`ProvenanceDetector` reads each attached file (resolved under the media root) for Content
Credentials or XMP, notes the creator's own AI disclosure, hashes images (and sampled video frames)
with PDQ, and names any official or candidate (the `public_figures` resource and the politicians and
government officials of the verified-account registry) mentioned in a post that carries media. `MediaMatchDetector` looks those hashes up in the media banks, which is how a label follows
an image that is uploaded again. Both are pure: the media root, trust anchors, banks and names
arrive in `context.resources`.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import OrderedDict
from typing import Any, ClassVar, Iterable, Mapping, Protocol, Sequence

from civicshield.core.errors import ProvenanceError
from civicshield.core.verdict import Signal

from .credentials import ProvenanceReport, TrustSettings, read_provenance
from .hashing import MIN_QUALITY, PdqHash, pdq_image, pdq_video
from .mediaroot import resolve_media_path

_STATE_RANK = {"invalid": 5, "error": 4, "unverifiable": 3, "valid": 2, "trusted": 1, "none": 0}
_CACHE_SIZE = 512
MAX_MEDIA_BYTES = 2 * 1024 ** 3
MAX_IMAGE_BYTES = 100 * 1024 ** 2
_PERSON_CATEGORIES = {"politician", "government"}


class MediaBank(Protocol):
    """What `MediaMatchDetector` needs from a bank resource."""

    def match(self, hashes: Sequence[str]) -> list[list[dict[str, Any]]]: ...


def _media_items(subject: Any) -> list[Any]:
    if subject.subject_type == "media":
        return [subject]
    return list(getattr(subject, "media", None) or [])


def _self_disclosed(subject: Any) -> bool:
    extra = subject.extra if hasattr(subject, "extra") else {}
    return bool(extra.get("self_disclosed_ai")) or any(getattr(m, "self_disclosed_ai", False)
                                                       for m in _media_items(subject))


class ProvenanceDetector:
    name: ClassVar[str] = "provenance"
    cost: ClassVar[int] = 40
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "media"})
    gate: ClassVar[str | None] = None

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple, tuple[ProvenanceReport, list[PdqHash], str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        if _self_disclosed(subject):
            yield Signal("ai_self_disclosed", True, {"by": "creator"}, self.name)
        resources: Mapping[str, Any] = getattr(context, "resources", {}) or {}
        figures = _mentioned(subject, public_figure_names(resources)) if _media_items(subject) else []
        if figures:
            yield Signal("public_figures", figures, {"names": figures}, self.name)
        root = resources.get("media_root")
        items = [m for m in _media_items(subject) if getattr(m, "path", None)]
        if not root or not items:
            return
        trust = resources.get("c2pa_trust") or TrustSettings()
        evidence_items = [self._inspect(root, media, trust) for media in items]
        ai = any(i["ai_generated"] for i in evidence_items)
        worst = max((i["validation_state"] for i in evidence_items), key=_STATE_RANK.__getitem__)
        source_types = sorted({t for i in evidence_items for t in i["digital_source_types"]})
        yield Signal(self.name, ai, {
            "validation_state": worst,
            "tampered": any(i["validation_state"] == "invalid" for i in evidence_items),
            "digital_source_types": source_types,
            "items": evidence_items,
        }, self.name)

    def _inspect(self, root: str, media: Any, trust: TrustSettings) -> dict[str, Any]:
        item: dict[str, Any] = {"media_id": media.id, "path": media.path}
        try:
            path = resolve_media_path(root, media.path)
        except ProvenanceError as exc:
            item.update(ProvenanceReport(None, False, "error", error=str(exc)).as_json())
            item.pop("file")
            return item
        report, digests, hash_error = self._read(path, media.type, trust)
        item.update(report.as_json())
        item.pop("file")
        if media.type == "video" and digests:
            item["pdq_frames"] = [d.hex for d in digests if d.quality >= MIN_QUALITY]
        elif digests:
            item.update(pdq=digests[0].hex, pdq_quality=digests[0].quality)
        if hash_error:
            item["pdq_error"] = hash_error
        return item

    def _read(self, path: Any, media_type: str, trust: TrustSettings):
        try:
            stat = os.stat(path)
        except OSError as exc:
            return ProvenanceReport(None, False, "error", error=f"cannot read file: {exc.strerror}"), [], None
        if stat.st_size > MAX_MEDIA_BYTES:
            return ProvenanceReport(None, False, "error", error="file larger than the media size limit"), [], None
        key = (str(path), stat.st_mtime_ns, stat.st_size, trust)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        report = read_provenance(path, trust=trust)
        digests: list[PdqHash] = []
        hash_error = None
        try:
            if media_type == "image" and stat.st_size <= MAX_IMAGE_BYTES:
                digests = [pdq_image(path.read_bytes())]
            elif media_type == "image":
                hash_error = "image file too large to hash"
            elif media_type == "video":
                digests = pdq_video(str(path))
        except (ProvenanceError, OSError) as exc:
            hash_error = str(exc)
        with self._lock:
            self._cache[key] = (report, digests, hash_error)
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return report, digests, hash_error


def public_figure_names(resources: Mapping[str, Any]) -> list[str]:
    """Officials and candidates: `public_figures` names plus people in the official-account registry."""
    names = [n for n in resources.get("public_figures") or () if isinstance(n, str)]
    registry = resources.get("verification.officials")
    for official in (registry.values() if hasattr(registry, "values") else ()):
        if getattr(official, "category", "") in _PERSON_CATEGORIES:
            names.extend(n for n in (getattr(official, "official_name", ""), getattr(official, "display_name", ""))
                         if isinstance(n, str) and len(n) >= 4)
    return sorted(set(names))


def _mentioned(subject: Any, names: Sequence[str]) -> list[str]:
    text = getattr(subject, "analysed_text", "") or ""
    names = tuple(n for n in names if n.strip())
    if not text or not names:
        return []
    pattern, by_folded = _names_pattern(names)
    return sorted({by_folded[m.group(1)] for m in pattern.finditer(text.casefold())})


@functools.lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One compiled alternation per set of names, so a large registry costs one scan per post."""
    by_folded = {n.casefold(): n for n in names if n}
    alternatives = sorted(by_folded, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)"), by_folded


class MediaMatchDetector:
    name: ClassVar[str] = "media_match"
    cost: ClassVar[int] = 45
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "media"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        bank: MediaBank | None = (getattr(context, "resources", {}) or {}).get("media_bank")
        if bank is None:
            return
        hashes = _usable_hashes(subject, signals.get("provenance"))
        if not hashes:
            return
        results = bank.match([h for _, h in hashes])
        best: dict[tuple[str, Any], dict[str, Any]] = {}
        for (media_id, _), found in zip(hashes, results):
            for m in found:
                key = (media_id, m.get("entry", m.get("bank")))
                if key not in best or m["distance"] < best[key]["distance"]:
                    best[key] = dict(m, media_id=media_id)
        matches = sorted(best.values(), key=lambda m: (m["distance"], m["media_id"]))
        if not matches:
            return
        banks = sorted({m["bank"] for m in matches})
        labels = sorted({label for m in matches for label in m.get("labels", ())})
        yield Signal(self.name, banks, {"banks": banks, "labels": labels, "matches": matches[:50]}, self.name)


def _usable_hashes(subject: Any, provenance: Signal | None) -> list[tuple[str, str]]:
    """(media id, PDQ hex) for every attached image, and sampled video frame, of quality ≥ 50."""
    found: set[tuple[str, str]] = set()
    with_file: set[str] = set()
    if provenance is not None:
        for item in provenance.evidence.get("items", ()):
            if item.get("pdq") and int(item.get("pdq_quality", 0)) >= MIN_QUALITY:
                found.add((item["media_id"], item["pdq"]))
                with_file.add(item["media_id"])
            for frame in item.get("pdq_frames", ()):
                found.add((item["media_id"], frame))
                with_file.add(item["media_id"])
    for media in _media_items(subject):
        sent = media.extra.get("pdq") if hasattr(media, "extra") else None
        quality = media.extra.get("pdq_quality", 100) if hasattr(media, "extra") else 100
        if (media.id not in with_file and isinstance(sent, str) and re.fullmatch(r"[0-9a-fA-F]{64}", sent)
                and _int(quality) >= MIN_QUALITY):
            found.add((media.id, sent.lower()))
    return sorted(found)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
