"""Shared helpers for the elections_<source>.py dataset builders (stdlib only).

Each builder reads a snapshot (a bare git clone) of a public GitHub repository placed under
$CIVICSHIELD_SNAPSHOTS/<owner>+<name>/ (a bare git directory, read with `git show`), and writes
normalised JSONL to $CIVICSHIELD_DATASETS/elections/<source>.jsonl. Nothing here downloads
anything; if the snapshot is absent the builder prints a message and exits 0.
"""

from __future__ import annotations

import os
import glob
import json
import subprocess
import sys
from pathlib import Path

from _snapshots import MIRROR, git_dir, head_commit, require  # noqa: E402,F401
OUT_DIR = Path(os.environ.get("CIVICSHIELD_DATASETS", "var/datasets")) / "elections"




def show(gd: Path, path: str, commit: str = "HEAD") -> bytes:
    return subprocess.run(["git", "--git-dir", str(gd), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def record(source: str, n: int, text: str, language: str, *, election_related=None, procedural=None,
           verdict=None, topic_labels=None, factcheck_url=None, repo: str, licence: str, **extra) -> dict:
    row = {
        "id": f"{source}-{n}",
        "text": " ".join(text.split()),
        "language": language,
        "election_related": election_related,
        "procedural": procedural,
        "verdict": verdict,
        "topic_labels": list(topic_labels or []),
        "factcheck_url": factcheck_url,
        "source": repo,
        "licence": licence,
    }
    row.update(extra)
    return row


def write(source: str, rows: list[dict], meta: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"{source}.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        c = counts.setdefault(r["language"], {"true": 0, "false": 0, "null": 0})
        key = {True: "true", False: "false", None: "null"}[r["election_related"]]
        c[key] += 1
    meta = dict(meta, output=str(out), rows=len(rows), election_related_by_language=counts)
    (OUT_DIR / f"{source}.meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False))
    return out
