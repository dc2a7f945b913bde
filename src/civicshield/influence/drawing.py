"""Server-rendered pictures of a network case: the graph of its members and its activity timeline.

SVG drawn on the server needs no JavaScript bundle and is testable like any page. The layout is
Fruchterman-Reingold (igraph) started from a circle, so the same network is always drawn the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape
from typing import Any

import igraph as ig

COLOURS = {"co_share": "#c0392b", "same_text": "#8e44ad", "same_url": "#2471a3", "same_hashtags": "#d68910",
           "creation": "#7f8c8d", "device": "#117a65", "ip24": "#1e8449"}


def graph_svg(members: list[str], links: list[list[Any]], size: int = 560) -> str:
    index = {m: i for i, m in enumerate(sorted(members))}
    edges = [(index[a], index[b]) for a, b, *_ in links if a in index and b in index]
    graph = ig.Graph(n=len(index), edges=edges)
    start = [[math.cos(2 * math.pi * i / max(len(index), 1)), math.sin(2 * math.pi * i / max(len(index), 1))]
             for i in range(len(index))]
    weights = [link[2] for link in links if link[0] in index and link[1] in index]
    layout = graph.layout_fruchterman_reingold(seed=start, weights=weights or None, niter=300) \
        if edges else ig.Layout(start)
    xs, ys = [p[0] for p in layout], [p[1] for p in layout]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    pad = 30

    def pos(i: int) -> tuple[float, float]:
        return (pad + (xs[i] - min(xs)) / span_x * (size - 2 * pad),
                pad + (ys[i] - min(ys)) / span_y * (size - 2 * pad))

    top = max(weights) if weights else 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
           f'aria-label="Graph of {len(index)} accounts and {len(edges)} links" class="network-graph">']
    for (a, b, weight, layers) in (link for link in links if link[0] in index and link[1] in index):
        (x1, y1), (x2, y2) = pos(index[a]), pos(index[b])
        colour = COLOURS.get(layers[0], "#555") if layers else "#555"
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                   f'stroke-opacity="0.5" stroke-width="{0.5 + 2.5 * weight / top:.2f}">'
                   f'<title>{escape(a)} – {escape(b)}: {", ".join(layers)}</title></line>')
    for name, i in index.items():
        x, y = pos(i)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#1b2631" data-account="{escape(name)}">'
                   f'<title>{escape(name)}</title></circle>')
    out.append("</svg>")
    return "".join(out)


def _parse(ts: str) -> float:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def timeline_svg(evidence: dict[str, Any], width: int = 760, row: int = 22) -> str:
    """One row per piece of shared activity (object, link, text, hashtag sequence), a dot per member."""
    rows = [(layer, item) for layer in ("co_share", "same_text", "same_url", "same_hashtags")
            for item in evidence.get(layer, {}).get("top", [])]
    rows.sort(key=lambda r: r[1]["first"])
    if not rows:
        return '<p class="meta">No shared activity to draw.</p>'
    times = [_parse(t) for _, item in rows for _, t in item["who"]]
    first, last = min(times), max(times)
    span = (last - first) or 1.0
    label_w, height = 230, row * len(rows) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Activity timeline" class="network-timeline">']
    for n, (layer, item) in enumerate(rows):
        y = 20 + n * row
        label = item.get("object_id") or item.get("sample_text") or item["key"]
        out.append(f'<text x="4" y="{y + 4}" font-size="11">{escape(layer)}: {escape(str(label)[:28])}</text>')
        for account, ts in item["who"]:
            x = label_w + (_parse(ts) - first) / span * (width - label_w - 10)
            out.append(f'<circle cx="{x:.1f}" cy="{y}" r="4" fill="{COLOURS.get(layer, "#555")}" fill-opacity="0.7">'
                       f'<title>{escape(account)} at {escape(ts)}</title></circle>')
    stamp = dt.datetime.fromtimestamp
    out.append(f'<text x="{label_w}" y="{height - 6}" font-size="11">'
               f'{stamp(first, dt.timezone.utc):%Y-%m-%d %H:%M} UTC</text>')
    out.append(f'<text x="{width - 10}" y="{height - 6}" font-size="11" text-anchor="end">'
               f'{stamp(last, dt.timezone.utc):%Y-%m-%d %H:%M} UTC</text></svg>')
    return "".join(out)
