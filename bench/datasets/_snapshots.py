"""Where the data-set builders find repository snapshots: bare clones under $CIVICSHIELD_SNAPSHOTS."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path

MIRROR = Path(os.environ.get("CIVICSHIELD_SNAPSHOTS", "var/snapshots"))


def git_dir(repo: str) -> Path | None:
    """Return the bare git dir of the snapshot of `owner/name`, or None when absent."""
    pattern = str(MIRROR / repo.replace("/", "+")) + "*"
    for base in sorted(glob.glob(pattern)):
        for cand in (Path(base) / "repo", Path(base)):
            if (cand / "HEAD").exists():
                return cand
    return None


def require(repo: str) -> Path:
    gd = git_dir(repo)
    if gd is None:
        print(f"snapshot of {repo} not found under {MIRROR}; clone it there first (git clone --bare https://github.com/{repo} <dir>/{repo.replace('/', '+')}). Nothing written.")
        sys.exit(0)
    return gd


def head_commit(gd: Path) -> str:
    return subprocess.run(["git", "--git-dir", str(gd), "rev-parse", "HEAD"],
                          check=True, capture_output=True, text=True).stdout.strip()
