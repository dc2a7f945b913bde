"""Renders docs/benchmarks.md from the JSON results every benchmark writes."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DOC = HERE.parent / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

Measured with `make bench` on the project's reference machine (2 cores, 24 GB). Each section names the
command that reproduces it; the raw figures are in `bench/results/*.json`. Speed goals live here, never
in timed tests.
"""


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_report() -> Path:
    parts = [HEADER]
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        parts.append(f"\n## {data.get('title', path.stem)}\n")
        parts.append(f"Command: `{data.get('command', 'make bench')}`" + (f" · measured {data['measured_at']}"
                                                                          if data.get("measured_at") else "") + "\n")
        figures = data.get("figures", {})
        if figures:
            parts.append("| figure | value |\n|---|---|")
            parts.extend(f"| {name} | {_fmt(value)} |" for name, value in figures.items())
        for table in data.get("tables", []):
            parts.append(f"\n**{table['title']}**\n")
            parts.append("| " + " | ".join(table["columns"]) + " |\n|" + "---|" * len(table["columns"]))
            parts.extend("| " + " | ".join(_fmt(v) for v in row) + " |" for row in table["rows"])
        if data.get("notes"):
            parts.append(f"\n{data['notes']}")
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(parts) + "\n")
    return DOC


if __name__ == "__main__":
    print(write_report())
