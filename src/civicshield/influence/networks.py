"""From layer edges to networks: fuse the layers, cluster with Leiden, score each community.

Fusion adds the layers' strengths (-log10 of how unlikely the pair's co-activity is by chance), so a
pair seen in several layers weighs more than one seen in a single layer. Leiden (leidenalg over igraph,
modularity, fixed seed, vertices and edges in sorted order) makes the clustering reproducible, which is
what lets two engines agree on the networks.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import leidenalg

from .layers import BEHAVIOURAL, LAYERS, LayerEdges

SEED = 20240611
MIN_MEMBERS = 3


@dataclass
class Network:
    id: str
    members: list[str]
    score: float
    behaviours: list[str]
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "members": self.members, "score": self.score,
                "behaviours": self.behaviours, "evidence": self.evidence}


def network_id(members: list[str]) -> str:
    return "net-" + hashlib.sha1("\n".join(sorted(members)).encode()).hexdigest()[:12]


def fuse(layers: list[LayerEdges]) -> dict[tuple[str, str], dict[str, float]]:
    """(src, dst) -> {layer: strength} over every layer."""
    fused: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for edges in layers:
        for src, dst, strength in zip(edges.src, edges.dst, edges.strength):
            fused[(src, dst)][edges.layer] = strength
    return fused


def cluster(fused: dict[tuple[str, str], dict[str, float]], min_members: int = MIN_MEMBERS,
            ) -> list[Network]:
    """Leiden communities of the fused graph that show behavioural coordination, scored."""
    if not fused:
        return []
    vertices = sorted({a for pair in fused for a in pair})
    index = {name: i for i, name in enumerate(vertices)}
    pairs = sorted(fused)
    graph = ig.Graph(n=len(vertices), edges=[(index[a], index[b]) for a, b in pairs])
    graph.es["weight"] = [sum(fused[p].values()) for p in pairs]
    partition = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition, weights="weight",
                                         n_iterations=-1, seed=SEED)
    membership = partition.membership
    internal: dict[int, list[tuple[str, str]]] = defaultdict(list)
    boundary: dict[int, float] = defaultdict(float)
    for pair in pairs:
        ca, cb = membership[index[pair[0]]], membership[index[pair[1]]]
        if ca == cb:
            internal[ca].append(pair)
        else:
            weight = sum(fused[pair].values())
            boundary[ca] += weight
            boundary[cb] += weight
    groups: dict[int, list[str]] = defaultdict(list)
    for name in vertices:
        groups[membership[index[name]]].append(name)
    networks = []
    for community, members in groups.items():
        edges = internal[community]
        behaviours = [layer for layer in LAYERS if any(layer in fused[p] for p in edges)]
        if len(members) < min_members or not any(b in BEHAVIOURAL for b in behaviours):
            continue
        networks.append(Network(network_id(members), members,
                                _score(members, edges, fused, boundary[community]), behaviours,
                                {"edges": _edge_counts(edges, fused), "links": _links(edges, fused)}))
    networks.sort(key=lambda n: (-n.score, -len(n.members), n.id))
    return networks


def _score(members: list[str], edges: list[tuple[str, str]], fused: dict[tuple[str, str], dict[str, float]],
           boundary: float) -> float:
    """Cohesion (share of the members' edge weight that stays inside) x sqrt(density) x strength.

    Strength saturates: mean internal edge strength s maps to 1 - exp(-s / 10), so a network whose
    pairs are each a one-in-10^10 coincidence scores about 0.63 on that factor, 10^30 about 0.95.
    """
    weights = [sum(fused[p].values()) for p in edges]
    inside = sum(weights)
    if not weights:
        return 0.0
    possible = len(members) * (len(members) - 1) / 2
    cohesion = inside / (inside + boundary) if inside + boundary else 0.0
    strength = 1 - math.exp(-(inside / len(weights)) / 10)
    return round(cohesion * math.sqrt(len(edges) / possible) * strength, 4)


def _links(edges: list[tuple[str, str]], fused: dict[tuple[str, str], dict[str, float]],
           limit: int = 2000) -> list[list[Any]]:
    """The strongest internal edges, [src, dst, weight, layers], for drawing the network."""
    links = [[a, b, round(sum(fused[(a, b)].values()), 2), sorted(fused[(a, b)])] for a, b in edges]
    links.sort(key=lambda link: (-link[2], link[0], link[1]))
    return links[:limit]


def _edge_counts(edges: list[tuple[str, str]], fused: dict[tuple[str, str], dict[str, float]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for layer in LAYERS:
        count = sum(1 for p in edges if layer in fused[p])
        if count:
            counts[layer] = count
    return counts
