"""Labelled text sets for training and evaluating the learned detectors, read from normalised JSONL.

The dataset builders in `bench/datasets/` turn each public source into lines of
`{"id", "text", "language", <label field>, "source", ...}` in one folder (`CIVICSHIELD_DATASETS`,
default `var/datasets`); training reads them from there. Which sources train and which evaluate is
fixed in each app's training module and written down in docs/data-sources.md: a detector is never
evaluated on a source it was fitted on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import CivicShieldError


def datasets_dir() -> Path:
    return Path(os.environ.get("CIVICSHIELD_DATASETS", "var/datasets"))


@dataclass(frozen=True)
class Example:
    text: str
    label: int
    language: str
    source: str
    group: str


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise CivicShieldError(f"{path} not found: build it with the scripts in bench/datasets/ "
                               "(they read public snapshots; see docs/data-sources.md)") from None
    with handle:
        for number, raw in enumerate(handle, 1):
            if raw.strip():
                try:
                    yield json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise CivicShieldError(f"{path}:{number}: not JSON ({exc.msg})") from None


def examples(path: Path, label: Callable[[dict[str, Any]], int | None], *, source: str | None = None,
             limit_negatives: int | None = None) -> list[Example]:
    """Examples from one source file; `label` returns 1, 0 or None (dropped)."""
    out: list[Example] = []
    negatives = 0
    for row in read_jsonl(path):
        text = str(row.get("text") or "").strip()
        value = label(row)
        if not text or value is None:
            continue
        if value == 0:
            negatives += 1
            if limit_negatives is not None and negatives > limit_negatives:
                continue
        name = source or str(row.get("source") or path.stem)
        out.append(Example(text, int(value), str(row.get("language") or "und"), name,
                           f"{name}:{row.get('group') or row.get('id') or len(out)}"))
    return out


def deduplicate(items: Iterable[Example]) -> list[Example]:
    """One example per text (folded whitespace and case); the first label wins."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = " ".join(item.text.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
