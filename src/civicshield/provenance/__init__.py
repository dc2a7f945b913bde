"""Provenance of media: Content Credentials (C2PA), IPTC digital-source-type, creator self-disclosure,
the PDQ media bank that lets a label follow an image when it is uploaded again, and signing.

Public surface: `read_provenance`, `ProvenanceReport`, `TrustSettings`, `is_ai_source_type`,
`source_type_term`. Imports are lazy so that light users (the bank index in a batch job) do not load
the C2PA native library.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {"ProvenanceReport": "credentials", "TrustSettings": "credentials", "read_provenance": "credentials",
           "is_ai_source_type": "sourcetypes", "source_type_term": "sourcetypes"}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
