"""Server-rendered SVG charts with text alternatives: no JavaScript, readable by screen readers.

Each chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>` (the desc states the
figures in words), every bar or point carries a `<title>` with its value, and the page shows the same
numbers as a table. A series that is not measured yet is drawn as a sentence, never as zeros.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field
from typing import Callable

PALETTE = ("#1f5fbf", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#4b5563")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 56, 44, 16
_ids = itertools.count(1)


@dataclass
class Chart:
    key: str
    title: str
    description: str
    categories: list[str]
    series: dict[str, list[float | None]]
    unit: str = "count"
    kind: str = "bar"
    note: str = ""
    svg: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.svg = render(self)

    @property
    def measured(self) -> bool:
        return any(v is not None for values in self.series.values() for v in values)

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table fallback: one row per category, one column per series."""
        return [(c, [fmt(values[i], self.unit) for values in self.series.values()])
                for i, c in enumerate(self.categories)]


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "not yet measured"
    if unit == "share":
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def render(chart: Chart) -> str:
    uid = f"chart-{chart.key}-{next(_ids)}"
    summary = chart.description + " " + "; ".join(
        f"{c}: " + ", ".join(f"{name} {fmt(values[i], chart.unit)}" for name, values in chart.series.items())
        for i, c in enumerate(chart.categories))
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
            f'aria-labelledby="{uid}-t {uid}-d"><title id="{uid}-t">{_e(chart.title)}</title>'
            f'<desc id="{uid}-d">{_e(summary.strip())}</desc>')
    if not chart.measured or not chart.categories:
        message = chart.note or "Not yet measured."
        return head + (f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" class="chart-empty">'
                       f'{_e(message)}</text></svg>')
    values = [v or 0 for vs in chart.series.values() for v in vs]
    top = max(values) if chart.kind == "line" else max(sum(vs[i] or 0 for vs in chart.series.values())
                                                       for i in range(len(chart.categories)))
    top = top or 1
    if chart.unit == "count" and top >= 4:
        top = top + top % 2  # an even top keeps the middle tick a whole number
    scale = (lambda v: HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * v / top)
    body = _axes(chart, top, scale) + (_lines(chart, scale) if chart.kind == "line" else _bars(chart, scale))
    return head + body + _legend(chart) + "</svg>"


def _slot(chart: Chart) -> float:
    return (WIDTH - LEFT - 12) / max(1, len(chart.categories))


def _axes(chart: Chart, top: float, scale: Callable[[float], float]) -> str:
    parts = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 8}" y2="{HEIGHT - BOTTOM}" stroke="#5b6478"/>']
    ticks = (0, top / 2, top) if chart.unit != "count" or top >= 4 else (0, top)
    for tick in ticks:
        y = scale(tick)
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_e(fmt(tick, chart.unit))}</text>'
                     f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="#d8dce6" stroke-dasharray="2 3"/>')
    slot = _slot(chart)
    for i, c in enumerate(chart.categories):
        parts.append(f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'class="tick">{_e(c)}</text>')
    return "".join(parts)


def _bars(chart: Chart, scale: Callable[[float], float]) -> str:
    slot, parts = _slot(chart), []
    width = min(48.0, slot * 0.6)
    for i, c in enumerate(chart.categories):
        base = 0.0
        for (name, values), color in zip(chart.series.items(), itertools.cycle(PALETTE)):
            v = values[i] or 0
            y0, y1 = scale(base), scale(base + v)
            x = LEFT + slot * (i + 0.5) - width / 2
            parts.append(f'<rect x="{x:.1f}" y="{y1:.1f}" width="{width:.1f}" height="{max(0.0, y0 - y1):.1f}" '
                         f'fill="{color}"><title>{_e(c)} · {_e(name)}: {_e(fmt(values[i], chart.unit))}</title></rect>')
            base += v
    return "".join(parts)


def _lines(chart: Chart, scale: Callable[[float], float]) -> str:
    slot, parts = _slot(chart), []
    for (name, values), color in zip(chart.series.items(), itertools.cycle(PALETTE)):
        points = [(LEFT + slot * (i + 0.5), scale(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for (x, y), (c, v) in zip(points, [(c, v) for c, v in zip(chart.categories, values) if v is not None]):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}">'
                         f'<title>{_e(c)} · {_e(name)}: {_e(fmt(v, chart.unit))}</title></circle>')
    return "".join(parts)


def _legend(chart: Chart) -> str:
    if len(chart.series) < 2:
        return ""
    parts, x = [], LEFT
    for name, color in zip(chart.series, itertools.cycle(PALETTE)):
        parts.append(f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 7}" class="tick">{_e(name)}</text>')
        x += 24 + 7 * len(name)
    return "".join(parts)
