"""Readers for the CLEF CheckThat! "previously fact-checked claims" format.

The shared task is the public yardstick for claim matching, so `civicshield factchecks evaluate`
reads its files as published: tab-separated with a header row (fields may be double-quoted and
contain tabs or newlines), claims as `id, vclaim, title`, queries as `id, tweet_content`, and
relevance judgements as `query_id 0 claim_id 1`. Pure: plain files in, plain values out.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from civicshield.core.errors import FeedError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True, slots=True)
class ClefClaim:
    id: str
    claim: str
    title: str

    @property
    def text(self) -> str:
        return f"{self.claim} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class ClefQuery:
    id: str
    text: str


def _rows(path: Path, min_fields: int) -> list[tuple[int, list[str]]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FeedError(f"cannot read {path}: {exc}") from None
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < min_fields or not row[0].strip():
            raise FeedError(f"{path.name}: expected {min_fields} tab-separated fields with an id first, "
                            f"got {len(row)}", line=number)
        out.append((number, row))
    return out


def read_claims(path: str | Path) -> list[ClefClaim]:
    """Verified claims (`id, vclaim, title`); a missing title is read as empty."""
    return [ClefClaim(row[0].strip(), row[1].strip(), (row[2] if len(row) > 2 else "").strip())
            for _, row in _rows(Path(path), 2)]


def read_queries(path: str | Path) -> list[ClefQuery]:
    """Queries (`id, tweet_content`)."""
    return [ClefQuery(row[0].strip(), row[1].strip()) for _, row in _rows(Path(path), 2)]


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """Relevance judgements, query id -> relevant claim ids (`query 0 claim relevance`, whitespace-separated)."""
    qrels: dict[str, set[str]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"cannot read {path}: {exc}") from None
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise FeedError(f"{Path(path).name}: expected `query_id 0 claim_id relevance`, got {line!r}",
                            line=number)
        query_id, _, claim_id, relevance = parts
        try:
            relevant = int(relevance) > 0
        except ValueError:
            raise FeedError(f"{Path(path).name}: relevance must be an integer, got {relevance!r}",
                            line=number) from None
        if relevant:
            qrels.setdefault(query_id, set()).add(claim_id)
    return qrels
