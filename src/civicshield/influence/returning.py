"""Detector: a new account on the device or address block of a network removed for covert influence.

Operators come back after a takedown, often from the same phones and the same /24. The fingerprints
of removed networks arrive in `context.resources["influence.removed_fingerprints"]` (provided by the
influence app); an account event carrying `device_id_hash` or `ip24_hash` that matches one yields the
`returning_influence_actor` signal, and the policy routes the account to the analysts' queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from civicshield.core.verdict import Signal

if TYPE_CHECKING:
    from civicshield.core.assess import Context
    from civicshield.core.events import Payload

RESOURCE_KEY = "influence.removed_fingerprints"
DEVICE, IP24 = 1.0, 0.7


class ReturningActorDetector:
    name: ClassVar[str] = "returning_influence_actor"
    cost: ClassVar[int] = 2
    applies_to: ClassVar[frozenset[str]] = frozenset({"account"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: "Payload", context: "Context", signals: dict[str, Signal]) -> Iterable[Signal]:
        removed: list[dict[str, Any]] = list((context.resources or {}).get(RESOURCE_KEY, []))
        extra = subject.extra
        device, ip24 = extra.get("device_id_hash"), extra.get("ip24_hash")
        if not removed or not (device or ip24):
            return
        best: tuple[float, dict[str, Any]] | None = None
        for fingerprint in removed:
            score, matched = 0.0, {}
            if device and device in fingerprint.get("devices", ()):
                score, matched["device"] = DEVICE, device
            if ip24 and ip24 in fingerprint.get("ip24", ()):
                score, matched["ip24"] = max(score, IP24), ip24
            if score and (best is None or score > best[0]):
                best = (score, {"network_id": fingerprint["network_id"], "matched": matched})
        if best:
            yield Signal(self.name, best[0], best[1], self.name)
