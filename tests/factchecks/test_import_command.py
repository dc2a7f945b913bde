"""`civicshield factchecks import`: the good items are stored, a rejected one is named and the exit
status says some were rejected; nothing but the summary is printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import review


def test_an_import_with_a_rejected_item_keeps_the_rest_and_exits_1(tmp_path: Path) -> None:
    feed = tmp_path / "reviews.json"
    feed.write_text(json.dumps([review("Ballots cast by mail are never counted.", url="https://factcheck.example/1"),
                                {"@type": "ClaimReview", "url": "https://factcheck.example/2"},  # no claim, no rating
                                review("Polls close at noon everywhere.", url="https://factcheck.example/3")]))
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CIVICSHIELD_HOME": str(home)}
    binary = Path(sys.executable).with_name("civicshield")
    assert subprocess.run([str(binary), "setup", "--quiet"], env=env, capture_output=True).returncode == 0
    done = subprocess.run([str(binary), "factchecks", "import", str(feed), "--no-sweep"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["created"] == 2 and summary["rejected"] == 1
    assert summary["errors"][0]["index"] == 1
    assert "DEBUG" not in done.stdout + done.stderr
