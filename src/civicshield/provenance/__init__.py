"""Provenance of media: Content Credentials (C2PA), IPTC digital-source-type, creator self-disclosure,
the PDQ media bank that lets a label follow an image when it is uploaded again, and signing.

Public surface: `read_provenance`, `ProvenanceReport`, `TrustSettings`, `is_ai_source_type`,
`pdq_hash`, `HashIndex`, `ProvenanceDetector`, `MediaMatchDetector`.
"""

from .credentials import ProvenanceReport, TrustSettings, read_provenance
from .sourcetypes import is_ai_source_type, source_type_term

__all__ = ["ProvenanceReport", "TrustSettings", "read_provenance", "is_ai_source_type", "source_type_term"]
