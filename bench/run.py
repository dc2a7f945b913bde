"""`make bench`: run every benchmark script, then write docs/benchmarks.md from bench/results/*.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    only = set(sys.argv[1:])
    failed = []
    for script in sorted(HERE.glob("*.py")):
        if script.name in ("run.py", "report.py") or (only and script.stem not in only):
            continue
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
        print(f"   {script.name}: exit {code} in {time.monotonic() - started:.0f}s", flush=True)
        if code:
            failed.append(script.name)
    from report import write_report  # noqa: E402  (bench/ is on sys.path when run as a script)

    write_report()
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
