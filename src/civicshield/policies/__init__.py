"""Policy sets shipped with CivicShield, and the commands to check and backtest them."""

from __future__ import annotations

from pathlib import Path

DEFAULT_POLICY_DIR = Path(__file__).parent / "default"
