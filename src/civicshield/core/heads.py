"""Trained heads: small linear models over the shared sentence embedding plus readable features.

A head is data, versioned like policy: one JSON file holding its weights, the encoder it reads, the
names of its extra features (lexicon strengths and the like, which also explain a verdict), its
operating thresholds, the data it was trained on and its measured figures. The file's SHA-256 over the
weights is recorded inside it and checked on load, so a truncated or edited file stops the worker at
start-up with a clear error instead of scoring everything as "allow". A verdict records each head's
`version` (name and content hash) beside the policy version, so a replay knows which model decided.

Scoring is numpy only; training (scikit-learn) happens at build time in each app's `training` module.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import CivicShieldError


class ModelError(CivicShieldError):
    """A shipped model file is missing, unreadable or does not match its recorded hash."""


def weights_digest(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the weights in canonical JSON (what `sha256` in a head file must equal)."""
    keys = ("encoder", "features", "coef", "intercept", "scale") + (("surface",) if "surface" in payload else ())
    canonical = json.dumps({k: payload[k] for k in keys}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, eq=False)
class LinearHead:
    """P(positive) = sigmoid(w_e . embedding + w_f . features + b), with a readable account of w_f."""

    name: str
    encoder: str
    features: tuple[str, ...]
    embedding_coef: np.ndarray
    feature_coef: np.ndarray
    intercept: float
    # Per-feature scale applied before the weights (standardisation learned at training time).
    scale: np.ndarray
    thresholds: Mapping[str, float] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""
    # The surface model this head reads as a feature (file name and SHA-256, part of the weights' hash).
    surface: Mapping[str, Any] | None = None

    @property
    def version(self) -> str:
        return f"{self.name}@{self.sha256[:12]}"

    @classmethod
    def load(cls, path: Path) -> "LinearHead":
        try:
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"model file {path} is missing; reinstall CivicShield or rebuild the model with "
                             "its `train` command") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"model file {path} is unreadable ({exc}); reinstall CivicShield or rebuild it") from None
        return cls.from_payload(payload, source=str(path))

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], source: str = "<payload>") -> "LinearHead":
        try:
            recorded = str(payload["sha256"])
            digest = weights_digest(payload)
            coef = np.asarray(payload["coef"], dtype=np.float32)
            scale = np.asarray(payload["scale"], dtype=np.float32)
            features = tuple(payload["features"])
            dimensions = int(payload["dimensions"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"model file {source} is corrupt: missing or malformed {exc}") from None
        if digest != recorded:
            raise ModelError(f"model file {source} does not match its recorded SHA-256 (the weights were "
                             "changed or damaged); reinstall CivicShield or rebuild the model")
        if coef.shape != (dimensions + len(features),) or scale.shape != (len(features),):
            raise ModelError(f"model file {source} is corrupt: {coef.shape[0]} weights for {dimensions} "
                             f"dimensions and {len(features)} features")
        return cls(str(payload["name"]), str(payload["encoder"]), features, coef[:dimensions], coef[dimensions:],
                   float(payload["intercept"]), scale, dict(payload.get("thresholds", {})),
                   dict(payload.get("meta", {})), recorded, payload.get("surface"))

    def logit(self, embedding: np.ndarray | None, features: Sequence[float]) -> float:
        z = self.intercept + float(np.dot(self.feature_coef, np.asarray(features, dtype=np.float32) * self.scale))
        if embedding is not None:
            z += float(np.dot(self.embedding_coef, embedding))
        return z

    def probability(self, embedding: np.ndarray | None, features: Sequence[float]) -> float:
        z = self.logit(embedding, features)
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def contributions(self, features: Sequence[float]) -> dict[str, float]:
        """How much each readable feature pushed this text's score (positive = toward the class)."""
        values = self.feature_coef * np.asarray(features, dtype=np.float32) * self.scale
        return {f: round(float(v), 3) for f, v in zip(self.features, values) if abs(v) >= 0.05}


def build_payload(name: str, encoder: str, dimensions: int, features: Sequence[str], coef: Sequence[float],
                  intercept: float, scale: Sequence[float], thresholds: Mapping[str, float],
                  meta: Mapping[str, Any], surface: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A head file's content, hash included (the training side's counterpart of `from_payload`)."""
    payload: dict[str, Any] = {
        "name": name, "encoder": encoder, "dimensions": dimensions, "features": list(features),
        "coef": [round(float(v), 6) for v in coef], "intercept": round(float(intercept), 6),
        "scale": [round(float(v), 6) for v in scale],
        "thresholds": {k: round(float(v), 4) for k, v in thresholds.items()}, "meta": dict(meta),
    }
    if surface is not None:
        payload["surface"] = dict(surface)
    payload["sha256"] = weights_digest(payload)
    return payload


def save_payload(payload: Mapping[str, Any], path: Path) -> None:
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def rescale(probability: float, low: float, high: float, *, low_to: float, high_to: float) -> float:
    """Map a head's probability onto the policy's scale: its `low` and `high` operating points land on
    `low_to` and `high_to` (piecewise linear, monotone), so policy thresholds keep their meaning."""
    p = min(max(probability, 0.0), 1.0)
    if p < low:
        return round(low_to * p / low, 4) if low > 0 else 0.0
    if p < high:
        return round(low_to + (high_to - low_to) * (p - low) / (high - low), 4)
    return round(high_to + (1.0 - high_to) * (p - high) / (1.0 - high), 4) if high < 1 else 1.0
