"""Bidirectional control characters, which make text display in another order than it is stored.

`gnp.exe` preceded by U+202E (RIGHT-TO-LEFT OVERRIDE) displays as `exe.png`. The explicit embeddings,
overrides and isolates are removed from names before they are shown or written to a download; the
implicit marks (LRM, RLM, ALM), which right-to-left names legitimately need, are kept.
"""

from __future__ import annotations

EXPLICIT_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP = dict.fromkeys(map(ord, EXPLICIT_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    return text.translate(_DROP)
