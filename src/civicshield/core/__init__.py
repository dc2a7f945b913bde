"""The pure core of CivicShield: events, detectors, policies and `assess`. No Django, no I/O.

This is the public surface; everything else in the package is private to its module.
"""

from .assess import Context, assess
from .detectors import Detector, Registry
from .errors import CivicShieldError, FeedError, InvalidEvent, PolicyError, ProvenanceError
from .events import Event, parse_event, register_event_type
from .policy import Policy, check_policy, load_policy
from .verdict import ACTIONS, LABELS, Reason, Signal, Verdict

__all__ = [
    "ACTIONS", "LABELS", "CivicShieldError", "Context", "Detector", "Event", "FeedError", "InvalidEvent", "Policy",
    "PolicyError", "ProvenanceError", "Reason", "Registry", "Signal", "Verdict", "assess", "check_policy",
    "load_policy", "parse_event", "register_event_type",
]
