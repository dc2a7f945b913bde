"""Content Credentials: read every C2PA manifest in a file and say what it claims and whether it holds.

The report answers the questions a policy asks: is there a manifest, does it validate (and chain to
an anchor we trust), what digital source types do the active manifest and its ingredients declare,
and does any of them mean "made by a trained model". Trust anchors are the operator's choice (PEM);
remote manifests are never fetched, so an asset that only points to one is `unverifiable`. A file
without C2PA falls back to its XMP `DigitalSourceType`. Reading never raises on bad media: the report
carries `validation_state="error"` and the message.
"""

from __future__ import annotations

import functools
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Literal

import c2pa

from .sourcetypes import is_ai_source_type
from .xmp import read_xmp_source_types

ValidationState = Literal["none", "valid", "trusted", "invalid", "unverifiable", "error"]
Source = Literal["c2pa", "xmp", "none"]
_STATES: dict[str, ValidationState] = {"trusted": "trusted", "valid": "valid", "invalid": "invalid"}
_SOURCE_TYPE_KEYS = ("digitalSourceType", "Iptc4xmpExt:DigitalSourceType", "DigitalSourceType")


@dataclass(frozen=True)
class TrustSettings:
    """Which signing roots count as trusted. Without anchors a good signature is `valid`, never `trusted`."""

    anchors_pem: str = ""

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> "TrustSettings":
        return cls("".join(Path(p).read_text() for p in paths))

    def c2pa_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False,
                                               "verify_after_reading": True, "verify_trust": True}}
        if self.anchors_pem.strip():
            settings["trust"] = {"trust_anchors": self.anchors_pem}
        return settings


@dataclass(frozen=True)
class ManifestSummary:
    """One manifest of the store: the active one or an ingredient's."""

    label: str
    active: bool
    title: str
    claim_generator: str
    signer: str
    digital_source_types: tuple[str, ...]


@dataclass(frozen=True)
class ProvenanceReport:
    """What a file says about where it came from."""

    file: str | None
    has_manifest: bool
    validation_state: ValidationState
    validation_codes: tuple[str, ...] = ()
    digital_source_types: tuple[str, ...] = ()
    ai_generated: bool = False
    source: Source = "none"
    error: str | None = None
    manifests: tuple[ManifestSummary, ...] = field(default=())
    remote_url: str | None = None

    @property
    def tampered(self) -> bool:
        return self.validation_state == "invalid"

    def as_json(self) -> dict[str, Any]:
        """The stable per-file record printed by `civicshield provenance inspect --json`."""
        return {"file": self.file, "has_manifest": self.has_manifest,
                "validation_state": self.validation_state, "validation_codes": list(self.validation_codes),
                "digital_source_types": list(self.digital_source_types), "ai_generated": self.ai_generated,
                "source": self.source, "error": self.error}

    def as_evidence(self) -> dict[str, Any]:
        data = self.as_json()
        data["manifests"] = [asdict(m) for m in self.manifests]
        data["remote_url"] = self.remote_url
        return data


@functools.lru_cache(maxsize=8)
def _context(trust: TrustSettings) -> c2pa.Context:
    return c2pa.Context.from_dict(trust.c2pa_settings())


def read_provenance(source: str | os.PathLike[str] | bytes | BinaryIO, *, trust: TrustSettings | None = None,
                    name: str | None = None) -> ProvenanceReport:
    """Read Content Credentials (or, failing that, XMP) from a path, bytes or a binary stream."""
    if isinstance(source, (str, os.PathLike)):
        name = name or str(source)
        try:
            with open(source, "rb") as stream:
                return _read_stream(stream, trust or TrustSettings(), name)
        except OSError as exc:
            return ProvenanceReport(name, False, "error", error=f"cannot read file: {exc.strerror or exc}")
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    return _read_stream(stream, trust or TrustSettings(), name)


def _read_stream(stream: BinaryIO, trust: TrustSettings, name: str | None) -> ProvenanceReport:
    try:
        return _read_checked(stream, trust, name)
    except Exception as exc:  # noqa: BLE001 - the native reader's surprises must not crash intake
        return ProvenanceReport(name, False, "error", error=f"unreadable media ({type(exc).__name__}: {exc})")


def _read_checked(stream: BinaryIO, trust: TrustSettings, name: str | None) -> ProvenanceReport:
    try:
        reader = c2pa.Reader.try_create(stream, context=_context(trust))
    except c2pa.C2paError as exc:
        message = str(exc)
        if isinstance(exc, c2pa.C2paError.RemoteManifest) or message.startswith("Remote"):
            return ProvenanceReport(name, True, "unverifiable", ("manifest.inaccessible",),
                                    source="c2pa", remote_url=_remote_url(message))
        if isinstance(exc, c2pa.C2paError.NotSupported):
            return _from_xmp(stream, name, unsupported=message)
        return _with_xmp(stream, name, ProvenanceReport(name, False, "error", error=message))
    if reader is None:
        return _from_xmp(stream, name)
    with reader:
        try:
            store = json.loads(reader.json())
        except (c2pa.C2paError, ValueError) as exc:
            return ProvenanceReport(name, True, "error", source="c2pa", error=f"unreadable manifest store: {exc}")
    return _from_store(store, name)


def _from_store(store: dict[str, Any], name: str | None) -> ProvenanceReport:
    active = store.get("active_manifest")
    manifests = tuple(_summary(label, m, label == active)
                      for label, m in (store.get("manifests") or {}).items() if isinstance(m, dict))
    manifests = tuple(sorted(manifests, key=lambda m: not m.active))
    types: list[str] = []
    for manifest in manifests:
        types.extend(t for t in manifest.digital_source_types if t not in types)
    state = _STATES.get(str(store.get("validation_state", "")).lower(), "unverifiable")
    return ProvenanceReport(name, True, state, tuple(_failure_codes(store)), tuple(types),
                            any(is_ai_source_type(t) for t in types), "c2pa", None, manifests)


def _summary(label: str, manifest: dict[str, Any], active: bool) -> ManifestSummary:
    types: list[str] = []
    for assertion in manifest.get("assertions") or []:
        if isinstance(assertion, dict):
            types.extend(t for t in _source_type_values(assertion.get("data"), 0) if t not in types)
    generators = manifest.get("claim_generator_info") or []
    generator = manifest.get("claim_generator") or ", ".join(
        str(g.get("name", "")) for g in generators if isinstance(g, dict))
    signature = manifest.get("signature_info") or {}
    signer = " / ".join(str(signature[k]) for k in ("issuer", "common_name") if signature.get(k))
    return ManifestSummary(label, active, str(manifest.get("title") or ""), str(generator), signer, tuple(types))


def _source_type_values(data: Any, depth: int) -> Iterator[str]:
    """Digital source types anywhere in an assertion (actions, IPTC photo metadata, …)."""
    if depth > 8:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _SOURCE_TYPE_KEYS and isinstance(value, str):
                yield value.strip()
            else:
                yield from _source_type_values(value, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _source_type_values(item, depth + 1)


def _failure_codes(store: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    results = store.get("validation_results") or {}
    groups = [(results.get("activeManifest") or {}).get("failure") or []]
    for delta in results.get("ingredientDeltas") or []:
        groups.append(((delta or {}).get("validationDeltas") or {}).get("failure") or [])
    groups.append(store.get("validation_status") or [])
    for group in groups:
        for status in group:
            code = status.get("code") if isinstance(status, dict) else None
            if code and code not in codes:
                codes.append(code)
    return codes


def _from_xmp(stream: BinaryIO, name: str | None, unsupported: str | None = None) -> ProvenanceReport:
    try:
        stream.seek(0)
        types = tuple(read_xmp_source_types(stream))
    except (OSError, ValueError) as exc:
        return ProvenanceReport(name, False, "error", error=f"cannot read file: {exc}")
    if not types:
        error = None
        if unsupported:
            error = "empty file" if _looks_empty(stream) else "not a media format that can carry Content Credentials"
        return ProvenanceReport(name, False, "none", error=error)
    return ProvenanceReport(name, False, "none", (), types, any(is_ai_source_type(t) for t in types), "xmp")


def _with_xmp(stream: BinaryIO, name: str | None, failed: ProvenanceReport) -> ProvenanceReport:
    """A file the C2PA reader could not parse may still carry readable XMP; keep the error either way."""
    fallback = _from_xmp(stream, name)
    if fallback.source != "xmp":
        return failed
    return ProvenanceReport(name, False, "error", (), fallback.digital_source_types, fallback.ai_generated,
                            "xmp", failed.error)


def _looks_empty(stream: BinaryIO) -> bool:
    try:
        stream.seek(0, io.SEEK_END)
        return stream.tell() == 0
    except (OSError, ValueError):
        return False


def _remote_url(message: str) -> str | None:
    marker = "from url "
    return message.split(marker, 1)[1].strip() if marker in message else None
