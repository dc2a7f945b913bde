"""A command run before `civicshield setup` says what to do, not a traceback, and leaves nothing behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    ["audit", "verify"],
    ["transparency", "report", "--quarter", "2026Q3"],
    ["factchecks", "search", "vote by text"],
    ["verification", "check", "acct-1"],
    ["ingest", "{events}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_before_setup_says_to_run_setup(tmp_path: Path, command: list[str]) -> None:
    home = tmp_path / "home"
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"id": "e1", "type": "account.upserted", "occurred_at": "2026-10-20T12:00:00Z",
                                  "account": {"id": "a1"}}) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CIVICSHIELD_HOME": str(home)}
    binary = Path(sys.executable).with_name("civicshield")
    done = subprocess.run([str(binary), *(part.format(events=events) for part in command)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "run `civicshield setup` first" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not home.exists() or not any(home.iterdir()), f"left behind: {list(home.iterdir())}"
