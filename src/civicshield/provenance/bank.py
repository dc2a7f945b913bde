"""Near-duplicate search over a PDQ media bank, and the bank's ThreatExchange text form.

A bank holds the hashes of media already judged (known AI-generated, known misleading and linked to
a fact-check, labelled by a reviewer). A new upload matches when its hash is within Hamming distance
31 of a banked one. `HashIndex` answers that exactly and keeps nothing but the banked hashes: a few
queries are compared with every banked hash (a pass over the bank runs at memory speed), and a batch
of many is indexed itself (multi-index hashing over 16 chunks of 16 bits) so that the bank streams
through it once. Both are the C extension `_multiindex` (built at install); without it a numpy linear
scan gives the same answers, slowly. Only that fallback needs numpy.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import re
import threading
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

try:
    from . import _multiindex
except ImportError:  # pragma: no cover - only when the C extension was not built
    _multiindex = None

if TYPE_CHECKING:
    import numpy as np

MATCH_DISTANCE = 31
MIN_QUALITY = 50
HEX_HASH = re.compile(r"^[0-9a-fA-F]{64}$")
CHUNKS = 16
# Below this many queries a pass over the bank per query costs less than indexing the queries. Both
# grow with the bank, so the crossover does not: about 120 queries with the AVX-512 scan, 24 without
# (measured against a million hashes).
SCAN_LIMIT = 128 if _multiindex is not None and _multiindex.wide_scan() else 24
# A query batch's tables hold at most this many entries (4 bytes each), and at most 16,384 queries.
_TABLE_ENTRIES = 4_000_000
_MAX_BATCH = 16_384
# Banks smaller than this are searched on one thread: starting more costs more than it saves.
_ROWS_PER_WORKER = 65_536
_WORKERS = min(4, os.cpu_count() or 1)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
log = logging.getLogger(__name__)

Matches = tuple[array, array, array]


def hashes_to_array(hexes: Sequence[str]) -> "np.ndarray":
    """(N, 32) uint8 from 64-digit hex strings (validated by the caller)."""
    import numpy as np

    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=np.uint8).reshape(-1, 32)


def _hash_bytes(hashes: Any, name: str) -> memoryview:
    """The hashes as one flat byte view, 32 bytes a hash, without copying what is already bytes."""
    try:
        view = memoryview(hashes)
    except TypeError:
        view = None
    if view is None or view.itemsize != 1 or not view.c_contiguous:
        import numpy as np

        view = memoryview(np.ascontiguousarray(hashes, dtype=np.uint8))
    view = view.cast("B") if view.nbytes else memoryview(b"")
    if len(view) % 32:
        raise ValueError(f"{name} must be 256-bit hashes, 32 bytes each; got {len(view)} bytes")
    return view


class HashIndex:
    """Exact Hamming-radius search over a fixed set of 256-bit hashes.

    It keeps the hashes themselves (not copied) and nothing else. A batch of queries borrows tables of
    4 MB plus 64 bytes per query and probe while it runs (15 MB for 10,000 queries at distance 31).
    """

    def __init__(self, hashes: Any) -> None:
        self._bank = _hash_bytes(hashes, "hashes")
        self.size = len(self._bank) // 32
        if _multiindex is None:
            log.warning("civicshield.provenance._multiindex is not built; bank search falls back to a numpy scan")

    @classmethod
    def from_hex(cls, hexes: Sequence[str]) -> "HashIndex":
        return cls(bytes.fromhex("".join(hexes)))

    def __len__(self) -> int:
        return self.size

    def search(self, queries: Any, radius: int = MATCH_DISTANCE) -> Matches:
        """All (query row, bank row, distance) with distance ≤ radius, sorted by query, distance, bank row.

        `queries` is anything holding 32-byte hashes back to back: bytes, or an (N, 32) uint8 array.
        """
        if not 0 <= radius < 48:
            raise ValueError("radius must be between 0 and 47")
        queries = _hash_bytes(queries, "queries")
        count = len(queries) // 32
        if not count or not self.size:
            found = b""
        elif _multiindex is None:
            found = self._numpy_scan(queries, radius)
        elif count < SCAN_LIMIT:
            found = self._over_bank(lambda first, last: _multiindex.scan(self._bank, queries, radius, first, last))
        else:
            found = b"".join(self._join(queries[32 * start:32 * (start + size)], radius, start)
                             for start, size in _batches(count, radius))
        triples = array("i", _multiindex.ordered(found) if _multiindex is not None else found)
        return triples[0::3], triples[1::3], triples[2::3]

    def _join(self, batch: memoryview, radius: int, first_query: int) -> bytes:
        offset_bytes, entry_bytes = _multiindex.table_sizes(len(batch) // 32, radius)
        # Anonymous maps: the kernel hands out zeroed pages as the tables are filled, with no pass to clear them.
        with mmap.mmap(-1, offset_bytes) as offsets, mmap.mmap(-1, entry_bytes) as entries:
            _in_threads(lambda first, last: _multiindex.index_queries(batch, radius, offsets, entries, first, last),
                        _bounds(CHUNKS, self._workers()))
            found = array("i", self._over_bank(
                lambda first, last: _multiindex.join(self._bank, batch, radius, offsets, entries, first, last)))
        if first_query:
            found[0::3] = array("i", (q + first_query for q in found[0::3]))
        return found.tobytes()

    def _over_bank(self, search_rows: Callable[[int, int], bytes]) -> bytes:
        """`search_rows(first, last)` over all of the bank's rows, split among threads when it is large."""
        return b"".join(_in_threads(search_rows, _bounds(self.size, self._workers())))

    def _workers(self) -> int:
        return max(1, min(_WORKERS, self.size // _ROWS_PER_WORKER))

    def _numpy_scan(self, queries: memoryview, radius: int) -> bytes:
        import numpy as np

        words = np.frombuffer(self._bank, dtype=np.uint64).reshape(-1, 4)
        asked = np.frombuffer(queries, dtype=np.uint64).reshape(-1, 4)
        found = []
        for q in range(len(asked)):
            distance = np.bitwise_count(words ^ asked[q]).sum(axis=1)
            rows = np.flatnonzero(distance <= radius)
            found.append(np.stack([np.full(len(rows), q), rows, distance[rows]], axis=1))
        triples = np.concatenate(found).astype(np.int32)
        return triples[np.lexsort((triples[:, 1], triples[:, 2], triples[:, 0]))].tobytes()


def _bounds(total: int, parts: int) -> list[int]:
    """Where `parts` nearly equal consecutive ranges of range(total) start, and the end."""
    return [total * part // parts for part in range(parts + 1)]


def _in_threads(work: Callable[[int, int], Any], bounds: list[int]) -> list[Any]:
    """`work(first, last)` for each consecutive pair of bounds, on threads when there is more than one
    (the extension releases the GIL, so the parts run on the machine's cores at once)."""
    global _pool
    if len(bounds) <= 2:
        return [work(bounds[0], bounds[-1])]
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="hash-index")
    return list(_pool.map(work, bounds[:-1], bounds[1:]))


def _batches(count: int, radius: int) -> Iterable[tuple[int, int]]:
    """(first query, size) of query batches whose tables stay within `_TABLE_ENTRIES`."""
    probes = 1 + (16 if radius >= 16 else 0) + (120 if radius >= 32 else 0)
    size = max(1, min(_MAX_BATCH, _TABLE_ENTRIES // (CHUNKS * probes)))
    return ((start, min(size, count - start)) for start in range(0, count, size))


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
