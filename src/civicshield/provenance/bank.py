"""Near-duplicate search over a PDQ media bank, and the bank's ThreatExchange text form.

A bank holds the hashes of media already judged (known AI-generated, known misleading and linked to
a fact-check, labelled by a reviewer). A new upload matches when its hash is within Hamming distance
31 of a banked one. `HashIndex` answers that exactly with multi-index hashing: the 256 bits are cut
into 16 chunks of 16 bits, and two hashes within distance 31 agree on some chunk up to one bit with
that chunk and the next differing in at most 3 bits together. So a query probes 17 buckets per chunk,
filters their entries on the next chunk, and only the few survivors get a full Hamming check — the
same answers as a linear scan at a small fraction of its work. The probe loop is the C extension
`_multiindex` (built at install); without it a numpy linear scan gives the same answers, slowly.
"""

from __future__ import annotations

import json
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

try:
    from . import _multiindex
except ImportError:  # pragma: no cover - only when the C extension was not built
    _multiindex = None

MATCH_DISTANCE = 31
MIN_QUALITY = 50
HEX_HASH = re.compile(r"^[0-9a-fA-F]{64}$")
CHUNKS = 16
_BLOCK = 256
_WORKERS = min(4, os.cpu_count() or 1)
log = logging.getLogger(__name__)


def hashes_to_array(hexes: Sequence[str]) -> np.ndarray:
    """(N, 32) uint8 from 64-digit hex strings (validated by the caller)."""
    if not hexes:
        return np.zeros((0, 32), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8).reshape(-1, 32)


class HashIndex:
    """Exact Hamming-radius search over a fixed set of 256-bit hashes.

    Memory beside the hashes themselves (kept, not copied): per chunk, 65,537 bucket offsets, the next
    chunk of every entry (2 bytes) and its row number packed in just enough bits — 76 MB for a
    million hashes.
    """

    def __init__(self, hashes: np.ndarray) -> None:
        self._bank = np.ascontiguousarray(hashes, dtype=np.uint8).reshape(-1, 32)
        self.size = len(self._bank)
        if _multiindex is None:
            log.warning("civicshield.provenance._multiindex is not built; bank search falls back to a linear scan")
            return
        self._width = max(1, (self.size - 1).bit_length())
        self._offsets = np.empty((CHUNKS, 65537), dtype=np.uint32)
        self._neighbours = np.empty((CHUNKS, self.size), dtype=np.uint16)
        self._ids = np.empty((CHUNKS, (self.size * self._width + 7) // 8 + 8), dtype=np.uint8)
        _multiindex.build(*self._tables())

    def _tables(self) -> tuple:
        return self._bank, self._offsets, self._neighbours, self._ids, self._width

    @classmethod
    def from_hex(cls, hexes: Sequence[str]) -> "HashIndex":
        return cls(hashes_to_array(hexes))

    def __len__(self) -> int:
        return self.size

    def search(self, queries: np.ndarray, radius: int = MATCH_DISTANCE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All (query row, bank row, distance) with distance ≤ radius, sorted by query, distance, bank row."""
        if not 0 <= radius < 48:
            raise ValueError("radius must be between 0 and 47")
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, 32)
        find = self._probe if _multiindex is not None else self._scan
        starts = range(0, len(queries), _BLOCK)
        if len(queries) > _BLOCK and _WORKERS > 1:
            # The extension releases the GIL, so blocks of queries run on the machine's cores at once.
            with ThreadPoolExecutor(_WORKERS) as pool:
                parts = list(pool.map(lambda i: find(queries, radius, i, min(i + _BLOCK, len(queries))), starts))
        else:
            parts = [find(queries, radius, i, min(i + _BLOCK, len(queries))) for i in starts]
        found = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
        q, b, d = found[:, 0], found[:, 1], found[:, 2]
        order = np.lexsort((b, d, q))
        return q[order], b[order], d[order]

    def _probe(self, queries: np.ndarray, radius: int, first: int, last: int) -> np.ndarray:
        triples = _multiindex.search(*self._tables(), queries, radius, first, last)
        return np.frombuffer(triples, dtype=np.int32).reshape(-1, 3).astype(np.int64)

    def _scan(self, queries: np.ndarray, radius: int, first: int, last: int) -> np.ndarray:
        words = self._bank.view(np.uint64)
        found = []
        for q in range(first, last):
            distance = np.bitwise_count(words ^ queries[q].view(np.uint64)).sum(axis=1)
            rows = np.flatnonzero(distance <= radius)
            found.append(np.stack([np.full(len(rows), q), rows, distance[rows]], axis=1))
        return np.concatenate(found).astype(np.int64) if found else np.zeros((0, 3), dtype=np.int64)


@dataclass
class BankEntry:
    """One hash of a bank file, with whatever the sender attached to it."""

    hash: str
    quality: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class LineError:
    line: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


def parse_threatexchange(lines: Iterable[str]) -> tuple[list[BankEntry], list[LineError]]:
    """Read ThreatExchange's text form: `pdq <hash> [metadata]`, one signal a line.

    Also accepted, because that is what PDQ hashers print: a bare hash, or `hash,quality[,name]`.
    Bad lines are reported with their number and skipped; good lines are kept.
    """
    entries: list[BankEntry] = []
    errors: list[LineError] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            entry = _parse_line(line)
        except ValueError as exc:
            errors.append(LineError(number, str(exc)))
            continue
        if entry.quality is not None and entry.quality < MIN_QUALITY:
            errors.append(LineError(number, f"quality {entry.quality} is below {MIN_QUALITY}; not banked"))
            continue
        entries.append(entry)
    return entries, errors


def _parse_line(line: str) -> BankEntry:
    if "," in line.split(None, 1)[0]:
        fields = [f.strip() for f in line.split(",")]
        quality = _quality(fields[1]) if len(fields) > 1 and fields[1] else None
        metadata = {"name": fields[2]} if len(fields) > 2 and fields[2] else {}
        return BankEntry(_hash(fields[0]), quality, metadata)
    parts = line.split(None, 2)
    if parts[0].lower() == "pdq":
        if len(parts) < 2:
            raise ValueError("`pdq` must be followed by a hash")
        parts = parts[1:]
    elif not HEX_HASH.match(parts[0]):
        raise ValueError(f"unknown signal type {parts[0][:40]!r}; only `pdq` is banked here")
    digest = _hash(parts[0])
    metadata: dict[str, Any] = {}
    if len(parts) > 1:
        rest = " ".join(parts[1:])
        try:
            parsed = json.loads(rest)
            metadata = parsed if isinstance(parsed, dict) else {"note": rest}
        except ValueError:
            metadata = {"note": rest}
    quality = metadata.pop("quality", None)
    return BankEntry(digest, _quality(quality) if quality is not None else None, metadata)


def _hash(value: str) -> str:
    if not HEX_HASH.match(value):
        raise ValueError(f"not a PDQ hash (64 hex digits expected): {value[:80]!r}")
    return value.lower()


def _quality(value: Any) -> int:
    try:
        quality = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"quality must be an integer from 0 to 100, got {value!r}") from None
    if not 0 <= quality <= 100:
        raise ValueError(f"quality must be an integer from 0 to 100, got {quality}")
    return quality


def format_threatexchange(entries: Iterable[BankEntry]) -> str:
    """Write entries as `pdq <hash> {json metadata}` lines, readable by `parse_threatexchange`."""
    lines = []
    for entry in entries:
        metadata = dict(entry.metadata)
        if entry.quality is not None:
            metadata["quality"] = entry.quality
        suffix = " " + json.dumps(metadata, sort_keys=True, ensure_ascii=False) if metadata else ""
        lines.append(f"pdq {entry.hash}{suffix}")
    return "\n".join(lines) + ("\n" if lines else "")
