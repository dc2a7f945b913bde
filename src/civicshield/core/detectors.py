"""The detector protocol, the registry, and the cascade that runs cheap detectors first.

A detector is pure: it reads a subject and the assessment context and returns signals. A costly
detector (embeddings, media decoding) declares a `gate`, a CEL expression over the signals found so
far, so it only runs on subjects that can matter. Detectors are found through the
`civicshield.detectors` entry-point group, so a platform adds its own without editing ours.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Protocol, runtime_checkable

import cel

from .errors import PolicyError
from .verdict import Signal

if TYPE_CHECKING:
    from .assess import Context
    from .events import Payload


@runtime_checkable
class Detector(Protocol):
    """What a detector provides. `cost` orders the cascade (1 = a regex, 100 = a neural model)."""

    name: ClassVar[str]
    cost: ClassVar[int]
    applies_to: ClassVar[frozenset[str]]
    gate: ClassVar[str | None]

    def detect(self, subject: "Payload", context: "Context",
               signals: dict[str, Signal]) -> Iterable[Signal]: ...


@dataclass
class Registry:
    """An ordered set of detectors; `run` executes the cascade for one subject."""

    detectors: list[Any] = field(default_factory=list)
    _gates: dict[str, Any] = field(default_factory=dict, repr=False)
    _gate_fields: dict[str, frozenset[str]] | None = field(default=None, repr=False)

    def register(self, detector: Any) -> None:
        if any(d.name == detector.name for d in self.detectors):
            raise ValueError(f"a detector named {detector.name!r} is already registered")
        if detector.gate:
            try:
                self._gates[detector.name] = cel.compile(detector.gate)
            except ValueError as exc:
                raise PolicyError(f"detector gate does not compile: {exc}",
                                  rule_id=detector.name) from None
        self.detectors.append(detector)
        self._gate_fields = None
        self.detectors.sort(key=lambda d: (d.cost, d.name))

    def load(self) -> None:
        """Load every detector's models now. A detector with a `load()` raises here, at start-up, when
        a model it needs is missing or damaged, instead of failing (or allowing) on the first event."""
        for detector in self.detectors:
            loader = getattr(detector, "load", None)
            if callable(loader):
                loader()

    def prepare(self, subjects: list[Any]) -> None:
        """Let detectors do batch work for subjects about to be assessed (encode their texts in one call).
        Purely an optimisation: a detector must give the same signals without it."""
        for detector in self.detectors:
            prepare = getattr(detector, "prepare", None)
            if callable(prepare):
                prepare([s for s in subjects if s.subject_type in detector.applies_to])

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.detectors]

    def run(self, subject: "Payload", context: "Context") -> dict[str, Signal]:
        from .policy import evidence_fields

        if self._gate_fields is None:
            self._gate_fields = evidence_fields(d.gate for d in self.detectors if d.gate)
        signals: dict[str, Signal] = {}
        for detector in self.detectors:
            if subject.subject_type not in detector.applies_to:
                continue
            gate = self._gates.get(detector.name)
            if gate is not None and not _gate_open(gate, subject.subject_type, signals, self._gate_fields):
                continue
            for signal in detector.detect(subject, context, signals):
                signals[signal.name] = signal
        return signals

    @classmethod
    def from_entry_points(cls, only: Iterable[str] | None = None) -> "Registry":
        """All installed detectors (or just the named ones), instantiated with no arguments."""
        wanted = set(only) if only is not None else None
        registry = cls()
        for ep in entry_points(group="civicshield.detectors"):
            if wanted is None or ep.name in wanted:
                try:
                    detector_class = ep.load()
                except ModuleNotFoundError as exc:
                    # Stale metadata of an uninstalled plugin: say so, keep the pipeline running.
                    warnings.warn(f"detector {ep.name!r} ({ep.value}) is not importable: {exc}", stacklevel=2)
                    continue
                registry.register(detector_class())
        return registry


def _gate_open(gate: Any, subject_type: str, signals: dict[str, Signal], fields: dict[str, frozenset[str]]) -> bool:
    from .assess import signal_view

    try:
        return gate.execute({"signals": signal_view(signals, fields), "subject_type": subject_type}) is True
    except (KeyError, TypeError, RuntimeError, ValueError):
        return False  # a gate over a signal that is absent stays closed
