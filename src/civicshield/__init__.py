"""CivicShield: an election-integrity platform built around one pipeline and one decision log."""

__version__ = "0.1.0"
